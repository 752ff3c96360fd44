"""The Smart City programme in public (``/smartcity``): the six dimensions with their overall
progress and status, programmes and indicators counted, and the year's budget realised; one
dimension's page (``/smartcity/<dimensi>``) with its description and Pasal 11 priorities, its
programmes (owner agency, years, kelurahan), each indicator's target, newest verified value,
status and yearly trend, the programmes' budget planned and realised; and the published
evaluation reports (served at ``/smartcity/evaluasi/<year>.pdf`` by the evaluation pages).

Perda 9/2022 Pasal 23 and 24: the programme's results and its money, for everyone. Only
verified values count; no person is named and no evidence file is shown. Anonymous visitors
share cached copies for a few minutes (progress changes with a verification, not by the
second).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.core.errors import NotFound
from pontive.masterplan import service
from pontive.masterplan.choices import Rag
from pontive.masterplan.console_monitoring_support import this_year
from pontive.masterplan.pages_public_views import (
    Money,
    dimension_cards,
    dimension_page,
    get_dimension,
    overall,
    rupiah,
)
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PUBLIC = "/smartcity"
PUBLIC_SECONDS = 120
YearQuery = Annotated[int | None, Query(alias="tahun", ge=2000, le=2100)]


def _year(year: int | None) -> int:
    """The year shown: this year unless asked (never a future one)."""
    now = this_year()
    return min(year, now) if year else now


def _agencies(session: DbSession) -> dict[str, tuple[str, str]]:
    """Agency code → (abbreviation, full name)."""
    return {
        pd.kode: (pd.singkatan, pd.nama)
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }


@router.get(PUBLIC, response_class=HTMLResponse)
def smartcity(
    request: Request, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """The six dimensions, their progress and budget, and the published reports."""
    shown = _year(year)
    cards = dimension_cards(session, shown)
    lang = get_lang(request)
    context = {
        "year": shown,
        "this_year": this_year(),
        "cards": cards,
        "city": overall(cards),
        "money": sum((card.money for card in cards), Money()),
        "evaluations": service.published_evaluations(session),
        "rupiah": lambda amount: rupiah(amount, lang),
        "none_rag": Rag.NONE,
    }
    response = render(request, "masterplan/public_index.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get(PUBLIC + "/{kode}", response_class=HTMLResponse)
def smartcity_dimension(
    request: Request, kode: str, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """One dimension: priorities, programmes, indicators with trends, budget."""
    dimension = get_dimension(session, kode)
    if dimension is None:
        raise NotFound("Dimensi tidak ditemukan.", "Dimension not found.")
    shown = _year(year)
    lang = get_lang(request)
    context = {
        "year": shown,
        "this_year": this_year(),
        "view": dimension_page(session, dimension, shown),
        "agencies": _agencies(session),
        "dimensions": reference.list_dimensi(session=session),
        "evaluations": service.published_evaluations(session),
        "rupiah": lambda amount: rupiah(amount, lang),
        "none_rag": Rag.NONE,
    }
    response = render(request, "masterplan/public_dimension.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
