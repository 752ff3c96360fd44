"""Who may watch which camera, decided per request and written down each time.

One function decides (:func:`decide`): a public camera is anyone's; an internal camera is for
the staff roles that watch cameras (a PD officer: the PD's own); an on-request camera has no
live view at all (footage goes through ``cctv/footage.py``); a camera that is not active —
awaiting review, paused or withdrawn by its owner, retired — is nobody's, except that
reviewers may test an enrolled camera's stream. Because the decision reads the stored status
on every request, an owner's pause takes effect at once.

:func:`watch` applies the decision for the pages, the snapshot route and the restreamer's
authentication callback alike, and keeps the record: every view of a non-public camera and
every refusal becomes a ``CameraView`` row (who, which camera, how, from where, until when)
and an event in the hash-chained audit log. The restreamer cannot see Pontive's session
cookie, so a page hands its player a short-lived signed *stream token* naming the viewer and
the camera (:func:`stream_token`); the callback turns it back into the viewer.
"""

from __future__ import annotations

import base64
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.cctv.choices import CameraStatus, Sharing
from pontive.cctv.models import Camera, CameraView
from pontive.cctv.service import READ_VIEWS, REVIEW, VIEW_INTERNAL
from pontive.core import audit, crypto, permissions
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

STREAM_TOKEN_SECONDS = 6 * 3600  # a player keeps its URL while a wall stays open
_SIGNING_PURPOSE = "cctv-stream"  # a key name, not a secret


