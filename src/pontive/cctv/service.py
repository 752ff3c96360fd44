"""CCTV use-cases: the camera registry, citizens' enrolment (Pasal 22d), review, owners' say.

The only writer of the ``cctv_*`` tables. Cameras enter the registry two ways: staff register
the city's own (``register_camera``), and citizens and businesses enrol theirs from the public
form (``enrol_camera``: status *diajukan*, a private owner link returned once). Staff test the
stream and approve or reject with a reason (``review_camera``). The owner can pause, resume or
withdraw sharing at any time through the private link (``owner_action``); it takes effect at
once, because every view is decided per request from the stored status (``cctv/access.py``).
Stream addresses and owners' contacts are personal or secret data, encrypted at rest, and
never in a public answer; every change is audited and announced on the bus.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.cctv.choices import CameraStatus, OwnerType, PrivacyMask, Purpose, Sharing
from pontive.cctv.models import Camera
from pontive.core import audit, permissions
from pontive.core.choices import Classification
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

CONSENT_VERSION = "2026-11"  # the terms a contributor agrees to (docs/cctv.md, "Terms")
STREAM_FIELDS = ("rtsp_url", "hls_url", "mjpeg_url", "snapshot_url")
_STREAM_SCHEMES = {
    "rtsp_url": ("rtsp://", "rtsps://"),
    "hls_url": ("http://", "https://"),
    "mjpeg_url": ("http://", "https://"),
    "snapshot_url": ("http://", "https://"),
}

_WATCHERS = {Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.ADMIN, Role.PETUGAS_PD}
VIEW_INTERNAL = permissions.register("cctv.view_internal", _WATCHERS, pd_scoped=True)
MANAGE = permissions.register("cctv.manage", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN})
REVIEW = permissions.register("cctv.review", {Role.OPERATOR, Role.ADMIN})
REQUEST_FOOTAGE = permissions.register("cctv.request_footage", {Role.OPERATOR, Role.ADMIN})
READ_VIEWS = permissions.register("cctv.read_views", {Role.TIM_TEKNIS, Role.ADMIN})
READ_REGISTRY = permissions.register("cctv.read_registry", {role for role in Role if role.is_staff})


@dataclass
class CameraInput:
    """What describes a camera, from the enrolment form, the console or the API."""

    name: str = ""
    description: str = ""
    owner_type: str = ""
    pd_kode: str | None = None
    organisation: str = ""
    owner_name: str | None = None
    owner_phone: str | None = None
    owner_email: str | None = None
    lon: float | None = None
    lat: float | None = None
    direction_deg: int | None = None
    purpose: str = ""
    sharing: str = ""
    privacy_mask: str = PrivacyMask.BELUM_DIPERIKSA.value
    mou_number: str = ""
    streams: dict[str, str | None] = field(default_factory=dict)  # STREAM_FIELDS → URL
    # Correcting a camera: an address or contact left empty keeps the stored one (browsers
    # never see them to send them back); the fields named here are erased instead.
    clear: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A newly enrolled camera and the owner's private link secret (shown once)."""

    camera: Camera
    owner_token: str


# --- reading -----------------------------------------------------------------------------


def get_camera(session: Session, code: str) -> Camera:
    """The camera with ``code`` (``CAM-0007``, any case), or ``NotFound``."""
    camera = session.scalar(select(Camera).where(Camera.code == code.strip().upper()))
    if camera is None:
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return camera


def list_public(session: Session) -> list[Camera]:
    """Cameras anyone may see on the map: approved, shared publicly, not paused."""
    query = select(Camera).where(
        Camera.status == CameraStatus.AKTIF, Camera.sharing == Sharing.PUBLIK
    )
    return list(session.scalars(query.order_by(Camera.code)))


def list_registry(
    session: Session, *, actor: Actor, status: CameraStatus | None = None
) -> list[Camera]:
    """The whole registry for staff (a PD officer: the PD's own cameras and public ones)."""
    permissions.require(actor, READ_REGISTRY)
    query = select(Camera)
    if status is not None:
        query = query.where(Camera.status == status)
    if actor.role is Role.PETUGAS_PD:
        shared_publicly = (Camera.sharing == Sharing.PUBLIK) & (Camera.status == CameraStatus.AKTIF)
        query = query.where((Camera.pd_kode == actor.pd_kode) | shared_publicly)
    return list(session.scalars(query.order_by(Camera.code)))


def get_registry_camera(session: Session, *, actor: Actor, code: str) -> Camera:
    """One camera of the registry as ``actor`` may see it (a PD officer: the PD's own and
    active public ones), or ``NotFound``."""
    permissions.require(actor, READ_REGISTRY)
    camera = get_camera(session, code)
    shared_publicly = camera.sharing is Sharing.PUBLIK and camera.status is CameraStatus.AKTIF
    if actor.role is Role.PETUGAS_PD and camera.pd_kode != actor.pd_kode and not shared_publicly:
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return camera


