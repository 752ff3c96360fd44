"""Facility care in public (Perda 9/2022 Pasal 22b): the map and list of facilities adopted by
volunteers (``/adopsi-fasilitas``, no volunteer's name or contact), the application form on
the same page, and the volunteer's private page (``/adopsi-fasilitas/<id>?k=``) where they
report the facility's condition, with a photo; a damaged facility leads to the complaint
form.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse, Response

from pontive.core.errors import InvalidInput, NotFound
from pontive.participation import adoption as care
from pontive.participation.choices import Condition, FacilityKind
from pontive.participation.hooks import today
from pontive.participation.ideas import kelurahan_names
from pontive.participation.models import Adoption
from pontive.participation.pages_support import (
    check_quota,
    no_store,
    redirect,
    text,
    upload,
)
from pontive.participation.service import ADOPTIONS_PER_HOUR
from pontive.web.deps import CsrfChecked, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PAGE = "/adopsi-fasilitas"
_FORM_FIELDS = ("facility_name", "kind", "lon", "lat", "plan", "name", "group_name", "contact")


def _render_page(
    request: Request,
    session: DbSession,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    lang = get_lang(request)
    adoptions = care.list_approved(session)
    latest = care.latest_conditions(session, adoptions)
    names = kelurahan_names(session)
    context = {
        "items": [care.public_view(a, lang, names, latest.get(a.id)) for a in adoptions],
        "kinds": list(FacilityKind),
        "values": values,
        "errors": errors or {},
        "limit": ADOPTIONS_PER_HOUR,
        "sent": request.query_params.get("ok") == "diajukan",
    }
    response = render(request, "participation/adoption_page.html", context, status_code=status_code)
    return no_store(response)


@router.get(PAGE)
def adoption_page(request: Request, session: DbSession) -> Response:
    """The adopted facilities, and the form to adopt one."""
    return _render_page(request, session, {"idempotency_key": secrets.token_urlsafe(18)})


@router.get(f"{PAGE}/peta.json")
def adoption_markers(request: Request, session: DbSession) -> Response:
    """The approved adoptions for the map (public fields only)."""
    lang = get_lang(request)
    adoptions = care.list_approved(session)
    latest = care.latest_conditions(session, adoptions)
    names = kelurahan_names(session)
    items = [care.public_view(a, lang, names, latest.get(a.id)) for a in adoptions]
    return JSONResponse({"items": items}, headers={"Cache-Control": "public, max-age=60"})


@router.post(PAGE, dependencies=[CsrfChecked])
def apply(request: Request, session: DbSession, form: FormBody) -> Response:
    """Receive an application; errors show the page again with what was typed."""
    lang = get_lang(request)
    check_quota(request, "adoptions")
    values: dict[str, Any] = {name: text(form, name) for name in _FORM_FIELDS}
    values |= {
        "consent": text(form, "consent") == "ya",
        "idempotency_key": text(form, "idempotency_key", 100) or secrets.token_urlsafe(18),
    }
    data = care.AdoptionApplication(
        facility_name=values["facility_name"],
        kind=values["kind"],
        lon=values["lon"],
        lat=values["lat"],
        name=values["name"],
        contact=values["contact"],
        consent=values["consent"],
        group_name=values["group_name"],
        plan=values["plan"],
        idempotency_key=values["idempotency_key"],
    )
    try:
        care.apply_for_adoption(session, data=data, lang=lang)
    except InvalidInput as invalid:
        session.rollback()
        return _render_page(request, session, values, invalid.errors, 422)
    return redirect(PAGE, lang, "ajukan", ok="diajukan")


def _render_private(
    request: Request,
    session: DbSession,
    adoption: Adoption,
    token: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    reports = care.reports_of(session, adoption)
    ok = request.query_params.get("ok", "")
    context = {
        "adoption": adoption,
        "token": token,
        "reports": reports,
        "conditions": list(Condition),
        "values": values or {"reported_on": today().isoformat()},
        "errors": errors or {},
        "kelurahan": kelurahan_names(session).get(adoption.kelurahan_kode or ""),
        "flash": ok if ok in ("terkirim", "rusak") else "",
        "complaint_url": care.complaint_url(adoption),
        "today": today().isoformat(),
    }
    response = render(
        request, "participation/adoption_private.html", context, status_code=status_code
    )
    return no_store(response)


@router.get(PAGE + "/{adoption_id:int}")
def private_page(
    request: Request, session: DbSession, adoption_id: int, k: str | None = None
) -> Response:
    """The volunteer's page: their adoption, their reports, the report form."""
    adoption = care.get_for_volunteer(session, adoption_id, k)
    return _render_private(request, session, adoption, k or "")


@router.post(PAGE + "/{adoption_id:int}/laporan", dependencies=[CsrfChecked])
def report(request: Request, session: DbSession, adoption_id: int, form: FormBody) -> Response:
    """Receive a volunteer's report (with an optional photo)."""
    lang = get_lang(request)
    token = text(form, "k", 64)
    adoption = care.get_for_volunteer(session, adoption_id, token)
    check_quota(request, "reports")
    values = {name: text(form, name) for name in ("reported_on", "condition", "note")}
    try:
        saved = care.submit_report(
            session,
            adoption=adoption,
            reported_on=values["reported_on"],
            condition=values["condition"],
            note=values["note"],
            photo=upload(form, "photo"),
            media=request.app.state.media,
            lang=lang,
        )
    except InvalidInput as invalid:
        session.rollback()
        errors = {("photo" if k == "photos" else k): v for k, v in invalid.errors.items()}
        return _render_private(request, session, adoption, token, values, errors, 422)
    outcome = "rusak" if saved.condition is Condition.RUSAK else "terkirim"
    return redirect(f"{PAGE}/{adoption.id}", lang, "laporan", k=token, ok=outcome)


@router.get(PAGE + "/{adoption_id:int}/foto/{report_id:int}")
def private_photo(
    request: Request, session: DbSession, adoption_id: int, report_id: int, k: str | None = None
) -> Response:
    """A report's photo, for the volunteer who sent it."""
    adoption = care.get_for_volunteer(session, adoption_id, k)
    found = care.get_report_photo(session, report_id, adoption.id)
    return photo_response(request, found.photo_key or "")


def photo_response(request: Request, key: str) -> Response:
    """A stored JPEG, private to whoever may see it."""
    try:
        data = request.app.state.media.read(key)
    except FileNotFoundError as error:
        raise NotFound from error
    return Response(
        data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"}
    )
