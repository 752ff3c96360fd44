"""Budget lines in the console (``/console/anggaran/baris``): the year's lines filtered by
agency, category, source and programme with their totals; the new line form; a line's page
with its quarters, its edit form (the technical team) and the form to report a quarter's
realisation (the owning agency's officers and the technical team).

A PD officer's list opens on its own agency's lines (it may clear the filter to read the
others'); a refused form comes back with what was typed and the problems by field (422).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.budget import service
from pontive.budget.console_forms import (
    line_input,
    line_values,
    new_line_values,
    realisation_input,
    realisation_values,
)
from pontive.budget.console_support import (
    LINES,
    NEW_LINE,
    PROGRAMME_PAGE,
    activity_groups,
    category_options,
    chosen_year,
    flash,
    page,
    pd_options,
    programme_options,
    source_options,
)
from pontive.budget.models import BudgetLine
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.masterplan import service as masterplan
from pontive.masterplan.models import Activity, Programme
from pontive.masterplan.service import BUDGET_MANAGE, BUDGET_REPORT, READ
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import Errors, FormBody, pd_names, redirect_ok, refused, typed
from pontive.web.routing import PontiveRouter

Filter = Annotated[str, Query(max_length=40)]

router = PontiveRouter(include_in_schema=False)


def _programmes(session: Session) -> dict[int, Programme]:
    return {p.id: p for p in masterplan.list_programmes(session)}


def _filtered(
    lines: list[BudgetLine], filters: dict[str, str], programmes: dict[int, Programme]
) -> list[BudgetLine]:
    by_code = {p.code: p.id for p in programmes.values()}
    return [
        line
        for line in lines
        if (not filters["category"] or line.category.value == filters["category"])
        and (not filters["source"] or line.source.value == filters["source"])
        and (not filters["programme"] or line.programme_id == by_code.get(filters["programme"]))
    ]


@router.get(LINES, response_class=HTMLResponse)
def line_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    year: Filter = "",
    pd: Filter | None = None,
    category: Filter = "",
    source: Filter = "",
    programme: Filter = "",
    ok: Filter = "",
) -> Response:
    """The year's lines, filtered, with their totals."""
    permissions.require(actor, READ)
    lang = get_lang(request)
    chosen, years = chosen_year(session, year)
    if pd is None and actor.role is Role.PETUGAS_PD:
        pd = actor.pd_kode or ""  # a PD officer starts with its own agency's lines
    filters = {
        "pd": pd or "",
        "category": category,
        "source": source,
        "programme": programme.upper(),
    }
    programmes = _programmes(session)
    lines = service.list_lines(session, year=chosen, pd_kode=filters["pd"] or None)
    rows = _filtered(lines, filters, programmes)
    context = {
        "year": chosen,
        "years": years,
        "rows": [(line, service.totals([line])) for line in rows],
        "total": service.totals(rows),
        "pds": pd_names(session),
        "filters": filters,
        "is_filtered": any(filters.values()),
        "programmes": programmes,
        "pd_options": pd_options(session),
        "category_options": category_options(lang),
        "source_options": source_options(lang),
        "programme_options": programme_options(list(programmes.values())),
        "can_manage": permissions.can(actor, BUDGET_MANAGE),
        "flash": flash(ok),
    }
    return page(request, actor, "budget/lines.html", context)


def _form_context(session: Session, lang: str) -> dict[str, Any]:
    programmes = masterplan.list_programmes(session)
    return {
        "pds": pd_names(session),
        "pd_options": pd_options(session),
        "category_options": category_options(lang),
        "source_options": source_options(lang),
        "programme_options": programme_options(programmes),
        "activities": activity_groups(programmes),
    }


@router.get(NEW_LINE, response_class=HTMLResponse)
def new_line(
    request: Request, session: DbSession, actor: CurrentActor, year: Filter = ""
) -> Response:
    """The form of a new line (the technical team)."""
    permissions.require(actor, BUDGET_MANAGE)
    chosen, _years = chosen_year(session, year)
    context = {"values": new_line_values(chosen), **_form_context(session, get_lang(request))}
    return page(request, actor, "budget/line_new.html", context)


