"""Open311 GeoReport v2 at ``/open311/v2``, in XML and JSON (``../shared/specs/open311.md``).

Discovery, services, service definitions (also at ``service/{code}`` for the PyPI ``open311``
client), POST and GET requests, GET one request and tokens. The format is the extension: XML
as the spec writes it, JSON by the Spark convention (lists are bare arrays); the documents and
the ``errors`` shape are built in ``open311_format.py``, parameters read in ``open311_params.py``.

- Realtime only: a POST answers the ``service_request_id`` (the tracking number) at once, so
  no tokens are issued; ``tokens/{t}`` answers for a token that is a request id, so clients
  that poll anyway still find their report.
- Personal data: ``first_name``/``last_name``/``email``/``phone`` go to the report's sealed
  contact fields and never into any output here. An app that sends them declares that the
  reporter accepted their use for the follow-up (its terms of use; our ``key_service`` text
  says so), so consent is implied. Without a phone or e-mail the report is anonymous.
- ``media_url`` is kept with the report's attributes as sent and never fetched; the
  ``media_url`` we answer is the report's first moderated (public) photo.
- GET answers are the same for every caller (public reports only), so they are marked
  ``public, max-age`` and the platform's micro-cache (``web/pagecache.py``) shares them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.complaints import service
from pontive.complaints.models import Complaint
from pontive.complaints.open311_format import (
    CONTENT_TYPES,
    attribute_item,
    messages,
    render_error,
    requests_body,
    respond,
    service_item,
    service_notice,
)
from pontive.complaints.open311_params import (
    Submission,
    category_or_404,
    complaint_data,
    list_query,
    read_submission,
)
from pontive.core import auth
from pontive.core.errors import NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.settings import Environment
from pontive.web.deps import DbSession, get_lang
from pontive.web.errors import register_adapter
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

JURISDICTION = "pontianak.go.id"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-29T00:00:00+07:00"  # change when this endpoint's behaviour changes
REQUESTS_SECONDS = 10  # how long a GET of requests may be shared by the micro-cache
CATALOGUE_SECONDS = 60

router = PontiveRouter(prefix="/open311/v2", include_in_schema=False)
register_adapter("/open311/", render_error)


def _query(request: Request) -> dict[str, str]:
    # Open311: an optional parameter sent empty is treated exactly as if absent.
    return {k: v.strip() for k, v in request.query_params.multi_items() if v.strip()}


def _format(fmt: str) -> str:
    if fmt not in CONTENT_TYPES:
        raise NotFound(*messages("open311.bad_extension"))
    return fmt


def _check_jurisdiction(params: dict[str, str]) -> None:
    # One city per server: a jurisdiction_id may be left out, but not be another city's.
    value = params.get("jurisdiction_id")
    if value is not None and value.lower() != JURISDICTION:
        raise NotFound(*messages("open311.jurisdiction_unknown", value=value))


def _open(fmt: str, request: Request) -> tuple[str, dict[str, str], str]:
    """Format, parameters and language of a GET, after the checks every endpoint makes."""
    fmt = _format(fmt)
    params = _query(request)
    _check_jurisdiction(params)
    return fmt, params, get_lang(request)


# --- discovery and the service catalogue ---------------------------------------------------


@router.get("/discovery.{fmt}")
def discovery(fmt: str, request: Request) -> Response:
    """Where the GeoReport v2 endpoint is, who runs it, how to get an API key."""
    fmt, _params, lang = _open(fmt, request)
    settings = request.app.state.settings
    endpoint = {
        "specification": SPECIFICATION,
        "url": f"{settings.base_url.rstrip('/')}{router.prefix}",
        "changeset": CHANGESET,
        "type": "production" if settings.env is Environment.PRODUCTION else "test",
        "formats": [value.split(";")[0] for value in CONTENT_TYPES.values()],
    }
    body = {
        "changeset": CHANGESET,
        "contact": translate("open311.contact", lang),
        "key_service": translate("open311.key_service", lang),
        "endpoints": [endpoint],
    }
    return respond(fmt, "discovery", body, max_age=CATALOGUE_SECONDS)


@router.get("/services.{fmt}")
def list_services(fmt: str, request: Request, session: DbSession) -> Response:
    """The active categories as Open311 services."""
    fmt, _params, lang = _open(fmt, request)
    body = [service_item(category, lang) for category in service.list_categories(session)]
    return respond(fmt, "services", body, max_age=CATALOGUE_SECONDS)


@router.get("/services/{code}.{fmt}")
@router.get("/service/{code}.{fmt}")  # PyPI open311 1.1 asks the singular path
def read_service_definition(code: str, fmt: str, request: Request, session: DbSession) -> Response:
    """A category's extra questions (Open311 attributes), in their order."""
    fmt, _params, lang = _open(fmt, request)
    category = category_or_404(session, code)
    body = {
        "service_code": category.code,
        "attributes": [attribute_item(attribute, lang) for attribute in category.attributes],
    }
    return respond(fmt, "service_definition", body, max_age=CATALOGUE_SECONDS)


