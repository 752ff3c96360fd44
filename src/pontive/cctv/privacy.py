"""Personal data of the CCTV network (UU 27/2022): contributed cameras' owners and viewers.

Erasure decisions: an owner's name, phone and e-mail are cleared (the camera and its
agreement number stay: the MoU is the city's record); a viewer's IP address is cleared while
the view itself (who, when, allowed or not) stays as the access log of the cameras.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from pontive.cctv.choices import CameraStatus
from pontive.cctv.models import Camera, CameraView, FootageRequest
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Lookup,
    NotPersonal,
    Personal,
    Retention,
    Source,
    Subject,
    SubjectQuery,
    declare,
    not_personal,
)

ENDED = (CameraStatus.DITARIK, CameraStatus.DITOLAK, CameraStatus.NONAKTIF)


def _views_of(query: SubjectQuery) -> ColumnElement[bool] | None:
    if query.lookup is not Lookup.USER:
        return None
    # Actor labels read "user:<id>:<username>".
    return CameraView.actor.like(f"user:%:{query.value.strip()}")


declare(
    Source(
        name="cctv.owners",
        model=Camera,
        label=("Pemilik CCTV yang berbagi", "Owners of shared cameras"),
        subject=Subject.PEMILIK_CCTV,
        purpose=(
            "Menghubungi pemilik tentang kamera dan permintaan rekaman",
            "Contacting owners about their camera and footage requests",
        ),
        basis=Basis.PERJANJIAN,
        personal=(
            Personal(Camera.owner_name, Category.IDENTITAS, ("Nama pemilik", "Owner's name")),
            Personal(Camera.owner_phone, Category.KONTAK, ("Telepon pemilik", "Owner's phone")),
            Personal(Camera.owner_email, Category.KONTAK, ("E-mail pemilik", "Owner's e-mail")),
        ),
        retention_rule=(
            "Dihapus {days} hari setelah kamera ditarik, ditolak atau dinonaktifkan "
            "(PONTIVE_PRIVACY_CAMERA_OWNER_DAYS)",
            "Erased {days} days after the camera is withdrawn, refused or retired "
            "(PONTIVE_PRIVACY_CAMERA_OWNER_DAYS)",
        ),
        retention=Retention(
            "privacy_camera_owner_days",
            lambda cutoff: and_(Camera.status.in_(ENDED), Camera.updated_at < cutoff),
        ),
        scan_contact=(Camera.owner_phone, Camera.owner_email),
        context=(
            Context(Camera.code, ("Kode kamera", "Camera code")),
            Context(Camera.name, ("Nama kamera", "Camera name")),
            Context(Camera.status, ("Status", "Status")),
            Context(Camera.consent_at, ("Persetujuan", "Consent")),
        ),
        not_personal=(
            NotPersonal(Camera.name, "the camera's name"),
            NotPersonal(Camera.organisation, "a business's name"),
            NotPersonal(Camera.owner_token_hash, "a digest of the owner's link, not the owner"),
            NotPersonal(Camera.rtsp_url, "a device address with credentials: secret, not personal"),
            NotPersonal(Camera.hls_url, "a device address: secret, not personal"),
            NotPersonal(Camera.mjpeg_url, "a device address: secret, not personal"),
            NotPersonal(Camera.snapshot_url, "a device address: secret, not personal"),
        ),
    )
)

declare(
    Source(
        name="cctv.views",
        model=CameraView,
        label=("Riwayat menonton CCTV", "Camera viewing log"),
        subject=Subject.PENONTON,
        purpose=(
            "Mencatat siapa menonton kamera (akuntabilitas akses)",
            "Recording who watched a camera (access accountability)",
        ),
        basis=Basis.KEPENTINGAN_SAH,
        personal=(Personal(CameraView.ip, Category.JARINGAN, ("Alamat IP", "IP address")),),
        retention_rule=(
            "Alamat IP dihapus {days} hari setelah menonton (PONTIVE_PRIVACY_VIEWER_IP_DAYS)",
            "IP addresses erased {days} days after the view (PONTIVE_PRIVACY_VIEWER_IP_DAYS)",
        ),
        retention=Retention(
            "privacy_viewer_ip_days", lambda cutoff: CameraView.started_at < cutoff
        ),
        find=_views_of,
        context=(
            Context(CameraView.camera_code, ("Kamera", "Camera")),
            Context(CameraView.started_at, ("Mulai", "Started")),
            Context(CameraView.allowed, ("Diizinkan", "Allowed")),
        ),
        not_personal=(NotPersonal(CameraView.actor, "a staff label kept as the access log"),),
    )
)

not_personal(
    NotPersonal(Camera.owner_type, "whether the city or a contributor owns it"),
    NotPersonal(
        FootageRequest.owner_note, "the owner's answer about footage, kept with the request"
    ),
)
