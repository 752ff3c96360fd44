"""One indicator in the monitoring console (``…/pemantauan/indikator/<code>``): what it
measures and how it stands, its targets and verified values by year, the form to report a
value with evidence files, the history of its entries with their evidence, a correction of a
verified entry (a new entry that replaces it once verified; both are kept), and the technical
team's verdict on entries awaiting it.

A PD officer opens only its own agency's indicators (another's answers 404); evidence files
are served to the staff who follow the indicator, never publicly.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import Conflict, DomainError, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.masterplan import monitoring, progress, service
from pontive.masterplan.choices import RealisationStatus, SourceKind
from pontive.masterplan.console_monitoring_nav import EVIDENCE, INDICATOR, monitor_page
from pontive.masterplan.console_monitoring_support import (
    MAX_EVIDENCE_FILES,
    entries_by_id,
    followed_indicator,
    get_evidence,
    owner_codes,
    plan_years,
    read_evidence,
    this_year,
    today,
    yearly_values,
)
from pontive.masterplan.console_support import (
    Errors,
    FormBody,
    flash,
    pd_names,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.models import Indicator, Realisation
from pontive.masterplan.pages_public_charts import trend_chart
from pontive.masterplan.service import REPORT, VERIFY
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
HISTORY = 200
# Served for viewing in the browser; anything else is downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})


def parse_value(raw: str) -> float | None:
    """A typed number (a decimal comma is accepted), or None."""
    try:
        value = float(raw.replace(" ", "").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_report(form: Any, lang: str) -> tuple[date | None, float | None, Errors]:
    """The date and value typed in a report or correction form, with what is unreadable."""
    errors: Errors = {}
    day: date | None = None
    try:
        day = date.fromisoformat(text(form, "period_date"))
    except ValueError:
        errors["period_date"] = [translate("mp.mon.err.date", lang)]
    value = parse_value(text(form, "value"))
    if value is None:
        errors["value"] = [translate("mp.mon.err.value", lang)]
    return day, value, errors


def indicator_context(session: Session, actor: Actor, indicator: Indicator) -> dict[str, Any]:
    """Everything the indicator's page shows, forms aside."""
    year = this_year()
    years = sorted({*plan_years(session), *(t.year for t in indicator.targets if t.year <= year)})
    values = yearly_values(session, [indicator.id], years).get(indicator.id, {})
    targets = [service.target_for(indicator, y) for y in years]
    history = monitoring.entries(session, indicator_ids=[indicator.id], limit=HISTORY)
    owners = owner_codes(session)
    return {
        "indicator": indicator,
        "owner": owners["programme"].get(indicator.programme_id or 0)
        or owners["activity"].get(indicator.activity_id or 0, ""),
        "status": progress.statuses(session, year, [indicator])[indicator.id],
        "year": year,
        "by_year": [(y, values.get(y), t) for y, t in zip(years, targets, strict=True)],
        "chart": trend_chart(years, [values.get(y) for y in years], targets),
        "history": history,
        "replaced": entries_by_id(session, [e.replaces_id for e in history if e.replaces_id]),
        "is_live": indicator.source_kind is SourceKind.LIVE,
        "can_report": indicator.source_kind is not SourceKind.LIVE
        and permissions.can(actor, REPORT, owner_pd=indicator.pd_kode),
        "can_verify": permissions.can(actor, VERIFY),
        "pds": pd_names(session),
        "max_files": MAX_EVIDENCE_FILES,
    }


