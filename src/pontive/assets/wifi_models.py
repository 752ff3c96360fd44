"""Tables of public Wi-Fi (Pasal 22e) and stakeholders' other technology (Pasal 22f).

Both registries follow the registry conventions (``core/registry.py``): ``lon``/``lat`` for the
point, ``kelurahan_kode`` resolved from it, personal contacts as ``EncryptedText``.
``wifi_reports`` links a hotspot to the complaints filed about it (the complaint stays the
complaints domain's; this keeps its tracking number and the status last seen).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.assets.wifi_choices import (
    HotspotStatus,
    ProviderKind,
    StakeholderKind,
    TechnologyKind,
    TechnologyStatus,
)
from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class WifiHotspot(Base):
    """A free public Wi-Fi hotspot, the city's or a stakeholder's."""

    __tablename__ = "wifi_hotspots"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "WIFI-PTK-001", on the sticker
    name: Mapped[str] = mapped_column(String(200))
    provider_kind: Mapped[ProviderKind] = mapped_column(choice_column(ProviderKind), index=True)
    provider_name: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    address: Mapped[str | None] = mapped_column(String(250))
    hours: Mapped[str | None] = mapped_column(String(80))
    ssid: Mapped[str | None] = mapped_column(String(32))
    bandwidth_mbps: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[HotspotStatus] = mapped_column(choice_column(HotspotStatus), index=True)
    owner_pd: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    contact: Mapped[str | None] = mapped_column(EncryptedText)  # a provider's contact person
    last_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    open_reports: Mapped[int] = mapped_column(Integer, default=0)
    # Set when reports (not a person) turned it to gangguan: reconciliation may then turn it
    # back to aktif once every report is closed. Any person's edit clears it.
    status_by_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class WifiReport(Base):
    """A complaint about a hotspot: its tracking number and the complaint status last seen."""

    __tablename__ = "wifi_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotspot_id: Mapped[int] = mapped_column(
        ForeignKey("wifi_hotspots.id", ondelete="CASCADE"), index=True
    )
    tracking_number: Mapped[str] = mapped_column(String(30), unique=True)
    problem: Mapped[str] = mapped_column(String(40), default="")
    # Who reported, pseudonymously (a keyed hash of the client address, or the tracking
    # number for reports from other channels): one person counts once toward "gangguan".
    reporter_key: Mapped[str] = mapped_column(String(40), default="")
    complaint_status: Mapped[str] = mapped_column(String(30), index=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StakeholderTechnology(Base):
    """Other technology a stakeholder provides for the smart city (Pasal 22f)."""

    __tablename__ = "stakeholder_technologies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    stakeholder_kind: Mapped[StakeholderKind] = mapped_column(choice_column(StakeholderKind))
    technology_kind: Mapped[TechnologyKind] = mapped_column(
        choice_column(TechnologyKind), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    coverage: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(EncryptedText)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText)
    contact_email: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[TechnologyStatus] = mapped_column(choice_column(TechnologyStatus), index=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