def owner_camera(session: Session, token: str) -> Camera:
    """The camera whose owner holds ``token`` (the private link), or ``NotFound``."""
    camera = session.scalar(select(Camera).where(Camera.owner_token_hash == secret_hash(token)))
    if camera is None or not token:
        raise NotFound("Tautan pemilik tidak dikenal.", "Unknown owner link.")
    return camera


def read_streams(session: Session, *, actor: Actor, camera: Camera) -> dict[str, str | None]:
    """The camera's stream addresses, credentials included (staff managing cameras only;
    audited, as each reading of a secret is)."""
    permissions.require(actor, MANAGE)
    audit.record(
        session, actor=actor, action="cctv.streams_read", object_type="cctv_camera",
        object_id=camera.code,
    )  # fmt: skip
    streams = {name: getattr(camera, name) for name in STREAM_FIELDS}
    session.commit()  # the record of the reading is kept, whatever the caller does next
    return streams


def read_owner_contact(session: Session, *, actor: Actor, camera: Camera) -> dict[str, str]:
    """The owner's name, phone and e-mail (personal data: reviewers only, audited)."""
    permissions.require(actor, REVIEW)
    audit.record(
        session, actor=actor, action="cctv.owner_contact_read", object_type="cctv_camera",
        object_id=camera.code,
    )  # fmt: skip
    contact = {
        "name": camera.owner_name or "",
        "phone": camera.owner_phone or "",
        "email": camera.owner_email or "",
    }
    session.commit()  # the record of the reading is kept, whatever the caller does next
    return contact


# --- writing -----------------------------------------------------------------------------


def register_camera(*, session: Session, actor: Actor, data: CameraInput) -> Camera:
    """A city camera registered by staff: active at once (staff vouch for its stream)."""
    permissions.require(actor, MANAGE)
    camera = Camera(code=_next_code(session), status=CameraStatus.AKTIF)
    _apply(session, camera, data, is_staff=True)
    camera.reviewed_at, camera.reviewed_by = utcnow(), actor.label
    session.add(camera)
    session.flush()
    _changed(session, actor, camera, "cctv.camera_registered", before=None)
    session.commit()
    return camera


def enrol_camera(*, session: Session, actor: Actor, data: CameraInput, consent: bool) -> Enrolled:
    """A citizen's or business's camera offered to the city (Pasal 22d): awaits review."""
    problems: dict[str, list[str]] = {}
    if not consent:
        problems["consent"] = ["Centang persetujuan syarat berbagi kamera."]
    if data.owner_type not in (OwnerType.WARGA, OwnerType.USAHA):
        problems["owner_type"] = ["Pilih warga atau usaha."]
    camera = Camera(code=_next_code(session), status=CameraStatus.DIAJUKAN)
    _apply(session, camera, data, is_staff=False, problems=problems)
    token = secrets.token_urlsafe(24)
    camera.owner_token_hash = secret_hash(token)
    camera.consent_version, camera.consent_at = CONSENT_VERSION, utcnow()
    session.add(camera)
    session.flush()
    _changed(session, actor, camera, "cctv.camera_enrolled", before=None)
    session.commit()
    return Enrolled(camera, token)


def update_camera(*, session: Session, actor: Actor, camera: Camera, data: CameraInput) -> Camera:
    """Staff correct a camera's description, place, sharing or streams."""
    permissions.require(actor, MANAGE)
    before = state(camera)
    _apply(session, camera, data, is_staff=True)
    _changed(session, actor, camera, "cctv.camera_updated", before=before)
    session.commit()
    return camera


def review_camera(
    *, session: Session, actor: Actor, camera: Camera, approve: bool, reason: str = "",
    pd_kode: str | None = None,
) -> Camera:  # fmt: skip
    """Approve (it joins the network) or reject (a reason is required) an enrolled camera."""
    permissions.require(actor, REVIEW)
    if camera.status is not CameraStatus.DIAJUKAN:
        raise Conflict(
            "Kamera ini tidak menunggu peninjauan.", "This camera is not awaiting review."
        )
    if not approve and not reason.strip():
        raise _invalid("reason", "Tuliskan alasan penolakan.", "Give the reason for rejecting.")
    if approve and camera.privacy_mask is PrivacyMask.PERLU:
        raise _invalid("privacy_mask", "Area privat harus dimasking sebelum disetujui.",
                       "Private areas must be masked before approval.")  # fmt: skip
    before = state(camera)
    camera.status = CameraStatus.AKTIF if approve else CameraStatus.DITOLAK
    camera.status_reason = reason.strip()
    camera.pd_kode = pd_kode or camera.pd_kode
    camera.reviewed_at, camera.reviewed_by = utcnow(), actor.label
    action = "cctv.camera_approved" if approve else "cctv.camera_rejected"
    _changed(session, actor, camera, action, before=before)
    session.commit()
    return camera