@router.post(NEW_LINE, dependencies=[CsrfChecked])
def create_line(
    request: Request, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Add a line; back to the form with the problems when refused."""
    permissions.require(actor, BUDGET_MANAGE)
    lang = get_lang(request)
    data, errors = line_input(session, form, lang)
    if not errors:
        try:
            line = service.save_line(session, actor=actor, data=data)
        except InvalidInput as error:
            errors = refused(error, lang)
        else:
            session.commit()
            return redirect_ok(f"{LINES}/{line.id}", "line_saved")
    context = {"values": typed(form), "errors": errors, **_form_context(session, lang)}
    return page(request, actor, "budget/line_new.html", context, status_code=422)


def _line_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    line: BudgetLine,
    *,
    edit: tuple[dict[str, str], Errors] | None = None,
    report: tuple[dict[str, str], Errors] | None = None,
    ok: str = "",
) -> Response:
    lang = get_lang(request)
    programme = session.get(Programme, line.programme_id) if line.programme_id else None
    activity = session.get(Activity, line.activity_id) if line.activity_id else None
    context = {
        "line": line,
        "total": service.totals([line]),
        "programme": programme,
        "activity": activity,
        "programme_page": PROGRAMME_PAGE,
        "can_manage": permissions.can(actor, BUDGET_MANAGE),
        "can_report": permissions.can(actor, BUDGET_REPORT, owner_pd=line.pd_kode),
        "values": edit[0] if edit else line_values(session, line),
        "errors": edit[1] if edit else {},
        "report_values": report[0] if report else realisation_values(line),
        "report_errors": report[1] if report else {},
        "flash": flash(ok),
        **_form_context(session, lang),
    }
    status = 422 if (edit and edit[1]) or (report and report[1]) else 200
    return page(request, actor, "budget/line.html", context, status_code=status)


@router.get(LINES + "/{line_id}", response_class=HTMLResponse)
def line_page(
    request: Request, line_id: int, session: DbSession, actor: CurrentActor, ok: Filter = ""
) -> Response:
    """A line: its quarters, and the forms the actor may use."""
    permissions.require(actor, READ)
    return _line_page(request, session, actor, service.get_line(session, line_id), ok=ok)


@router.post(LINES + "/{line_id}", dependencies=[CsrfChecked])
def update_line(
    request: Request, line_id: int, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Save the edit form (the technical team)."""
    permissions.require(actor, BUDGET_MANAGE)
    lang = get_lang(request)
    line = service.get_line(session, line_id)
    data, errors = line_input(session, form, lang)
    if not errors:
        try:
            service.save_line(session, actor=actor, data=data, line=line)
        except InvalidInput as error:  # the code is taken that year
            errors = refused(error, lang)
        else:
            session.commit()
            return redirect_ok(f"{LINES}/{line.id}", "line_saved")
    return _line_page(request, session, actor, line, edit=(typed(form), errors))


@router.post(LINES + "/{line_id}/realisasi", dependencies=[CsrfChecked])
def report_realisation(
    request: Request, line_id: int, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Report a quarter's realised amount (the owning agency or the technical team)."""
    line = service.get_line(session, line_id)
    permissions.require(actor, BUDGET_REPORT, owner_pd=line.pd_kode)
    lang = get_lang(request)
    quarter, value, errors = realisation_input(form, lang)
    if not errors:
        try:
            service.report_realisation(
                session, actor=actor, line=line, quarter=quarter, realised=value
            )
        except InvalidInput as error:
            errors = refused(error, lang)
        except Conflict as error:  # the quarter has no budget row
            errors = {"form": [error.message(lang)]}
        else:
            session.commit()
            return RedirectResponse(f"{LINES}/{line.id}?ok=realised#realisasi", status_code=303)
    return _line_page(request, session, actor, line, report=(typed(form), errors))
