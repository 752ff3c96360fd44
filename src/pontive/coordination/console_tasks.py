"""Tasks across agencies in the coordination console (``/console/koordinasi/tugas``): the
list (a PD officer's holds only its own agency's tasks, as its complaint queue does; the
command center filters by agency, status and lateness), with overdue tasks first and marked;
one task's page with its moves and the form to correct or reassign it
(``console_task_page.py``); and the panel of a PD's open tasks that sits beside its complaint
queue (``pd_tasks_panel`` with ``coordination/_pd_tasks_panel.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.coordination import tasks
from pontive.coordination.choices import OPEN_TASK_STATUSES, TaskStatus
from pontive.coordination.console_incident_views import due_text
from pontive.coordination.console_support import CONSOLE, flash, page, pd_names
from pontive.coordination.console_task_page import router as task_router
from pontive.coordination.models import Incident, Task
from pontive.coordination.service import READ
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

TASKS = f"{CONSOLE}/tugas"
COMPLAINT_QUEUE = "/console/pengaduan"
PANEL_SIZE = 8
Filter = Annotated[str, Query(max_length=20)]
# The list's status choice: open (the default), finished (done or cancelled), or everything.
STATUS_FILTERS: dict[str, frozenset[TaskStatus]] = {
    "open": OPEN_TASK_STATUSES,
    "done": frozenset({TaskStatus.SELESAI, TaskStatus.DIBATALKAN}),
    "all": frozenset(),
}

_list = PontiveRouter(prefix=TASKS, include_in_schema=False)


def is_city_wide(actor: Actor) -> bool:
    """Whether ``actor`` follows every agency's tasks (a PD officer follows its own)."""
    return actor.role is not Role.PETUGAS_PD


def preload_incidents(session: Session, rows: Sequence[Task]) -> None:
    """Load the incidents of ``rows`` in one query, so that ``task.incident`` reads the
    identity map instead of one query per task (N+1 on the list)."""
    ids = {task.incident_id for task in rows if task.incident_id is not None}
    if ids:
        session.scalars(select(Incident).where(Incident.id.in_(ids))).all()


def task_rows(session: Session, rows: Sequence[Task], lang: str) -> list[dict[str, Any]]:
    """Tasks as the lists show them: late or not, due time relative to now."""
    preload_incidents(session, rows)
    now = utcnow()
    return [
        {
            "task": task,
            "late": tasks.is_overdue(task, now),
            "due": due_text(task, now, lang),
            "incident": task.incident,
        }
        for task in rows
    ]


def _counts(session: Session, actor: Actor, pd_kode: str | None) -> tuple[int, int]:
    """Open tasks and how many are late, for the actor's agency or the chosen one."""
    per_pd = tasks.count_open_by_pd(session)
    if not is_city_wide(actor):
        return per_pd.get(actor.pd_kode or "", (0, 0))
    if pd_kode:
        return per_pd.get(pd_kode, (0, 0))
    return sum(n for n, _ in per_pd.values()), sum(late for _, late in per_pd.values())


def _known_pd(session: Session, code: str) -> str | None:
    return code if reference.get_perangkat_daerah(session=session, kode=code) else None


@_list.get("", response_class=HTMLResponse)
def task_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: Filter = "open",
    pd: Filter = "",
    overdue: Filter = "",
    ok: Filter = "",
) -> Response:
    """Tasks the actor may see, overdue and urgent first."""
    permissions.require(actor, READ)
    lang = get_lang(request)
    status = status if status in STATUS_FILTERS else "open"
    pd_kode = _known_pd(session, pd) if pd and is_city_wide(actor) else None
    late_only = overdue == "1"
    filters = tasks.TaskFilter(STATUS_FILTERS[status], pd_kode, overdue_only=late_only)
    rows = tasks.list_tasks(session, actor=actor, filters=filters)
    open_count, late_count = _counts(session, actor, pd_kode)
    own_pd = None if is_city_wide(actor) else actor.pd_kode
    queue_pd = own_pd or pd_kode
    context = {
        "rows": task_rows(session, rows, lang),
        "filters": {"status": status, "pd": pd_kode or "", "overdue": "1" if late_only else ""},
        "is_filtered": status != "open" or bool(pd_kode) or late_only,
        "city_wide": is_city_wide(actor),
        "own_pd": own_pd,
        "open_count": open_count,
        "late_count": late_count,
        "pds": pd_names(session),
        "pd_options": [
            (p.kode, p.singkatan) for p in reference.list_perangkat_daerah(session=session)
        ],
        "queue_url": COMPLAINT_QUEUE + (f"?pd={queue_pd}" if queue_pd and not own_pd else ""),
        "can_assign": tasks.may_assign(actor),
        "flash": flash(ok),
    }
    return page(request, actor, "coordination/task_list.html", context)


router = PontiveRouter(include_in_schema=False)
router.include_router(_list)
router.include_router(task_router)


def pd_tasks_panel(
    session: Session, actor: Actor, *, pd_kode: str | None = None, lang: str = "id"
) -> dict[str, Any]:
    """A PD's open tasks for the panel beside its complaint queue: at most ``PANEL_SIZE``,
    overdue first. A PD officer's are its own agency's; a city-wide role sees ``pd_kode``'s,
    or every agency's without one. ``show`` is false for whoever may not read tasks."""
    if not permissions.can(actor, READ):
        return {"show": False, "rows": [], "total": 0, "late": 0, "more": 0, "link": TASKS}
    scope = pd_kode if is_city_wide(actor) else actor.pd_kode
    rows = tasks.list_tasks(session, actor=actor, filters=tasks.TaskFilter(pd_kode=scope))
    shown = task_rows(session, rows[:PANEL_SIZE], lang)
    late = sum(1 for task in rows if tasks.is_overdue(task))
    link = TASKS + (f"?pd={scope}" if scope and is_city_wide(actor) else "")
    return {
        "show": True,
        "pd_kode": scope,
        "pd_name": pd_names(session).get(scope or "", ""),
        "rows": shown,
        "total": len(rows),
        "late": late,
        "more": max(len(rows) - PANEL_SIZE, 0),
        "link": link,
        "late_link": TASKS
        + "?overdue=1"
        + (f"&pd={scope}" if scope and is_city_wide(actor) else ""),
    }
