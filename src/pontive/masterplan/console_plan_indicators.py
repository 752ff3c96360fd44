"""Indicators in the console: one indicator's page (``/console/masterplan/indikator/<code>``:
its Satu Data metadata, source, targets and status year by year) and the forms creating one
for a programme or an activity (``/console/masterplan/program/<code>/indikator/baru``,
``?kegiatan=<code>``) — from scratch or prefilled from a live metric (``?metrik=<key>``) —
and changing it (``masterplan.manage``; every staff role reads).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.masterplan import metrics, progress, service
from pontive.masterplan.choices import Direction, SourceKind
from pontive.masterplan.console_plan_fields import (
    Parsed,
    choices,
    indicator_input,
    input_values,
    parse_indicator,
)
from pontive.masterplan.console_plan_programmes import this_year
from pontive.masterplan.console_support import (
    CONSOLE,
    PROGRAMME,
    Errors,
    FormBody,
    flash,
    page,
    pd_names,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.models import Activity, Indicator, Programme
from pontive.masterplan.service import MANAGE, READ, IndicatorInput
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
INDICATORS = f"{CONSOLE}/indikator"
Short = Annotated[str, Query(max_length=60)]


def _owner(session: Session, indicator: Indicator) -> tuple[Programme, Activity | None]:
    """The programme of an indicator, and its activity when it measures one."""
    if indicator.activity_id is not None:
        activity = session.get(Activity, indicator.activity_id)
        if activity is None:
            raise NotFound
        return activity.programme, activity
    programme = session.get(Programme, indicator.programme_id)
    if programme is None:
        raise NotFound
    return programme, None


def target_years(
    programme: Programme, activity: Activity | None, data: IndicatorInput | None = None
) -> range:
    """The rows of targets: the owner's years, widened to any year already targeted."""
    owner = activity or programme
    years = [owner.start_year, owner.end_year, *((data.targets if data else {}) or {})]
    return range(min(years), max(years) + 1)


