"""The city's operating mode in the console (``/console/peringatan/status``): the mode of the
city and of each kecamatan, declaring and ending a mode, the declarations' history, and the
emergency contacts and shelters the public pages show with it (``alerts.mode``)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.alerts import mode, places
from pontive.alerts.choices import OperatingMode
from pontive.alerts.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=f"{CONSOLE}/status", include_in_schema=False)
STATUS = f"{CONSOLE}/status"
HISTORY_LIMIT = 30


def _require_view(actor: Actor) -> None:
    # Who declares modes, or who keeps the contacts and shelters, works on this page.
    if not permissions.can(actor, places.PLACES_MANAGE):
        permissions.require(actor, mode.MODE_DECLARE)


def status_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    failed: str = "",
    sent: dict[str, Any] | None = None,
    errors: Errors | None = None,
    ok: str | None = None,
    status_code: int = 200,
) -> Response:
    """Modes in force, the declare/end forms, history, contacts and shelters."""
    _require_view(actor)
    lang = get_lang(request)
    modes = mode.current_modes(session)
    kecamatan = reference.list_kecamatan(session=session)
    scopes = [
        {
            "kode": k.kode,
            "name": k.nama_umum,
            "own": modes.own(k.kode),
            "effective": modes.effective(k.kode),
        }
        for k in kecamatan
    ]
    context = {
        "modes": modes,
        "scopes": scopes,
        "kecamatan_names": {k.kode: k.nama_umum for k in kecamatan},
        "declarable": [(m.value, m.label(lang)) for m in OperatingMode if m.value != "normal"],
        "history": mode.mode_history(session, limit=HISTORY_LIMIT),
        "contacts": places.list_contacts(session, active_only=False),
        "shelters": places.list_shelters(session, active_only=False),
        "can_declare": permissions.can(actor, mode.MODE_DECLARE),
        "can_places": permissions.can(actor, places.PLACES_MANAGE),
        "failed": failed,
        "sent": sent or {},
        "errors": errors or {},
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_status.html", context, status_code=status_code)


def _again(
    request: Request,
    session: Session,
    actor: Actor,
    failed: str,
    form: FormData,
    errors: Errors,
    status_code: int = 422,
) -> Response:
    session.rollback()
    return status_page(
        request,
        session,
        actor,
        failed=failed,
        sent=typed(form),
        errors=errors,
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def status(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """The city's operating mode and its emergency places."""
    return status_page(request, session, actor, ok=ok)


@router.post("/nyatakan", dependencies=[CsrfChecked])
def declare(request: Request, session: DbSession, actor: CurrentActor, form: FormBody) -> Response:
    """Declare siaga darurat or tanggap darurat for the city or one kecamatan."""
    lang = get_lang(request)
    try:
        mode.declare_mode(
            session,
            actor=actor,
            mode=text(form, "mode"),
            reason=text(form, "reason"),
            reason_en=text(form, "reason_en"),
            kecamatan_kode=text(form, "kecamatan_kode") or None,
            lang=lang,
        )
    except (InvalidInput, Conflict) as error:
        found = refused(error, lang)
        return _again(request, session, actor, "declare", form, found, error.status_code)
    return redirect_ok(STATUS, "declared")


@router.post("/akhiri", dependencies=[CsrfChecked])
def end(request: Request, session: DbSession, actor: CurrentActor, form: FormBody) -> Response:
    """Return the city or one kecamatan to normal, saying why."""
    lang = get_lang(request)
    scope = text(form, "kecamatan_kode")
    try:
        mode.end_mode(
            session,
            actor=actor,
            reason=text(form, "reason"),
            reason_en=text(form, "reason_en"),
            kecamatan_kode=scope or None,
            lang=lang,
        )
    except (InvalidInput, Conflict) as error:
        found = refused(error, lang)
        return _again(request, session, actor, f"end:{scope}", form, found, error.status_code)
    return redirect_ok(STATUS, "ended")


