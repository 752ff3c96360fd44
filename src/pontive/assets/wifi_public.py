"""What citizens see of hotspots and technologies: public fields only, with labels and place.

Rows come from the registry store with ``public=True`` (the registries' ``public_where``), and
every view is built from the registry's public fields: a contact, a staff note or an
unverified technology never reaches a public page, the GeoJSON or the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, ProviderKind, TechnologyKind
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot
from pontive.assets.wifi_registries import HOTSPOTS, TECHNOLOGIES
from pontive.core.identity import ANONYMOUS
from pontive.core.timeutil import format_local
from pontive.reference import service as reference
from pontive.registry import store

Places = dict[str, tuple[str, str, str]]  # kelurahan code -> (kelurahan, kecamatan code, name)


def place_names(session: Session) -> Places:
    """Kelurahan name, kecamatan code and name by kelurahan code (cached reference lists)."""
    return {
        kelurahan.kode: (kelurahan.nama_umum, kecamatan.kode, kecamatan.nama_umum)
        for kecamatan in reference.list_kecamatan(session=session)
        for kelurahan in kecamatan.kelurahan
    }


def kecamatan_options(session: Session) -> list[tuple[str, str]]:
    """``(code, name)`` of the six kecamatan, for the filter."""
    return [(k.kode, k.nama_umum) for k in reference.list_kecamatan(session=session)]


@dataclass(frozen=True, slots=True)
class HotspotView:
    """A hotspot as a public page shows it."""

    code: str
    name: str
    provider_kind: ProviderKind
    provider_name: str
    status: HotspotStatus
    lon: float
    lat: float
    address: str
    hours: str
    ssid: str
    bandwidth_mbps: int | None
    kelurahan: str
    kecamatan_kode: str
    kecamatan: str
    open_reports: int
    last_report: str  # in the display zone, or ""

    @property
    def report_url(self) -> str:
        """The short "not working" form."""
        return f"/wifi/{self.code}/lapor"

    @property
    def takes_reports(self) -> bool:
        """Whether the "not working" form is offered."""
        return self.status.takes_reports

    @property
    def place(self) -> str:
        """``Kel. X, Kec. Y`` as far as known."""
        return ", ".join(part for part in (self.kelurahan, self.kecamatan) if part)


def hotspot_view(row: WifiHotspot, places: Places, zone: ZoneInfo) -> HotspotView:
    """The public view of one hotspot."""
    kelurahan, kecamatan_kode, kecamatan = places.get(row.kelurahan_kode or "", ("", "", ""))
    last: datetime | None = row.last_report_at
    return HotspotView(
        code=row.code,
        name=row.name,
        provider_kind=ProviderKind(row.provider_kind),
        provider_name=row.provider_name,
        status=HotspotStatus(row.status),
        lon=row.lon or 0.0,
        lat=row.lat or 0.0,
        address=row.address or "",
        hours=row.hours or "",
        ssid=row.ssid or "",
        bandwidth_mbps=row.bandwidth_mbps,
        kelurahan=kelurahan,
        kecamatan_kode=kecamatan_kode,
        kecamatan=kecamatan,
        open_reports=row.open_reports,
        last_report=format_local(last, zone) if last else "",
    )


def public_hotspots(session: Session, zone: ZoneInfo) -> list[HotspotView]:
    """Every public hotspot, by kecamatan and name."""
    places = place_names(session)
    rows = store.all_rows(session, HOTSPOTS, ANONYMOUS, public=True)
    views = [hotspot_view(row, places, zone) for row in rows if row.lon is not None]
    return sorted(views, key=lambda v: (v.kecamatan or "~", v.name.lower()))


def chosen_provider(value: str | None) -> ProviderKind | None:
    """The provider kind asked for (a filter's value), if it is one."""
    if value is None or value not in ProviderKind._value2member_map_:
        return None
    return ProviderKind(value)


def filter_hotspots(
    views: list[HotspotView],
    *,
    kecamatan: str | None = None,
    provider: ProviderKind | None = None,
) -> list[HotspotView]:
    """The hotspots in ``kecamatan`` from ``provider`` kind (``None``: any)."""
    return [
        view
        for view in views
        if (kecamatan is None or view.kecamatan_kode == kecamatan)
        and (provider is None or view.provider_kind is provider)
    ]


def feature(view: HotspotView, lang: str) -> dict[str, Any]:
    """One hotspot as a GeoJSON feature: its public fields, labels in ``lang``."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [view.lon, view.lat]},
        "properties": {
            "code": view.code,
            "name": view.name,
            "provider_kind": view.provider_kind.value,
            "provider_kind_label": view.provider_kind.label(lang),
            "provider_name": view.provider_name,
            "status": view.status.value,
            "status_label": view.status.label(lang),
            "colour": view.status.meta.colour,
            "address": view.address,
            "hours": view.hours,
            "ssid": view.ssid,
            "bandwidth_mbps": view.bandwidth_mbps,
            "kelurahan": view.kelurahan,
            "kecamatan": view.kecamatan,
            "open_reports": view.open_reports,
            "last_report": view.last_report,
            "report_url": view.report_url if view.takes_reports else None,
        },
    }


def feature_collection(views: list[HotspotView], lang: str) -> dict[str, Any]:
    """The hotspots as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": [feature(v, lang) for v in views]}


@dataclass(frozen=True, slots=True)
class TechnologyView:
    """A verified, public stakeholder technology as the public list shows it."""

    name: str
    organisation: str
    stakeholder_label: str
    technology_kind: TechnologyKind
    description: str
    coverage: str
    website: str
    place: str


def public_technologies(
    session: Session, lang: str, *, kind: TechnologyKind | None = None
) -> list[TechnologyView]:
    """Verified technologies marked public, by organisation and name."""
    places = place_names(session)
    rows: list[StakeholderTechnology] = store.all_rows(
        session, TECHNOLOGIES, ANONYMOUS, public=True
    )
    views = []
    for row in rows:
        technology_kind = TechnologyKind(row.technology_kind)
        if kind is not None and technology_kind is not kind:
            continue
        kelurahan, _code, kecamatan = places.get(row.kelurahan_kode or "", ("", "", ""))
        views.append(
            TechnologyView(
                name=row.name,
                organisation=row.organisation,
                stakeholder_label=row.stakeholder_kind.label(lang),
                technology_kind=technology_kind,
                description=row.description,
                coverage=row.coverage or "",
                website=row.website or "",
                place=", ".join(part for part in (kelurahan, kecamatan) if part),
            )
        )
    return views
