"""Complaint use-cases: read, list and find reports near a place; the permissions.

Receiving a report is in ``intake.py`` (its names are re-exported here). The workflow
(state changes, replies, merging, ratings) is in ``workflow.py``; both write the audit trail
and publish bus events inside the same transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only, selectinload

from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus, UpdateKind
from pontive.complaints.intake import (
    KEPT_ATTRIBUTES,
    TRACKING_PREFIX,
    CategorySnapshot,
    Receipt,
    Upload,
    access_token,
    check_access_token,
    complaint_event,
    create_complaint,
    find_category,
    forget_catalogue,
    validate_attributes,
    validate_complaint,
)
from pontive.complaints.models import Complaint, ComplaintPhoto, ComplaintUpdate, ServiceCategory
from pontive.complaints.notify import queue_message, queue_to_staff, settle_demo_messages
from pontive.complaints.overview import (
    URGENCY_ORDER,
    ReportPoint,
    daily_counts,
    open_by_pd,
    open_by_urgency,
    open_points,
)
from pontive.complaints.photos import process_photo
from pontive.complaints.stats import complaint_stats
from pontive.core import audit, permissions
from pontive.core.errors import NotFound
from pontive.core.geo import haversine_m
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow

# Receiving a report lives in ``intake.py``, the figures in ``stats.py`` and the glance for
# the situation room in ``overview.py``; their names stay importable from here.
__all__ = [
    "KEPT_ATTRIBUTES",
    "TRACKING_PREFIX",
    "URGENCY_ORDER",
    "CategorySnapshot",
    "Receipt",
    "ReportPoint",
    "Upload",
    "access_token",
    "check_access_token",
    "complaint_event",
    "complaint_stats",
    "create_complaint",
    "daily_counts",
    "find_category",
    "forget_catalogue",
    "open_by_pd",
    "open_by_urgency",
    "open_points",
    "process_photo",
    "queue_message",
    "queue_to_staff",
    "settle_demo_messages",
    "validate_attributes",
    "validate_complaint",
]

NEARBY_RADIUS_M = 250.0
NEARBY_DAYS = 30

# Who may do what with reports (tested as a matrix in tests/complaints/test_permissions.py).
TRIAGE = permissions.register("complaints.triage", {Role.OPERATOR, Role.ADMIN})
WORK = permissions.register(
    "complaints.work", {Role.PETUGAS_PD, Role.OPERATOR, Role.ADMIN}, pd_scoped=True
)
VIEW_INTERNAL = permissions.register(
    "complaints.view_internal",
    {Role.PETUGAS_PD, Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.DEWAN, Role.ADMIN},
    pd_scoped=True,
)
VIEW_CONTACT = permissions.register(
    "complaints.view_contact", {Role.PETUGAS_PD, Role.OPERATOR, Role.ADMIN}, pd_scoped=True
)
MANAGE_CATALOGUE = permissions.register(
    "complaints.manage_catalogue", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    """Filters for queues, the public list and Open311."""

    statuses: frozenset[ComplaintStatus] = frozenset()
    category_codes: frozenset[str] = frozenset()
    pd_kode: str | None = None
    kelurahan_kode: str | None = None
    tracking_numbers: frozenset[str] = frozenset()
    created_from: datetime | None = None
    created_to: datetime | None = None
    is_overdue: bool | None = None
    text: str | None = None
    public_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def get_category(session: Session, code: str, *, active_only: bool = True) -> ServiceCategory:
    """The category with this service code, or ``NotFound``."""
    query = select(ServiceCategory).where(ServiceCategory.code == code)
    if active_only:
        query = query.where(ServiceCategory.is_active.is_(True))
    category = session.scalar(query.options(selectinload(ServiceCategory.attributes)))
    if category is None:
        raise NotFound(f"Kategori '{code}' tidak ditemukan.", f"No category '{code}'.")
    return category


def list_categories(session: Session, *, active_only: bool = True) -> list[ServiceCategory]:
    """The service catalogue, by group and name."""
    query = select(ServiceCategory).options(selectinload(ServiceCategory.attributes))
    if active_only:
        query = query.where(ServiceCategory.is_active.is_(True))
    return list(session.scalars(query.order_by(ServiceCategory.group, ServiceCategory.name_id)))


def _with_details() -> Select[Complaint]:
    """Reports with their category, timeline and photos loaded up front (no N+1)."""
    return select(Complaint).options(
        selectinload(Complaint.category),
        selectinload(Complaint.updates),
        selectinload(Complaint.photos),
    )


def get_by_tracking(session: Session, tracking_number: str) -> Complaint:
    """The report with this tracking number, or ``NotFound``."""
    complaint: Complaint | None = session.scalar(
        _with_details().where(Complaint.tracking_number == tracking_number.strip().upper())
    )
    if complaint is None:
        raise NotFound(
            f"Laporan {tracking_number} tidak ditemukan.", f"Report {tracking_number} not found."
        )
    return complaint


def get_public(session: Session, tracking_number: str) -> Complaint:
    """A report anyone may see (hidden reports are not found)."""
    complaint = get_by_tracking(session, tracking_number)
    if not complaint.is_public:
        raise NotFound
    return complaint


def get_for_reporter(session: Session, tracking_number: str, token: str) -> Complaint:
    """A report opened through its private link."""
    if not check_access_token(tracking_number.strip().upper(), token):
        raise NotFound
    return get_by_tracking(session, tracking_number)


def get_for_staff(session: Session, *, actor: Actor, tracking_number: str) -> Complaint:
    """A report with its internal details, for staff entitled to see it."""
    complaint = get_by_tracking(session, tracking_number)
    permissions.require(actor, VIEW_INTERNAL, owner_pd=complaint.pd_kode)
    return complaint


def read_contact(session: Session, *, actor: Actor, complaint: Complaint) -> dict[str, str | None]:
    """The reporter's contact details; every read is written to the audit trail."""
    permissions.require(actor, VIEW_CONTACT, owner_pd=complaint.pd_kode)
    audit.record(
        session,
        actor=actor,
        action="complaint.read_contact",
        object_type="complaint",
        object_id=complaint.tracking_number,
    )
    session.commit()
    return {
        "name": complaint.reporter_name,
        "phone": complaint.reporter_phone,
        "email": complaint.reporter_email,
    }


