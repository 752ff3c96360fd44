"""Checks and conversions of SensorThings property values (times, text, JSON, GeoJSON).

Times are ISO 8601 with a zone (``2026-11-29T10:00:00+07:00``, ``…Z``, ``…-0700``); a time
without a zone is refused rather than guessed. A TM_Period is ``start/end``. GeoJSON is
checked with shapely, and a representative point (the point itself for a Point) gives the
longitude and latitude Pontive keeps beside every Location for maps and its kelurahan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import shape

from pontive.sensors.sta_errors import bad_request

GEOJSON_TYPES = frozenset({"application/geo+json", "application/vnd.geo+json"})


def as_text(value: Any, where: str, *, limit: int | None = None) -> str:
    """A string (at most ``limit`` characters)."""
    if not isinstance(value, str):
        raise bad_request(f"{where}: must be a string.")
    if limit is not None and len(value) > limit:
        raise bad_request(f"{where}: at most {limit} characters.")
    return value


def as_json_object(value: Any, where: str) -> dict[str, Any]:
    """A JSON object."""
    if not isinstance(value, Mapping):
        raise bad_request(f"{where}: must be a JSON object.")
    return dict(value)


def parse_instant(text: str, where: str) -> datetime:
    """An aware UTC datetime from ISO 8601 text with a zone."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise bad_request(f"{where}: {text!r} is not an ISO 8601 time.") from None
    if instant.tzinfo is None:
        raise bad_request(f"{where}: {text!r} has no time zone (add Z or an offset).")
    return instant.astimezone(UTC)


def as_instant(value: Any, where: str) -> datetime:
    """A TM_Instant."""
    if not isinstance(value, str):
        raise bad_request(f"{where}: must be an ISO 8601 time string.")
    return parse_instant(value, where)


def as_interval(value: Any, where: str) -> tuple[datetime, datetime] | None:
    """A TM_Period ``start/end`` (an instant counts as a period of no length); null allowed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{where}: must be an ISO 8601 interval 'start/end'.")
    parts = value.split("/")
    if len(parts) > 2:
        raise bad_request(f"{where}: {value!r} is not an ISO 8601 interval.")
    start = parse_instant(parts[0], where)
    end = parse_instant(parts[-1], where)
    if end < start:
        raise bad_request(f"{where}: the interval ends before it starts.")
    return start, end


def as_geojson(values: Mapping[str, Any], column: str, where: str) -> None:
    """Check that ``values[column]`` is GeoJSON when ``encoding_type`` says it is."""
    encoding = values.get("encoding_type", "application/geo+json")
    if encoding not in GEOJSON_TYPES:
        return
    representative_point(values[column], f"{where}.{column}" if where else column)


def representative_point(document: Any, where: str) -> tuple[float, float]:
    """(lon, lat) of a GeoJSON geometry or Feature: the point itself, or a point inside."""
    geometry = document.get("geometry") if document.get("type") == "Feature" else document
    if not isinstance(geometry, Mapping):
        raise bad_request(f"{where}: a GeoJSON Feature needs a geometry.")
    try:
        parsed = shape(geometry)
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise bad_request(f"{where}: not valid GeoJSON ({error}).") from None
    if parsed.is_empty:
        raise bad_request(f"{where}: the geometry is empty.")
    point = parsed if parsed.geom_type == "Point" else parsed.representative_point()
    lon, lat = float(point.x), float(point.y)
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise bad_request(f"{where}: coordinates must be WGS84 longitude, latitude.")
    return lon, lat
