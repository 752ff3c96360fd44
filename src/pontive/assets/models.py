"""Asset tables: sites, ICT infrastructure (Perda 9/2022 Pasal 14), the software catalogue
and the integrations between systems (Pasal 15). Each is a registry
(``infra_registries``, ``software_registries``): the columns follow the registry conventions
(``core/registry.py``): points in ``lon``/``lat`` with the kelurahan resolved, lines as JSON
text, references as foreign keys to ``id``, several choices as comma-separated text.

The other parts of the package (assessments, Wi-Fi) keep their tables in their own modules,
imported at the end so that the platform's metadata holds them and they can refer to these.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.assets.choices import (
    Direction,
    Hosting,
    InfraKind,
    InfraStatus,
    IntegrationMethod,
    IntegrationStatus,
    ServiceType,
    SiteKind,
    SoftwareCategory,
    Standard,
    SystemStatus,
)
from pontive.core.choices import Classification
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class Stamped:
    """When a row was made and last changed, and by whom (kept by the registry store)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class Site(Stamped, Base):
    """A place infrastructure stands in: a data centre, the command center, an agency's
    office, a network point of presence, a tower."""

    __tablename__ = "asset_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SiteKind] = mapped_column(choice_column(SiteKind), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)


class InfraAsset(Stamped, Base):
    """One item of ICT infrastructure: hardware, a data centre, a fibre route, a command
    center facility, a bandwidth subscription (Pasal 14); optionally checked for reachability
    (``monitor_host``/``monitor_port``, ``infra_reachability``)."""

    __tablename__ = "asset_infrastructure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the asset tag
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InfraKind] = mapped_column(choice_column(InfraKind, 30), index=True)
    status: Mapped[InfraStatus] = mapped_column(choice_column(InfraStatus), index=True)
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("asset_sites.id", ondelete="SET NULL"), index=True
    )
    rack: Mapped[str | None] = mapped_column(String(80))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    route: Mapped[str | None] = mapped_column(Text)  # fibre routes: [[lon, lat], ...]
    manufacturer: Mapped[str | None] = mapped_column(String(120))
    model_name: Mapped[str | None] = mapped_column(String(120))
    serial_number: Mapped[str | None] = mapped_column(String(120))
    acquired_on: Mapped[date | None] = mapped_column(Date)
    value_rp: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    warranty_until: Mapped[date | None] = mapped_column(Date, index=True)
    end_of_life_on: Mapped[date | None] = mapped_column(Date, index=True)
    provider: Mapped[str | None] = mapped_column(String(120))
    bandwidth_mbps: Mapped[int | None] = mapped_column(Integer)
    contract_end_on: Mapped[date | None] = mapped_column(Date, index=True)
    monitor_host: Mapped[str | None] = mapped_column(String(253))
    monitor_port: Mapped[int | None] = mapped_column(Integer)
    last_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_check_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_latency_ms: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)


class System(Stamped, Base):
    """One entry of the software catalogue (Pasal 15(2) a-e): an information system, an
    operating system, an application, a utility or a database system."""

    __tablename__ = "asset_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[SoftwareCategory] = mapped_column(choice_column(SoftwareCategory), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    users: Mapped[str | None] = mapped_column(String(200))
    user_groups: Mapped[str | None] = mapped_column(Text)  # UserGroup values, comma-separated
    spbe_domains: Mapped[str | None] = mapped_column(Text)  # SpbeDomain values
    service_type: Mapped[ServiceType | None] = mapped_column(choice_column(ServiceType, 30))
    hosting: Mapped[Hosting | None] = mapped_column(choice_column(Hosting, 30))
    hosting_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("asset_infrastructure.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[SystemStatus] = mapped_column(choice_column(SystemStatus), index=True)
    version: Mapped[str | None] = mapped_column(String(60))
    vendor: Mapped[str | None] = mapped_column(String(160))
    data_held: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[Classification] = mapped_column(choice_column(Classification))
    personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    apis_offered: Mapped[str | None] = mapped_column(Text)
    standards: Mapped[str | None] = mapped_column(Text)  # Standard values


class Integration(Stamped, Base):
    """Data flowing from one system to another (or both ways)."""

    __tablename__ = "asset_integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[int] = mapped_column(
        ForeignKey("asset_systems.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("asset_systems.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[IntegrationMethod] = mapped_column(choice_column(IntegrationMethod))
    standard: Mapped[Standard | None] = mapped_column(choice_column(Standard, 30))
    data_exchanged: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[Direction] = mapped_column(choice_column(Direction))
    status: Mapped[IntegrationStatus] = mapped_column(choice_column(IntegrationStatus), index=True)
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)


from pontive.assets import assessment_models, wifi_models  # noqa: E402, F401  (their tables)