def _apply_filter(query: Any, filters: ComplaintFilter) -> Any:
    if filters.statuses:
        query = query.where(Complaint.status.in_(filters.statuses))
    if filters.category_codes:
        query = query.join(ServiceCategory).where(ServiceCategory.code.in_(filters.category_codes))
    if filters.pd_kode:
        query = query.where(Complaint.pd_kode == filters.pd_kode)
    if filters.kelurahan_kode:
        query = query.where(Complaint.kelurahan_kode == filters.kelurahan_kode)
    if filters.tracking_numbers:
        query = query.where(Complaint.tracking_number.in_(filters.tracking_numbers))
    if filters.created_from:
        query = query.where(Complaint.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Complaint.created_at <= filters.created_to)
    if filters.is_overdue is not None:
        today = utcnow().astimezone(WIB).date()
        # The same rule as views.is_overdue: a report waiting for its reporter is not late.
        overdue = (
            Complaint.status.in_(OPEN_STATUSES)
            & (Complaint.due_on < today)
            & Complaint.paused_at.is_(None)
        )
        query = query.where(overdue if filters.is_overdue else ~overdue)
    if filters.text:
        pattern = f"%{filters.text.lower()}%"
        query = query.where(
            func.lower(Complaint.public_description).like(pattern)
            | (Complaint.tracking_number == filters.text.upper())
        )
    if filters.public_only:
        query = query.where(Complaint.is_public.is_(True))
    return query


# Queue orders: newest first, oldest first, or the nearest due date first.
SORT_ORDERS: dict[str, tuple[Any, ...]] = {
    "newest": (Complaint.created_at.desc(), Complaint.id.desc()),
    "oldest": (Complaint.created_at.asc(), Complaint.id.asc()),
    "due": (Complaint.due_on.asc().nulls_last(), Complaint.id.asc()),
}


def list_public(
    session: Session, *, filters: ComplaintFilter, page: int = 1, page_size: int = 50
) -> list[Complaint]:
    """A page of public reports, newest first, for public feeds (Open311): no count, and
    only public columns loaded, so personal data is never even decrypted. Of each report's
    timeline and photos only what a feed shows is loaded: its public status changes (the
    latest one's reason is ``status_notes``) and its public photos before the fix; the
    collections of these objects hold just those."""
    filters = ComplaintFilter(**{**_as_dict(filters), "public_only": True})
    status_changes = Complaint.updates.and_(
        ComplaintUpdate.is_public.is_(True), ComplaintUpdate.kind == UpdateKind.STATUS
    )
    report_photos = Complaint.photos.and_(
        ComplaintPhoto.is_public.is_(True), ComplaintPhoto.is_fix.is_(False)
    )
    query = _apply_filter(select(Complaint), filters).options(
        load_only(*(getattr(Complaint, name) for name in PUBLIC_COLUMNS)),
        selectinload(Complaint.category),
        selectinload(status_changes).load_only(
            ComplaintUpdate.kind, ComplaintUpdate.is_public, ComplaintUpdate.message
        ),
        selectinload(report_photos).load_only(ComplaintPhoto.is_public, ComplaintPhoto.is_fix),
    )
    query = query.order_by(Complaint.created_at.desc(), Complaint.id.desc())
    return list(session.scalars(query.limit(page_size).offset((page - 1) * page_size)))


