"""One task's console page (``/console/koordinasi/tugas/<code>``): what, for which agency, by
when, where it came from (an incident, a meeting decision), its progress; the moves for whoever
may work it (start; complete or cancel, each with a note; reopen) and the form to correct or
reassign it for whoever may assign tasks.

A PD officer opens only its own agency's tasks (another's is 404, ``tasks.get_task``). Every
post is checked for CSRF and by the services; a refused form shows the page again with its
errors and what was typed (422, or 409 when the task moved on meanwhile).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.coordination import service, tasks
from pontive.coordination.choices import OPEN_TASK_STATUSES, TaskStatus
from pontive.coordination.console_incident_forms import form_options, parse_task
from pontive.coordination.console_incident_views import due_text
from pontive.coordination.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    local_input,
    page,
    pd_names,
    redirect_ok,
    refused,
    text,
    typed,
    zone_of,
)
from pontive.coordination.models import Meeting, Task
from pontive.core.errors import Conflict, DomainError, InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

TASKS = f"{CONSOLE}/tugas"
router = PontiveRouter(prefix=TASKS, include_in_schema=False)
# The moves that need a note: what was done, or why the task is cancelled.
NEEDS_NOTE = frozenset({TaskStatus.SELESAI, TaskStatus.DIBATALKAN})


def moves_of(task: Task) -> list[TaskStatus]:
    """The statuses ``task`` may move to (``tasks.MOVES``), starting work first."""
    order = list(TaskStatus)
    targets = [to for (source, to) in tasks.MOVES if source is task.status]
    return sorted(targets, key=order.index)


def move_forms(task: Task, lang: str) -> list[dict[str, Any]]:
    """The move buttons of the task's page: the form's key, its label, the note it asks."""
    forms = []
    for target in moves_of(task):
        word = "reopen" if task.status is TaskStatus.SELESAI else target.value
        forms.append(
            {
                "status": target,
                "key": f"move-{target.value}",
                "label": translate(f"coord.task.work.to_{word}", lang),
                "note_label": translate(f"coord.task.work.note_{target.value}", lang)
                if target in NEEDS_NOTE
                else "",
                "is_cancel": target is TaskStatus.DIBATALKAN,
            }
        )
    return forms


def task_values(task: Task, request: Request) -> dict[str, str]:
    """The edit form's values: the task as it is."""
    return {
        "title": task.title,
        "pd_kode": task.pd_kode,
        "priority": task.priority.value,
        "due_at": local_input(task.due_at, zone_of(request)),
        "description": task.description,
    }


def _meeting(session: Session, task: Task) -> Meeting | None:
    """The meeting whose decision the task carries out (its page checks who may open it)."""
    return session.get(Meeting, task.meeting_id) if task.meeting_id is not None else None


def task_page(
    request: Request,
    session: Session,
    actor: Actor,
    task: Task,
    *,
    flash_key: str | None = None,
    failed: str = "",
    errors: Errors | None = None,
    sent: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The task's page; after a refused form (``failed``), that form again with its errors."""
    lang = get_lang(request)
    now = utcnow()
    is_open = task.status in OPEN_TASK_STATUSES
    moves = move_forms(task, lang) if tasks.may_work(actor, task) else []
    shown = {"edit", *(move["key"] for move in moves)}
    forms: dict[str, dict[str, Any]] = {"edit": task_values(task, request)}
    if failed and sent is not None:
        forms[failed] = sent
    context = form_options(session, lang) | {
        "task": task,
        "incident": task.incident,
        # An agency given the task later may not be involved in its incident: no link then.
        "incident_visible": task.incident is not None and service.may_see(actor, task.incident),
        "meeting": _meeting(session, task),
        "late": tasks.is_overdue(task, now),
        "due": due_text(task, now, lang),
        "moves": moves,
        # A refused form no longer on the page (the task moved on) shows its errors on top.
        "stray_errors": (errors or {}) if failed and failed not in shown else {},
        "can_edit": is_open and tasks.may_assign(actor),
        "pds": pd_names(session),
        "forms": forms,
        "failed": failed,
        "form_errors": {failed: errors or {}} if failed else {},
        "flash": flash_key,
    }
    template = "coordination/task_page.html"
    return page(request, actor, template, context, status_code=status_code, section=TASKS)


def _task(session: Session, actor: Actor, code: str) -> Task:
    return tasks.get_task(session, actor=actor, code=code)


def _again(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    failed: str,
    error: DomainError,
    sent: dict[str, Any],
) -> Response:
    session.rollback()
    task = _task(session, actor, code)
    errors = refused(error, get_lang(request))
    return task_page(request, session, actor, task, failed=failed, errors=errors, sent=sent,
                     status_code=error.status_code)  # fmt: skip


@router.get("/{code}", response_class=HTMLResponse)
def show_task(
    request: Request,
    code: str,
    session: DbSession,
    actor: CurrentActor,
    ok: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One task with its moves and, for who may assign, the edit form."""
    task = _task(session, actor, code)
    return task_page(request, session, actor, task, flash_key=flash(ok))


@router.post("/{code}/status", dependencies=[CsrfChecked])
def move_task(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Start, complete, cancel or reopen the task (the service checks who may)."""
    task = _task(session, actor, code)
    target = text(form, "status")
    try:
        tasks.move_task(session, actor=actor, task=task, status=target, note=text(form, "note"))
    except (InvalidInput, Conflict) as error:
        return _again(request, session, actor, code, f"move-{target}", error, typed(form))
    session.commit()
    return redirect_ok(f"{TASKS}/{task.code}", "task_moved")


@router.post("/{code}/ubah", dependencies=[CsrfChecked])
def edit_task(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Correct or reassign an open task (another agency, due time, priority)."""
    task = _task(session, actor, code)
    data, unreadable = parse_task(form, zone_of(request), get_lang(request))
    # The person assigned belongs to the agency: reassigning to another agency clears it.
    data.assignee_id = task.assignee_id if data.pd_kode == task.pd_kode else None
    try:
        tasks.update_task(session, actor=actor, task=task, data=data)
        if unreadable:
            raise InvalidInput(errors=unreadable)
    except (InvalidInput, Conflict) as error:
        if isinstance(error, InvalidInput):
            error.errors.update(unreadable)
        return _again(request, session, actor, code, "edit", error, typed(form))
    session.commit()
    return redirect_ok(f"{TASKS}/{task.code}", "task_saved")
