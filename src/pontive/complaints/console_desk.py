"""The report desk in the console (``/console/pengaduan/<tracking>``): one report with
everything staff may see and do: change its state, reply or note, moderate, read the contact,
and, for the command center, the triage model's suggestion to accept or correct
(``analytics.triage_panel``; the decision is recorded by ``analytics.triage_service``)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.analytics import triage_panel, triage_service
from pontive.complaints import service, workflow
from pontive.complaints.choices import NEEDS_REASON, ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.page_support import (
    CONSOLE,
    STATUS_VALUES,
    FormBody,
    console_flash,
    form_text,
    read_uploads,
    redirect_ok,
)
from pontive.complaints.views import is_overdue, load_names, staff_photo_url
from pontive.core import permissions
from pontive.core.errors import Conflict, DomainError, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.panels import panels_for
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)


def _desk(
    request: Request,
    session: Session,
    actor: Actor,
    tracking: str,
    *,
    errors: dict[str, list[str]] | None = None,
    message: str | None = None,
    form: dict[str, str] | None = None,
    contact: dict[str, str | None] | None = None,
    flash: str | None = None,
    triage_saved: bool = False,
    status_code: int = 200,
) -> Response:
    complaint = service.get_for_staff(session, actor=actor, tracking_number=tracking)
    lang = get_lang(request)
    triage = triage_panel.desk_panel(session, actor, complaint, lang=lang)
    nearby: list[Complaint] = []
    if complaint.lon is not None and complaint.lat is not None:
        nearby = service.find_nearby(
            session,
            category_code=complaint.category.code,
            lon=complaint.lon,
            lat=complaint.lat,
            exclude_id=complaint.id,
        )
    targets = workflow.allowed_targets(actor, complaint)
    return render(
        request,
        "complaints/console_desk.html",
        {
            "c": complaint,
            # What other domains offer about this report (coordination: an incident from it).
            "panels": panels_for("complaints.report", session, actor, complaint, lang=lang),
            "names": load_names(session, [complaint, *nearby]),
            "nearby": nearby,
            "targets": targets,
            "needs_reason": [
                s.value for s in targets if s in NEEDS_REASON and s is not ComplaintStatus.DUPLIKAT
            ],
            "pds": reference.list_perangkat_daerah(session=session),
            "can_work": permissions.can(actor, service.WORK, owner_pd=complaint.pd_kode),
            "can_triage": permissions.can(actor, service.TRIAGE),
            "can_contact": permissions.can(actor, service.VIEW_CONTACT, owner_pd=complaint.pd_kode),
            "has_contact": bool(
                complaint.reporter_phone or complaint.reporter_email or complaint.reporter_name
            ),
            "overdue": is_overdue(complaint),
            "photo_url": staff_photo_url,
            "errors": errors or {},
            "error_message": message,
            "form": form or {},
            "contact": contact,
            "flash": flash,
            "triage": triage,
            "triage_saved": triage_saved,
        },
        status_code=status_code,
    )


def _refused(
    request: Request,
    session: Session,
    actor: Actor,
    tracking: str,
    error: DomainError,
    form: FormData,
) -> Response:
    session.rollback()
    shown = {key: value for key, value in form.items() if isinstance(value, str)}
    shown.pop("csrf_token", None)
    return _desk(
        request,
        session,
        actor,
        tracking,
        errors=error.errors,
        message=error.message(get_lang(request)),
        form=shown,
        status_code=error.status_code,
    )


@router.get("/{tracking}", response_class=HTMLResponse)
def desk(
    request: Request,
    tracking: str,
    session: DbSession,
    actor: CurrentActor,
    ok: str | None = None,
    triase: str | None = None,
) -> Response:
    """One report with everything staff may see and do."""
    return _desk(
        request, session, actor, tracking, flash=console_flash(ok), triage_saved=triase == "ok"
    )


@router.get("/{tracking}/foto/{photo_id}")
def photo(
    tracking: str, photo_id: int, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    """A report's photo for staff who may see the report (published or not)."""
    complaint = service.get_for_staff(session, actor=actor, tracking_number=tracking)
    found = next((p for p in complaint.photos if p.id == photo_id), None)
    if found is None:
        raise NotFound
    data = request.app.state.media.read(found.storage_key)
    return Response(
        data,
        media_type=found.content_type,
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


@router.post("/{tracking}/status", dependencies=[CsrfChecked])
def change_status(
    request: Request, tracking: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Move the report to the chosen state (reason and PD as the state needs)."""
    target = form_text(form, "to")
    if target not in STATUS_VALUES:
        error = InvalidInput(errors={"to": ["Pilih status tujuan."]})
        return _refused(request, session, actor, tracking, error, form)
    try:
        workflow.transition(
            session=session,
            actor=actor,
            tracking_number=tracking,
            to=ComplaintStatus(target),
            message=form_text(form, "message"),
            pd_kode=form_text(form, "pd_kode") or None,
            duplicate_of=form_text(form, "duplicate_of") or None,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, tracking, error, form)
    return redirect_ok(f"{CONSOLE}/{tracking}", "status")


@router.post("/{tracking}/tanggapan", dependencies=[CsrfChecked])
def add_update(
    request: Request, tracking: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """A reply to the reporter or an internal note, with photos of the fix."""
    is_public = form_text(form, "kind") != "note"
    message = form_text(form, "message")
    try:
        if not message:
            raise InvalidInput(errors={"message": ["Tulis isi tanggapan."]})
        workflow.add_update(
            session=session,
            actor=actor,
            tracking_number=tracking,
            message=message,
            is_public=is_public,
            media=request.app.state.media,
            photos=read_uploads(form),
        )
    except InvalidInput as error:
        return _refused(request, session, actor, tracking, error, form)
    return redirect_ok(f"{CONSOLE}/{tracking}", "reply" if is_public else "note")


@router.post("/{tracking}/moderasi", dependencies=[CsrfChecked])
def moderate(
    request: Request, tracking: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Edit the public text, publish or hide the report, choose its public photos."""
    photo_ids = {int(v) for v in form.getlist("public_photo") if isinstance(v, str) and v.isdigit()}
    try:
        workflow.moderate(
            session=session,
            actor=actor,
            tracking_number=tracking,
            public_description=form_text(form, "public_description") or None,
            is_public=bool(form.get("is_public")),
            public_photo_ids=photo_ids,
        )
    except InvalidInput as error:
        return _refused(request, session, actor, tracking, error, form)
    return redirect_ok(f"{CONSOLE}/{tracking}", "moderated")


@router.post("/{tracking}/kontak", response_class=HTMLResponse, dependencies=[CsrfChecked])
def show_contact(
    request: Request, tracking: str, session: DbSession, actor: CurrentActor
) -> Response:
    """Reveal the reporter's contact details (audited); never put in a URL or a redirect."""
    complaint = service.get_for_staff(session, actor=actor, tracking_number=tracking)
    contact = service.read_contact(session, actor=actor, complaint=complaint)
    response = _desk(request, session, actor, tracking, contact=contact)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/{tracking}/triase", dependencies=[CsrfChecked])
def decide_triage(
    request: Request, tracking: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Accept the triage suggestion, or correct its category and urgency (recorded for the
    next training of the model)."""
    try:
        triage_service.decide(
            session=session,
            actor=actor,
            tracking_number=tracking,
            accept=form_text(form, "decision") != "correct",
            category_code=form_text(form, "category_code"),
            urgency=form_text(form, "urgency"),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, tracking, error, form)
    return RedirectResponse(f"{CONSOLE}/{tracking}?triase=ok#saran-triase", status_code=303)
