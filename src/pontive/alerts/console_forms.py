"""The alert console's forms read and checked: an alert's content (both languages, the CAP
codes, the kelurahan of its area, its expiry typed in WIB) and a rule with its parameters.
Each parser returns the service input or field errors; the services check the rest."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from pontive.alerts import service
from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    CapStatus,
    Certainty,
    ResponseType,
    RuleKind,
    Severity,
    Urgency,
)
from pontive.alerts.console_support import Errors, local_input, parse_local_time, text
from pontive.alerts.models import Alert, AlertRule
from pontive.alerts.rules_params import CATEGORY_ORDER
from pontive.web.i18n import translate

TEXT_FIELDS = (
    "event_id",
    "event_en",
    "headline_id",
    "headline_en",
    "description_id",
    "description_en",
    "instruction_id",
    "instruction_en",
)
CHOICE_FIELDS: dict[str, Any] = {
    "category": CapCategory,
    "urgency": Urgency,
    "severity": Severity,
    "certainty": Certainty,
}
# Staff write real alerts, exercises and tests; System and Draft are not for people.
CAP_STATUSES = (CapStatus.ACTUAL, CapStatus.EXERCISE, CapStatus.TEST)


def _error(errors: Errors, name: str, key: str, lang: str, **values: object) -> None:
    errors.setdefault(name, []).append(translate(f"alerts.cc.err.{key}", lang, **values))


def _choice(form: FormData, name: str, enum: Any, errors: Errors, lang: str) -> Any:
    raw = text(form, name)
    try:
        return enum(raw)
    except ValueError:
        _error(errors, name, "choice", lang)
        return None


def parse_content(
    form: FormData, lang: str, zone: ZoneInfo
) -> tuple[dict[str, Any] | None, Errors]:
    """The ``AlertContent`` fields of the alert form (the service checks texts and area)."""
    errors: Errors = {}
    values: dict[str, Any] = {name: text(form, name) for name in TEXT_FIELDS}
    for name, enum in CHOICE_FIELDS.items():
        values[name] = _choice(form, name, enum, errors, lang)
    status = _choice(form, "cap_status", CapStatus, errors, lang)
    if status is not None and status not in CAP_STATUSES:
        _error(errors, "cap_status", "choice", lang)
    values["cap_status"] = status
    values["note"] = text(form, "note")
    response = text(form, "response_type")
    values["response_type"] = None
    if response:
        values["response_type"] = _choice(form, "response_type", ResponseType, errors, lang)
    values["kelurahan_kodes"] = tuple(
        sorted({v for v in form.getlist("kelurahan_kodes") if isinstance(v, str) and v})
    )
    values["expires_at"] = None
    raw = text(form, "expires_at")
    if raw:
        try:
            values["expires_at"] = parse_local_time(raw, zone)
        except ValueError:
            _error(errors, "expires_at", "time", lang)
    return (None, errors) if errors else (values, errors)


def content_values(alert: Alert, zone: ZoneInfo) -> dict[str, Any]:
    """An alert's content as the form shows it (to edit a draft or write an update)."""
    values: dict[str, Any] = {name: getattr(alert, name) for name in TEXT_FIELDS}
    values |= {name: getattr(alert, name).value for name in CHOICE_FIELDS}
    values["cap_status"] = alert.cap_status.value
    values["note"] = alert.note
    values["response_type"] = alert.response_type or ""
    values["kelurahan_kodes"] = list(alert.kelurahan_kodes or ())
    # A published message's expiry is the update's starting point; a draft's may be empty.
    keep = alert.state in (AlertState.DRAFT, AlertState.PUBLISHED)
    values["expires_at"] = local_input(alert.expires_at if keep else None, zone)
    return values


def blank_content() -> dict[str, Any]:
    """The new-alert form's starting values."""
    content = service.AlertContent("", "", "", "")
    return {
        **dict.fromkeys(TEXT_FIELDS, ""),
        "category": content.category.value,
        "urgency": content.urgency.value,
        "severity": content.severity.value,
        "certainty": content.certainty.value,
        "cap_status": CapStatus.ACTUAL.value,
        "response_type": "",
        "note": "",
        "kelurahan_kodes": [],
        "expires_at": "",
    }


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    """One rule parameter as the form asks for it."""

    name: str
    kind: str  # int, float, minutes (kept as seconds), stream, choice, text(s), things, kelurahan
    choices: tuple[str, ...] = ()


_OPS = (">=", "<=")
# Both quantities' categories; the service checks the one chosen belongs to the quantity.
_INDEX_LEVELS = tuple(level for levels in CATEGORY_ORDER.values() for level in levels)
PARAMS: dict[RuleKind, tuple[Param, ...]] = {
    RuleKind.THRESHOLD: (
        Param("datastream_id", "stream"),
        Param("op", "choice", _OPS),
        Param("value", "float"),
        Param("clear_value", "float"),
        Param("duration_s", "minutes"),
    ),
    RuleKind.RATE_OF_CHANGE: (
        Param("datastream_id", "stream"),
        Param("direction", "choice", ("rise", "fall")),
        Param("amount", "float"),
        Param("per_s", "minutes"),
        Param("window_s", "minutes"),
    ),
    RuleKind.INDEX_CATEGORY: (
        Param("quantity", "choice", ("flood_status", "ispu")),
        Param("at_least", "choice", _INDEX_LEVELS),
        Param("thing_ids", "things"),
    ),
    RuleKind.FORECAST: (
        Param("datastream_id", "stream"),
        Param("op", "choice", _OPS),
        Param("value", "float"),
        Param("horizon_s", "minutes"),
    ),
    RuleKind.MISSING_DATA: (Param("silent_minutes", "int"), Param("thing_ids", "things")),
    RuleKind.REPORT_SPIKE: (
        Param("category_code", "text"),
        Param("count", "int"),
        Param("window_s", "minutes"),
        Param("kelurahan_kodes", "kelurahan"),
    ),
    RuleKind.INCOMING: (
        Param("min_severity", "choice", tuple(s.value for s in Severity if s.value != "Unknown")),
        Param("events", "texts"),
    ),
}
RULE_TEXTS = ("name_id", "name_en", *TEXT_FIELDS)
RULE_CHOICES = {
    "cap_category": CapCategory,
    "urgency": Urgency,
    "severity": Severity,
    "certainty": Certainty,
}


