"""Stakeholders' technology in public (Pasal 22f): ``/teknologi-mitra`` lists the verified
ones (public fields only), ``/teknologi-mitra/ajukan`` takes a stakeholder's submission for
staff review (rate-limited per client address, works without JavaScript)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.assets.wifi_choices import TECH_LIST_PATH, StakeholderKind, TechnologyKind
from pontive.assets.wifi_public import public_technologies
from pontive.assets.wifi_tech import PUBLIC_FIELDS, submission_limiter, submit_technology
from pontive.complaints.page_support import FormBody, form_text, no_store
from pontive.core.errors import InvalidInput, RateLimited
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

LIST_SECONDS = 120  # changes only when staff verify something
KindQuery = Annotated[str | None, Query(max_length=40)]


@router.get(TECH_LIST_PATH)
def technology_list(
    request: Request, session: DbSession, actor: CurrentActor, jenis: KindQuery = None
) -> Response:
    """Verified stakeholder technologies, filtered by kind."""
    lang = get_lang(request)
    known = jenis is not None and jenis in TechnologyKind._value2member_map_
    kind = TechnologyKind(jenis) if known and jenis else None
    every = public_technologies(session, lang)
    context = {
        "items": [item for item in every if kind is None or item.technology_kind is kind],
        "total": len(every),
        "kinds": [
            (k, sum(1 for item in every if item.technology_kind is k)) for k in TechnologyKind
        ],
        "kind": kind,
    }
    response = render(request, "assets/wifi_tech_list.html", context)
    return share_with_anonymous(actor, response, LIST_SECONDS)


def _render_form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    *,
    sent: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors or {},
        "sent": sent,
        "stakeholder_kinds": list(StakeholderKind),
        "technology_kinds": list(TechnologyKind),
    }
    return no_store(render(request, "assets/wifi_tech_form.html", context, status_code=status_code))


@router.get("/teknologi-mitra/ajukan")
def technology_form(request: Request, terkirim: str | None = None) -> Response:
    """The submission form (``?terkirim=1``: the thanks after a submission)."""
    return _render_form(request, {}, sent=terkirim == "1")


def _values(form: FormData) -> dict[str, Any]:
    return {name: form_text(form, name) for name in PUBLIC_FIELDS}


@router.post("/teknologi-mitra/ajukan", dependencies=[CsrfChecked])
def technology_submit(request: Request, session: DbSession, form: FormBody) -> Response:
    """Store the submission as *diajukan*; field errors re-render the form, typing kept."""
    lang = get_lang(request)
    host = request.client.host if request.client else "unknown"
    limiter = submission_limiter(request.app.state)
    if not limiter.hit(host):
        quota = {"limit": limiter.limit}
        raise RateLimited(
            translate("wifi.tech.rate_limited", "id", **quota),
            translate("wifi.tech.rate_limited", "en", **quota),
        )
    values = _values(form)
    consent = form_text(form, "consent") == "ya"
    try:
        submit_technology(session, values, consent=consent, lang=lang)
    except InvalidInput as invalid:
        session.rollback()
        return _render_form(request, values | {"consent": consent}, invalid.errors, status_code=422)
    suffix = "&lang=en" if lang == "en" else ""
    return RedirectResponse(f"/teknologi-mitra/ajukan?terkirim=1{suffix}", status_code=303)
