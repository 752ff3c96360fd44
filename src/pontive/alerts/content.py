"""What an alert says, about where and until when, in both languages: the ``AlertContent``
of drafts, edits and updates, its validation (field errors in both languages) and how it is
written onto an ``Alert`` row (area descriptions from the kelurahan names)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts.choices import (
    CapCategory,
    CapStatus,
    Certainty,
    ResponseType,
    Severity,
    Urgency,
)
from pontive.alerts.models import Alert
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import as_utc
from pontive.reference import service as reference
from pontive.web.i18n import translate


def text_pair(key: str, **values: object) -> tuple[str, str]:
    """A message in Bahasa Indonesia and English (the errors' two texts)."""
    return translate(key, "id", **values), translate(key, "en", **values)


def invalid(errors: Mapping[str, list[str]]) -> InvalidInput:
    """An ``InvalidInput`` about an alert with these field errors."""
    return InvalidInput(*text_pair("alerts.life.err.invalid"), errors=errors)


def bilingual_error(key: str, **values: object) -> str:
    """One field error in both languages: ``Indonesian / English``."""
    text_id, text_en = text_pair(key, **values)
    return f"{text_id} / {text_en}"


@dataclasses.dataclass(frozen=True, slots=True)
class AlertContent:
    """What a message says, about where, and until when — both languages."""

    event_id: str
    event_en: str
    headline_id: str
    headline_en: str
    category: CapCategory = CapCategory.MET
    urgency: Urgency = Urgency.EXPECTED
    severity: Severity = Severity.MODERATE
    certainty: Certainty = Certainty.OBSERVED
    response_type: ResponseType | None = None
    description_id: str = ""
    description_en: str = ""
    instruction_id: str = ""
    instruction_en: str = ""
    kelurahan_kodes: tuple[str, ...] = ()
    area_desc_id: str = ""  # empty: the kelurahan names (or the whole city)
    area_desc_en: str = ""
    onset_at: datetime | None = None
    expires_at: datetime | None = None  # empty: set on publication from the validity
    cap_status: CapStatus = CapStatus.ACTUAL
    note: str = ""


CONTENT_FIELDS = frozenset(field.name for field in dataclasses.fields(AlertContent))
_ENUM_FIELDS: dict[str, Any] = {
    "category": CapCategory,
    "urgency": Urgency,
    "severity": Severity,
    "certainty": Certainty,
    "response_type": ResponseType,
    "cap_status": CapStatus,
}
_LIMITS = {"event_id": 200, "event_en": 200, "headline_id": 300, "headline_en": 300}


def content_of(alert: Alert) -> AlertContent:
    """The content of a stored message (to copy into an update or edit a draft)."""
    values = {name: getattr(alert, name) for name in CONTENT_FIELDS if name != "kelurahan_kodes"}
    values["response_type"] = ResponseType(alert.response_type) if alert.response_type else None
    return AlertContent(kelurahan_kodes=tuple(alert.kelurahan_kodes or ()), **values)


def _coerce(name: str, value: Any) -> Any:
    enum = _ENUM_FIELDS.get(name)
    if enum is not None and value is not None and not isinstance(value, enum):
        return enum(value)
    if name == "kelurahan_kodes":
        return tuple(value or ())
    if name in ("onset_at", "expires_at") and value is not None:
        return as_utc(value)
    return value


def apply_changes(content: AlertContent, changes: Mapping[str, Any]) -> AlertContent:
    """``content`` with ``changes`` applied; unknown fields and bad values are field errors."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in CONTENT_FIELDS:
            errors[name] = [bilingual_error("alerts.life.err.unknown_field")]
            continue
        try:
            values[name] = _coerce(name, value)
        except ValueError:
            errors[name] = [bilingual_error("alerts.life.err.bad_choice")]
    if errors:
        raise invalid(errors)
    return dataclasses.replace(content, **values)


def kelurahan_names(session: Session) -> dict[str, str]:
    """Kelurahan code → common name (from the cached reference list)."""
    return {
        kelurahan.kode: kelurahan.nama_umum
        for kecamatan in reference.list_kecamatan(session=session)
        for kelurahan in kecamatan.kelurahan
    }


def area_description(session: Session, kodes: Collection[str], lang: str) -> str:
    """``Kel. A, Kel. B, Kota Pontianak`` for an area, or the whole city when empty."""
    city = translate("alerts.life.area.city", lang)
    names = kelurahan_names(session)
    parts = [translate("alerts.life.area.kelurahan", lang, name=names.get(k, k)) for k in kodes]
    return ", ".join([*parts, city])


def check_content(session: Session, content: AlertContent, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("event_id", "event_en", "headline_id", "headline_en"):
        value = getattr(content, name).strip()
        if not value:
            errors[name] = [bilingual_error("alerts.life.err.required")]
        elif len(value) > _LIMITS[name]:
            errors[name] = [bilingual_error("alerts.life.err.too_long", limit=_LIMITS[name])]
    unknown = sorted(set(content.kelurahan_kodes) - set(kelurahan_names(session)))
    if unknown:
        errors["kelurahan_kodes"] = [bilingual_error("alerts.life.err.kelurahan", kodes=unknown)]
    if content.expires_at is not None and content.expires_at <= now:
        errors["expires_at"] = [bilingual_error("alerts.life.err.expires_past")]
    if content.cap_status is CapStatus.EXERCISE and not content.note.strip():
        # CAP 1.2 §3.2.1: an Exercise message names the exercise in <note>.
        errors["note"] = [bilingual_error("alerts.life.err.exercise_note")]
    if errors:
        raise invalid(errors)


def write_content(session: Session, alert: Alert, content: AlertContent) -> None:
    for name in CONTENT_FIELDS - {"kelurahan_kodes", "response_type"}:
        setattr(alert, name, getattr(content, name))
    alert.response_type = content.response_type.value if content.response_type else None
    alert.kelurahan_kodes = list(content.kelurahan_kodes)
    kodes = content.kelurahan_kodes
    alert.area_desc_id = content.area_desc_id or area_description(session, kodes, "id")
    alert.area_desc_en = content.area_desc_en or area_description(session, kodes, "en")