# --- contacts and shelters -------------------------------------------------------------------


def _whole(form: FormData, name: str, errors: Errors, lang: str) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    if not raw.lstrip("-").isdigit():
        errors[name] = [translate("alerts.cc.err.whole", lang)]
        return None
    return int(raw)


def _decimal(form: FormData, name: str, errors: Errors, lang: str) -> float:
    try:
        return float(text(form, name).replace(",", "."))
    except ValueError:
        errors[name] = [translate("alerts.cc.err.number", lang)]
        return 0.0


def _contact(form: FormData, lang: str) -> tuple[places.ContactFields, Errors]:
    errors: Errors = {}
    fields = places.ContactFields(
        name_id=text(form, "name_id"),
        name_en=text(form, "name_en"),
        phone=text(form, "phone"),
        position=_whole(form, "position", errors, lang) or 0,
        active=bool(form.get("active")),
    )
    return fields, errors


def _shelter(form: FormData, lang: str) -> tuple[places.ShelterFields, Errors]:
    errors: Errors = {}
    fields = places.ShelterFields(
        name=text(form, "name"),
        address=text(form, "address"),
        lon=_decimal(form, "lon", errors, lang),
        lat=_decimal(form, "lat", errors, lang),
        capacity=_whole(form, "capacity", errors, lang),
        route_id=text(form, "route_id"),
        route_en=text(form, "route_en"),
        active=bool(form.get("active")),
    )
    return fields, errors


@router.post("/kontak", dependencies=[CsrfChecked])
@router.post("/kontak/{contact_id:int}", dependencies=[CsrfChecked])
def save_contact(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
    contact_id: int | None = None,
) -> Response:
    """Add an emergency contact, or replace one's fields."""
    lang = get_lang(request)
    permissions.require(actor, places.PLACES_MANAGE)
    fields, errors = _contact(form, lang)
    failed = f"contact:{contact_id or 'new'}"
    if errors:
        return _again(request, session, actor, failed, form, errors)
    try:
        if contact_id is None:
            places.create_contact(session, actor=actor, fields=fields, lang=lang)
        else:
            places.update_contact(
                session, actor=actor, contact_id=contact_id, fields=fields, lang=lang
            )
    except InvalidInput as error:
        return _again(request, session, actor, failed, form, refused(error, lang))
    return redirect_ok(STATUS, "contact_saved", "kontak")


@router.post("/kontak/{contact_id:int}/hapus", dependencies=[CsrfChecked])
def delete_contact(contact_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Remove an emergency contact."""
    places.delete_contact(session, actor=actor, contact_id=contact_id)
    return redirect_ok(STATUS, "contact_deleted", "kontak")


@router.post("/pengungsian", dependencies=[CsrfChecked])
@router.post("/pengungsian/{shelter_id:int}", dependencies=[CsrfChecked])
def save_shelter(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
    shelter_id: int | None = None,
) -> Response:
    """Add a shelter, or replace one's fields (its kelurahan comes from its point)."""
    lang = get_lang(request)
    permissions.require(actor, places.PLACES_MANAGE)
    fields, errors = _shelter(form, lang)
    failed = f"shelter:{shelter_id or 'new'}"
    if errors:
        return _again(request, session, actor, failed, form, errors)
    try:
        if shelter_id is None:
            places.create_shelter(session, actor=actor, fields=fields, lang=lang)
        else:
            places.update_shelter(
                session, actor=actor, shelter_id=shelter_id, fields=fields, lang=lang
            )
    except InvalidInput as error:
        return _again(request, session, actor, failed, form, refused(error, lang))
    return redirect_ok(STATUS, "shelter_saved", "pengungsian")


@router.post("/pengungsian/{shelter_id:int}/hapus", dependencies=[CsrfChecked])
def delete_shelter(shelter_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Remove a shelter."""
    places.delete_shelter(session, actor=actor, shelter_id=shelter_id)
    return redirect_ok(STATUS, "shelter_deleted", "pengungsian")
