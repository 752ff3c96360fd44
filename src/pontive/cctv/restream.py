"""Pontive and the restreamer (MediaMTX): its authentication callback and its paths.

The restreamer carries the video; Pontive decides who sees it. MediaMTX asks
:func:`authorize` about every read (``authMethod: http``): the viewer comes from the signed
stream token of the page that made the player URL (``access.stream_token``), the camera
from the path, and the answer — with its record in ``cctv_views`` and the audit log — from
``access.watch``, the same decision the pages and the snapshot route take. Publishing is
refused (MediaMTX pulls each camera itself), and the control API and metrics only open to
Pontive's own user with the shared secret.

:func:`reconcile` keeps one on-demand path per camera that may be watched live (the
registry is the truth: a paused, withdrawn or retired camera loses its path), run by the
health service before each round.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from urllib.parse import parse_qs

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.cctv.access import Decision, Via, actor_from_token, watch
from pontive.cctv.mediamtx import Restreamer, RestreamerError
from pontive.cctv.models import Camera
from pontive.cctv.schemas import MediaMtxAuth
from pontive.core import audit
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role

log = logging.getLogger(__name__)

CONTROL_USER = "pontive"
_READS = frozenset({"read", "playback"})
_CONTROL = frozenset({"api", "metrics", "pprof"})


def authorize(session: Session, *, request: MediaMtxAuth, secret: str) -> Decision:
    """MediaMTX's question "may this request go ahead?", answered and recorded."""
    if request.action in _READS:
        path = request.path.strip("/").lower()
        camera = session.scalar(select(Camera).where(Camera.code == path.upper()))
        viewer = _viewer(request, path)
        outcome = watch(
            session,
            actor=viewer,
            camera_code=camera.code if camera is not None else path,
            via=Via.STREAM,
            protocol=request.protocol,
            ip=request.ip,
            reader_id=request.id or "",
        )
        return outcome.decision
    if request.action in _CONTROL:
        allowed = bool(secret) and request.user == CONTROL_USER
        allowed = allowed and hmac.compare_digest(request.password.encode(), secret.encode())
        decision = Decision(allowed, "restreamer_control" if allowed else "control_refused")
    else:  # publish, and anything MediaMTX may add later
        decision = Decision(False, f"{request.action or 'unknown'}_refused")
    if not decision.allowed:
        audit.record(
            session, actor=_restreamer_caller(request.user), action="cctv.restreamer_refused",
            object_type="cctv_restreamer", object_id=request.path.strip("/")[:60] or "-",
            after={"action": request.action, "protocol": request.protocol,
                   "reason": decision.reason},
        )  # fmt: skip
        session.commit()
    return decision


def _viewer(request: MediaMtxAuth, path: str) -> Actor:
    """The viewer a request's stream token names (``token`` field, ``?token=`` or the
    password of a player that sends it as credentials); anonymous without one."""
    candidates = [request.token, *parse_qs(request.query).get("token", []), request.password]
    for token in candidates:
        if token:
            actor = actor_from_token(token, path)
            if actor is not None:
                return actor
    return ANONYMOUS


def _restreamer_caller(user: str) -> Actor:
    return Actor(kind=ActorKind.SYSTEM, role=Role.WARGA, name=f"mediamtx:{user[:40] or '-'}")


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What one reconcile round changed on the restreamer."""

    added: int
    removed: int
    failed: int


def source_of(camera: Camera) -> str | None:
    """The address MediaMTX pulls the camera from (RTSP first, then HLS)."""
    return camera.rtsp_url or camera.hls_url


def reconcile(session: Session, restreamer: Restreamer) -> Reconciled:
    """One path per camera that may be watched live, none for the others. Commits."""
    cameras = list(session.scalars(select(Camera)))
    wanted = {c.stream_path: c for c in cameras if c.has_live_view and source_of(c)}
    try:
        existing = set(restreamer.paths())
    except RestreamerError as error:
        log.warning("restreamer unreachable: %s", error)
        return Reconciled(0, 0, len(wanted))
    added = removed = failed = 0
    for path, camera in wanted.items():
        try:
            restreamer.add_path(path, source=str(source_of(camera)))
        except RestreamerError as error:
            failed += 1
            log.warning("restreamer path %s not set: %s", path, error)
            continue
        added += path not in existing
        camera.restreamed = True
    for camera in cameras:
        if camera.stream_path in wanted or camera.stream_path not in existing:
            camera.restreamed = camera.restreamed and camera.stream_path in wanted
            continue
        try:
            removed += restreamer.remove_path(camera.stream_path)
        except RestreamerError as error:
            failed += 1
            log.warning("restreamer path %s not removed: %s", camera.stream_path, error)
            continue
        camera.restreamed = False
    session.commit()
    return Reconciled(added, removed, failed)


def key_matches(given: str, secret: str) -> bool:
    """Whether a callback or hook call carries the shared secret (never, without one)."""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())
