"""'Not working' reports of a hotspot: each becomes a real complaint, and marks the hotspot.

A citizen's report goes through ``complaints.service.create_complaint`` in the Wi-Fi category
(``wifi-publik``) at the hotspot's place, with the same checks, idempotency, consent rules,
routing (to Diskominfo) and receipt as any complaint. The hotspot then records it
(``wifi_reports``): its last report time, its open reports, and once
``GANGGUAN_AFTER_REPORTS`` different people reported it within ``GANGGUAN_WINDOW`` its status
turns to *gangguan* by itself (``status_by_reports``) and the managing agency is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import (
    HOTSPOT_ATTRIBUTE,
    PROBLEM_ATTRIBUTE,
    WIFI_CATEGORY,
    HotspotStatus,
    Problem,
)
from pontive.assets.wifi_models import WifiHotspot, WifiReport
from pontive.assets.wifi_registries import HOTSPOTS
from pontive.assets.wifi_service import DEFAULT_PD, WIFI_SYSTEM
from pontive.complaints import service as complaints
from pontive.complaints.models import Complaint
from pontive.complaints.schemas import ComplaintCreate
from pontive.core import crypto
from pontive.core.errors import Conflict, NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.registry import store

# Configurable here: how many different reporters within how long make a hotspot "gangguan".
GANGGUAN_AFTER_REPORTS = 3
GANGGUAN_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Contact:
    """What a reporter may leave to hear back (the complaints' consent rules apply)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False

    @property
    def is_given(self) -> bool:
        """Whether a phone number or an e-mail address was left."""
        return bool(self.phone or self.email)


def reporter_key(client: str) -> str:
    """A pseudonymous key of a client address: the same person counts once, and the
    address itself is never stored."""
    return crypto.blind_index(f"wifi-report:{client}")[:32]


def get_reportable(session: Session, code: str) -> WifiHotspot:
    """The public hotspot with this code that takes reports; ``NotFound`` or ``Conflict``."""
    hotspot = session.scalar(
        select(WifiHotspot).where(func.lower(WifiHotspot.code) == code.strip().lower())
    )
    if hotspot is None or not HotspotStatus(hotspot.status).is_public:
        raise NotFound(f"Hotspot {code} tidak ditemukan.", f"No hotspot {code}.")
    if not HotspotStatus(hotspot.status).takes_reports:
        raise Conflict(
            "Hotspot ini sedang dinonaktifkan; laporan tidak diperlukan.",
            "This hotspot is switched off; no report is needed.",
        )
    return hotspot


def complaint_data(
    hotspot: WifiHotspot,
    *,
    problem: Problem,
    details: str,
    contact: Contact,
    idempotency_key: str | None,
) -> ComplaintCreate:
    """The complaint a report becomes (``ValidationError`` on a malformed phone or e-mail)."""
    text = f"Wi-Fi publik {hotspot.name} ({hotspot.code}): {problem.label('id')}."
    if details.strip():
        text = f"{text} {details.strip()}"
    return ComplaintCreate(
        category_code=WIFI_CATEGORY,
        description=text[:4000],
        lon=hotspot.lon,
        lat=hotspot.lat,
        address=(hotspot.address or hotspot.name)[:250],
        is_anonymous=not contact.is_given,
        name=contact.name or None,
        phone=contact.phone or None,
        email=contact.email or None,
        consent=contact.consent,
        attributes={PROBLEM_ATTRIBUTE: problem.value, HOTSPOT_ATTRIBUTE: hotspot.code},
        idempotency_key=idempotency_key,
    )


def report_not_working(
    *,
    session: Session,
    hotspot: WifiHotspot,
    data: ComplaintCreate,
    actor: Actor,
    media: MediaStore,
    reporter: str,
) -> complaints.Receipt:
    """File the complaint, then mark the hotspot (once: a repeated form is the same report)."""
    receipt = complaints.create_complaint(session=session, data=data, actor=actor, media=media)
    if receipt.is_new:
        record_report(session, hotspot, receipt.complaint, reporter=reporter)
        session.commit()
    return receipt


def record_report(
    session: Session,
    hotspot: WifiHotspot,
    complaint: Complaint,
    *,
    reporter: str,
    now: datetime | None = None,
) -> WifiReport:
    """Link ``complaint`` to ``hotspot`` and update the hotspot's report figures (no commit)."""
    problem = str((complaint.attributes or {}).get(PROBLEM_ATTRIBUTE, ""))
    link = WifiReport(
        hotspot_id=hotspot.id,
        tracking_number=complaint.tracking_number,
        problem=problem[:40],
        reporter_key=reporter[:40],
        complaint_status=complaint.status.value,
        is_open=complaint.status.is_open,
        reported_at=complaint.created_at,
        checked_at=utcnow(),
    )
    session.add(link)
    session.flush()
    refresh_figures(session, hotspot)
    mark_if_troubled(session, hotspot, now=now or utcnow())
    return link


def refresh_figures(session: Session, hotspot: WifiHotspot) -> None:
    """Recount a hotspot's open reports and its latest report time from its links."""
    open_count, latest = session.execute(
        select(
            func.count(WifiReport.id).filter(WifiReport.is_open.is_(True)),
            func.max(WifiReport.reported_at),
        ).where(WifiReport.hotspot_id == hotspot.id)
    ).one()
    hotspot.open_reports = int(open_count or 0)
    if latest is not None:
        hotspot.last_report_at = latest


def recent_reporters(session: Session, hotspot: WifiHotspot, *, now: datetime) -> int:
    """How many different people reported the hotspot within ``GANGGUAN_WINDOW``."""
    count = session.scalar(
        select(func.count(func.distinct(WifiReport.reporter_key))).where(
            WifiReport.hotspot_id == hotspot.id,
            WifiReport.reported_at >= now - GANGGUAN_WINDOW,
        )
    )
    return int(count or 0)


def mark_if_troubled(session: Session, hotspot: WifiHotspot, *, now: datetime) -> bool:
    """Turn a working hotspot to *gangguan* once enough people reported it; tell its
    agency. Whether it turned."""
    if HotspotStatus(hotspot.status) is not HotspotStatus.AKTIF:
        return False
    if recent_reporters(session, hotspot, now=now) < GANGGUAN_AFTER_REPORTS:
        return False
    store.save_row(
        session,
        HOTSPOTS,
        WIFI_SYSTEM,
        {"status": HotspotStatus.GANGGUAN.value},
        row=hotspot,
        partial=True,
        via="system",
    )
    hotspot.status_by_reports = True
    hours = int(GANGGUAN_WINDOW.total_seconds() // 3600)
    complaints.queue_to_staff(
        session,
        subject=f"Hotspot Wi-Fi {hotspot.code} gangguan",
        body=(
            f"{hotspot.name} ({hotspot.code}) dilaporkan tidak berfungsi oleh "
            f"{GANGGUAN_AFTER_REPORTS} warga atau lebih dalam {hours} jam; statusnya kini "
            "gangguan. Laporan warga ada di antrean pengaduan kategori Wi-Fi publik."
        ),
        roles=(Role.TIM_TEKNIS,),
        pd_kode=hotspot.owner_pd or DEFAULT_PD,
    )
    return True
