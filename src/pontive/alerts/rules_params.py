"""Validation of a rule's ``params`` per kind and of its text templates.

Each kind names its parameters (``models.AlertRule`` lists them); a bad or unknown one is a
field error ``params.<name>`` in both languages, so a form can show it beside the input. The
returned dict is normalised (numbers as numbers, defaults filled) and is what gets stored.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

from pontive.alerts.choices import RuleKind, Severity
from pontive.core.errors import InvalidInput
from pontive.sensors.choices import FloodStatus, IspuCategory
from pontive.web.i18n import translate

# The placeholders a template may use; ``alerts/rules_text.py`` fills them from the trigger.
PLACEHOLDERS = frozenset(
    {
        "station",  # the Thing's name
        "value",  # the reading, formatted
        "unit",  # the Datastream's unit symbol
        "kelurahan",  # the station's (or the reports') kelurahan name
        "time",  # when, in WIB
        "category",  # flood status / ISPU category / report category label
        "count",  # how many reports
        "minutes",  # the window or the silence, in minutes
        "last_seen",  # when a silent station last reported, in WIB
        "event",  # the incoming alert's event
        "headline",  # the incoming alert's headline
        "sender",  # the incoming alert's sender name
    }
)
TEMPLATE_FIELDS = (
    "event_id",
    "event_en",
    "headline_id",
    "headline_en",
    "description_id",
    "description_en",
    "instruction_id",
    "instruction_en",
)
# The categories an index_category rule may name, in ascending order of danger.
CATEGORY_ORDER: dict[str, tuple[str, ...]] = {
    "flood_status": tuple(member.value for member in FloodStatus),
    "ispu": tuple(member.value for member in IspuCategory),
}
OPERATORS = (">=", "<=")


class _Errors:
    """Collects field errors as ``params.<name>`` in both languages."""

    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def add(self, name: str, key: str, **values: object) -> None:
        text = f"{translate(key, 'id', **values)} / {translate(key, 'en', **values)}"
        self.items.setdefault(name, []).append(text)


def _number(params: Mapping[str, Any], name: str, errors: _Errors, *, minimum: float) -> float:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.add(f"params.{name}", "alerts.rules.err.number")
        return 0.0
    if value < minimum:
        errors.add(f"params.{name}", "alerts.rules.err.minimum", minimum=minimum)
    return float(value)


def _integer(
    params: Mapping[str, Any], name: str, errors: _Errors, *, minimum: int, default: int | None
) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(f"params.{name}", "alerts.rules.err.integer")
        return 0
    if value < minimum:
        errors.add(f"params.{name}", "alerts.rules.err.minimum", minimum=minimum)
    return value


def _op(params: Mapping[str, Any], errors: _Errors) -> str:
    op = params.get("op", ">=")
    if op not in OPERATORS:
        errors.add("params.op", "alerts.rules.err.choice", choices=", ".join(OPERATORS))
    return str(op)


def _id_list(params: Mapping[str, Any], name: str, errors: _Errors) -> list[int] | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value
    ):
        errors.add(f"params.{name}", "alerts.rules.err.id_list")
        return None
    return sorted(set(value))


def _text_list(params: Mapping[str, Any], name: str, errors: _Errors) -> list[str] | None:
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
        errors.add(f"params.{name}", "alerts.rules.err.text_list")
        return None
    return [item.strip() for item in value]


def _threshold(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    op = _op(params, errors)
    value = _number(params, "value", errors, minimum=float("-inf"))
    clear = _number(
        {"clear_value": params.get("clear_value", value)},
        "clear_value",
        errors,
        minimum=float("-inf"),
    )
    result = {
        "datastream_id": _integer(params, "datastream_id", errors, minimum=1, default=None),
        "op": op,
        "value": value,
        "clear_value": clear,
        "duration_s": _integer(params, "duration_s", errors, minimum=0, default=0),
    }
    # Hysteresis: the clear value lies on the safe side of the threshold (or equals it).
    wrong_side = clear > value if op == ">=" else clear < value
    if op in OPERATORS and wrong_side:
        errors.add("params.clear_value", "alerts.rules.err.clear_side")
    return result


def _rate(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    result: dict[str, Any] = {
        "datastream_id": _integer(params, "datastream_id", errors, minimum=1, default=None),
        "per_s": _integer(params, "per_s", errors, minimum=1, default=3600),
        "window_s": _integer(params, "window_s", errors, minimum=60, default=None),
    }
    directions = [name for name in ("rise", "fall") if name in params]
    if len(directions) != 1:
        errors.add("params.rise", "alerts.rules.err.rise_or_fall")
        return result
    result[directions[0]] = _number(params, directions[0], errors, minimum=1e-9)
    return result


def _index(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    quantity = params.get("quantity")
    if quantity not in CATEGORY_ORDER:
        errors.add("params.quantity", "alerts.rules.err.choice", choices="flood_status, ispu")
        return {}
    order = CATEGORY_ORDER[str(quantity)]
    at_least = params.get("at_least")
    if at_least not in order:
        errors.add("params.at_least", "alerts.rules.err.choice", choices=", ".join(order))
    result = {"quantity": quantity, "at_least": at_least}
    thing_ids = _id_list(params, "thing_ids", errors)
    return {**result, "thing_ids": thing_ids} if thing_ids is not None else result


def _forecast(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    return {
        "datastream_id": _integer(params, "datastream_id", errors, minimum=1, default=None),
        "op": _op(params, errors),
        "value": _number(params, "value", errors, minimum=float("-inf")),
        "horizon_s": _integer(params, "horizon_s", errors, minimum=60, default=None),
    }


def _missing(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    result: dict[str, Any] = {
        "silent_minutes": _integer(params, "silent_minutes", errors, minimum=1, default=None)
    }
    thing_ids = _id_list(params, "thing_ids", errors)
    return {**result, "thing_ids": thing_ids} if thing_ids is not None else result


def _spike(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    code = params.get("category_code")
    if not isinstance(code, str) or not code.strip():
        errors.add("params.category_code", "alerts.rules.err.required")
        code = ""
    result: dict[str, Any] = {
        "category_code": code.strip(),
        "count": _integer(params, "count", errors, minimum=2, default=None),
        "window_s": _integer(params, "window_s", errors, minimum=60, default=None),
    }
    kodes = _text_list(params, "kelurahan_kodes", errors)
    return {**result, "kelurahan_kodes": kodes} if kodes is not None else result


def _incoming(params: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    choices = [s.value for s in Severity if s is not Severity.UNKNOWN]
    severity = params.get("min_severity", Severity.SEVERE.value)
    if severity not in choices:
        errors.add("params.min_severity", "alerts.rules.err.choice", choices=", ".join(choices))
    result: dict[str, Any] = {"min_severity": severity}
    events = _text_list(params, "events", errors)
    return {**result, "events": events} if events is not None else result


_VALIDATORS: dict[RuleKind, Callable[[Mapping[str, Any], _Errors], dict[str, Any]]] = {
    RuleKind.THRESHOLD: _threshold,
    RuleKind.RATE_OF_CHANGE: _rate,
    RuleKind.INDEX_CATEGORY: _index,
    RuleKind.FORECAST: _forecast,
    RuleKind.MISSING_DATA: _missing,
    RuleKind.REPORT_SPIKE: _spike,
    RuleKind.INCOMING: _incoming,
}
_KNOWN: dict[RuleKind, frozenset[str]] = {
    RuleKind.THRESHOLD: frozenset({"datastream_id", "op", "value", "clear_value", "duration_s"}),
    RuleKind.RATE_OF_CHANGE: frozenset({"datastream_id", "per_s", "rise", "fall", "window_s"}),
    RuleKind.INDEX_CATEGORY: frozenset({"quantity", "at_least", "thing_ids"}),
    RuleKind.FORECAST: frozenset({"datastream_id", "op", "value", "horizon_s"}),
    RuleKind.MISSING_DATA: frozenset({"thing_ids", "silent_minutes"}),
    RuleKind.REPORT_SPIKE: frozenset({"category_code", "count", "window_s", "kelurahan_kodes"}),
    RuleKind.INCOMING: frozenset({"min_severity", "events"}),
}


def validate_params(kind: RuleKind, params: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised ``params`` of a rule of ``kind``, or ``InvalidInput`` with field errors."""
    errors = _Errors()
    for name in sorted(set(params) - _KNOWN[kind]):
        errors.add(f"params.{name}", "alerts.rules.err.unknown")
    result = _VALIDATORS[kind](params, errors)
    if errors.items:
        raise InvalidInput(
            translate("alerts.rules.err.invalid", "id"),
            translate("alerts.rules.err.invalid", "en"),
            errors=errors.items,
        )
    return result


def template_errors(fields: Mapping[str, str]) -> dict[str, list[str]]:
    """Field errors for templates using unknown ``{placeholders}`` or broken braces."""
    errors = _Errors()
    for name, template in fields.items():
        try:
            used = {field for _text, field, _spec, _conv in string.Formatter().parse(template)}
        except ValueError:
            errors.add(name, "alerts.rules.err.braces")
            continue
        unknown = sorted(field for field in used if field is not None and field not in PLACEHOLDERS)
        if unknown:
            errors.add(name, "alerts.rules.err.placeholder", names=", ".join(unknown))
    return errors.items
