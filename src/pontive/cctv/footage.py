"""Footage on request: recorded video of an *on-request* camera, only if its owner agrees.

An operator asks for a time window with a reason, linked to a complaint or an incident
(``request_footage``); the owner answers from a private link (``answer_footage``), which the
operator forwards (it is shown once) — or from the owner's own camera link, which lists
every request. The footage itself stays with the owner, who hands it over as agreed; Pontive
keeps the request, the answer and who did what, every step in the audit log. Unanswered
requests lapse after ``ANSWER_DAYS`` (``expire_requests``, a worker job).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.cctv.choices import CameraStatus, FootageStatus, Sharing
from pontive.cctv.models import Camera, FootageRequest
from pontive.cctv.service import REQUEST_FOOTAGE, camera_event, owner_camera, secret_hash
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import emit
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow

ANSWER_DAYS = 7
MAX_WINDOW = timedelta(hours=24)
OLDEST_FOOTAGE = timedelta(days=30)  # owners' recorders rarely keep more


@dataclass(frozen=True, slots=True)
class Requested:
    """A new request and the secret of its answer link (shown once)."""

    request: FootageRequest
    answer_token: str


def request_footage(
    *,
    session: Session,
    actor: Actor,
    camera: Camera,
    window_start: datetime,
    window_end: datetime,
    reason: str,
    complaint_tracking: str = "",
    incident_ref: str = "",
) -> Requested:
    """Ask an on-request camera's owner for footage of ``[window_start, window_end)``."""
    permissions.require(actor, REQUEST_FOOTAGE)
    if camera.sharing is not Sharing.ON_REQUEST or camera.status is not CameraStatus.AKTIF:
        raise Conflict("Rekaman hanya dapat diminta dari kamera aktif 'atas permintaan'.",
                       "Footage is requested only from active on-request cameras.")  # fmt: skip
    now = utcnow()
    errors: dict[str, list[str]] = {}
    if window_end <= window_start:
        errors["window_end"] = ["Akhir rentang harus setelah awalnya."]
    elif window_end - window_start > MAX_WINDOW:
        errors["window_end"] = ["Rentang paling lama 24 jam."]
    if window_start > now:
        errors["window_start"] = ["Rentang harus sudah lewat."]
    elif window_start < now - OLDEST_FOOTAGE:
        errors["window_start"] = ["Rekaman lebih dari 30 hari biasanya sudah terhapus."]
    if len(reason.strip()) < 10:
        errors["reason"] = ["Jelaskan alasannya (minimal 10 huruf)."]
    if not complaint_tracking.strip() and not incident_ref.strip():
        errors["complaint_tracking"] = ["Kaitkan dengan nomor laporan atau kejadian."]
    if errors:
        raise InvalidInput(errors=errors)
    token = secrets.token_urlsafe(24)
    request = FootageRequest(
        camera_id=camera.id,
        requested_by=actor.label,
        window_start=window_start,
        window_end=min(window_end, now),
        reason=reason.strip()[:2000],
        complaint_tracking=complaint_tracking.strip().upper()[:40],
        incident_ref=incident_ref.strip()[:80],
        token_hash=secret_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=ANSWER_DAYS),
    )
    session.add(request)
    session.flush()
    _record(session, actor, request, "cctv.footage_requested", camera)
    session.commit()
    return Requested(request, token)


