"""CCTV API shapes: what the public, staff and owners read, what forms and apps send.

No shape a browser or the public receives carries a stream address (cameras' credentials)
or an owner's contact (personal data): staff read those through their own audited routes.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from pontive.cctv.choices import (
    CameraStatus,
    FootageStatus,
    Health,
    OwnerType,
    PrivacyMask,
    Purpose,
    Sharing,
)
from pontive.cctv.models import Camera
from pontive.cctv.service import STREAM_FIELDS, CameraInput


class CameraPublic(BaseModel):
    """A camera as anyone may see it (public cameras only)."""

    code: str
    name: str
    description: str
    owner_type: OwnerType
    purpose: Purpose
    lon: float
    lat: float
    direction_deg: int | None
    kelurahan_kode: str | None
    health: Health
    health_checked_at: datetime | None
    snapshot_at: datetime | None
    has_live_view: bool

    @classmethod
    def of(cls, camera: Camera) -> CameraPublic:
        """The public view of ``camera``."""
        return cls.model_validate(_common(camera))


class CameraStaff(CameraPublic):
    """A camera as staff see it in the registry (still no secrets, no owner contact)."""

    sharing: Sharing
    status: CameraStatus
    status_reason: str
    privacy_mask: PrivacyMask
    pd_kode: str | None
    organisation: str
    mou_number: str
    streams: list[str]  # which kinds of address are configured, not the addresses
    restreamed: bool
    failures: int
    last_online_at: datetime | None
    health_detail: str
    consent_at: datetime | None
    created_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str

    @classmethod
    def of(cls, camera: Camera) -> CameraStaff:
        """The staff view of ``camera``."""
        values = _common(camera) | {
            "sharing": camera.sharing,
            "status": camera.status,
            "status_reason": camera.status_reason,
            "privacy_mask": camera.privacy_mask,
            "pd_kode": camera.pd_kode,
            "organisation": camera.organisation,
            "mou_number": camera.mou_number,
            "streams": [name for name in STREAM_FIELDS if getattr(camera, name)],
            "restreamed": camera.restreamed,
            "failures": camera.failures,
            "last_online_at": camera.last_online_at,
            "health_detail": camera.health_detail,
            "consent_at": camera.consent_at,
            "created_at": camera.created_at,
            "reviewed_at": camera.reviewed_at,
            "reviewed_by": camera.reviewed_by,
        }
        return cls.model_validate(values)


def _common(camera: Camera) -> dict[str, object]:
    return {
        "code": camera.code,
        "name": camera.name,
        "description": camera.description,
        "owner_type": camera.owner_type,
        "purpose": camera.purpose,
        "lon": camera.lon,
        "lat": camera.lat,
        "direction_deg": camera.direction_deg,
        "kelurahan_kode": camera.kelurahan_kode,
        "health": camera.health,
        "health_checked_at": camera.health_checked_at,
        "snapshot_at": camera.snapshot_at,
        "has_live_view": camera.has_live_view,
    }


class CameraWrite(BaseModel):
    """A camera registered or corrected by staff (all addresses optional but one)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=3, max_length=120)
    description: str = Field(default="", max_length=2000)
    owner_type: OwnerType
    pd_kode: str | None = Field(default=None, max_length=20)
    organisation: str = Field(default="", max_length=160)
    owner_name: str | None = Field(default=None, max_length=120)
    owner_phone: str | None = Field(default=None, max_length=30)
    owner_email: EmailStr | None = None
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    direction_deg: int | None = Field(default=None, ge=0, lt=360)
    purpose: Purpose
    sharing: Sharing
    privacy_mask: PrivacyMask = PrivacyMask.BELUM_DIPERIKSA
    mou_number: str = Field(default="", max_length=80)
    rtsp_url: str | None = Field(default=None, max_length=1000)
    hls_url: str | None = Field(default=None, max_length=1000)
    mjpeg_url: str | None = Field(default=None, max_length=1000)
    snapshot_url: str | None = Field(default=None, max_length=1000)
    # On a correction: addresses and contacts left empty are kept; those named here erased.
    clear: list[str] = Field(default_factory=list, max_length=10)

    def as_input(self) -> CameraInput:
        """The service's input."""
        values = self.model_dump()
        return CameraInput(
            name=self.name,
            description=self.description,
            owner_type=self.owner_type.value,
            pd_kode=self.pd_kode,
            organisation=self.organisation,
            owner_name=self.owner_name,
            owner_phone=self.owner_phone,
            owner_email=str(self.owner_email) if self.owner_email else None,
            lon=self.lon,
            lat=self.lat,
            direction_deg=self.direction_deg,
            purpose=self.purpose.value,
            sharing=self.sharing.value,
            privacy_mask=self.privacy_mask.value,
            mou_number=self.mou_number,
            streams={name: values[name] for name in STREAM_FIELDS},
            clear=frozenset(self.clear),
        )