def indicator_form(
    request: Request,
    session: Session,
    actor: Actor,
    programme: Programme,
    activity: Activity | None,
    *,
    values: dict[str, Any],
    years: range,
    indicator: Indicator | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The indicator form (again with what was typed and its errors); with the value of
    the chosen live metric at this moment."""
    permissions.require(actor, MANAGE)
    metric = values.get("live_metric") or ""
    is_live = values.get("source_kind") == SourceKind.LIVE.value and metric in metrics.METRICS
    context = {
        "programme": programme,
        "activity": activity,
        "indicator": indicator,
        "values": values,
        "years": years,
        "errors": errors or {},
        "live_value": metrics.compute(session, metric) if is_live else None,
        "live_unit": metrics.METRICS[metric].unit if is_live else "",
        **choices(session, get_lang(request)),
    }
    template = "masterplan/plan_indicator_form.html"
    return page(request, actor, template, context, status_code=status_code, section=PROGRAMME)


def _save(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    owner: tuple[Programme, Activity | None],
    indicator: Indicator | None,
) -> Response:
    permissions.require(actor, MANAGE)
    programme, activity = owner
    years = target_years(programme, activity, indicator_input(indicator) if indicator else None)
    parsed = Parsed()
    data = parse_indicator(form, parsed, years)
    errors: Errors = {}
    try:
        saved = service.save_indicator(
            session,
            actor=actor,
            data=data,
            programme=None if indicator or activity else programme,
            activity=None if indicator else activity,
            indicator=indicator,
        )
    except InvalidInput as error:
        errors = refused(error, get_lang(request))
    if parsed.errors or errors:
        session.rollback()
        errors = (errors or {"form": []}) | parsed.errors
        return indicator_form(
            request, session, actor, programme, activity, values=typed(form), years=years,
            indicator=indicator, errors=errors, status_code=422,
        )  # fmt: skip
    session.commit()
    return redirect_ok(f"{INDICATORS}/{saved.code}", "indicator_saved")


def _activity_of(programme: Programme, code: str) -> Activity | None:
    if not code:
        return None
    found = next((a for a in programme.activities if a.code == code.upper()), None)
    if found is None:
        raise NotFound("Kegiatan tidak ditemukan.", "Activity not found.")
    return found


@router.get(PROGRAMME + "/{code}/indikator/baru", response_class=HTMLResponse)
def new_indicator(
    request: Request,
    code: str,
    session: DbSession,
    actor: CurrentActor,
    kegiatan: Short = "",
    metrik: Short = "",
) -> Response:
    """The form adding an indicator to a programme or one of its activities, prefilled from
    a live metric when one is chosen."""
    programme = service.get_programme(session, code)
    activity = _activity_of(programme, kegiatan)
    owner = activity or programme
    if metrik in metrics.METRICS:
        data = service.indicator_from_metric(metrik)
        data.definisi = metrics.METRICS[metrik].compute.__doc__ or ""
        data.frekuensi = "harian"  # recorded once a day (monitoring.record_live)
    else:
        data = IndicatorInput("", "", "", Direction.HIGHER.value, owner.pd_kode)
    data.code = (
        f"{owner.code}.I{len(service.list_indicators(session, programme_id=programme.id)) + 1}"
    )
    values = input_values(data) | {"kegiatan": activity.code if activity else ""}
    years = target_years(programme, activity)
    return indicator_form(request, session, actor, programme, activity, values=values, years=years)


@router.post(PROGRAMME + "/{code}/indikator/baru", dependencies=[CsrfChecked])
def create_indicator(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Add the indicator; its page next."""
    programme = service.get_programme(session, code)
    activity = _activity_of(programme, text(form, "kegiatan"))
    return _save(request, session, actor, form, (programme, activity), None)


@router.get(INDICATORS + "/{code}", response_class=HTMLResponse)
def show_indicator(
    request: Request, code: str, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """One indicator: metadata, source, and each year's target, value and status."""
    permissions.require(actor, READ)
    indicator = service.get_indicator(session, code)
    programme, activity = _owner(session, indicator)
    labels = choices(session, get_lang(request))
    now = this_year()
    years = sorted({t.year for t in indicator.targets} | {now})
    rows = []
    for year in years:
        status = (
            progress.statuses(session, year, [indicator])[indicator.id] if year <= now else None
        )
        if status is not None and status.is_live and year != now:
            status = None  # a live value is of this moment, not of a past year
        rows.append((year, service.target_for(indicator, year), status))
    context = {
        "indicator": indicator,
        "programme": programme,
        "activity": activity,
        "rows": rows,
        "current": next((s for y, _t, s in rows if y == now), None),
        "current_year": now,
        "metric": metrics.METRICS.get(indicator.live_metric or ""),
        "pds": pd_names(session),
        "can_manage": permissions.can(actor, MANAGE),
        "flash": flash(ok),
        "frequencies": dict(labels["frequency_options"]),
        "aggregates": dict(labels["aggregate_options"]),
    }
    return page(request, actor, "masterplan/plan_indicator.html", context, section=PROGRAMME)


@router.get(INDICATORS + "/{code}/ubah", response_class=HTMLResponse)
def edit_indicator(
    request: Request, code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The form changing an indicator."""
    indicator = service.get_indicator(session, code)
    programme, activity = _owner(session, indicator)
    data = indicator_input(indicator)
    return indicator_form(
        request, session, actor, programme, activity, values=input_values(data),
        years=target_years(programme, activity, data), indicator=indicator,
    )  # fmt: skip


@router.post(INDICATORS + "/{code}/ubah", dependencies=[CsrfChecked])
def save_indicator(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the indicator; its page next."""
    indicator = service.get_indicator(session, code)
    return _save(request, session, actor, form, _owner(session, indicator), indicator)