class Via(StrEnum):
    """How a camera is being watched."""

    PAGE = "page"  # a camera's page with its live player
    SNAPSHOT = "snapshot"  # a still image through Pontive
    STREAM = "stream"  # the restreamer's video (its authentication callback)
    WALL = "wall"  # a tile of the video wall


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a view is allowed, and why (an English code kept in the records)."""

    allowed: bool
    reason: str


def decide(actor: Actor, camera: Camera | None) -> Decision:
    """Whether ``actor`` may watch ``camera`` live or as a snapshot right now."""
    if camera is None:
        return Decision(allowed=False, reason="unknown_camera")
    if camera.status is CameraStatus.DIAJUKAN:
        allowed = permissions.can(actor, REVIEW)
        return Decision(allowed, "review" if allowed else "not_shared")
    if camera.status is not CameraStatus.AKTIF:
        return Decision(allowed=False, reason=f"status_{camera.status.value}")
    if camera.sharing is Sharing.ON_REQUEST:
        return Decision(allowed=False, reason="on_request")
    if camera.sharing is Sharing.PUBLIK:
        return Decision(allowed=True, reason="public")
    if permissions.can(actor, VIEW_INTERNAL, owner_pd=camera.pd_kode):
        return Decision(allowed=True, reason="staff")
    if actor.role is Role.PETUGAS_PD:
        return Decision(allowed=False, reason="other_pd")
    return Decision(allowed=False, reason="role" if actor.is_authenticated else "sign_in")


@dataclass(frozen=True, slots=True)
class Watch:
    """The outcome of :func:`watch`: the camera (if found), the decision, the record."""

    camera: Camera | None
    decision: Decision
    view_id: int | None  # the ``CameraView`` row, when one was written


def watch(
    session: Session,
    *,
    actor: Actor,
    camera_code: str,
    via: Via,
    protocol: str = "",
    ip: str | None = None,
    reader_id: str = "",
    within_view: int | None = None,
) -> Watch:
    """Decide a view and record it (non-public or refused); commits the record.

    ``within_view`` names a view this actor already opened on this camera (a wall tile or a
    camera page refreshing its snapshot): while it is open, allowed refreshes are part of
    it and write nothing new; the decision itself is still taken afresh every time.
    """
    code = camera_code.strip().upper()[:60]
    camera = session.scalar(select(Camera).where(Camera.code == code))
    decision = decide(actor, camera)
    if decision.allowed and decision.reason == "public":
        return Watch(camera, decision, None)
    if decision.allowed and within_view is not None:
        open_view = _open_view(session, within_view, actor, camera)
        if open_view is not None:
            return Watch(camera, decision, open_view.id)
    view = CameraView(
        camera_id=camera.id if camera is not None else None,
        camera_code=code,
        actor=actor.label,
        actor_role=actor.role.value if actor.role else "-",
        via=via.value,
        protocol=protocol[:20],
        allowed=decision.allowed,
        reason=decision.reason,
        ip=ip or None,
        reader_id=reader_id[:80],
        started_at=utcnow(),
        ended_at=None if decision.allowed else utcnow(),
    )
    session.add(view)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="cctv.view" if decision.allowed else "cctv.view_refused",
        object_type="cctv_camera",
        object_id=code,
        after={"via": via.value, "protocol": protocol, "reason": decision.reason},
    )
    session.commit()
    return Watch(camera, decision, view.id)


OPEN_VIEW_HOURS = 12  # a view left open longer (a tab never closed) is not extended


def _open_view(
    session: Session, view_id: int, actor: Actor, camera: Camera | None
) -> CameraView | None:
    view = session.get(CameraView, view_id)
    if view is None or camera is None or view.camera_id != camera.id:
        return None
    if view.actor != actor.label or not view.allowed or view.ended_at is not None:
        return None
    if view.started_at < utcnow() - timedelta(hours=OPEN_VIEW_HOURS):
        return None
    return view


def end_own_view(session: Session, *, actor: Actor, view_id: int) -> bool:
    """Close a view the actor opened (a page or wall tile closing); whether it was open."""
    view = session.get(CameraView, view_id)
    if view is None or view.actor != actor.label or view.ended_at is not None:
        return False
    view.ended_at = utcnow()
    session.commit()
    return True


def end_views(session: Session, *, reader_id: str = "", view_id: int | None = None) -> int:
    """Close open views: the restreamer's reader left, or a page's player closed."""
    if not reader_id and view_id is None:
        return 0
    query = update(CameraView).where(CameraView.ended_at.is_(None))
    if reader_id:
        query = query.where(CameraView.reader_id == reader_id[:80])
    if view_id is not None:
        query = query.where(CameraView.id == view_id)
    closed = session.execute(query.values(ended_at=utcnow())).rowcount  # type: ignore[attr-defined]
    session.commit()
    return int(closed or 0)


def list_views(
    session: Session, *, actor: Actor, camera_code: str | None = None, limit: int = 200
) -> list[CameraView]:
    """The latest views and refusals (newest first), for the audit page."""
    permissions.require(actor, READ_VIEWS)
    query = select(CameraView).order_by(CameraView.id.desc()).limit(max(1, min(limit, 1000)))
    if camera_code:
        query = query.where(CameraView.camera_code == camera_code.strip().upper())
    return list(session.scalars(query))


# --- stream tokens -----------------------------------------------------------------------


def stream_token(actor: Actor, camera: Camera, *, seconds: int = STREAM_TOKEN_SECONDS) -> str:
    """A signed token naming the viewer and the camera, for the restreamer's player URL."""
    payload = {
        "k": actor.kind.value,
        "r": actor.role.value if actor.role else None,
        "i": actor.id,
        "n": actor.name,
        "pd": actor.pd_kode,
        "p": camera.stream_path,
        "e": int(time.time()) + seconds,
    }
    body = base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")
    return f"{body}.{_signature(body)}"


def actor_from_token(token: str, stream_path: str) -> Actor | None:
    """The viewer a valid, unexpired token for ``stream_path`` names; ``None`` otherwise."""
    body, _, signature = token.strip().partition(".")
    if not body or not hmac.compare_digest(_signature(body), signature):
        return None
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        expires, path = int(payload["e"]), str(payload["p"])
        kind = ActorKind(payload["k"])
        role = Role(payload["r"]) if payload["r"] else None
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return None
    if expires < time.time() or path != stream_path.strip("/").lower():
        return None
    if kind is ActorKind.ANONYMOUS:
        return ANONYMOUS
    return Actor(
        kind=kind,
        role=role,
        id=payload.get("i"),
        name=str(payload.get("n") or ""),
        pd_kode=payload.get("pd"),
    )


def _signature(body: str) -> str:
    return crypto.sign(body, purpose=_SIGNING_PURPOSE)
