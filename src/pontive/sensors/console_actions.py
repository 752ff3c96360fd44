"""The device page's forms (``/console/sensor/<id>/…``): add a Datastream, set a water-level
stream's flood thresholds, issue or revoke a gateway key. Mounted by ``console_things.py``."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from pontive.core.errors import Conflict, DomainError, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors import flood, indices, service
from pontive.sensors.choices import Quantity
from pontive.sensors.console_forms import has_thresholds, parse_stream, parse_thresholds, text
from pontive.sensors.console_gateways import create_gateway_key, revoke_gateway_key
from pontive.sensors.console_views import CONSOLE, thing_page
from pontive.sensors.console_vocabulary import UNITS
from pontive.sensors.models import Datastream, ObservedProperty, Sensor, Thing
from pontive.sensors.schemas import Draft, EntitySet, Link
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
RECOMPUTE_DAYS = 14  # new thresholds re-read this much history into the flood status


def finish_streams(
    session: Session,
    actor: Actor,
    thing_id: int,
    limits: flood.Thresholds | None,
    stream_id: int | None = None,
) -> None:
    """After streams were added: thresholds for the water-level one, the derived index streams."""
    if limits is not None:
        query = select(Datastream.id).where(
            Datastream.thing_id == thing_id, Datastream.quantity == Quantity.WATER_LEVEL
        )
        if stream_id is not None:
            query = query.where(Datastream.id == stream_id)
        target = session.scalars(query.order_by(Datastream.id.desc())).first()
        if target is not None:
            flood.set_flood_threshold(
                session=session, actor=actor, datastream_id=target, thresholds=limits
            )
    indices.ensure_derived_datastreams(session=session, thing_id=thing_id)
    session.commit()


def _again(
    request: Request, session: Session, actor: Actor, thing_id: int, **extra: object
) -> Response:
    return thing_page(
        request, session, actor, get_lang(request), thing_id, extra=dict(extra), status_code=422
    )


@router.post("/{thing_id:int}/datastream", dependencies=[CsrfChecked])
def stream_create(
    request: Request, thing_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Add a Datastream (with a new or existing Sensor and ObservedProperty) to a device."""
    service.require_manage(actor)
    lang = get_lang(request)
    thing = session.get(Thing, thing_id)
    if thing is None:
        raise NotFound("Perangkat tidak ditemukan.", "Thing not found.")
    sensors = set(session.scalars(select(Sensor.id)))
    props = set(session.scalars(select(ObservedProperty.id)))
    stream, errors = parse_stream(
        form, lang, thing_name=thing.name, sensor_ids=sensors, property_ids=props
    )
    limits = None
    if stream is not None and has_thresholds(form):
        limits, more = parse_thresholds(
            form, lang, quantity=stream.quantity, unit_symbol=UNITS[stream.unit_code].symbol
        )
        errors |= more
    typed = {k: v for k, v in form.items() if isinstance(v, str)}
    if errors or stream is None:
        return _again(request, session, actor, thing_id, values=typed, errors=errors)
    draft = Draft(
        EntitySet.DATASTREAMS,
        stream.draft.values,
        {**stream.draft.related, "Thing": (Link(EntitySet.THINGS, thing_id),)},
    )
    try:
        created = service.create_entity(session=session, actor=actor, draft=draft)
        finish_streams(session, actor, thing_id, limits, created.id)
    except DomainError as error:
        session.rollback()
        return _again(
            request, session, actor, thing_id, values=typed, errors={"form": [error.message(lang)]}
        )
    return RedirectResponse(f"{CONSOLE}/{thing_id}?ok=stream#streams", status_code=303)


@router.post("/{thing_id:int}/ambang/{stream_id:int}", dependencies=[CsrfChecked])
def thresholds_set(
    request: Request,
    thing_id: int,
    stream_id: int,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
) -> Response:
    """Set a water-level stream's Waspada, Siaga and Awas levels; recent history is re-read."""
    service.require_manage(actor)
    lang = get_lang(request)
    stream = session.get(Datastream, stream_id)
    if stream is None or stream.thing_id != thing_id:
        raise NotFound("Datastream tidak ditemukan.", "Datastream not found.")
    unit = (stream.unit_of_measurement or {}).get("symbol")
    limits, errors = parse_thresholds(form, lang, quantity=stream.quantity, unit_symbol=unit)
    if limits is None:
        typed = {f"{stream_id}:{k}": v for k, v in form.items() if isinstance(v, str)}
        return _again(
            request,
            session,
            actor,
            thing_id,
            threshold_errors={stream_id: errors},
            threshold_values=typed,
        )
    note = text(form, "th_note")[:500]
    flood.set_flood_threshold(
        session=session,
        actor=actor,
        datastream_id=stream_id,
        thresholds=limits,
        note=note,
        lang=lang,
    )
    indices.ensure_derived_datastreams(session=session, thing_id=thing_id)
    indices.recompute_indices(
        session=session, thing_id=thing_id, since=utcnow() - timedelta(days=RECOMPUTE_DAYS)
    )
    session.commit()
    return RedirectResponse(f"{CONSOLE}/{thing_id}?ok=thresholds#streams", status_code=303)


@router.post("/{thing_id:int}/kunci", dependencies=[CsrfChecked])
def key_create(
    request: Request, thing_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Issue a gateway key for this device; the secret is shown on this one page only."""
    lang = get_lang(request)
    try:
        key, secret = create_gateway_key(
            session=session, actor=actor, thing_id=thing_id, name=text(form, "key_name")
        )
    except (InvalidInput, Conflict) as error:
        session.rollback()
        messages = [error.message(lang), *(m for ms in error.errors.values() for m in ms)]
        return _again(request, session, actor, thing_id, key_errors=messages)
    return thing_page(
        request,
        session,
        actor,
        lang,
        thing_id,
        extra={"new_key": {"name": key.name, "secret": secret}},
    )


@router.post("/{thing_id:int}/kunci/{key_id:int}/cabut", dependencies=[CsrfChecked])
def key_revoke(
    request: Request, thing_id: int, key_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Revoke one of this device's gateway keys at once."""
    revoke_gateway_key(session=session, actor=actor, thing_id=thing_id, key_id=key_id)
    return RedirectResponse(f"{CONSOLE}/{thing_id}?ok=revoked#keys", status_code=303)
