"""Programmes and activities in the console (``/console/masterplan/program``): the tree
dimension → Pasal 11 priority → programme → activities, each with its progress and its
indicators' red/amber/green status in a year; one programme's page; the forms creating and
changing programmes and activities (``masterplan.manage``; every staff role reads).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import progress, service, versions
from pontive.masterplan.choices import Rag
from pontive.masterplan.console_plan_fields import (
    Parsed,
    activity_values,
    choices,
    chosen,
    parse_activity,
    parse_programme,
    programme_values,
)
from pontive.masterplan.console_support import (
    PROGRAMME,
    Errors,
    FormBody,
    flash,
    kelurahan_names,
    page,
    pd_names,
    redirect_ok,
    refused,
    typed,
)
from pontive.masterplan.models import Activity, Indicator, Programme
from pontive.masterplan.progress import IndicatorStatus, Node
from pontive.masterplan.service import MANAGE, READ
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
Short = Annotated[str, Query(max_length=40)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def this_year() -> int:
    """The current year in the city's time."""
    return utcnow().astimezone(WIB).year


def year_choices(session: Session) -> range:
    """The years of the masterplan in use (ten from this year when there is none yet)."""
    masterplan = versions.current_masterplan(session)
    if masterplan is None:
        return range(this_year(), this_year() + versions.PERIOD_YEARS)
    return range(masterplan.start_year, masterplan.end_year + 1)


@dataclass(slots=True)
class Row:
    """A programme or an activity with its progress and its own indicators' status."""

    item: Programme | Activity
    node: Node | None
    indicators: list[tuple[Indicator, IndicatorStatus | None]]
    children: list[Row] = field(default_factory=list)


def _rows(
    programmes: list[Programme], indicators: list[Indicator], nodes: dict[str, Node]
) -> list[Row]:
    found = {s.indicator.id: s for n in nodes.values() for s in n.indicators}
    by_programme: dict[int, list[Indicator]] = defaultdict(list)
    by_activity: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.activity_id is not None:
            by_activity[indicator.activity_id].append(indicator)
        elif indicator.programme_id is not None:
            by_programme[indicator.programme_id].append(indicator)

    def pairs(owned: list[Indicator]) -> list[tuple[Indicator, IndicatorStatus | None]]:
        return [(i, found.get(i.id)) for i in owned]

    return [
        Row(
            programme,
            nodes.get(programme.code),
            pairs(by_programme[programme.id]),
            [Row(a, nodes.get(a.code), pairs(by_activity[a.id])) for a in programme.activities],
        )
        for programme in programmes
    ]


def _nodes(tree: list[Node]) -> dict[str, Node]:
    """Every programme and activity node of the tree by code (dimensions apart)."""
    return {n.key: n for d in tree for p in d.children for n in (p, *p.children)}


@router.get(PROGRAMME, response_class=HTMLResponse)
def programme_tree(
    request: Request, session: DbSession, actor: CurrentActor, tahun: Year = None, ok: Short = ""
) -> Response:
    """Dimensions → priorities → programmes → activities, with progress in ``tahun``."""
    permissions.require(actor, READ)
    year = tahun or this_year()
    tree = progress.tree(session, year)
    nodes = _nodes(tree)
    programmes = service.list_programmes(session)
    rows = dict(
        zip(programmes, _rows(programmes, service.list_indicators(session), nodes), strict=True)
    )
    dimensions = []
    for dimension, dim_node in zip(reference.list_dimensi(session=session), tree, strict=True):
        mine = [p for p in programmes if p.dimensi_kode == dimension.kode]
        groups = [
            (priority, [rows[p] for p in mine if p.prioritas_kode == priority.kode])
            for priority in dimension.prioritas
        ]
        loose = [rows[p] for p in mine if not p.prioritas_kode]
        dimensions.append((dimension, dim_node, groups, loose))
    rags: dict[Rag, int] = {rag: 0 for rag in Rag}
    for node in nodes.values():
        for status in node.indicators:
            rags[status.rag] += 1
    context = {
        "year": year,
        "years": year_choices(session),
        "dimensions": dimensions,
        "rags": rags,
        "pds": pd_names(session),
        "can_manage": permissions.can(actor, MANAGE),
        "flash": flash(ok),
    }
    return page(request, actor, "masterplan/plan_programmes.html", context)


def programme_form(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any],
    kelurahan: list[str],
    programme: Programme | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The form creating or changing a programme (again with what was typed and its errors)."""
    permissions.require(actor, MANAGE)
    context = {
        "programme": programme,
        "values": values,
        "kelurahan": kelurahan,
        "errors": errors or {},
        **choices(session, get_lang(request)),
    }
    template = "masterplan/plan_programme_form.html"
    return page(request, actor, template, context, status_code=status_code, section=PROGRAMME)


def _save_programme(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    programme: Programme | None,
) -> Response:
    permissions.require(actor, MANAGE)
    parsed = Parsed()
    data = parse_programme(form, parsed)
    errors: Errors = {}
    try:
        saved = service.save_programme(session, actor=actor, data=data, programme=programme)
    except InvalidInput as error:
        errors = refused(error, get_lang(request))
    if parsed.errors or errors:
        session.rollback()
        errors = (errors or {"form": []}) | parsed.errors
        return programme_form(
            request, session, actor, values=typed(form), programme=programme, errors=errors,
            kelurahan=chosen(form, "kelurahan_kodes", []), status_code=422,
        )  # fmt: skip
    session.commit()
    return redirect_ok(f"{PROGRAMME}/{saved.code}", "programme_saved")


@router.get(f"{PROGRAMME}/baru", response_class=HTMLResponse)
def new_programme(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The form creating a programme."""
    years = year_choices(session)
    values = {"start_year": str(years[0]), "end_year": str(years[-1]), "weight": "1"}
    return programme_form(request, session, actor, values=values, kelurahan=[])


