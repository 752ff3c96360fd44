"""The native complaints API (``/api/v1/complaints``): reports, their workflow, the catalogue.

Anonymous callers and citizens get the public view; staff get the staff view of reports they
may see. Contact details have their own audited endpoint. Errors are ``{"detail","errors"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from pontive.complaints import catalogue, service, workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.page_support import read_uploads
from pontive.complaints.photos import MAX_PHOTOS
from pontive.complaints.ratelimit import is_rate_limited_reporter, report_limiter
from pontive.complaints.schemas import (
    CategoryPatch,
    CategoryRead,
    CategoryWrite,
    ComplaintCreate,
    ComplaintPage,
    ComplaintPublic,
    ComplaintReceipt,
    ComplaintStaff,
    ModerationRequest,
    ReporterContact,
    TransitionRequest,
    UpdateCreate,
)
from pontive.complaints.views import load_names, to_public, to_staff
from pontive.core import permissions
from pontive.core.errors import RateLimited
from pontive.core.identity import Actor
from pontive.web.deps import CurrentActor, DbSession, Lang
from pontive.web.i18n import translate
from pontive.web.openapi import document_schema
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/complaints", tags=["complaints"])

Tracking = Annotated[str, "tracking number"]


def _is_staff_reader(actor: Actor) -> bool:
    # PD officers are pd-scoped: ``owner_pd`` = their own PD asks "may they see any at all".
    return permissions.can(actor, service.VIEW_INTERNAL, owner_pd=actor.pd_kode)


def _check_report_quota(request: Request) -> None:
    limiter = report_limiter(request.app.state)
    if not limiter.hit(request.client.host if request.client else "unknown"):
        quota = {"limit": limiter.limit, "minutes": int(limiter.window // 60)}
        raise RateLimited(
            translate("pub.form.rate_limited", "id", **quota),
            translate("pub.form.rate_limited", "en", **quota),
        )


def _staff(session: Session, complaint: Complaint, lang: str) -> ComplaintStaff:
    return to_staff(complaint, load_names(session, [complaint]), lang=lang)


@router.get("/categories", response_model=list[CategoryRead])
def read_categories(
    session: DbSession, actor: CurrentActor, include_inactive: bool = False
) -> list[CategoryRead]:
    """The service catalogue (inactive categories only for catalogue managers)."""
    if include_inactive:
        permissions.require(actor, service.MANAGE_CATALOGUE)
    categories = service.list_categories(session, active_only=not include_inactive)
    return [CategoryRead.model_validate(c) for c in categories]


@router.post("/categories", response_model=CategoryRead, status_code=201)
def create_category(body: CategoryWrite, session: DbSession, actor: CurrentActor) -> CategoryRead:
    """Add a category (operators and the technical team)."""
    category = catalogue.create_category(session=session, actor=actor, data=body)
    return CategoryRead.model_validate(category)


@router.patch("/categories/{code}", response_model=CategoryRead)
def update_category(
    code: str, body: CategoryPatch, session: DbSession, actor: CurrentActor
) -> CategoryRead:
    """Change a category; ``is_active: false`` withdraws it from new reports."""
    category = catalogue.update_category(session=session, actor=actor, code=code, changes=body)
    return CategoryRead.model_validate(category)


@router.get("/nearby", response_model=list[ComplaintPublic])
def read_nearby(
    session: DbSession,
    lang: Lang,
    category: Annotated[str, Query(min_length=1, max_length=40)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> list[ComplaintPublic]:
    """Open public reports of the same kind close by ("already reported? follow it")."""
    found = service.find_nearby(session, category_code=category, lon=lon, lat=lat)
    names = load_names(session, found)
    return [to_public(c, names, lang=lang) for c in found]


@router.get("", response_model=ComplaintPage)
def read_complaints(
    session: DbSession,
    actor: CurrentActor,
    lang: Lang,
    status: Annotated[list[ComplaintStatus] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    pd: Annotated[str | None, Query(max_length=20)] = None,
    kelurahan: Annotated[str | None, Query(max_length=20)] = None,
    overdue: bool | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str, Query(pattern="^(newest|oldest|due)$")] = "newest",
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ComplaintPage:
    """Reports, newest first: the public list, or the caller's queue for staff."""
    filters = service.ComplaintFilter(
        statuses=frozenset(status or ()),
        category_codes=frozenset(category or ()),
        pd_kode=pd or None,
        kelurahan_kode=kelurahan or None,
        is_overdue=overdue,
        text=(q or "").strip() or None,
        public_only=not _is_staff_reader(actor),
    )
    if _is_staff_reader(actor):
        rows, total = service.list_queue(
            session, actor=actor, filters=filters, page=page, page_size=page_size, sort=sort
        )
        names = load_names(session, rows)
        staff_items = [to_staff(c, names, lang=lang) for c in rows]
        return ComplaintPage(items=staff_items, total=total, page=page, page_size=page_size)
    rows, total = service.list_complaints(
        session, filters=filters, page=page, page_size=page_size, sort=sort
    )
    names = load_names(session, rows)
    public_items = [to_public(c, names, lang=lang) for c in rows]
    return ComplaintPage(items=public_items, total=total, page=page, page_size=page_size)


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """A new report as JSON, or as multipart form data with its photos."""

    data: ComplaintCreate
    photos: list[service.Upload]