OWNER_ACTIONS: Mapping[str, tuple[frozenset[CameraStatus], CameraStatus]] = {
    "pause": (frozenset({CameraStatus.AKTIF}), CameraStatus.DIJEDA),
    "resume": (frozenset({CameraStatus.DIJEDA}), CameraStatus.AKTIF),
    "withdraw": (
        frozenset({CameraStatus.DIAJUKAN, CameraStatus.AKTIF, CameraStatus.DIJEDA}),
        CameraStatus.DITARIK,
    ),
}


def owner_action(*, session: Session, actor: Actor, token: str, action: str) -> Camera:
    """The owner pauses, resumes or withdraws sharing; effective for the next request."""
    camera = owner_camera(session, token)
    if action not in OWNER_ACTIONS:
        raise _invalid("action", "Tindakan tidak dikenal.", "Unknown action.")
    allowed_from, target = OWNER_ACTIONS[action]
    if camera.status not in allowed_from:
        raise Conflict("Tindakan ini tidak berlaku untuk status kamera sekarang.",
                       "This action does not apply to the camera's current status.")  # fmt: skip
    before = state(camera)
    camera.status = target
    if target is CameraStatus.DITARIK:
        for name in STREAM_FIELDS:  # nothing of the withdrawn camera's access is kept
            setattr(camera, name, None)
    _changed(session, actor, camera, f"cctv.owner_{action}", before=before)
    session.commit()
    return camera


def set_status(
    *, session: Session, actor: Actor, camera: Camera, status: CameraStatus, reason: str = ""
) -> Camera:
    """Staff pause, resume or retire a camera (a city camera under repair, say)."""
    permissions.require(actor, MANAGE)
    if status not in (CameraStatus.AKTIF, CameraStatus.DIJEDA, CameraStatus.NONAKTIF):
        raise _invalid("status", "Status tidak dapat dipilih di sini.", "Status not allowed here.")
    if camera.status in (CameraStatus.DITARIK, CameraStatus.DIAJUKAN, CameraStatus.DITOLAK):
        raise Conflict("Status kamera ini diatur oleh pemilik atau peninjauan.",
                       "This camera's status belongs to its owner or its review.")  # fmt: skip
    if status is CameraStatus.AKTIF and camera.owner_token_hash is not None:
        # A contributed camera shares only with its owner's consent: the owner resumes it.
        raise Conflict("Hanya pemilik yang dapat melanjutkan berbagi kamera ini.",
                       "Only the owner can resume sharing this camera.")  # fmt: skip
    before = state(camera)
    camera.status, camera.status_reason = status, reason.strip()
    _changed(session, actor, camera, "cctv.status_set", before=before)
    session.commit()
    return camera


def state(camera: Camera) -> dict[str, Any]:
    """What the audit log digests of a camera (no secrets, no personal data)."""
    return {
        "code": camera.code,
        "name": camera.name,
        "status": camera.status.value,
        "sharing": camera.sharing.value,
        "purpose": camera.purpose.value,
        "privacy_mask": camera.privacy_mask.value,
        "lon": camera.lon,
        "lat": camera.lat,
        "kelurahan_kode": camera.kelurahan_kode,
        "pd_kode": camera.pd_kode,
        "streams": sorted(name for name in STREAM_FIELDS if getattr(camera, name)),
    }


def camera_event(event_type: str, camera: Camera, **extra: Any) -> Event:
    """A bus event about a camera: public facts only for public cameras."""
    is_public = camera.sharing is Sharing.PUBLIK and camera.status is CameraStatus.AKTIF
    data = {
        "code": camera.code,
        "name": camera.name,
        "status": camera.status.value,
        "health": camera.health.value,
        "kelurahan_kode": camera.kelurahan_kode,
        **extra,
    }
    classification = Classification.PUBLIK if is_public else Classification.TERBATAS
    return Event(event_type, data, classification=classification, pd_kode=camera.pd_kode)


# --- helpers -----------------------------------------------------------------------------


def _changed(
    session: Session, actor: Actor, camera: Camera, action: str, *, before: dict[str, Any] | None
) -> None:
    after = state(camera)
    audit.record(
        session, actor=actor, action=action, object_type="cctv_camera", object_id=camera.code,
        before=before, after=after,
    )  # fmt: skip
    emit(session, camera_event("cctv.camera_changed", camera, change=action.split(".", 1)[1]))


