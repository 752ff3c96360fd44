"""What a firing rule knows about its trigger, and the alert text filled from it.

Station facts (name, unit, kelurahan, last seen) come from the sensors service.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts.choices import ResponseType
from pontive.alerts.models import AlertRule
from pontive.alerts.rules_params import TEMPLATE_FIELDS
from pontive.alerts.service import AlertContent, kelurahan_names
from pontive.core.choices import LabelledChoice
from pontive.core.timeutil import format_local


def format_number(value: float | None, lang: str) -> str:
    """A reading as people write it: ``2,35`` in Indonesian, ``2.35`` in English."""
    if value is None or math.isnan(value):
        return "-"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "id" else text


class _Values(dict[str, str]):
    """A placeholder not known for this trigger stays visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(value: Any, lang: str) -> str:
    if isinstance(value, LabelledChoice):
        return value.label(lang)
    if isinstance(value, datetime):
        return format_local(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value, lang)
    return str(value)


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """``template`` with its ``{placeholders}`` filled in ``lang``."""
    rendered = _Values({name: _render(value, lang) for name, value in values.items()})
    try:
        return string.Formatter().vformat(template, (), rendered)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template  # a template saved before validation existed: show it as written


def rule_content(
    session: Session,
    rule: AlertRule,
    values: Mapping[str, Any],
    kelurahan_kodes: Sequence[str],
    **overrides: Any,
) -> AlertContent:
    """The alert a firing of ``rule`` drafts, its text filled from the trigger's ``values``
    (``overrides``: content fields the trigger decides, e.g. a severity per level)."""
    names = kelurahan_names(session)
    values = {"kelurahan": ", ".join(names.get(k, k) for k in kelurahan_kodes), **values}
    texts = {name: fill(getattr(rule, name), values, name[-2:]) for name in TEMPLATE_FIELDS}
    fields: dict[str, Any] = {
        "category": rule.cap_category,
        "urgency": rule.urgency,
        "severity": rule.severity,
        "certainty": rule.certainty,
        "response_type": _response_type(rule.response_type),
        "kelurahan_kodes": tuple(kelurahan_kodes),
        **texts,
        **overrides,
    }
    return AlertContent(**fields)


def _response_type(value: str | None) -> ResponseType | None:
    try:
        return ResponseType(value) if value else None
    except ValueError:  # a value stored before validation: the message goes without one
        return None