def indicator_page(
    request: Request,
    session: Session,
    actor: Actor,
    indicator: Indicator,
    *,
    flash_key: str | None = None,
    failed: str = "",
    errors: Errors | None = None,
    sent: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The indicator's page; after a refused form (``failed``: ``report``, ``fix-<id>`` or
    ``review-<id>``) that form again with its errors and what was typed."""
    forms: dict[str, dict[str, str]] = {"report": {"period_date": today().isoformat()}}
    if failed and sent is not None:
        forms[failed] = sent
    context = indicator_context(session, actor, indicator) | {
        "forms": forms,
        "failed": failed,
        "form_errors": {failed: errors or {}} if failed else {},
        "flash": flash_key,
    }
    template = "masterplan/monitor_indicator.html"
    return monitor_page(request, actor, template, context, status_code=status_code)


@router.get(INDICATOR + "/{code}", response_class=HTMLResponse)
def show_indicator(
    request: Request,
    code: str,
    session: DbSession,
    actor: CurrentActor,
    ok: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One indicator with its history and, for its agency, the report form."""
    indicator = followed_indicator(session, actor, code)
    return indicator_page(request, session, actor, indicator, flash_key=flash(ok))


def _report(
    request: Request,
    session: Session,
    actor: Actor,
    indicator: Indicator,
    form: Any,
    *,
    failed: str,
    replaces: Realisation | None = None,
) -> Response:
    lang = get_lang(request)
    day, value, unreadable = parse_report(form, lang)
    evidence = read_evidence(form)
    try:
        if len(evidence) > MAX_EVIDENCE_FILES:
            message = translate("mp.mon.err.files", lang, n=MAX_EVIDENCE_FILES)
            unreadable["evidence"] = [message]
        if unreadable or day is None or value is None:
            raise InvalidInput(errors=unreadable)
        monitoring.report_value(
            session,
            actor=actor,
            indicator=indicator,
            period_date=day,
            value=value,
            note=text(form, "note"),
            evidence=evidence,
            media=request.app.state.media,
            replaces=replaces,
        )
    except (InvalidInput, Conflict) as error:
        return indicator_page(
            request, session, actor, indicator, failed=failed,
            errors=refused(error, lang), sent=typed(form), status_code=error.status_code,
        )  # fmt: skip
    session.commit()
    return redirect_ok(f"{INDICATOR}/{indicator.code}", "reported")


@router.post(INDICATOR + "/{code}/lapor", dependencies=[CsrfChecked])
def report_value(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Report a value with its evidence files (awaits verification)."""
    indicator = followed_indicator(session, actor, code)
    return _report(request, session, actor, indicator, form, failed="report")


@router.post(INDICATOR + "/{code}/koreksi/{entry_id}", dependencies=[CsrfChecked])
def correct_value(
    request: Request,
    code: str,
    entry_id: int,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
) -> Response:
    """Correct a verified entry: a new entry replaces it once verified (both are kept)."""
    indicator = followed_indicator(session, actor, code)
    entry = monitoring.get_entry(session, entry_id)
    if entry.indicator_id != indicator.id:
        raise NotFound("Entri realisasi tidak ditemukan.", "Realisation entry not found.")
    if entry.status is not RealisationStatus.VERIFIED:
        error: DomainError = Conflict(
            "Hanya nilai terverifikasi yang dikoreksi dengan formulir ini.",
            "Only a verified value is corrected with this form.",
        )
        return indicator_page(
            request, session, actor, indicator, failed=f"fix-{entry.id}",
            errors=refused(error, get_lang(request)), sent=typed(form), status_code=409,
        )  # fmt: skip
    return _report(
        request, session, actor, indicator, form, failed=f"fix-{entry.id}", replaces=entry
    )


@router.get(EVIDENCE + "/{evidence_id}")
def evidence_file(
    request: Request, evidence_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """An evidence file, for the staff who follow its indicator (never cached)."""
    evidence, indicator = get_evidence(session, evidence_id)
    followed_indicator(session, actor, indicator.code)  # READ, and a PD officer's own only
    path = request.app.state.media.path(evidence.media_key)
    if not path.is_file():
        raise NotFound("Berkas bukti tidak ditemukan.", "Evidence file not found.")
    disposition = "inline" if evidence.content_type in INLINE_TYPES else "attachment"
    return FileResponse(
        path,
        media_type=evidence.content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(evidence.filename)}",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