def _next_code(session: Session) -> str:
    highest = session.scalar(select(func.max(Camera.id))) or 0
    code = f"CAM-{highest + 1:04d}"
    while session.scalar(select(Camera.id).where(Camera.code == code)) is not None:
        highest += 1
        code = f"CAM-{highest + 1:04d}"
    return code


def secret_hash(token: str) -> str:
    """The stored form of a private link's secret (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(token: str, stored_hash: str | None) -> bool:
    """Whether ``token`` is the secret whose hash is stored."""
    return stored_hash is not None and hmac.compare_digest(secret_hash(token), stored_hash)


def _invalid(field_name: str, message_id: str, message_en: str) -> InvalidInput:
    return InvalidInput(
        f"Data kamera tidak valid: {message_id}",
        f"Invalid camera details: {message_en}",
        errors={field_name: [message_id]},
    )


def _apply(
    session: Session,
    camera: Camera,
    data: CameraInput,
    *,
    is_staff: bool,
    problems: Mapping[str, list[str]] | None = None,
) -> None:
    """Validate ``data`` (every problem at once, by field, with the caller's ``problems``)
    and copy it onto ``camera``."""
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not 3 <= len(name) <= 120:
        errors["name"] = ["Nama kamera 3 sampai 120 huruf."]
    choices = {
        "owner_type": (OwnerType, data.owner_type),
        "purpose": (Purpose, data.purpose),
        "sharing": (Sharing, data.sharing),
        "privacy_mask": (PrivacyMask, data.privacy_mask),
    }
    chosen: dict[str, Any] = {}
    for key, (enum, raw) in choices.items():
        try:
            chosen[key] = enum(raw)
        except ValueError:
            errors[key] = ["Pilih salah satu pilihan yang ada."]
    errors |= dict(problems or {})
    if data.pd_kode and reference.get_perangkat_daerah(session=session, kode=data.pd_kode) is None:
        errors["pd_kode"] = ["Perangkat Daerah tidak dikenal."]
    if data.lon is None or data.lat is None:
        errors["location"] = ["Tandai lokasi kamera di peta."]
    place = None
    if data.lon is not None and data.lat is not None:
        try:
            place = reference.resolve_location(session=session, lon=data.lon, lat=data.lat)
        except InvalidInput:
            errors["location"] = ["Koordinat tidak valid."]
        else:
            if not place.is_inside_city:
                errors["location"] = ["Lokasi kamera harus di Kota Pontianak."]
    if data.direction_deg is not None and not 0 <= data.direction_deg < 360:
        errors["direction_deg"] = ["Arah pandang 0 sampai 359 derajat (0 = utara)."]
    streams = _streams(data.streams, errors)
    for key in STREAM_FIELDS:  # empty: keep what is stored, unless asked to erase it
        if not streams[key] and key not in data.clear:
            streams[key] = getattr(camera, key)
    if not any(streams.values()):
        errors["streams"] = ["Isi minimal satu alamat stream atau snapshot."]
    if not is_staff:
        if not (data.owner_name or "").strip():
            errors["owner_name"] = ["Nama pemilik wajib diisi."]
        if not (data.owner_phone or "").strip() and not (data.owner_email or "").strip():
            errors["owner_phone"] = ["Isi nomor telepon atau e-mail agar dapat dihubungi."]
    if errors:
        raise InvalidInput(errors=errors)
    assert place is not None  # noqa: S101 - a location error was raised above otherwise
    camera.name, camera.description = name, data.description.strip()[:2000]
    camera.owner_type = chosen["owner_type"]
    camera.purpose, camera.sharing = chosen["purpose"], chosen["sharing"]
    camera.privacy_mask = chosen["privacy_mask"]
    camera.pd_kode = data.pd_kode or None
    camera.organisation = data.organisation.strip()[:160]
    for key in ("owner_name", "owner_phone", "owner_email"):
        value = (getattr(data, key) or "").strip() or None
        if value is not None or key in data.clear:
            setattr(camera, key, value)
    camera.lon, camera.lat = round(place.lon, 6), round(place.lat, 6)
    camera.kelurahan_kode = place.kelurahan_kode
    camera.direction_deg = data.direction_deg
    camera.mou_number = data.mou_number.strip()[:80]
    for key, url in streams.items():
        setattr(camera, key, url)


def _streams(
    given: Mapping[str, str | None], errors: dict[str, list[str]]
) -> dict[str, str | None]:
    streams: dict[str, str | None] = {}
    for key in STREAM_FIELDS:
        url = (given.get(key) or "").strip()
        if url and (len(url) > 1000 or not url.lower().startswith(_STREAM_SCHEMES[key])):
            schemes = " atau ".join(_STREAM_SCHEMES[key])
            errors[key] = [f"Alamat harus diawali {schemes}."]
        streams[key] = url or None
    return streams
