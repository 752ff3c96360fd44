"""Keeping hotspots' report figures true to the complaints they came from.

Run by the worker (``assets.wifi_reconcile``). It reads the complaints through the complaints
service, the one source of truth, rather than listening for their events: the bus delivers
to whoever listens at that moment (a worker restarting, or another process's in-memory bus,
would miss a status change for good), while a reconciliation that recomputes from the
complaints themselves heals any miss on its next run and is idempotent. Each run:

1. adopts open Wi-Fi complaints filed elsewhere (the ``/lapor`` form, Open311, the API) whose
   ``hotspot`` answer names a hotspot's code (each counts as another reporter toward
   *gangguan*);
2. rereads the status of every linked complaint not yet final (a *selesai* one may be
   reopened, so only *ditutup*, *ditolak* and *duplikat* are final);
3. recounts each hotspot's open reports and latest report time;
4. turns a hotspot that reports (not a person) made *gangguan* back to *aktif* once none of
   its reports is open. A status a person set stays until a person changes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import (
    HOTSPOT_ATTRIBUTE,
    PROBLEM_ATTRIBUTE,
    WIFI_CATEGORY,
    HotspotStatus,
)
from pontive.assets.wifi_models import WifiHotspot, WifiReport
from pontive.assets.wifi_registries import HOTSPOTS
from pontive.assets.wifi_reports import mark_if_troubled, refresh_figures
from pontive.assets.wifi_service import WIFI_SYSTEM
from pontive.complaints import service as complaints
from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.core.timeutil import utcnow
from pontive.registry import store

BATCH = 200
FINAL = frozenset({ComplaintStatus.DITUTUP, ComplaintStatus.DITOLAK, ComplaintStatus.DUPLIKAT})
MISSING = "tidak_ditemukan"  # a linked complaint that no longer exists


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What one run changed."""

    adopted: int
    refreshed: int
    recounted: int
    restored: int


def _pages(filters: complaints.ComplaintFilter, session: Session) -> Iterator[Complaint]:
    page = 1
    while True:
        rows, _total = complaints.list_complaints(
            session, filters=filters, page=page, page_size=BATCH
        )
        yield from rows
        if len(rows) < BATCH:
            return
        page += 1


def adopt_reports(session: Session) -> set[int]:
    """Link open Wi-Fi complaints from other channels to the hotspot they name; the ids of
    the hotspots that got reports."""
    codes = {
        code.lower(): id_ for id_, code in session.execute(select(WifiHotspot.id, WifiHotspot.code))
    }
    known = set(session.scalars(select(WifiReport.tracking_number)))
    filters = complaints.ComplaintFilter(
        category_codes=frozenset({WIFI_CATEGORY}), statuses=frozenset(OPEN_STATUSES)
    )
    adopted: set[int] = set()
    for complaint in _pages(filters, session):
        named = str((complaint.attributes or {}).get(HOTSPOT_ATTRIBUTE, "")).strip().lower()
        hotspot_id = codes.get(named)
        if hotspot_id is None or complaint.tracking_number in known:
            continue
        session.add(
            WifiReport(
                hotspot_id=hotspot_id,
                tracking_number=complaint.tracking_number,
                problem=str(complaint.attributes.get(PROBLEM_ATTRIBUTE, ""))[:40],
                reporter_key=complaint.tracking_number,
                complaint_status=complaint.status.value,
                is_open=True,
                reported_at=complaint.created_at,
                checked_at=utcnow(),
            )
        )
        known.add(complaint.tracking_number)
        adopted.add(hotspot_id)
    session.flush()
    return adopted


def refresh_statuses(session: Session, now: datetime) -> int:
    """Reread the complaint status of every link not yet final; how many changed."""
    final = [status.value for status in FINAL] + [MISSING]
    links = list(
        session.scalars(select(WifiReport).where(WifiReport.complaint_status.not_in(final)))
    )
    changed = 0
    for start in range(0, len(links), BATCH):
        batch = links[start : start + BATCH]
        filters = complaints.ComplaintFilter(
            tracking_numbers=frozenset(link.tracking_number for link in batch)
        )
        rows, _total = complaints.list_complaints(session, filters=filters, page_size=BATCH)
        found = {row.tracking_number: row.status for row in rows}
        for link in batch:
            status = found.get(link.tracking_number)
            value = status.value if status is not None else MISSING
            is_open = status is not None and status.is_open
            if value != link.complaint_status or is_open != link.is_open:
                link.complaint_status, link.is_open = value, is_open
                changed += 1
            link.checked_at = now
    session.flush()
    return changed


def recount(session: Session) -> tuple[int, list[WifiHotspot]]:
    """Recount every hotspot with reports (or a count to clear); returns how many changed
    and the hotspots whose reports are now all closed."""
    with_links = select(WifiReport.hotspot_id).distinct()
    hotspots = session.scalars(
        select(WifiHotspot).where(WifiHotspot.id.in_(with_links) | (WifiHotspot.open_reports != 0))
    ).all()
    changed = 0
    for hotspot in hotspots:
        before = (hotspot.open_reports, hotspot.last_report_at)
        refresh_figures(session, hotspot)
        if before != (hotspot.open_reports, hotspot.last_report_at):
            changed += 1
    quiet = [h for h in hotspots if h.open_reports == 0]
    return changed, quiet


def restore(session: Session, hotspots: list[WifiHotspot]) -> int:
    """Turn back to *aktif* the hotspots reports made *gangguan* (none open any more)."""
    restored = 0
    for hotspot in hotspots:
        if not hotspot.status_by_reports:
            continue
        if HotspotStatus(hotspot.status) is HotspotStatus.GANGGUAN:
            store.save_row(
                session,
                HOTSPOTS,
                WIFI_SYSTEM,
                {"status": HotspotStatus.AKTIF.value},
                row=hotspot,
                partial=True,
                via="system",
            )
            restored += 1
        hotspot.status_by_reports = False
    return restored


def reconcile(session: Session, *, now: datetime | None = None) -> Reconciled:
    """One reconciliation run (see the module docstring); commits."""
    now = now or utcnow()
    before = session.scalar(select(func.count(WifiReport.id))) or 0
    reported = adopt_reports(session)
    adopted = (session.scalar(select(func.count(WifiReport.id))) or 0) - before
    refreshed = refresh_statuses(session, now)
    recounted, quiet = recount(session)
    for hotspot_id in sorted(reported):  # reports from elsewhere count toward "gangguan" too
        hotspot = session.get(WifiHotspot, hotspot_id)
        if hotspot is not None:
            mark_if_troubled(session, hotspot, now=now)
    restored = restore(session, quiet)
    session.commit()
    return Reconciled(adopted, refreshed, recounted, restored)
