"""The technical team's verification queue (``…/pemantauan/verifikasi``): every entry awaiting
verification, oldest first, with its indicator, the year's target, what a correction replaces,
the note and the evidence files; verify it, or reject it with the reason the agency will read.

The verdict is posted to ``…/pemantauan/entri/<id>/tinjau`` from the queue or from the
indicator's page, and goes back where it came from. Only the technical team and admins see
the queue (``VERIFY``); a refused verdict shows the queue again with its errors (422, or 409
when someone reviewed the entry meanwhile).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan import monitoring, service
from pontive.masterplan.choices import RealisationStatus
from pontive.masterplan.console_monitoring_indicator import indicator_page
from pontive.masterplan.console_monitoring_nav import ENTRY, INDICATOR, QUEUE, monitor_page
from pontive.masterplan.console_monitoring_support import entries_by_id, owner_codes
from pontive.masterplan.console_support import (
    Errors,
    FormBody,
    flash,
    pd_names,
    refused,
    text,
    typed,
)
from pontive.masterplan.models import Indicator
from pontive.masterplan.service import VERIFY
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
QUEUE_SIZE = 500
Filter = Annotated[str, Query(max_length=40)]


def queue_rows(session: Session, pd_kode: str | None) -> list[dict[str, Any]]:
    """The entries awaiting verification (of one agency's indicators when given), oldest
    entered first, each with its indicator, target and the entry a correction replaces."""
    entries = monitoring.entries(session, statuses=[RealisationStatus.SUBMITTED], limit=QUEUE_SIZE)
    indicators = {i.id: i for i in service.list_indicators(session)}
    missing = {e.indicator_id for e in entries} - set(indicators)
    indicators |= {i: ind for i in missing if (ind := session.get(Indicator, i)) is not None}
    replaced = entries_by_id(session, [e.replaces_id for e in entries if e.replaces_id])
    owners = owner_codes(session)
    rows = []
    for entry in sorted(entries, key=lambda e: (e.entered_at, e.id)):
        indicator = indicators[entry.indicator_id]
        if pd_kode and indicator.pd_kode != pd_kode:
            continue
        rows.append(
            {
                "entry": entry,
                "indicator": indicator,
                "owner": owners["programme"].get(indicator.programme_id or 0)
                or owners["activity"].get(indicator.activity_id or 0, ""),
                "target": service.target_for(indicator, entry.period_date.year),
                "replaces": replaced.get(entry.replaces_id or 0),
            }
        )
    return rows


def queue_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    pd: str = "",
    flash_key: str | None = None,
    failed: str = "",
    errors: Errors | None = None,
    sent: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The queue; after a refused verdict (``failed``: ``review-<id>``) its form again."""
    permissions.require(actor, VERIFY)
    known = {p.kode: p.singkatan for p in reference.list_perangkat_daerah(session=session)}
    pd_kode = pd if pd in known else None
    context = {
        "rows": queue_rows(session, pd_kode),
        "pd_filter": pd_kode or "",
        "pd_options": list(known.items()),
        "pds": pd_names(session),
        "forms": {failed: sent} if failed and sent is not None else {},
        "failed": failed,
        "form_errors": {failed: errors or {}} if failed else {},
        "flash": flash_key,
    }
    template = "masterplan/monitor_queue.html"
    return monitor_page(request, actor, template, context, current=QUEUE, status_code=status_code)


@router.get(QUEUE, response_class=HTMLResponse)
def show_queue(
    request: Request, session: DbSession, actor: CurrentActor, pd: Filter = "", ok: Filter = ""
) -> Response:
    """Entries awaiting verification."""
    return queue_page(request, session, actor, pd=pd, flash_key=flash(ok))


def _back(raw: str, fallback: str) -> str:
    """Where to go after the verdict: a monitoring page of ours, never elsewhere."""
    return raw if raw.startswith((QUEUE, INDICATOR + "/")) and "//" not in raw else fallback


@router.post(ENTRY + "/{entry_id}/tinjau", dependencies=[CsrfChecked])
def review_entry(
    request: Request, entry_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Verify or reject an entry (a rejection needs its reason)."""
    entry = monitoring.get_entry(session, entry_id)
    decision = text(form, "decision")
    back = _back(text(form, "next"), QUEUE)
    try:
        if decision not in ("verify", "reject"):
            raise InvalidInput(errors={"decision": ["Pilih verifikasi atau tolak."]})
        monitoring.review(
            session, actor=actor, entry=entry, approve=decision == "verify", note=text(form, "note")
        )
    except (InvalidInput, Conflict) as error:
        errors, sent, failed = refused(error, get_lang(request)), typed(form), f"review-{entry.id}"
        if back.startswith(INDICATOR + "/"):
            indicator = session.get(Indicator, entry.indicator_id)
            if indicator is not None:
                return indicator_page(
                    request, session, actor, indicator, failed=failed, errors=errors,
                    sent=sent, status_code=error.status_code,
                )  # fmt: skip
        return queue_page(
            request, session, actor, failed=failed, errors=errors, sent=sent,
            status_code=error.status_code,
        )  # fmt: skip
    session.commit()
    ok = "verified" if entry.status is RealisationStatus.VERIFIED else "rejected"
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}ok={ok}", status_code=303)