class Enrolment(CameraWrite):
    """A citizen's or business's camera offered from the public form or an app."""

    consent: bool = False


class EnrolmentReceipt(BaseModel):
    """What the owner gets back once: the camera's code and their private link."""

    code: str
    status: CameraStatus
    owner_link: str


class ReviewRequest(BaseModel):
    """Staff approve or reject an enrolled camera."""

    approve: bool
    reason: str = Field(default="", max_length=2000)
    pd_kode: str | None = Field(default=None, max_length=20)


class StatusRequest(BaseModel):
    """Staff pause, resume or retire a camera."""

    status: CameraStatus
    reason: str = Field(default="", max_length=2000)


class StreamRead(BaseModel):
    """Where a viewer's player fetches the camera (a signed, expiring URL), if anywhere."""

    hls_url: str | None
    snapshot_url: str
    expires_in: int


class CheckRead(BaseModel):
    """One health check."""

    model_config = ConfigDict(from_attributes=True)

    checked_at: datetime
    state: Health
    method: str
    latency_ms: float | None
    detail: str


class UptimeRead(BaseModel):
    """A WIB day's share of checks that found the camera online."""

    day: date
    online_share: float | None


class CoverageRead(BaseModel):
    """Cameras of one kelurahan."""

    kode: str
    nama: str
    kecamatan: str
    cameras: int
    online: int
    public: int
    online_share: float | None
    coverage: float | None


class ViewRead(BaseModel):
    """One view or refusal (the address it came from is not shown)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    camera_code: str
    actor: str
    actor_role: str
    via: str
    protocol: str
    allowed: bool
    reason: str
    started_at: datetime
    ended_at: datetime | None


class FootageCreate(BaseModel):
    """An operator's request for recorded footage."""

    window_start: datetime
    window_end: datetime
    reason: str = Field(min_length=1, max_length=2000)
    complaint_tracking: str = Field(default="", max_length=40)
    incident_ref: str = Field(default="", max_length=80)


class FootageRead(BaseModel):
    """A footage request."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    camera_id: int
    requested_by: str
    window_start: datetime
    window_end: datetime
    reason: str
    complaint_tracking: str
    incident_ref: str
    status: FootageStatus
    owner_note: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None


class FootageReceipt(FootageRead):
    """A new request and the owner's answer link (shown once, to forward to the owner)."""

    answer_link: str


class FootageAnswer(BaseModel):
    """The owner's answer."""

    approve: bool
    note: str = Field(default="", max_length=2000)


class MediaMtxAuth(BaseModel):
    """MediaMTX's HTTP authentication request (its ``authMethod: http``)."""

    model_config = ConfigDict(extra="ignore")

    user: str = ""
    password: str = ""
    token: str = ""
    ip: str = ""
    action: str = ""  # publish, read, playback, api, metrics, pprof
    path: str = ""
    protocol: str = ""  # rtsp, rtmp, hls, webrtc, srt
    id: str | None = None
    query: str = ""