document_schema(ComplaintCreate)
# The body accepted by ``POST /api/v1/complaints``, for the OpenAPI document: FastAPI cannot
# declare a JSON body and a multipart alternative on one route by itself.
_CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ComplaintCreate"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "data": {
                            "type": "string",
                            "description": "The report as JSON (the ComplaintCreate schema).",
                        },
                        "photos": {
                            "type": "array",
                            "maxItems": MAX_PHOTOS,
                            "items": {"type": "string", "format": "binary"},
                            "description": "JPEG, PNG, WebP or HEIC photos (checked by content).",
                        },
                    },
                }
            },
        },
    }
}


async def read_create_request(request: Request) -> CreateRequest:
    """Read the report from a JSON body, or from the ``data`` part of a multipart body."""
    photos: list[service.Upload] = []
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=MAX_PHOTOS * 4)
        try:
            payload = form.get("data")
            photos = read_uploads(form)
        finally:
            await form.close()
        if not isinstance(payload, str) or not payload.strip():
            raise RequestValidationError(
                [{"loc": ("body", "data"), "msg": "Field required", "type": "missing"}]
            )
        raw: str | bytes = payload
    else:
        raw = await request.body()
    try:
        data = ComplaintCreate.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None
    return CreateRequest(data=data, photos=photos)


@router.post("", response_model=ComplaintReceipt, status_code=201, openapi_extra=_CREATE_BODY)
def create_complaint(
    body: Annotated[CreateRequest, Depends(read_create_request)],
    request: Request,
    session: DbSession,
    actor: CurrentActor,
) -> ComplaintReceipt:
    """File a report (JSON, or multipart with photos); an ``idempotency_key`` makes a retried
    call return the same report.

    Anonymous callers and citizens share the report form's quota per client address (a 429
    beyond it); staff and API keys are not limited.
    """
    if is_rate_limited_reporter(actor):
        _check_report_quota(request)
    receipt = service.create_complaint(
        session=session,
        data=body.data,
        actor=actor,
        media=request.app.state.media,
        photos=body.photos,
    )
    tracking = receipt.complaint.tracking_number
    return ComplaintReceipt(
        tracking_number=tracking,
        status=receipt.complaint.status,
        access_token=receipt.access_token,
        private_url=f"/lapor/{tracking}?k={receipt.access_token}",
        is_new=receipt.is_new,
    )


@router.get("/{tracking}", response_model=ComplaintStaff | ComplaintPublic)
def read_complaint(
    tracking: Tracking, session: DbSession, actor: CurrentActor, lang: Lang
) -> ComplaintStaff | ComplaintPublic:
    """One report: the staff view when the caller may see its internals, else the public one."""
    complaint = service.get_by_tracking(session, tracking)
    if permissions.can(actor, service.VIEW_INTERNAL, owner_pd=complaint.pd_kode):
        return _staff(session, complaint, lang)
    complaint = service.get_public(session, tracking)
    return to_public(complaint, load_names(session, [complaint]), lang=lang)


@router.get("/{tracking}/contact", response_model=ReporterContact)
def read_contact(tracking: Tracking, session: DbSession, actor: CurrentActor) -> ReporterContact:
    """The reporter's contact details (entitled staff only; every read is audited)."""
    complaint = service.get_for_staff(session, actor=actor, tracking_number=tracking)
    return ReporterContact(**service.read_contact(session, actor=actor, complaint=complaint))


@router.post("/{tracking}/transitions", response_model=ComplaintStaff)
def create_transition(
    tracking: Tracking, body: TransitionRequest, session: DbSession, actor: CurrentActor, lang: Lang
) -> ComplaintStaff:
    """Move a report to another state (the workflow and the caller's role decide)."""
    complaint = workflow.transition(
        session=session,
        actor=actor,
        tracking_number=tracking,
        to=body.to,
        message=body.message,
        pd_kode=body.pd_kode,
        duplicate_of=body.duplicate_of,
    )
    return _staff(session, complaint, lang)


@router.post("/{tracking}/updates", response_model=ComplaintStaff, status_code=201)
def create_update(
    tracking: Tracking, body: UpdateCreate, session: DbSession, actor: CurrentActor, lang: Lang
) -> ComplaintStaff:
    """Reply to the reporter (``is_public``) or add an internal note."""
    workflow.add_update(
        session=session,
        actor=actor,
        tracking_number=tracking,
        message=body.message,
        is_public=body.is_public,
    )
    return _staff(session, service.get_by_tracking(session, tracking), lang)


@router.post("/{tracking}/moderation", response_model=ComplaintStaff)
def moderate(
    tracking: Tracking, body: ModerationRequest, session: DbSession, actor: CurrentActor, lang: Lang
) -> ComplaintStaff:
    """Change what the public sees: text, visibility, which photos are shown."""
    complaint = workflow.moderate(
        session=session,
        actor=actor,
        tracking_number=tracking,
        public_description=body.public_description,
        is_public=body.is_public,
        public_photo_ids=set(body.public_photo_ids) if body.public_photo_ids is not None else None,
    )
    return _staff(session, complaint, lang)
