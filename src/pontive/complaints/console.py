"""Staff console pages for complaints: the queue here, the report desk in ``console_desk.py``,
the service catalogue in ``console_catalogue.py``.

Every action is a form post checked for CSRF that redirects back with a confirmation
(``?ok=<key>``); a refused input re-renders the page with its field errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.analytics import triage_service
from pontive.complaints import console_catalogue, console_desk, service, workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.page_support import (
    CONSOLE,
    STATUS_VALUES,
    FormBody,
    console_flash,
    form_text,
    redirect_ok,
)
from pontive.complaints.views import is_overdue, load_names, today_wib
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.navigation import NavLink, register_console
from pontive.web.panels import panels_for
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

register_console(
    NavLink(
        CONSOLE,
        "cc.card.title",
        "cc.card.desc",
        "report",
        service.VIEW_INTERNAL,
        order=10,
    )
)
register_console(
    NavLink(
        f"{CONSOLE}/kategori",
        "cc.cat.title",
        "cc.cat.card",
        "data",
        service.MANAGE_CATALOGUE,
        order=15,
    )
)

PAGE_SIZE = 25
QUEUE_PANELS = "complaints.queue"  # the slot other domains add panels to (web/panels.py)
SORTS = ("newest", "oldest", "due")
BULK_ACTIONS = {"verify": ComplaintStatus.DIVERIFIKASI, "dispose": ComplaintStatus.DIDISPOSISIKAN}


# --- The queue ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueParams:
    """What the queue page was asked for (filters, order, page)."""

    status: str = ""
    category: str = ""
    pd: str = ""
    kelurahan: str = ""
    overdue: str = ""
    q: str = ""
    sort: str = "newest"
    page: int = 1

    def filters(self) -> service.ComplaintFilter:
        """The service filter these parameters ask for."""
        status = self.status
        return service.ComplaintFilter(
            statuses=frozenset({ComplaintStatus(status)})
            if status in STATUS_VALUES
            else frozenset(),
            category_codes=frozenset({self.category}) if self.category else frozenset(),
            pd_kode=self.pd or None,
            kelurahan_kode=self.kelurahan or None,
            is_overdue=True if self.overdue == "1" else None,
            text=self.q.strip() or None,
        )

    def chosen(self) -> dict[str, str]:
        """The filters given (for links that keep them)."""
        values = {
            "category": self.category,
            "pd": self.pd,
            "kelurahan": self.kelurahan,
            "overdue": self.overdue,
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}


def _queue_page(
    request: Request,
    session: Session,
    actor: Actor,
    params: QueueParams,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    filters = params.filters()
    rows, total = service.list_queue(
        session,
        actor=actor,
        filters=filters,
        page=params.page,
        page_size=PAGE_SIZE,
        sort=params.sort,
    )
    counts = service.count_queue_by_status(session, actor=actor, filters=filters)
    chosen = params.chosen()
    is_operator = permissions.can(actor, service.TRIAGE)
    context: dict[str, Any] = {
        "rows": rows,
        "total": total,
        "p": params,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "counts": counts,
        "all_count": sum(counts.values()),
        "statuses": list(ComplaintStatus),
        "chosen": chosen,
        "tab_query": urlencode({**chosen, "sort": params.sort}),
        "page_query": urlencode({**chosen, "sort": params.sort, "status": params.status}),
        "names": load_names(session, rows),
        "categories": service.list_categories(session, active_only=False),
        "pds": reference.list_perangkat_daerah(session=session),
        "kecamatan": reference.list_kecamatan(session=session),
        "is_operator": is_operator,
        # The command center's triage urgency of each report (analytics: the triage model).
        "urgency_of": (
            triage_service.urgency_of_reports(session, [row.id for row in rows])
            if is_operator
            else {}
        ),
        "overdue_of": is_overdue,
        "today": today_wib(),
        "flash": None,
        "bulk_errors": [],
        "bulk_failed": [],
        # What other domains show beside the queue (coordination: the agency's tasks).
        "panels": panels_for(QUEUE_PANELS, session, actor, lang=get_lang(request)),
    }
    context.update(extra or {})
    return render(request, "complaints/console_queue.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[str, Query(max_length=30)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    pd: Annotated[str, Query(max_length=20)] = "",
    kelurahan: Annotated[str, Query(max_length=20)] = "",
    overdue: Annotated[str, Query(max_length=1)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(max_length=10)] = "newest",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ok: str | None = None,
) -> Response:
    """The reports this person works on: all for the command center, one PD's for its staff."""
    params = QueueParams(
        status if status in STATUS_VALUES else "",
        category,
        pd,
        kelurahan,
        overdue,
        q,
        sort if sort in SORTS else "newest",
        page,
    )
    return _queue_page(request, session, actor, params, extra={"flash": console_flash(ok)})


@router.post("/massal", dependencies=[CsrfChecked])
def bulk_action(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Verify several reports, or dispose them to one PD (operators)."""
    permissions.require(actor, service.TRIAGE)
    target = BULK_ACTIONS.get(form_text(form, "action"))
    chosen = [value for value in form.getlist("tracking") if isinstance(value, str)]
    pd_kode = form_text(form, "pd_kode") or None
    missing = [
        name
        for name, is_missing in (
            ("action", target is None),
            ("tracking", not chosen),
            ("pd_kode", target is ComplaintStatus.DIDISPOSISIKAN and not pd_kode),
        )
        if is_missing
    ]
    if missing or target is None:
        extra: dict[str, Any] = {"bulk_errors": missing}
        return _queue_page(request, session, actor, QueueParams(), extra=extra, status_code=422)
    failed: list[tuple[str, str]] = []
    for tracking in chosen:
        try:
            workflow.transition(
                session=session, actor=actor, tracking_number=tracking, to=target, pd_kode=pd_kode
            )
        except (Conflict, InvalidInput, NotFound) as error:
            session.rollback()
            failed.append((tracking, error.message(get_lang(request))))
    if failed:
        extra = {"bulk_failed": failed, "bulk_done": len(chosen) - len(failed)}
        return _queue_page(request, session, actor, QueueParams(), extra=extra, status_code=409)
    return redirect_ok(CONSOLE, "bulk")


# "kategori" must be matched before ``/{tracking}`` takes it for a tracking number.
router.include_router(console_catalogue.router)
router.include_router(console_desk.router)
