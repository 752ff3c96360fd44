"""Sensor pages: the public map and list (``/sensor``), one station (``/sensor/<id>``) with its
charts, and the staff console (``/console/sensor``, in ``console_things.py`` and friends).

Public, phone first, readable without JavaScript: the list, the statuses, the charts (SVG
drawn here) and the range links all work as plain HTML; the map and the chart read-out are
added by ``static/sensors/*.js``. Sensor data is public (``publik``), so anonymous visitors
share cached copies for a short while.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import JSONResponse, Response

from pontive.core.errors import NotFound
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import console_things
from pontive.sensors.choices import IspuCategory
from pontive.sensors.page_format import RainCategory
from pontive.sensors.page_series import Span
from pontive.sensors.page_station import station_context
from pontive.sensors.page_status import (
    LEGEND_FLOOD,
    headline,
    list_order,
    marker,
    status_of,
    summarise,
)
from pontive.sensors.page_views import Station, StationKind, load_stations
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.navigation import NavLink, register_public
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
router.include_router(console_things.router)

register_public(NavLink("/sensor", "sensors.pub.nav", "sensors.pub.nav_desc", "sensor", order=40))

PUBLIC_SECONDS = 30  # readings arrive every 10-15 minutes; half a minute of sharing is safe
ISPU_RANGES = ("0-50", "51-100", "101-200", "201-300", "≥ 301")
FilterQuery = Annotated[str | None, Query(max_length=40)]


def _chosen(
    stations: list[Station], jenis: str | None, kecamatan: str | None
) -> tuple[list[Station], dict[str, str]]:
    kind = jenis if jenis and jenis in StationKind._value2member_map_ else ""
    area = kecamatan or ""
    picked = [
        s
        for s in stations
        if (not kind or s.kind.value == kind) and (not area or s.kecamatan_kode == area)
    ]
    return picked, {"jenis": kind, "kecamatan": area}


def _kinds(stations: list[Station], lang: str) -> list[tuple[str, str, int]]:
    present = [k for k in StationKind if any(s.kind is k for s in stations)]
    return [("", translate("sensors.pub.all", lang), len(stations))] + [
        (
            k.value,
            translate(f"sensors.pub.kind.{k.value}", lang),
            sum(s.kind is k for s in stations),
        )
        for k in present
    ]


@router.get("/sensor")
def sensor_map(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    jenis: FilterQuery = None,
    kecamatan: FilterQuery = None,
) -> Response:
    """Every station on a map and in a list, with the city's flood, air and rain summary."""
    lang = get_lang(request)
    stations = load_stations(session)
    picked, chosen = _chosen(stations, jenis, kecamatan)
    summary = summarise(stations)
    worst = summary.worst_ispu
    context: dict[str, Any] = {
        "rows": [
            {"station": s, "status": status_of(s, lang), "headline": headline(s, lang)}
            for s in sorted(picked, key=list_order)
        ],
        "summary": summary,
        "worst": {"station": worst, "status": status_of(worst, lang)} if worst else None,
        "rain_total": sum(1 for s in stations if s.kind is StationKind.RAIN),
        "kinds": _kinds(stations, lang),
        "chosen": chosen,
        "query": urlencode({k: v for k, v in chosen.items() if v}),
        "kecamatan": reference.list_kecamatan(session=session),
        "flood_statuses": LEGEND_FLOOD,
        "ispu_categories": list(IspuCategory),
        "rain_categories": list(RainCategory),
    }
    response = render(request, "sensors/public_map.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/sensor/peta.json")
def sensor_markers(
    request: Request, session: DbSession, jenis: FilterQuery = None, kecamatan: FilterQuery = None
) -> Response:
    """The map's markers for the list's filters (stations without a place are left out)."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    picked, _chosen_filters = _chosen(load_stations(session), jenis, kecamatan)
    items = [marker(s, lang, zone) for s in picked if s.lon is not None and s.lat is not None]
    return JSONResponse(
        {"items": items}, headers={"Cache-Control": f"public, max-age={PUBLIC_SECONDS}"}
    )


def _station(session: DbSession, thing_id: int) -> Station:
    found = load_stations(session, thing_ids=[thing_id])
    if not found:
        raise NotFound("Stasiun sensor tidak ditemukan.", "Sensor station not found.")
    return found[0]


def _span(rentang: str | None) -> Span:
    return Span(rentang) if rentang and rentang in Span._value2member_map_ else Span.DAY


@router.get("/sensor/{thing_id:int}")
def station_page(
    request: Request,
    thing_id: int,
    session: DbSession,
    actor: CurrentActor,
    rentang: FilterQuery = None,
) -> Response:
    """One station: its status explained, latest readings and charts over a day, week or month."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    station = _station(session, thing_id)
    context = station_context(session, station, _span(rentang), now=utcnow(), lang=lang, zone=zone)
    context |= {"ispu_categories": list(IspuCategory), "ispu_ranges": ISPU_RANGES}
    response = render(request, "sensors/station.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/sensor/{thing_id:int}/grafik")
def station_charts(
    request: Request,
    thing_id: int,
    session: DbSession,
    actor: CurrentActor,
    rentang: FilterQuery = None,
) -> Response:
    """The station's charts alone (an HTML fragment), for the range switcher."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    station = _station(session, thing_id)
    context = station_context(session, station, _span(rentang), now=utcnow(), lang=lang, zone=zone)
    response = render(request, "sensors/_charts.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