@router.post(f"{PROGRAMME}/baru", dependencies=[CsrfChecked])
def create_programme(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Create the programme; its page next."""
    return _save_programme(request, session, actor, form, None)


@router.get(PROGRAMME + "/{code}", response_class=HTMLResponse)
def show_programme(
    request: Request,
    code: str,
    session: DbSession,
    actor: CurrentActor,
    tahun: Year = None,
    ok: Short = "",
) -> Response:
    """One programme: facts, activities and indicators with their status in ``tahun``."""
    permissions.require(actor, READ)
    programme = service.get_programme(session, code)
    year = tahun or this_year()
    indicators = service.list_indicators(session, programme_id=programme.id)
    found = progress.statuses(session, year, indicators)
    dimension = next(
        d for d in reference.list_dimensi(session=session) if d.kode == programme.dimensi_kode
    )
    priority = next((p for p in dimension.prioritas if p.kode == programme.prioritas_kode), None)
    context = {
        "programme": programme,
        "dimension": dimension,
        "priority": priority,
        "year": year,
        "years": year_choices(session),
        "own": [(i, found[i.id]) for i in indicators if i.activity_id is None],
        "by_activity": {
            a.id: [(i, found[i.id]) for i in indicators if i.activity_id == a.id]
            for a in programme.activities
        },
        "pds": pd_names(session),
        "kelurahan_names": kelurahan_names(session),
        "can_manage": permissions.can(actor, MANAGE),
        "flash": flash(ok),
    }
    return page(request, actor, "masterplan/plan_programme.html", context, section=PROGRAMME)


@router.get(PROGRAMME + "/{code}/ubah", response_class=HTMLResponse)
def edit_programme(
    request: Request, code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The form changing a programme."""
    programme = service.get_programme(session, code)
    return programme_form(
        request, session, actor, values=programme_values(programme), programme=programme,
        kelurahan=list(programme.kelurahan_kodes or []),
    )  # fmt: skip


@router.post(PROGRAMME + "/{code}/ubah", dependencies=[CsrfChecked])
def save_programme(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the programme; its page next."""
    return _save_programme(request, session, actor, form, service.get_programme(session, code))


# --- activities ------------------------------------------------------------------------------


def _activity(programme: Programme, code: str) -> Activity:
    activity = next((a for a in programme.activities if a.code == code.upper()), None)
    if activity is None:
        raise NotFound("Kegiatan tidak ditemukan.", "Activity not found.")
    return activity


def activity_form(
    request: Request,
    session: Session,
    actor: Actor,
    programme: Programme,
    *,
    values: dict[str, Any],
    kelurahan: list[str],
    activity: Activity | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The form creating or changing an activity of ``programme``."""
    permissions.require(actor, MANAGE)
    context = {
        "programme": programme,
        "activity": activity,
        "values": values,
        "kelurahan": kelurahan,
        "errors": errors or {},
        **choices(session, get_lang(request)),
    }
    template = "masterplan/plan_activity_form.html"
    return page(request, actor, template, context, status_code=status_code, section=PROGRAMME)


def _save_activity(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    programme: Programme,
    activity: Activity | None,
) -> Response:
    permissions.require(actor, MANAGE)
    parsed = Parsed()
    data = parse_activity(form, parsed)
    errors: Errors = {}
    try:
        service.save_activity(
            session, actor=actor, programme=programme, data=data, activity=activity
        )
    except InvalidInput as error:
        errors = refused(error, get_lang(request))
    if parsed.errors or errors:
        session.rollback()
        errors = (errors or {"form": []}) | parsed.errors
        return activity_form(
            request, session, actor, programme, values=typed(form), activity=activity,
            errors=errors, kelurahan=chosen(form, "kelurahan_kodes", []), status_code=422,
        )  # fmt: skip
    session.commit()
    return redirect_ok(f"{PROGRAMME}/{programme.code}", "activity_saved")


@router.get(PROGRAMME + "/{code}/kegiatan/baru", response_class=HTMLResponse)
def new_activity(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """The form adding an activity to a programme (its agency and years to start with)."""
    programme = service.get_programme(session, code)
    values = {
        "code": f"{programme.code}.{len(programme.activities) + 1:02d}",
        "pd_kode": programme.pd_kode,
        "start_year": str(programme.start_year),
        "end_year": str(programme.end_year),
        "weight": "1",
    }
    return activity_form(request, session, actor, programme, values=values, kelurahan=[])


@router.post(PROGRAMME + "/{code}/kegiatan/baru", dependencies=[CsrfChecked])
def create_activity(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Add the activity; the programme's page next."""
    programme = service.get_programme(session, code)
    return _save_activity(request, session, actor, form, programme, None)


@router.get(PROGRAMME + "/{code}/kegiatan/{activity_code}/ubah", response_class=HTMLResponse)
def edit_activity(
    request: Request, code: str, activity_code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The form changing an activity."""
    programme = service.get_programme(session, code)
    activity = _activity(programme, activity_code)
    return activity_form(
        request, session, actor, programme, values=activity_values(activity), activity=activity,
        kelurahan=list(activity.kelurahan_kodes or []),
    )  # fmt: skip


@router.post(PROGRAMME + "/{code}/kegiatan/{activity_code}/ubah", dependencies=[CsrfChecked])
def save_activity(
    request: Request,
    code: str,
    activity_code: str,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
) -> Response:
    """Save the activity; the programme's page next."""
    programme = service.get_programme(session, code)
    activity = _activity(programme, activity_code)
    return _save_activity(request, session, actor, form, programme, activity)
