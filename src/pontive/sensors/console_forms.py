"""The console's forms read and checked: a Thing with its place, a Datastream with its Sensor
and ObservedProperty (picked or new), flood thresholds. Each parser returns the service input
(a SensorThings ``Draft``) or field errors in the page's language; nothing is written here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from pontive.sensors import flood
from pontive.sensors.choices import FloodDatum, Quantity
from pontive.sensors.console_vocabulary import (
    OM_MEASUREMENT,
    PROPERTIES,
    REGISTRABLE,
    UNITS,
    units_for,
)
from pontive.sensors.schemas import Draft, EntitySet, Link
from pontive.web.forms import text as text  # re-exported for the console pages
from pontive.web.i18n import translate

NEW = "baru"  # the select value that asks for a new Sensor or ObservedProperty
SENSOR_ENCODINGS = (
    "text/plain",
    "text/html",
    "application/pdf",
    "http://www.opengis.net/doc/IS/SensorML/2.0",
)
MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_RETENTION_DAYS = 3650

Errors = dict[str, list[str]]


def _error(errors: Errors, name: str, key: str, lang: str, **values: object) -> None:
    errors.setdefault(name, []).append(translate(f"sensors.cc.err.{key}", lang, **values))


def _number(
    form: FormData, name: str, errors: Errors, lang: str, *, required: bool
) -> float | None:
    raw = text(form, name).replace(",", ".")
    if not raw:
        if required:
            _error(errors, name, "required", lang)
        return None
    try:
        value = float(raw)
    except ValueError:
        _error(errors, name, "number", lang)
        return None
    if not math.isfinite(value):
        _error(errors, name, "number", lang)
        return None
    return value


def _whole(form: FormData, name: str, errors: Errors, lang: str, *, high: int) -> int | None:
    value = _number(form, name, errors, lang, required=False)
    if value is None:
        return None
    if value != int(value) or not 1 <= value <= high:
        _error(errors, name, "whole", lang, high=high)
        return None
    return int(value)


@dataclass
class ThingForm:
    """A new Thing as typed: its columns, its place and its first Datastream."""

    values: dict[str, Any] = field(default_factory=dict)
    lon: float | None = None
    lat: float | None = None


def parse_thing(form: FormData, lang: str, pd_codes: set[str]) -> tuple[ThingForm, Errors]:
    """The Thing part of the registration form."""
    errors: Errors = {}
    name = text(form, "name")
    if not name:
        _error(errors, "name", "required", lang)
    elif len(name) > 200:
        _error(errors, "name", "too_long", lang, limit=200)
    pd_kode = text(form, "pd_kode") or None
    if pd_kode is not None and pd_kode not in pd_codes:
        _error(errors, "pd_kode", "choice", lang)
    minutes = _whole(form, "interval_minutes", errors, lang, high=MAX_INTERVAL_MINUTES)
    lon = _number(form, "lon", errors, lang, required=True)
    lat = _number(form, "lat", errors, lang, required=True)
    if lon is not None and not -180 <= lon <= 180:
        _error(errors, "lon", "lon", lang)
    if lat is not None and not -90 <= lat <= 90:
        _error(errors, "lat", "lat", lang)
    values = {
        "name": name,
        "description": text(form, "description"),
        "pd_kode": pd_kode,
        "expected_interval_seconds": minutes * 60 if minutes else None,
        "properties": {"registered_via": "console"},
    }
    return ThingForm(values, lon, lat), errors


def location_draft(thing: ThingForm) -> Draft:
    """The Thing's Location: a GeoJSON Point (the service resolves its kelurahan)."""
    return Draft(
        EntitySet.LOCATIONS,
        {
            "name": thing.values["name"],
            "description": f"Lokasi {thing.values['name']}",
            "encoding_type": "application/geo+json",
            "location": {"type": "Point", "coordinates": [thing.lon, thing.lat]},
        },
    )


@dataclass(frozen=True, slots=True)
class StreamForm:
    """A Datastream as typed, with what it needs to become a ``Draft``."""

    quantity: Quantity
    unit_code: str
    draft: Draft


