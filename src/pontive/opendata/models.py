"""Open data tables: the catalogue (datasets, their tags, dimensions and resources with kept
versions), the datastore's bookkeeping, the activity history and usage counts.

Organisations are the city's Perangkat Daerah (``perangkat_daerah``, walidata / produsen data)
and groups are the six Smart City dimensions (``dimensi``): both come from the reference domain,
so a dataset's ``owner_org`` is a PD ``kode`` and its groups are dimension ``kode``s. Ids of
datasets and resources are UUIDs, as CKAN clients expect; ``name`` is the URL slug.

A datastore table is a real table named ``ds_<resource id without dashes>``, created by
``opendata/datastore.py``; ``DatastoreTable`` records its columns, row count, load progress and
the validation report of the last load.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.core.choices import Classification
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.opendata.choices import (
    ActivityType,
    DatasetState,
    FieldType,
    Frequency,
    LoadState,
    UrlType,
    UsageKind,
)


def new_id() -> str:
    """A CKAN-style id (UUID4 text)."""
    return str(uuid.uuid4())


class Dataset(Base):
    """One dataset (CKAN "package"): metadata, Satu Data fields, and its resources."""

    __tablename__ = "opendata_datasets"
    __table_args__ = (
        Index("ix_opendata_datasets_state_modified", "state", "modified_at"),
        Index("ix_opendata_datasets_owner_org", "owner_org"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_org: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    state: Mapped[DatasetState] = mapped_column(
        choice_column(DatasetState), default=DatasetState.ACTIVE
    )
    # Only publik datasets are seen anonymously; terbatas and rahasia are CKAN "private".
    classification: Mapped[Classification] = mapped_column(
        choice_column(Classification), default=Classification.PUBLIK
    )
    license_id: Mapped[str] = mapped_column(String(40), default="cc-by-4.0")
    version: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")  # the source's own page
    # The office to contact (an organisation's address, not a person's).
    maintainer: Mapped[str] = mapped_column(String(200), default="")
    maintainer_email: Mapped[str] = mapped_column(String(200), default="")
    frequency: Mapped[Frequency] = mapped_column(
        choice_column(Frequency), default=Frequency.TIDAK_TENTU
    )
    temporal_start: Mapped[date | None] = mapped_column(Date)
    temporal_end: Mapped[date | None] = mapped_column(Date)
    # Kelurahan / kecamatan codes the data covers; empty means the whole city.
    spatial_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Satu Data Indonesia (Perpres 39/2019; MS-Ind of Peraturan BPS 5/2020).
    konsep: Mapped[str] = mapped_column(Text, default="")
    definisi: Mapped[str] = mapped_column(Text, default="")
    satuan: Mapped[str] = mapped_column(String(100), default="")
    metode: Mapped[str] = mapped_column(Text, default="")
    level_estimasi: Mapped[str] = mapped_column(String(100), default="")
    kode_referensi: Mapped[str] = mapped_column(String(200), default="")
    # CKAN "extras": any other key/value the publisher adds.
    extras: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # For datasets Pontive publishes from its own data: the job that writes them.
    source_job: Mapped[str | None] = mapped_column(String(80))
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tags: Mapped[list[DatasetTag]] = relationship(
        cascade="all, delete-orphan", order_by="DatasetTag.name"
    )
    groups: Mapped[list[DatasetGroup]] = relationship(
        cascade="all, delete-orphan", order_by="DatasetGroup.dimensi_kode"
    )
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan", order_by="Resource.position"
    )

    @property
    def private(self) -> bool:
        """CKAN's ``private``: anything not publik."""
        return self.classification is not Classification.PUBLIK


class DatasetTag(Base):
    """A free keyword on a dataset (CKAN tag)."""

    __tablename__ = "opendata_dataset_tags"
    __table_args__ = (Index("ix_opendata_dataset_tags_name", "name"),)

    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("opendata_datasets.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)


class DatasetGroup(Base):
    """A dataset's place under a Smart City dimension (CKAN group)."""

    __tablename__ = "opendata_dataset_groups"

    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("opendata_datasets.id", ondelete="CASCADE"), primary_key=True
    )
    dimensi_kode: Mapped[str] = mapped_column(ForeignKey("dimensi.kode"), primary_key=True)


class Resource(Base):
    """A file or link of a dataset; uploads keep every version (``ResourceVersion``)."""

    __tablename__ = "opendata_resources"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("opendata_datasets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(20), default="")  # CSV, XLSX, JSON, GeoJSON, PDF
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    url_type: Mapped[UrlType] = mapped_column(choice_column(UrlType), default=UrlType.LINK)
    url: Mapped[str] = mapped_column(String(1000), default="")  # for links
    storage_key: Mapped[str | None] = mapped_column(String(300))  # the current upload's file
    size: Mapped[int | None] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(80), default="")  # "sha256:<hex>"
    state: Mapped[DatasetState] = mapped_column(
        choice_column(DatasetState), default=DatasetState.ACTIVE
    )
    datastore_active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_modified: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    versions: Mapped[list[ResourceVersion]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceVersion.number"
    )


class ResourceVersion(Base):
    """One uploaded version of a resource's file (the newest is the resource's current)."""

    __tablename__ = "opendata_resource_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[str] = mapped_column(
        ForeignKey("opendata_resources.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DatastoreTable(Base):
    """The datastore table of a tabular resource: its columns, rows and last load."""

    __tablename__ = "opendata_datastore_tables"

    resource_id: Mapped[str] = mapped_column(
        ForeignKey("opendata_resources.id", ondelete="CASCADE"), primary_key=True
    )
    table_name: Mapped[str] = mapped_column(String(63), unique=True)
    # [{"id": "kecamatan", "type": "text", "info": {"label": ..., "notes": ...}}, ...]
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    primary_key: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[LoadState] = mapped_column(choice_column(LoadState), default=LoadState.PENDING)
    rows_read: Mapped[int] = mapped_column(BigInteger, default=0)  # progress of a load
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_total: Mapped[int | None] = mapped_column(BigInteger)
    # The validation report of the last load: {"errors": [{"row", "column", "value",
    # "message_id", "message_en"}], "error_count": n} (empty when it loaded cleanly).
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def field_types(self) -> dict[str, FieldType]:
        """Column name → type."""
        return {field["id"]: FieldType(field["type"]) for field in self.fields}


class Activity(Base):
    """What happened to a dataset, by whom (an officer's label, never a citizen)."""

    __tablename__ = "opendata_activities"
    __table_args__ = (Index("ix_opendata_activities_dataset_created", "dataset_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("opendata_datasets.id", ondelete="CASCADE"))
    activity_type: Mapped[ActivityType] = mapped_column(choice_column(ActivityType))
    actor: Mapped[str] = mapped_column(String(200))
    # {"changed": ["title", ...], "resources": {...}} — what changed, not the whole dataset.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UsageCount(Base):
    """How many views, downloads or API calls a dataset (or one resource) had on a day —
    counts only, nothing about who."""

    __tablename__ = "opendata_usage"
    __table_args__ = (UniqueConstraint("dataset_id", "resource_id", "day", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("opendata_datasets.id", ondelete="CASCADE"))
    resource_id: Mapped[str] = mapped_column(String(36), default="")  # "" for the dataset
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[UsageKind] = mapped_column(choice_column(UsageKind))
    count: Mapped[int] = mapped_column(BigInteger, default=0)
