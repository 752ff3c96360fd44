"""Demo data of public Wi-Fi and stakeholders' technology. DEMO VALUES: the places are real
Pontianak landmarks, but the codes, SSIDs, bandwidths, providers' details and contacts are
made up.

Hotspots are written through the registry store (so they have a history), spread over the
six kecamatan: the city's at parks, kelurahan offices and landmarks, and stakeholders'. Then
citizens' reports are filed through the real path (a complaint each): three people at Taman
Akcaya turn it to *gangguan* by themselves, two at a community hotspot do not yet, and an old
report at Alun Kapuas was fixed; reconciliation then sets every count.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pontive.assets.wifi_demo_data import (
    FIX_PATH,
    HOTSPOTS_DEMO,
    REPORTS_DEMO,
    TECHNOLOGIES_DEMO,
)
from pontive.assets.wifi_models import WifiHotspot
from pontive.assets.wifi_reconcile import reconcile
from pontive.assets.wifi_registries import HOTSPOTS, TECHNOLOGIES
from pontive.assets.wifi_reports import Contact, complaint_data, record_report, reporter_key
from pontive.complaints import service as complaints
from pontive.complaints import workflow
from pontive.complaints.choices import DeliveryStatus
from pontive.complaints.models import Notification
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.registry import store


def _hotspots(session: Session, actor: Actor) -> dict[str, WifiHotspot]:
    made: dict[str, WifiHotspot] = {}
    for code, name, (kind, provider), lon, lat, address, hours, ssid, mbps, status in HOTSPOTS_DEMO:
        values = {
            "code": code,
            "name": name,
            "provider_kind": kind,
            "provider_name": provider,
            "lon": str(lon),
            "lat": str(lat),
            "address": address,
            "hours": hours,
            "ssid": ssid,
            "bandwidth_mbps": str(mbps),
            "status": status,
            "owner_pd": "diskominfo" if kind == "pemerintah_kota" else "",
            "contact": "Petugas jaringan Diskominfo, 0561-733041"
            if kind == "pemerintah_kota"
            else f"Narahubung {provider}, 0811-5700-{len(made):04d}",
            "notes": "Kabel serat putus tertimpa dahan; perbaikan dijadwalkan."
            if status == "gangguan"
            else "",
        }
        made[code] = store.save_row(session, HOTSPOTS, actor, values, via="system")
    session.commit()
    return made


def _reports(session: Session, actor: Actor, hotspots: dict[str, WifiHotspot]) -> int:
    media = MediaStore(Path(tempfile.gettempdir()) / "pontive-demo-media")  # no photos
    now = utcnow()
    last_message = session.scalar(select(func.max(Notification.id))) or 0
    for number, (code, problem, hours_ago, fixed) in enumerate(REPORTS_DEMO, start=1):
        hotspot = hotspots[code]
        data = complaint_data(
            hotspot, problem=problem, details="", contact=Contact(), idempotency_key=None
        ).model_copy(update={"created_at": now - timedelta(hours=hours_ago)})
        receipt = complaints.create_complaint(
            session=session, data=data, actor=ANONYMOUS, media=media
        )
        record_report(session, hotspot, receipt.complaint, reporter=reporter_key(f"demo-{number}"))
        session.commit()
        if fixed:
            for step in FIX_PATH:
                workflow.transition(
                    session=session,
                    actor=actor,
                    tracking_number=receipt.complaint.tracking_number,
                    to=step,
                    message="Titik akses diganti; sudah normal kembali.",
                )
    # Demo staff have made-up addresses: what the reports queued counts as sent at once (as
    # in the complaints demo), so the worker never tries to deliver it.
    session.execute(
        update(Notification)
        .where(Notification.id > last_message)
        .values(status=DeliveryStatus.SENT, sent_at=now, attempts=1, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return len(REPORTS_DEMO)


def load(session: Session, actor: Actor) -> str:
    """Hotspots, citizens' reports of some, and stakeholders' technologies; a summary."""
    hotspots = _hotspots(session, actor)
    reports = _reports(session, actor, hotspots)
    for values in TECHNOLOGIES_DEMO:
        store.save_row(session, TECHNOLOGIES, actor, values, via="system")
    session.commit()
    reconcile(session)
    return (
        f"{len(hotspots)} Wi-Fi hotspots, {reports} 'not working' reports, "
        f"{len(TECHNOLOGIES_DEMO)} stakeholder technologies"
    )