def _sensor(form: FormData, errors: Errors, lang: str, sensor_ids: set[int]) -> Draft | Link | None:
    chosen = text(form, "ds_sensor")
    if chosen and chosen != NEW:
        if not chosen.isdigit() or int(chosen) not in sensor_ids:
            _error(errors, "ds_sensor", "choice", lang)
            return None
        return Link(EntitySet.SENSORS, int(chosen))
    name = text(form, "ds_sensor_name")
    encoding = text(form, "ds_sensor_encoding") or SENSOR_ENCODINGS[0]
    if not name:
        _error(errors, "ds_sensor_name", "required", lang)
    if encoding not in SENSOR_ENCODINGS:
        _error(errors, "ds_sensor_encoding", "choice", lang)
    values = {
        "name": name[:200],
        "description": text(form, "ds_sensor_description"),
        "encoding_type": encoding,
        "metadata_": text(form, "ds_sensor_metadata"),
    }
    return Draft(EntitySet.SENSORS, values)


def _property(
    form: FormData, errors: Errors, lang: str, quantity: Quantity | None, property_ids: set[int]
) -> Draft | Link | None:
    chosen = text(form, "ds_property")
    if chosen and chosen != NEW:
        if not chosen.isdigit() or int(chosen) not in property_ids:
            _error(errors, "ds_property", "choice", lang)
            return None
        return Link(EntitySet.OBSERVED_PROPERTIES, int(chosen))
    spec = PROPERTIES.get(quantity) if quantity else None
    name = text(form, "ds_property_name") or (quantity.label("id") if spec and quantity else "")
    definition = text(form, "ds_property_definition") or (spec.definition if spec else "")
    if not name:
        _error(errors, "ds_property_name", "required", lang)
    if not definition:
        _error(errors, "ds_property_definition", "required", lang)
    values = {
        "name": name[:200],
        "definition": definition[:500],
        "description": spec.description if spec else "",
    }
    return Draft(EntitySet.OBSERVED_PROPERTIES, values)


def parse_stream(
    form: FormData,
    lang: str,
    *,
    thing_name: str,
    sensor_ids: set[int],
    property_ids: set[int],
) -> tuple[StreamForm | None, Errors]:
    """The Datastream part of a form (``ds_*`` fields)."""
    errors: Errors = {}
    code = text(form, "ds_quantity")
    quantity = Quantity(code) if code in {q.value for q in REGISTRABLE} else None
    if quantity is None:
        _error(errors, "ds_quantity", "choice", lang)
    unit_code = text(form, "ds_unit")
    if quantity is not None and unit_code not in {u.code for u in units_for(quantity)}:
        _error(errors, "ds_unit", "unit", lang)
    retention = _whole(form, "ds_retention_days", errors, lang, high=MAX_RETENTION_DAYS)
    sensor = _sensor(form, errors, lang, sensor_ids)
    prop = _property(form, errors, lang, quantity, property_ids)
    if errors or quantity is None or sensor is None or prop is None:
        return None, errors
    label = quantity.label("id")
    values = {
        "name": (text(form, "ds_name") or f"{label} · {thing_name}")[:200],
        "description": text(form, "ds_description") or f"{label} / {quantity.label('en')}",
        "unit_of_measurement": UNITS[unit_code].as_json(),
        "observation_type": OM_MEASUREMENT,
        "quantity": quantity,
        "retention_days": retention,
    }
    draft = Draft(EntitySet.DATASTREAMS, values, {"Sensor": (sensor,), "ObservedProperty": (prop,)})
    return StreamForm(quantity, unit_code, draft), errors


def has_thresholds(form: FormData) -> bool:
    """Whether any flood threshold was typed."""
    return any(text(form, name) for name in ("th_waspada", "th_siaga", "th_awas"))


def parse_thresholds(
    form: FormData, lang: str, *, quantity: Quantity | None, unit_symbol: str | None
) -> tuple[flood.Thresholds | None, Errors]:
    """Flood thresholds (``th_*`` fields), checked against the stream they are for."""
    errors: Errors = {}
    datum_code = text(form, "th_datum")
    datum = FloodDatum(datum_code) if datum_code in FloodDatum._value2member_map_ else None
    if datum is None:
        _error(errors, "th_datum", "choice", lang)
    levels = {
        name: _number(form, f"th_{name}", errors, lang, required=True)
        for name in ("waspada", "siaga", "awas")
    }
    if errors or datum is None:
        return None, errors
    waspada, siaga, awas = (levels["waspada"] or 0.0, levels["siaga"] or 0.0, levels["awas"] or 0.0)
    found = flood.threshold_errors(
        datum=datum,
        waspada=waspada,
        siaga=siaga,
        awas=awas,
        stream_quantity=quantity,
        stream_unit=unit_symbol,
        lang=lang,
    )
    prefixed = {f"th_{name}": messages for name, messages in found.items()}
    if prefixed:
        return None, prefixed
    return flood.Thresholds(datum, waspada, siaga, awas), {}
