"""The camera form of the console (register a city camera, correct one): its option lists,
reading what was typed into a ``CameraInput``, and the values an existing camera fills in.

Stream addresses carry device credentials and owners' contacts are personal data: an
existing camera's form never holds them. An empty address or contact field therefore keeps
what is stored, and only a ticked "hapus" box removes an address (``keep_secrets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.cctv import service
from pontive.cctv.choices import OwnerType, PrivacyMask, Purpose, Sharing
from pontive.cctv.console_support import Errors, text
from pontive.cctv.models import Camera
from pontive.cctv.service import STREAM_FIELDS, CameraInput
from pontive.reference import service as reference
from pontive.web.i18n import translate

TEXT_FIELDS = ("name", "description", "organisation", "mou_number")
CHOICE_FIELDS = ("owner_type", "purpose", "sharing", "privacy_mask")
CONTACT_FIELDS = ("owner_name", "owner_phone", "owner_email")
# What a new city camera's form starts with (the safe choices: staff only, privacy unchecked).
NEW_VALUES = {
    "owner_type": OwnerType.PD.value,
    "sharing": Sharing.INTERNAL.value,
    "privacy_mask": PrivacyMask.BELUM_DIPERIKSA.value,
}


@dataclass
class ParsedCamera:
    """A camera form read: the service's input, or the errors found before calling it."""

    data: CameraInput
    errors: Errors = field(default_factory=dict)


def form_options(session: Session, lang: str) -> dict[str, Any]:
    """Everything the camera form lets staff choose from, labelled in ``lang``."""
    return {
        "owner_types": OwnerType.options(lang),
        "purposes": Purpose.options(lang),
        "sharings": Sharing.options(lang),
        "privacy_masks": PrivacyMask.options(lang),
        "pds": [(pd.kode, f"{pd.singkatan} — {pd.nama}") for pd in _pds(session)],
        "stream_fields": STREAM_FIELDS,
        "stream_labels": {name: translate(f"cctv.cc.f.{name}", lang) for name in STREAM_FIELDS},
        "kind_labels": {name: translate(f"cctv.cc.kind.{name}", lang) for name in STREAM_FIELDS},
    }


def _pds(session: Session) -> list[Any]:
    return list(reference.list_perangkat_daerah(session=session))


def parse_camera(form: FormData, session: Session, lang: str) -> ParsedCamera:
    """Read the camera form; numbers and the PD are checked here, the rest by the service."""
    errors: Errors = {}
    lon = _number(form, "lon", errors, lang)
    lat = _number(form, "lat", errors, lang)
    if (lon is None) != (lat is None) and "location" not in errors:
        errors["location"] = [translate("cctv.cc.err.location", lang)]
    direction = None
    if raw := text(form, "direction_deg"):
        try:
            direction = int(raw)
        except ValueError:
            errors["direction_deg"] = [translate("cctv.cc.err.direction", lang)]
    pd_kode = text(form, "pd_kode") or None
    if pd_kode is not None and pd_kode not in {pd.kode for pd in _pds(session)}:
        errors["pd_kode"] = [translate("cctv.cc.err.pd", lang)]
    email = text(form, "owner_email")
    if email and ("@" not in email or len(email) > 160):
        errors["owner_email"] = [translate("cctv.cc.err.email", lang)]
    texts: dict[str, Any] = {name: text(form, name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)}
    data = CameraInput(
        **texts,
        pd_kode=pd_kode,
        owner_name=text(form, "owner_name") or None,
        owner_phone=text(form, "owner_phone") or None,
        owner_email=email or None,
        lon=lon,
        lat=lat,
        direction_deg=direction,
        streams={name: text(form, name) or None for name in STREAM_FIELDS},
    )
    return ParsedCamera(data, errors)


def _number(form: FormData, name: str, errors: Errors, lang: str) -> float | None:
    raw = text(form, name).replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors["location"] = [translate("cctv.cc.err.location", lang)]
        return None


def keep_secrets(data: CameraInput, form: FormData, camera: Camera) -> list[str]:
    """Mark the addresses whose "hapus" box is ticked for erasing (``CameraInput.clear``);
    the service keeps every other address or contact left empty (the form never shows
    them). The addresses to remove."""
    removed = [
        name
        for name in STREAM_FIELDS
        if not data.streams.get(name) and text(form, f"clear_{name}") and getattr(camera, name)
    ]
    data.clear = data.clear | frozenset(removed)
    return removed


def camera_values(camera: Camera) -> dict[str, str]:
    """What an existing camera's form shows: its description, never its secrets."""
    values = {name: getattr(camera, name) or "" for name in TEXT_FIELDS}
    values |= {name: getattr(camera, name).value for name in CHOICE_FIELDS}
    values |= {
        "pd_kode": camera.pd_kode or "",
        "lon": f"{camera.lon:.6f}",
        "lat": f"{camera.lat:.6f}",
        "direction_deg": "" if camera.direction_deg is None else str(camera.direction_deg),
    }
    return values


def stored_streams(camera: Camera) -> list[str]:
    """Which kinds of address the camera has (not the addresses)."""
    return [name for name in service.STREAM_FIELDS if getattr(camera, name)]


def stored_contact(camera: Camera) -> bool:
    """Whether the camera keeps an owner's contact (not the contact)."""
    return any(getattr(camera, name) for name in CONTACT_FIELDS)
