"""What the sensor console pages show: the device list, one device's page and the option
lists of its forms. Pages are rendered here so routes that fail validation can show the same
page again with the field errors and the values typed."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.sensors.choices import FloodDatum, Quantity
from pontive.sensors.console_forms import NEW, SENSOR_ENCODINGS
from pontive.sensors.console_gateways import list_gateway_keys
from pontive.sensors.console_vocabulary import REGISTRABLE, UNITS, units_for
from pontive.sensors.flood import SUGGESTED_THRESHOLDS, datum_unit
from pontive.sensors.models import Datastream, FloodThreshold, ObservedProperty, Sensor, Thing
from pontive.sensors.page_format import format_level, format_reading
from pontive.sensors.page_status import status_of
from pontive.sensors.page_views import load_stations
from pontive.web.templating import render

CONSOLE = "/console/sensor"
FLASH_KEYS = frozenset({"created", "stream", "thresholds", "revoked"})


def form_options(session: Session, lang: str) -> dict[str, Any]:
    """Everything the Thing and Datastream forms let staff choose from."""
    sensors = session.execute(select(Sensor.id, Sensor.name).order_by(Sensor.name, Sensor.id)).all()
    props = session.execute(
        select(ObservedProperty.id, ObservedProperty.name, ObservedProperty.definition).order_by(
            ObservedProperty.name, ObservedProperty.id
        )
    ).all()
    return {
        "quantities": [(q.value, q.label(lang)) for q in REGISTRABLE],
        "units": [(u.code, u.label(lang)) for u in UNITS.values()],
        "unit_map": {q.value: [u.code for u in units_for(q)] for q in REGISTRABLE},
        "sensors": sensors,
        "properties": props,
        "encodings": SENSOR_ENCODINGS,
        "new": NEW,
        "datums": [(d.value, d.label(lang)) for d in FloodDatum],
        "suggested": {d.value: SUGGESTED_THRESHOLDS[d] for d in FloodDatum},
        "pds": reference.list_perangkat_daerah(session=session),
    }


def list_page(request: Request, session: Session, lang: str, flash: str | None) -> Response:
    """Every registered device with its health."""
    stations = load_stations(session)
    pds = {
        pd.kode: pd.singkatan
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    rows = [
        {"station": s, "status": status_of(s, lang), "pd": pds.get(s.pd_kode or "", "")}
        for s in stations
    ]
    counts = {
        health: sum(1 for s in stations if s.health is health)
        for health in {s.health for s in stations}
    }
    return render(
        request, "sensors/console_list.html", {"rows": rows, "counts": counts, "flash": flash}
    )


def new_page(
    request: Request,
    session: Session,
    lang: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    """The registration form (empty, or again with what was typed and its errors)."""
    context = form_options(session, lang) | {
        "values": values
        or {
            "interval_minutes": "10",
            "ds_quantity": Quantity.WATER_LEVEL.value,
            "ds_unit": "cm",
            "ds_sensor": NEW,
            "ds_property": NEW,
        },
        "errors": errors or {},
    }
    response = render(request, "sensors/console_new.html", context, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _thresholds_text(row: FloodThreshold | None, lang: str) -> str:
    if row is None:
        return ""
    unit = datum_unit(row.datum)
    levels = " / ".join(format_level(v, unit, lang) for v in (row.waspada, row.siaga, row.awas))
    return f"{levels} ({row.datum.label(lang)})"


def _pd_name(session: Session, kode: str | None) -> str | None:
    if kode is None:
        return None
    pd = reference.get_perangkat_daerah(session=session, kode=kode)
    return f"{pd.singkatan} — {pd.nama}" if pd else kode


def thing_page(
    request: Request,
    session: Session,
    actor: Actor,
    lang: str,
    thing_id: int,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """One device: its streams and their thresholds, forms to add more, its gateway keys."""
    thing = session.get(Thing, thing_id)
    found = load_stations(session, thing_ids=[thing_id])
    if thing is None or not found:
        raise NotFound("Perangkat tidak ditemukan.", "Thing not found.")
    station = found[0]
    water = [s.id for s in station.streams if s.quantity is Quantity.WATER_LEVEL]
    thresholds = {
        row.datastream_id: row
        for row in session.scalars(
            select(FloodThreshold).where(FloodThreshold.datastream_id.in_(water))
        )
    }
    rows = session.execute(
        select(Datastream.id, Datastream.retention_days).where(Datastream.thing_id == thing_id)
    )
    retention = {stream_id: days for stream_id, days in rows}
    stream_rows = [
        {
            "stream": s,
            "value": format_reading(s.value, s.unit, lang, s.quantity),
            "retention": retention.get(s.id),
            "thresholds": _thresholds_text(thresholds.get(s.id), lang),
        }
        for s in station.streams
    ]
    context = form_options(session, lang) | {
        "thing": thing,
        "pd_name": _pd_name(session, thing.pd_kode),
        "stream_rows": stream_rows,
        "station": station,
        "status": status_of(station, lang),
        "thresholds": thresholds,
        "keys": list_gateway_keys(session=session, actor=actor, thing_id=thing_id),
        "values": {
            "ds_quantity": Quantity.WATER_LEVEL.value,
            "ds_unit": "cm",
            "ds_sensor": NEW,
            "ds_property": NEW,
        },
        "errors": {},
        "threshold_errors": {},
        "new_key": None,
        "flash": None,
        "sta_url": f"{request.app.state.settings.base_url.rstrip('/')}/sta/v1.1",
    }
    context.update(extra or {})
    response = render(request, "sensors/console_thing.html", context, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"  # may carry a key shown once
    return response
