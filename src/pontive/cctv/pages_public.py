"""The public CCTV map (``/cctv``) and the coverage table (``/cctv/cakupan``).

Perda 9/2022 Pasal 17c: the city's cameras that are shared publicly, on a map coloured by
health and in a list that works without JavaScript, with the call to citizens and businesses
to connect theirs (Pasal 22d). Anonymous visitors share cached copies for a short while;
an owner's pause or withdrawal clears them at once (``cctv.camera_changed``, ``pages.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from starlette.responses import JSONResponse, Response

from pontive.cctv import coverage, service
from pontive.cctv.choices import Health, OwnerType, Purpose
from pontive.cctv.pages_support import PUBLIC_SECONDS, camera_card, marker, place_names
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

COVERAGE_SECONDS = 300  # aggregates move slowly
PurposeQuery = Annotated[str | None, Query(max_length=40)]


def _purpose(tujuan: str | None) -> Purpose | None:
    if tujuan is None or tujuan not in Purpose._value2member_map_:
        return None
    return Purpose(tujuan)


@router.get("/cctv")
def camera_map(
    request: Request, session: DbSession, actor: CurrentActor, tujuan: PurposeQuery = None
) -> Response:
    """Every public camera on a map and in a list, with the call to connect one's own."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    places = place_names(session)
    cameras = service.list_public(session)
    chosen = _purpose(tujuan)
    cards = [camera_card(c, lang=lang, places=places, zone=zone) for c in cameras]
    shown = [card for card in cards if chosen is None or card.purpose is chosen]
    context = {
        "cards": shown,
        "total": len(cards),
        "online": sum(1 for card in cards if card.health is Health.ONLINE),
        "troubled": sum(1 for card in cards if card.health in (Health.DEGRADED, Health.OFFLINE)),
        "contributed": sum(1 for card in cards if card.owner_type.is_contributed),
        "purposes": [(p, sum(1 for c in cards if c.purpose is p)) for p in Purpose],
        "chosen": chosen,
        "healths": list(Health),
        "owner_types": (OwnerType.WARGA, OwnerType.USAHA),
    }
    response = render(request, "cctv/public_map.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/cctv/peta.json")
def camera_markers(request: Request, session: DbSession, tujuan: PurposeQuery = None) -> Response:
    """The map's markers (the list's filter applies)."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    places, chosen = place_names(session), _purpose(tujuan)
    items = [
        marker(camera_card(camera, lang=lang, places=places, zone=zone), lang)
        for camera in service.list_public(session)
        if chosen is None or camera.purpose is chosen
    ]
    return JSONResponse(
        {"items": items}, headers={"Cache-Control": f"public, max-age={PUBLIC_SECONDS}"}
    )


@dataclass(frozen=True, slots=True)
class Totals:
    """The city's sums of the coverage table."""

    kelurahan: int
    watched: int  # kelurahan with at least one active camera
    cameras: int
    online: int


def percent(share: float | None, lang: str) -> str:
    """``12,5 %`` in Bahasa Indonesia, ``12.5 %`` in English; an en dash when unknown."""
    if share is None:
        return "\u2013"
    text = f"{share * 100:.1f}"
    return f"{text if lang == 'en' else text.replace('.', ',')} %"


@router.get("/cctv/cakupan")
def coverage_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Active cameras, how many online, and the ground in view, per kelurahan (aggregates)."""
    lang = get_lang(request)
    rows = coverage.coverage_by_kelurahan(session)
    groups: dict[str, list[coverage.KelurahanCoverage]] = {}
    for row in rows:
        groups.setdefault(row.kecamatan, []).append(row)
    totals = Totals(
        kelurahan=len(rows),
        watched=sum(1 for row in rows if row.cameras),
        cameras=sum(row.cameras for row in rows),
        online=sum(row.online for row in rows),
    )
    context = {
        "groups": groups,
        "totals": totals,
        "has_estimate": any(row.coverage is not None for row in rows),
        "percent": lambda share: percent(share, lang),
        "radius": int(coverage.VIEW_RADIUS_M),
    }
    response = render(request, "cctv/public_coverage.html", context)
    return share_with_anonymous(actor, response, COVERAGE_SECONDS)
