"""Aware datetimes only: stored in UTC, shown in the city's zone (WIB)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Pontianak")


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; naive values are refused because their zone is unknown."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware value")
    return value.astimezone(UTC)


def to_local(value: datetime, zone: ZoneInfo = WIB) -> datetime:
    """Convert an aware instant to the display zone."""
    return as_utc(value).astimezone(zone)


def format_local(value: datetime | None, zone: ZoneInfo = WIB, *, with_zone: bool = True) -> str:
    """Format an instant as the city reads it, e.g. ``29-11-2026 18:05 WIB``."""
    if value is None:
        return "-"
    local = to_local(value, zone)
    text = local.strftime("%d-%m-%Y %H:%M")
    return f"{text} {local.tzname()}" if with_zone else text
