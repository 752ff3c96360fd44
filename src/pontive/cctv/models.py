"""CCTV tables: the camera registry, its health history, who watched, footage requests.

Stream addresses carry device credentials (``rtsp://user:pass@…``) and owners' contact
details are personal data (UU 27/2022): both are ``EncryptedText`` and never leave the
server in a public answer or a browser page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.cctv.choices import (
    CameraStatus,
    FootageStatus,
    Health,
    OwnerType,
    PrivacyMask,
    Purpose,
    Sharing,
)
from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class Camera(Base):
    """One camera in the city's surveillance network, the city's own or contributed."""

    __tablename__ = "cctv_cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "CAM-0007": also its stream path
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_type: Mapped[OwnerType] = mapped_column(choice_column(OwnerType))
    # The owning or responsible Perangkat Daerah (city cameras; the PD that looks after a
    # contributed one once approved).
    pd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    # Personal data of contributed cameras' owners.
    owner_name: Mapped[str | None] = mapped_column(EncryptedText)
    owner_phone: Mapped[str | None] = mapped_column(EncryptedText)
    owner_email: Mapped[str | None] = mapped_column(EncryptedText)
    organisation: Mapped[str] = mapped_column(String(160), default="")  # a business's name
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    direction_deg: Mapped[int | None] = mapped_column(Integer)  # 0 = north, clockwise
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    purpose: Mapped[Purpose] = mapped_column(choice_column(Purpose))
    sharing: Mapped[Sharing] = mapped_column(choice_column(Sharing))
    privacy_mask: Mapped[PrivacyMask] = mapped_column(
        choice_column(PrivacyMask), default=PrivacyMask.BELUM_DIPERIKSA
    )
    status: Mapped[CameraStatus] = mapped_column(choice_column(CameraStatus), index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    mou_number: Mapped[str] = mapped_column(String(80), default="")
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stream endpoints, credentials included: encrypted, never sent to browsers.
    rtsp_url: Mapped[str | None] = mapped_column(EncryptedText)
    hls_url: Mapped[str | None] = mapped_column(EncryptedText)
    mjpeg_url: Mapped[str | None] = mapped_column(EncryptedText)
    snapshot_url: Mapped[str | None] = mapped_column(EncryptedText)
    restreamed: Mapped[bool] = mapped_column(Boolean, default=False)  # a MediaMTX path exists
    health: Mapped[Health] = mapped_column(choice_column(Health), default=Health.UNKNOWN)
    health_detail: Mapped[str] = mapped_column(String(300), default="")
    health_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    health_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_online_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive failed checks
    snapshot_key: Mapped[str | None] = mapped_column(String(200))  # thumbnail in the media store
    snapshot_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The owner's private link (pause, withdraw, answer footage requests): a hash only.
    owner_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_shared(self) -> bool:
        """Whether the camera is in the network now (approved and not paused)."""
        return self.status is CameraStatus.AKTIF

    @property
    def has_live_view(self) -> bool:
        """Whether anyone may ever watch it live (on-request cameras give footage only)."""
        return self.is_shared and self.sharing is not Sharing.ON_REQUEST

    @property
    def stream_path(self) -> str:
        """Its path on the restreamer (MediaMTX), e.g. ``cam-0007``."""
        return self.code.lower()


class HealthCheck(Base):
    """One health check of one camera (the history behind uptime and state changes)."""

    __tablename__ = "cctv_health_checks"
    __table_args__ = (Index("ix_cctv_health_checks_camera_time", "camera_id", "checked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cctv_cameras.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[Health] = mapped_column(choice_column(Health))
    method: Mapped[str] = mapped_column(String(20), default="")
    latency_ms: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(String(300), default="")


class CameraView(Base):
    """Who watched (or was refused) which camera, when and for how long.

    Every view of a non-public camera, and every refusal, is also in the hash-chained audit
    log (``core/audit.py``); this table adds the duration, closed by the restreamer's
    "reader left" hook or by the page when it closes.
    """

    __tablename__ = "cctv_views"
    __table_args__ = (Index("ix_cctv_views_camera_time", "camera_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("cctv_cameras.id", ondelete="SET NULL")
    )
    camera_code: Mapped[str] = mapped_column(String(60))  # as asked (kept if never found)
    actor: Mapped[str] = mapped_column(String(160))  # ``user:7:operator1``, ``anonymous``
    actor_role: Mapped[str] = mapped_column(String(20))
    via: Mapped[str] = mapped_column(String(20))  # page, snapshot, stream, wall
    protocol: Mapped[str] = mapped_column(String(20), default="")  # hls, webrtc, rtsp …
    allowed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str | None] = mapped_column(EncryptedText)  # personal data
    reader_id: Mapped[str] = mapped_column(String(80), default="", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FootageRequest(Base):
    """An operator's request for recorded footage of an on-request camera."""

    __tablename__ = "cctv_footage_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(
        ForeignKey("cctv_cameras.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[str] = mapped_column(String(160))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    complaint_tracking: Mapped[str] = mapped_column(String(40), default="")
    incident_ref: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[FootageStatus] = mapped_column(
        choice_column(FootageStatus), default=FootageStatus.MENUNGGU
    )
    owner_note: Mapped[str] = mapped_column(Text, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the owner's answer link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
