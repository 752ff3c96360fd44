"""The city's situation at a glance: per kecamatan its mode, the worst flood status and air
quality its stations report, its active alerts and the citizens' reports of the last day;
the official alerts (BMKG and others) in force that touch the city; and, for the public
page, the complaint hotspots of the last day and week.

Read from the alerts domain's own tables and, through their services, from sensors
(``station_summaries``), complaints (``list_public``: public columns only, so no personal
data is even decrypted) and analytics (``situation_hotspots``: significant kelurahan with
their counts only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts import feed_sources, mode
from pontive.alerts.choices import OperatingMode
from pontive.alerts.layout import CityStatus, city_status, current_alerts
from pontive.alerts.models import Alert, IncomingAlert
from pontive.analytics.hotspot_views import SituationHotspot, situation_hotspots
from pontive.complaints import service as complaints
from pontive.complaints.models import Complaint
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, IspuCategory

REPORT_HOURS = 24
# Reports of floods, blocked drains, fallen trees and smoke (complaints catalogue codes).
RELEVANT_CATEGORIES = frozenset({"banjir-genangan", "drainase", "pohon-tumbang", "asap-kebakaran"})
RECENT_REPORTS = 12
_FLOOD_ORDER = list(FloodStatus)
_ISPU_ORDER = list(IspuCategory)


@dataclass(frozen=True, slots=True)
class KecamatanSituation:
    """One kecamatan's row of the situation table."""

    kode: str
    name: str
    mode: OperatingMode
    flood: FloodStatus | None  # the worst status of its water gauges
    flood_station: str | None
    ispu: IspuCategory | None  # the worst category of its air stations
    ispu_value: int | None
    alerts: int
    reports: int


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything the situation page shows, read at ``at``."""

    at: datetime
    status: CityStatus
    alerts: list[Alert]
    kecamatan: list[KecamatanSituation]
    reports: list[Complaint]
    alert_kelurahan: list[str]  # the kelurahan any active alert covers (for the map)
    official: list[IncomingAlert]  # official messages (BMKG …) in force touching the city
    official_kelurahan: list[str]  # the kelurahan those touch
    # Complaint hotspots (significant kelurahan of the last 24 hours and 7 days); read only
    # for the public page, not for the walls and the executive view that share this.
    hotspots: list[SituationHotspot] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The parts the page's script redraws without a reload."""
        return {
            "at": self.at.isoformat(),
            "mode": self.status.mode.value,
            "alert_kelurahan": self.alert_kelurahan,
            "official_kelurahan": self.official_kelurahan,
            "alerts": [
                {"identifier": a.identifier, "severity": a.severity.value} for a in self.alerts
            ],
            "hotspots": [h.as_json() for h in self.hotspots],
        }


def _worse(order: list[Any], held: Any, new: Any) -> bool:
    return new is not None and (held is None or order.index(new) > order.index(held))


def _kecamatan_rows(
    session: Session, alerts: list[Alert], reports: list[Complaint]
) -> list[KecamatanSituation]:
    modes = mode.current_modes(session)
    kecamatan = reference.list_kecamatan(session=session)
    kelurahan_of = {kel.kode: kec.kode for kec in kecamatan for kel in kec.kelurahan}
    flood: dict[str, tuple[FloodStatus | None, str | None]] = {}
    air: dict[str, tuple[IspuCategory | None, int | None]] = {}
    for station in sensors.station_summaries(session):
        kode = station.kecamatan_kode
        if kode is None or station.is_offline:
            continue
        if station.flood is not None and _worse(
            _FLOOD_ORDER, flood.get(kode, (None, None))[0], station.flood.status
        ):
            flood[kode] = (station.flood.status, station.name)
        if station.ispu is not None and _worse(
            _ISPU_ORDER, air.get(kode, (None, None))[0], station.ispu.category
        ):
            air[kode] = (station.ispu.category, station.ispu.value)
    alert_count: Counter[str] = Counter()
    for alert in alerts:
        for kode in {kelurahan_of.get(k) for k in alert.kelurahan_kodes or ()} - {None}:
            alert_count[str(kode)] += 1
    report_count = Counter(r.kecamatan_kode for r in reports if r.kecamatan_kode)
    return [
        KecamatanSituation(
            kode=kec.kode,
            name=kec.nama_umum,
            mode=modes.effective(kec.kode),
            flood=flood.get(kec.kode, (None, None))[0],
            flood_station=flood.get(kec.kode, (None, None))[1],
            ispu=air.get(kec.kode, (None, None))[0],
            ispu_value=air.get(kec.kode, (None, None))[1],
            alerts=alert_count[kec.kode],
            reports=report_count[kec.kode],
        )
        for kec in kecamatan
    ]


def read_situation(
    session: Session, now: datetime | None = None, *, with_hotspots: bool = False
) -> Situation:
    """The situation now (with the complaint hotspots when ``with_hotspots``)."""
    now = now or utcnow()
    alerts = current_alerts(session)
    filters = complaints.ComplaintFilter(
        category_codes=RELEVANT_CATEGORIES, created_from=now - timedelta(hours=REPORT_HOURS)
    )
    reports = complaints.list_public(session, filters=filters, page_size=500)
    covered = sorted({k for alert in alerts for k in alert.kelurahan_kodes or ()})
    official = feed_sources.official_in_force(session, now)
    return Situation(
        at=now,
        status=city_status(session),
        alerts=alerts,
        kecamatan=_kecamatan_rows(session, alerts, reports),
        reports=reports[:RECENT_REPORTS],
        alert_kelurahan=covered,
        official=official,
        official_kelurahan=feed_sources.kelurahan_touched(session, official),
        hotspots=situation_hotspots(session, now) if with_hotspots else [],
    )