@router.get("/requests.{fmt}")
def list_requests(fmt: str, request: Request, session: DbSession) -> Response:
    """Public reports, newest first: by ids, or by service, window and status; paged."""
    fmt, params, lang = _open(fmt, request)
    filters, page, page_size = list_query(params, lang)
    complaints = service.list_public(session, filters=filters, page=page, page_size=page_size)
    body = requests_body(session, request, complaints, lang)
    return respond(fmt, "service_requests", body, max_age=REQUESTS_SECONDS)


@router.get("/requests/{request_id}.{fmt}")
def read_request(request_id: str, fmt: str, request: Request, session: DbSession) -> Response:
    """One public report, still wrapped as a list of one."""
    fmt, _params, lang = _open(fmt, request)
    complaint = _public_or_404(session, request_id, "open311.request_not_found")
    body = requests_body(session, request, [complaint], lang)
    return respond(fmt, "service_requests", body, max_age=REQUESTS_SECONDS)


@router.get("/tokens/{token}.{fmt}")
def read_token(token: str, fmt: str, request: Request, session: DbSession) -> Response:
    """The request id of a token: every service is realtime, so a token is a request id."""
    fmt, _params, _lang = _open(fmt, request)
    complaint = _public_or_404(session, token, "open311.token_not_found")
    body = [{"service_request_id": complaint.tracking_number, "token": token}]
    return respond(fmt, "service_requests", body, max_age=REQUESTS_SECONDS)


def _public_or_404(session: Session, tracking_number: str, message_key: str) -> Complaint:
    try:
        return service.get_public(session, tracking_number)
    except NotFound:
        raise NotFound(*messages(message_key, value=tracking_number)) from None


# --- submitting a request ----------------------------------------------------------------


def _key_actor(session: Session, secret: str | None) -> Actor:
    if secret is None:
        raise PermissionDenied(*messages("open311.api_key_missing"))
    actor = auth.resolve_api_key(session=session, secret=secret)
    if actor is None:
        raise PermissionDenied(*messages("open311.api_key_invalid"))
    return actor


@router.post("/requests.{fmt}")
def create_request(
    fmt: str,
    request: Request,
    session: DbSession,
    submission: Annotated[Submission, Depends(read_submission)],
) -> Response:
    """Receive a report from an app (API key required); answers its service_request_id."""
    fmt = _format(fmt)
    _check_jurisdiction(submission.fields)
    secret = submission.fields.get("api_key") or request.headers.get("x-api-key")
    actor = _key_actor(session, secret)
    lang = get_lang(request)
    data = complaint_data(session, submission, lang)
    receipt = service.create_complaint(
        session=session,
        data=data,
        actor=actor,
        media=request.app.state.media,
        photos=submission.uploads,
    )
    complaint = receipt.complaint
    agencies = {pd.kode: pd.nama for pd in reference.list_perangkat_daerah(session=session)}
    notice = service_notice(complaint, agencies.get(complaint.pd_kode, complaint.pd_kode), lang)
    body = [{"service_request_id": complaint.tracking_number, "service_notice": notice}]
    return respond(fmt, "service_requests", body)