def answer_footage(
    *,
    session: Session,
    actor: Actor,
    approve: bool,
    note: str = "",
    answer_token: str = "",
    owner_token: str = "",
    request_id: int | None = None,
) -> FootageRequest:
    """The owner agrees or declines, through the request's link or the camera's own."""
    request = _owned_request(session, answer_token, owner_token, request_id)
    if request.status is not FootageStatus.MENUNGGU:
        raise Conflict("Permintaan ini sudah dijawab atau ditutup.",
                       "This request has already been answered or closed.")  # fmt: skip
    if request.expires_at <= utcnow():
        raise Conflict("Permintaan ini sudah kedaluwarsa.", "This request has expired.")
    camera = session.get(Camera, request.camera_id)
    if camera is None or camera.status is CameraStatus.DITARIK:
        raise Conflict("Kamera ini sudah ditarik pemiliknya.", "This camera was withdrawn.")
    request.status = FootageStatus.DISETUJUI if approve else FootageStatus.DITOLAK
    request.owner_note, request.decided_at = note.strip()[:2000], utcnow()
    action = "cctv.footage_approved" if approve else "cctv.footage_declined"
    _record(session, actor, request, action, camera)
    session.commit()
    return request


def cancel_footage(*, session: Session, actor: Actor, request_id: int) -> FootageRequest:
    """The operator withdraws a request still waiting for the owner."""
    permissions.require(actor, REQUEST_FOOTAGE)
    request = session.get(FootageRequest, request_id)
    if request is None:
        raise NotFound("Permintaan rekaman tidak ditemukan.", "Footage request not found.")
    if request.status is not FootageStatus.MENUNGGU:
        raise Conflict("Permintaan ini sudah dijawab atau ditutup.",
                       "This request has already been answered or closed.")  # fmt: skip
    request.status, request.decided_at = FootageStatus.DIBATALKAN, utcnow()
    _record(
        session, actor, request, "cctv.footage_cancelled", session.get(Camera, request.camera_id)
    )
    session.commit()
    return request


def list_requests(
    session: Session, *, actor: Actor | None = None, camera: Camera | None = None
) -> list[FootageRequest]:
    """Requests, newest first: all of them for staff, or one camera's (its owner's page)."""
    query = select(FootageRequest).order_by(FootageRequest.id.desc())
    if camera is not None:
        query = query.where(FootageRequest.camera_id == camera.id)
    elif actor is not None:
        permissions.require(actor, REQUEST_FOOTAGE)
    else:
        raise ValueError("list_requests needs an actor or a camera")
    return list(session.scalars(query.limit(500)))


def get_by_answer_token(session: Session, token: str) -> FootageRequest:
    """The request an owner's answer link opens."""
    request = session.scalar(
        select(FootageRequest).where(FootageRequest.token_hash == secret_hash(token))
    )
    if request is None or not token:
        raise NotFound("Tautan permintaan tidak dikenal.", "Unknown request link.")
    return request


def expire_requests(session: Session, *, now: datetime | None = None) -> int:
    """Close requests nobody answered in time; how many. Commits."""
    moment = now or utcnow()
    result = session.execute(
        update(FootageRequest)
        .where(FootageRequest.status == FootageStatus.MENUNGGU, FootageRequest.expires_at <= moment)
        .values(status=FootageStatus.KEDALUWARSA, decided_at=moment)
    )
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _owned_request(
    session: Session, answer_token: str, owner_token: str, request_id: int | None
) -> FootageRequest:
    if answer_token:
        return get_by_answer_token(session, answer_token)
    camera = owner_camera(session, owner_token)
    request = session.get(FootageRequest, request_id) if request_id is not None else None
    if request is None or request.camera_id != camera.id:
        raise NotFound("Permintaan rekaman tidak ditemukan.", "Footage request not found.")
    return request


def _record(
    session: Session, actor: Actor, request: FootageRequest, action: str, camera: Camera | None
) -> None:
    after = {
        "camera_id": request.camera_id,
        "status": request.status.value,
        "window_start": request.window_start.isoformat(),
        "window_end": request.window_end.isoformat(),
        "complaint_tracking": request.complaint_tracking,
        "incident_ref": request.incident_ref,
    }
    audit.record(
        session, actor=actor, action=action, object_type="cctv_footage_request",
        object_id=request.id, after=after,
    )  # fmt: skip
    if camera is not None:
        emit(session, camera_event("cctv.footage_changed", camera, request_id=request.id,
                                   footage_status=request.status.value))  # fmt: skip
