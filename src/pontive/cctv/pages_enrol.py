"""Connecting one's own camera (``/cctv/daftar``): the enrolment form of Perda 9/2022
Pasal 22d for citizens and businesses.

Phone first and complete without JavaScript: the place is a pair of coordinates that the
map pin (``static/cctv/cctv-enrol.js``) fills in when scripts run. A post with problems comes
back with everything typed kept and each problem beside its field. Success leads to the
receipt with the owner's private link (``pages_owner.py``). Posts share the enrolment quota
of the API (``ENROLMENTS_PER_HOUR`` per client address).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import EmailStr, TypeAdapter, ValidationError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.cctv import service
from pontive.cctv.choices import OwnerType, PrivacyMask, Purpose, Sharing
from pontive.cctv.pages_support import COMPASS, FormBody, form_text, localised, no_store
from pontive.cctv.quota import ENROLMENTS_PER_HOUR, enrol_limiter
from pontive.core.errors import InvalidInput
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

TEXT_FIELDS = {  # form field → longest accepted (the service trims further where it must)
    "name": 120,
    "description": 2000,
    "organisation": 160,
    "owner_name": 120,
    "owner_phone": 30,
    "owner_email": 200,
    "mou_number": 80,
    "lon": 40,
    "lat": 40,
    "direction": 3,
    "owner_type": 20,
    "purpose": 20,
    "sharing": 20,
    "privacy_mask": 20,
    **{name: 1000 for name in service.STREAM_FIELDS},
}
_EMAIL = TypeAdapter(EmailStr)


def _blank() -> dict[str, Any]:
    return {name: "" for name in TEXT_FIELDS} | {
        "owner_type": OwnerType.WARGA.value,
        "consent": False,
    }


def _render_form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    lang = get_lang(request)
    context = {
        "values": values,
        "errors": errors or {},
        "problem": problem,
        "owner_types": (OwnerType.WARGA, OwnerType.USAHA),
        "purposes": list(Purpose),
        "sharings": list(Sharing),
        "masks": (
            PrivacyMask.TIDAK_PERLU,
            PrivacyMask.DI_KAMERA,
            PrivacyMask.PERLU,
            PrivacyMask.BELUM_DIPERIKSA,
        ),
        "compass": [(str(deg), translate(f"cctv.pub.dir.{deg}", lang)) for deg in COMPASS],
        "stream_fields": service.STREAM_FIELDS,
        "consent_version": service.CONSENT_VERSION,
        "limit": ENROLMENTS_PER_HOUR,
    }
    response = render(request, "cctv/public_enrol.html", context, status_code=status_code)
    return no_store(response)


@router.get("/cctv/daftar")
def enrol_form(request: Request) -> Response:
    """The empty form."""
    return _render_form(request, _blank())


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: form_text(form, name, limit) for name, limit in TEXT_FIELDS.items()
    }
    values["consent"] = form_text(form, "consent") == "ya"
    return values


def _number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if -1000 < number < 1000 else None  # finite, and no "1e999"


def _camera_input(
    values: dict[str, Any], lang: str
) -> tuple[service.CameraInput, dict[str, list[str]]]:
    """The service's input from the form, and the problems only the form can have (text
    where a number belongs, an e-mail address that is not one)."""
    errors: dict[str, list[str]] = {}
    lon, lat = _number(values["lon"]), _number(values["lat"])
    if (values["lon"] and lon is None) or (values["lat"] and lat is None):
        errors["location"] = [translate("cctv.pub.err.coordinates", lang)]
    direction = values["direction"]
    email = values["owner_email"] or None
    if email is not None:
        try:
            _EMAIL.validate_python(email)
        except ValidationError:
            errors["owner_email"] = [translate("cctv.pub.err.owner_email", lang)]
    data = service.CameraInput(
        name=values["name"],
        description=values["description"],
        owner_type=values["owner_type"],
        organisation=values["organisation"] if values["owner_type"] == OwnerType.USAHA else "",
        owner_name=values["owner_name"],
        owner_phone=values["owner_phone"] or None,
        owner_email=email,
        lon=lon,
        lat=lat,
        direction_deg=int(direction) if direction.isdigit() else None,
        purpose=values["purpose"],
        sharing=values["sharing"],
        privacy_mask=values["privacy_mask"] or PrivacyMask.BELUM_DIPERIKSA.value,
        mou_number=values["mou_number"],
        streams={name: values[name] or None for name in service.STREAM_FIELDS},
    )
    return data, errors


@router.post("/cctv/daftar", dependencies=[CsrfChecked])
def submit_enrolment(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Offer a camera; problems re-render the form with everything typed kept."""
    lang = get_lang(request)
    values = _form_values(form)
    host = request.client.host if request.client else "unknown"
    if not enrol_limiter(request.app.state).hit(host):
        problem = translate("cctv.pub.enrol.rate_limited", lang, limit=ENROLMENTS_PER_HOUR)
        return _render_form(request, values, problem=problem, status_code=429)
    data, errors = _camera_input(values, lang)
    if errors:
        return _render_form(request, values, errors, status_code=422)
    try:
        enrolled = service.enrol_camera(
            session=session, actor=actor, data=data, consent=values["consent"]
        )
    except InvalidInput as invalid:
        session.rollback()
        errors = localised(invalid.errors, lang)
        if "location" in errors and not (values["lon"] and values["lat"]):
            errors["location"] = [translate("cctv.pub.err.location_missing", lang)]
        return _render_form(request, values, errors, status_code=422)
    return RedirectResponse(f"/cctv/pemilik/{enrolled.owner_token}/terdaftar", status_code=303)
