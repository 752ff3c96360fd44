"""The short "not working" form of a hotspot (``/wifi/<code>/lapor``).

Three taps on a cheap phone: what is wrong, optionally a few words, optionally a number to
hear back. It files a real complaint (``wifi_reports.report_not_working``) and, like the
complaints form, answers with the report's tracking number and private link (the report's own
page). It shares the complaints form's quota per client address, since each report is a
complaint, and its idempotency: a form sent twice is one report.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.assets.wifi_choices import Problem
from pontive.assets.wifi_models import WifiHotspot
from pontive.assets.wifi_public import hotspot_view, place_names
from pontive.assets.wifi_reports import (
    Contact,
    complaint_data,
    get_reportable,
    report_not_working,
    reporter_key,
)
from pontive.complaints.page_support import FormBody, form_text, no_store
from pontive.complaints.ratelimit import REPORTS_PER_WINDOW, WINDOW_MINUTES, report_limiter
from pontive.core.errors import InvalidInput, RateLimited
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

DETAILS_MAX = 1000
# Field errors the complaints service words in Bahasa Indonesia; ours in both languages.
KNOWN_ERRORS = frozenset({"problem", "details", "phone", "email", "contact", "consent", "name"})


def _blank() -> dict[str, Any]:
    empty: dict[str, Any] = dict.fromkeys(("problem", "details", "name", "phone", "email"), "")
    return empty | {"consent": False, "idempotency_key": secrets.token_urlsafe(18)}


def _render(
    request: Request,
    session: DbSession,
    hotspot: WifiHotspot,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    view = hotspot_view(hotspot, place_names(session), request.app.state.settings.zone)
    context = {
        "h": view,
        "problems": list(Problem),
        "values": values,
        "errors": errors or {},
        "limit": REPORTS_PER_WINDOW,
        "window": WINDOW_MINUTES,
        "details_max": DETAILS_MAX,
    }
    page = render(request, "assets/wifi_report.html", context, status_code=status_code)
    return no_store(page)


@router.get("/wifi/{code}/lapor")
def report_form(request: Request, session: DbSession, code: str) -> Response:
    """The "not working" form of one hotspot."""
    return _render(request, session, get_reportable(session, code), _blank())


def _values(form: FormData) -> dict[str, Any]:
    return {
        "problem": form_text(form, "problem"),
        "details": form_text(form, "details"),
        "name": form_text(form, "name"),
        "phone": form_text(form, "phone"),
        "email": form_text(form, "email"),
        "consent": form_text(form, "consent") == "ya",
        "idempotency_key": form_text(form, "idempotency_key")[:100] or secrets.token_urlsafe(18),
    }


def _own_errors(values: dict[str, Any], lang: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values["problem"] not in Problem._value2member_map_:
        errors["problem"] = [translate("wifi.report.err.problem", lang)]
    if len(values["details"]) > DETAILS_MAX:
        errors["details"] = [translate("wifi.report.err.details", lang, n=DETAILS_MAX)]
    return errors


def _localised(errors: dict[str, list[str]], lang: str) -> dict[str, list[str]]:
    """The complaints service's field errors as this form names and words them."""
    out: dict[str, list[str]] = {}
    for field, messages in errors.items():
        name = "problem" if field.startswith("attribute[") else field
        text = translate(f"wifi.report.err.{name}", lang) if name in KNOWN_ERRORS else None
        out.setdefault(name, [text] if text else messages)
    return out


def _validation_errors(error: ValidationError, lang: str) -> dict[str, list[str]]:
    fields = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
    return _localised({field: [] for field in fields}, lang)


@router.post("/wifi/{code}/lapor", dependencies=[CsrfChecked])
def submit_report(
    request: Request, session: DbSession, actor: CurrentActor, code: str, form: FormBody
) -> Response:
    """File the report; field errors re-render the form with everything typed kept."""
    lang = get_lang(request)
    host = request.client.host if request.client else "unknown"
    limiter = report_limiter(request.app.state)
    if not limiter.hit(host):
        quota = {"limit": limiter.limit, "minutes": int(limiter.window // 60)}
        raise RateLimited(
            translate("wifi.report.rate_limited", "id", **quota),
            translate("wifi.report.rate_limited", "en", **quota),
        )
    hotspot = get_reportable(session, code)
    values = _values(form)
    errors = _own_errors(values, lang)
    if errors:
        return _render(request, session, hotspot, values, errors, 422)
    contact = Contact(values["name"], values["phone"], values["email"], values["consent"])
    try:
        data = complaint_data(
            hotspot,
            problem=Problem(values["problem"]),
            details=values["details"],
            contact=contact,
            idempotency_key=values["idempotency_key"],
        )
        receipt = report_not_working(
            session=session,
            hotspot=hotspot,
            data=data,
            actor=actor,
            media=request.app.state.media,
            reporter=reporter_key(host),
        )
    except ValidationError as error:
        return _render(request, session, hotspot, values, _validation_errors(error, lang), 422)
    except InvalidInput as invalid:
        session.rollback()
        hotspot = get_reportable(session, code)
        return _render(request, session, hotspot, values, _localised(invalid.errors, lang), 422)
    tracking = receipt.complaint.tracking_number
    return RedirectResponse(f"/lapor/{tracking}?k={receipt.access_token}&baru=1", status_code=303)
