"""The sensor console (``/console/sensor``): the device list, registering a device with its
place and first Datastream, and one device's page. Adding Datastreams, thresholds and gateway
keys is in ``console_actions.py``.

Every post is checked for CSRF; a refused form comes back with its field errors and what was
typed. Entities are created by the sensors service (one SensorThings deep insert), thresholds
by ``flood.set_flood_threshold``, derived index streams by ``indices``: each is audited there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core.errors import DomainError
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.sensors import console_actions, flood, service
from pontive.sensors.console_forms import (
    has_thresholds,
    location_draft,
    parse_stream,
    parse_thing,
    parse_thresholds,
)
from pontive.sensors.console_views import CONSOLE, FLASH_KEYS, list_page, new_page, thing_page
from pontive.sensors.console_vocabulary import UNITS
from pontive.sensors.models import ObservedProperty, Sensor
from pontive.sensors.schemas import Draft, EntitySet
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

register_console(
    NavLink(
        CONSOLE,
        "sensors.cc.card",
        "sensors.cc.card_desc",
        "sensor",
        service.SENSORS_MANAGE,
        order=30,
    )
)


def _flash(ok: str | None) -> str | None:
    return ok if ok in FLASH_KEYS else None


@router.get("", response_class=HTMLResponse)
def device_list(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Every registered device with its health and latest report."""
    service.require_manage(actor)
    return list_page(request, session, get_lang(request), _flash(ok))


@router.get("/baru", response_class=HTMLResponse)
def device_new(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The form to register a device."""
    service.require_manage(actor)
    return new_page(request, session, get_lang(request))


def _ids(session: Session) -> tuple[set[int], set[int]]:
    sensors = set(session.scalars(select(Sensor.id)))
    props = set(session.scalars(select(ObservedProperty.id)))
    return sensors, props


def _typed(form: FormData) -> dict[str, str]:
    return {
        key: value for key, value in form.items() if isinstance(value, str) and key != "csrf_token"
    }


@router.post("/baru", dependencies=[CsrfChecked])
def device_create(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Register a device: Thing, Location and first Datastream at once, then its thresholds."""
    service.require_manage(actor)
    lang = get_lang(request)
    pds = {pd.kode for pd in reference.list_perangkat_daerah(session=session)}
    thing, errors = parse_thing(form, lang, pds)
    sensors, props = _ids(session)
    stream, stream_errors = parse_stream(
        form, lang, thing_name=thing.values["name"], sensor_ids=sensors, property_ids=props
    )
    errors |= stream_errors
    limits = None
    if stream is not None and has_thresholds(form):
        limits, threshold_errors = parse_thresholds(
            form, lang, quantity=stream.quantity, unit_symbol=UNITS[stream.unit_code].symbol
        )
        errors |= threshold_errors
    if errors or stream is None:
        return new_page(request, session, lang, values=_typed(form), errors=errors, status_code=422)
    try:
        thing_id = _register(
            session, actor, thing.values, location_draft(thing), stream.draft, limits
        )
    except DomainError as error:
        session.rollback()
        problem = {"form": [error.message(lang), *(m for ms in error.errors.values() for m in ms)]}
        return new_page(
            request, session, lang, values=_typed(form), errors=problem, status_code=422
        )
    return RedirectResponse(f"{CONSOLE}/{thing_id}?ok=created", status_code=303)


def _register(
    session: Session,
    actor: Actor,
    values: dict[str, object],
    location: Draft,
    stream: Draft,
    limits: flood.Thresholds | None,
) -> int:
    draft = Draft(EntitySet.THINGS, values, {"Locations": (location,), "Datastreams": (stream,)})
    created = service.create_entity(session=session, actor=actor, draft=draft)
    console_actions.finish_streams(session, actor, created.id, limits)
    return created.id


@router.get("/{thing_id:int}", response_class=HTMLResponse)
def device_page(
    request: Request,
    thing_id: int,
    session: DbSession,
    actor: CurrentActor,
    ok: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """One device: streams, thresholds, gateway keys, and forms to add to them."""
    service.require_manage(actor)
    return thing_page(
        request, session, actor, get_lang(request), thing_id, extra={"flash": _flash(ok)}
    )


router.include_router(console_actions.router)
