"""Filing a report at ``/lapor``: choose a category, then the form (works without JavaScript)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, RedirectResponse, Response

from pontive.complaints import service
from pontive.complaints.choices import AttributeType
from pontive.complaints.models import ServiceCategory
from pontive.complaints.page_support import (
    PUBLIC_SECONDS,
    FormBody,
    form_text,
    localised,
    no_store,
    read_uploads,
)
from pontive.complaints.photos import MAX_PHOTOS
from pontive.complaints.public_views import category_groups, category_json, public_item
from pontive.complaints.ratelimit import REPORTS_PER_WINDOW, WINDOW_MINUTES, report_limiter
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.views import load_names
from pontive.core.errors import InvalidInput, NotFound, RateLimited
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)


def _blank_values(category: ServiceCategory | None) -> dict[str, Any]:
    return {
        "category_code": category.code if category else "",
        "identity": "anonim",
        "attributes": {},
        "idempotency_key": secrets.token_urlsafe(18),
    }


def _render_form(
    request: Request,
    session: DbSession,
    category: ServiceCategory,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    categories = service.list_categories(session)
    lang = get_lang(request)
    context = {
        "category": category,
        "category_data": category_json(category, lang),
        "groups": category_groups(categories),
        "values": values,
        "errors": errors or {},
        "max_photos": MAX_PHOTOS,
        "limit": REPORTS_PER_WINDOW,
        "window": WINDOW_MINUTES,
    }
    return no_store(
        render(request, "complaints/public_report_form.html", context, status_code=status_code)
    )


@router.get("/lapor")
def report_form(request: Request, session: DbSession, kategori: str | None = None) -> Response:
    """Step 1: choose what kind of problem; step 2 (``?kategori=``): the form for it."""
    if kategori:
        category = service.get_category(session, kategori)
        return _render_form(request, session, category, _blank_values(category))
    context = {"groups": category_groups(service.list_categories(session))}
    return no_store(render(request, "complaints/public_report_step1.html", context))


@router.get("/lapor/kategori/{code}.json")
def category_detail(request: Request, session: DbSession, code: str) -> Response:
    """A category's description, photo hint and extra questions, for the form's script."""
    category = service.get_category(session, code)
    return JSONResponse(
        category_json(category, get_lang(request)),
        headers={"Cache-Control": f"public, max-age={PUBLIC_SECONDS}"},
    )


@router.get("/lapor/sekitar.json")
def nearby(
    request: Request,
    session: DbSession,
    category: Annotated[str, Query(max_length=40)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> Response:
    """Open reports of the same kind near the pin: "already reported? follow it instead"."""
    found = service.find_nearby(session, category_code=category, lon=lon, lat=lat)
    lang, names = get_lang(request), load_names(session)
    items = [public_item(c, lang, names) for c in found[:10]]
    return JSONResponse({"items": items}, headers={"Cache-Control": "no-store"})


def _form_values(form: FormData, category: ServiceCategory | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for attribute in category.attributes if category else []:
        name = f"attribute[{attribute.code}]"
        if attribute.datatype is AttributeType.MULTIVALUELIST:
            attributes[attribute.code] = [v for v in form.getlist(name) if isinstance(v, str)]
        else:
            attributes[attribute.code] = form_text(form, name)
    fields = ("category_code", "description", "address", "lon", "lat", "name", "phone", "email")
    values: dict[str, Any] = {name: form_text(form, name) for name in fields}
    values |= {
        "identity": "kontak" if form_text(form, "identity") == "kontak" else "anonim",
        "consent": form_text(form, "consent") == "ya",
        "attributes": attributes,
        "idempotency_key": form_text(form, "idempotency_key")[:100] or secrets.token_urlsafe(18),
    }
    return values


def _coordinate(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _validation_errors(error: ValidationError, lang: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "_"
        field = "location" if field in ("lon", "lat") else field
        errors.setdefault(field, [translate(f"pub.err.{field}", lang)])
    return errors


@router.post("/lapor", dependencies=[CsrfChecked])
def submit_report(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Receive a report; field errors re-render the form with everything typed kept."""
    lang = get_lang(request)
    host = request.client.host if request.client else "unknown"
    limiter = report_limiter(request.app.state)
    if not limiter.hit(host):
        quota = {"limit": limiter.limit, "minutes": int(limiter.window // 60)}
        raise RateLimited(
            translate("pub.form.rate_limited", "id", **quota),
            translate("pub.form.rate_limited", "en", **quota),
        )
    code = form.get("category_code")
    try:
        category = service.get_category(session, code if isinstance(code, str) else "")
    except NotFound:
        return RedirectResponse("/lapor", status_code=303)
    values = _form_values(form, category)
    photos = read_uploads(form)
    values["had_photos"] = bool(photos)
    errors: dict[str, list[str]] = {}
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [translate("pub.err.photos_many", lang, count=MAX_PHOTOS)]
    try:
        data = ComplaintCreate(
            category_code=category.code,
            description=values["description"],
            address=values["address"],
            lon=_coordinate(values["lon"]),
            lat=_coordinate(values["lat"]),
            is_anonymous=values["identity"] == "anonim",
            name=values["name"],
            phone=values["phone"],
            email=values["email"] or None,
            consent=values["consent"],
            attributes=values["attributes"],
            idempotency_key=values["idempotency_key"],
        )
    except ValidationError as error:
        errors |= _validation_errors(error, lang)
    if errors:
        return _render_form(request, session, category, values, errors, 422)
    try:
        receipt = service.create_complaint(
            session=session, data=data, actor=actor, media=request.app.state.media, photos=photos
        )
    except InvalidInput as invalid:
        session.rollback()
        return _render_form(
            request, session, category, values, localised(invalid.errors, lang), 422
        )
    target = f"/lapor/{receipt.complaint.tracking_number}?k={receipt.access_token}&baru=1"
    return RedirectResponse(target, status_code=303)