def _number(raw: str, name: str, errors: Errors, lang: str, *, whole: bool) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (whole and value != int(value)):
        _error(errors, name, "whole" if whole else "number", lang)
        return None
    return value


def _seconds(raw: str, name: str, errors: Errors, lang: str) -> int | None:
    """Minutes as typed (``1,5`` allowed) → whole seconds, as rules store durations."""
    number = _number(raw, name, errors, lang, whole=False)
    return None if number is None else round(number * 60)


def minutes_text(seconds: int | float) -> str:
    """Seconds as the form shows them: minutes, with a decimal comma only when needed."""
    minutes = seconds / 60
    return str(int(minutes)) if minutes == int(minutes) else f"{minutes:g}".replace(".", ",")


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


def _param(form: FormData, param: Param, errors: Errors, lang: str) -> Any:
    field = f"params.{param.name}"
    if param.kind in ("things", "kelurahan"):  # checkboxes; none ticked: every one
        ticked = [v for v in form.getlist(field) if isinstance(v, str) and v]
        if param.kind == "kelurahan":
            return sorted(set(ticked)) or None
        if not all(v.isdigit() for v in ticked):
            _error(errors, field, "choice", lang)
            return None
        return sorted({int(v) for v in ticked}) or None
    raw = text(form, field)
    if not raw:
        return None
    if param.kind in ("int", "stream"):
        number = _number(raw, field, errors, lang, whole=True)
        return None if number is None else int(number)
    if param.kind == "minutes":
        return _seconds(raw, field, errors, lang)
    if param.kind == "float":
        return _number(raw, field, errors, lang, whole=False)
    if param.kind == "texts":
        return _split(raw)
    return raw


def parse_params(form: FormData, kind: RuleKind, lang: str) -> tuple[dict[str, Any], Errors]:
    """The ``params`` of a rule of ``kind`` (empty fields left out: the service's defaults
    or its "required" errors apply)."""
    errors: Errors = {}
    params: dict[str, Any] = {}
    for param in PARAMS[kind]:
        value = _param(form, param, errors, lang)
        if value is not None:
            params[param.name] = value
    direction = params.pop("direction", "rise")
    if "amount" in params:  # the form asks which way and how much; the rule stores one key
        params[direction] = params.pop("amount")
    return params, errors


def parse_rule(form: FormData, kind: RuleKind, lang: str) -> tuple[dict[str, Any], Errors]:
    """A rule's fields (``alerts.rules_manage``'s ``data``) from the rule form."""
    data: dict[str, Any] = {name: text(form, name) for name in RULE_TEXTS}
    data |= {name: text(form, name) for name in RULE_CHOICES}
    data["response_type"] = text(form, "response_type") or None
    data["enabled"] = bool(form.get("enabled"))
    data["auto_publish"] = bool(form.get("auto_publish"))
    errors: Errors = {}
    for name, default in (("cooldown_s", 3600), ("expires_after_s", 6 * 3600)):
        raw = text(form, name)  # typed in minutes
        seconds = _seconds(raw, name, errors, lang) if raw else default
        data[name] = seconds if seconds is not None else default
    data["params"], more = parse_params(form, kind, lang)
    return data, errors | more


def rule_values(rule: AlertRule) -> dict[str, Any]:
    """A stored rule as its form shows it."""
    values: dict[str, Any] = {name: getattr(rule, name) for name in RULE_TEXTS}
    values |= {name: getattr(rule, name).value for name in RULE_CHOICES}
    values |= {
        "code": rule.code,
        "response_type": rule.response_type or "",
        "enabled": rule.enabled,
        "auto_publish": rule.auto_publish,
        "cooldown_s": minutes_text(rule.cooldown_s),
        "expires_after_s": minutes_text(rule.expires_after_s),
    }
    params = dict(rule.params or {})
    for direction in ("rise", "fall"):
        if direction in params:
            params["direction"], params["amount"] = direction, params.pop(direction)
    kinds = {param.name: param.kind for param in PARAMS[rule.kind]}
    for name, value in params.items():
        if kinds.get(name) in ("things", "kelurahan"):
            values[f"params.{name}"] = [str(v) for v in value or ()]
        elif kinds.get(name) == "minutes" and isinstance(value, int | float):
            values[f"params.{name}"] = minutes_text(value)
        elif isinstance(value, list):
            values[f"params.{name}"] = ", ".join(str(v) for v in value)
        else:
            values[f"params.{name}"] = "" if value is None else str(value)
    return values


def blank_rule(kind: RuleKind) -> dict[str, Any]:
    """A new rule form's starting values."""
    return {
        "enabled": True,
        "auto_publish": False,
        "cooldown_s": "60",
        "expires_after_s": "360",
        "cap_category": CapCategory.MET.value,
        "urgency": Urgency.EXPECTED.value,
        "severity": Severity.MODERATE.value,
        "certainty": Certainty.OBSERVED.value,
        "response_type": "",
        "params.op": ">=",
        "params.per_s": "60",
        "kind": kind.value,
    }