PUBLIC_COLUMNS = (
    "tracking_number",
    "category_id",
    "public_description",
    "address",
    "lon",
    "lat",
    "kelurahan_kode",
    "kecamatan_kode",
    "pd_kode",
    "status",
    "created_at",
    "updated_at",
    "due_on",
)


def list_complaints(
    session: Session,
    *,
    filters: ComplaintFilter,
    page: int = 1,
    page_size: int = 50,
    sort: str | None = None,
) -> tuple[list[Complaint], int]:
    """A page of reports matching ``filters`` and the total count (callers check access)."""
    base = _apply_filter(select(Complaint), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    order = SORT_ORDERS[sort or "newest"]
    query = _apply_filter(_with_details(), filters).order_by(*order)
    rows = session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return list(rows), total


def list_queue(
    session: Session,
    *,
    actor: Actor,
    filters: ComplaintFilter,
    page: int = 1,
    page_size: int = 50,
    sort: str = "newest",
) -> tuple[list[Complaint], int]:
    """A staff queue: PD officers see their own PD's reports only."""
    filters = _scope_queue(actor, filters)
    return list_complaints(session, filters=filters, page=page, page_size=page_size, sort=sort)


def _scope_queue(actor: Actor, filters: ComplaintFilter) -> ComplaintFilter:
    if actor.role is Role.PETUGAS_PD:
        permissions.require(actor, VIEW_INTERNAL, owner_pd=actor.pd_kode)
        return ComplaintFilter(**{**_as_dict(filters), "pd_kode": actor.pd_kode})
    permissions.require(actor, VIEW_INTERNAL, owner_pd=filters.pd_kode)
    return filters


def count_queue_by_status(
    session: Session, *, actor: Actor, filters: ComplaintFilter
) -> dict[ComplaintStatus, int]:
    """How many reports of the actor's queue are in each state (``filters.statuses`` ignored)."""
    scoped = ComplaintFilter(**{**_as_dict(_scope_queue(actor, filters)), "statuses": frozenset()})
    query = _apply_filter(select(Complaint.status, func.count()), scoped)
    rows = session.execute(query.group_by(Complaint.status)).all()
    return {ComplaintStatus(status): count for status, count in rows}


def _as_dict(filters: ComplaintFilter) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in ComplaintFilter.__slots__}


def find_nearby(
    session: Session,
    *,
    category_code: str | None,
    lon: float,
    lat: float,
    radius_m: float = NEARBY_RADIUS_M,
    days: int = NEARBY_DAYS,
    exclude_id: int | None = None,
    public_only: bool = True,
) -> list[Complaint]:
    """Open public reports of the same kind close by: "already reported? follow it instead"
    (``category_code=None``: of any kind; ``public_only=False``: the hidden ones too, for
    staff, e.g. the reports near an incident), nearest first."""
    # A bounding box first (index-friendly), then the exact distance.
    dlat = radius_m / 111_320.0
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    since = utcnow() - timedelta(days=days)
    query = (
        _with_details()
        .join(ServiceCategory)
        .where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.created_at >= since,
            Complaint.lon.between(lon - dlon, lon + dlon),
            Complaint.lat.between(lat - dlat, lat + dlat),
        )
    )
    if category_code is not None:
        query = query.where(ServiceCategory.code == category_code)
    if public_only:
        query = query.where(Complaint.is_public.is_(True))
    if exclude_id is not None:
        query = query.where(Complaint.id != exclude_id)
    found = [
        c
        for c in session.scalars(query)
        if c.lon is not None
        and c.lat is not None
        and haversine_m(lon, lat, c.lon, c.lat) <= radius_m
    ]
    return sorted(found, key=lambda c: haversine_m(lon, lat, c.lon or 0, c.lat or 0))


def get_photo(session: Session, *, photo_id: int, token: str | None = None) -> ComplaintPhoto:
    """A photo anyone may see (moderated public, on a public report), or one the reporter
    opens through the report's private link; otherwise ``NotFound``."""
    photo = session.get(ComplaintPhoto, photo_id)
    if photo is None:
        raise NotFound
    complaint = photo.complaint
    if photo.is_public and complaint.is_public:
        return photo
    if token and check_access_token(complaint.tracking_number, token):
        return photo
    raise NotFound
