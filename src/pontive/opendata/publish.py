"""Jobs that keep Pontive's own open datasets current (issue #6, "the platform publishes
itself"): complaint statistics, hourly sensor rollups, daily ISPU, the alert history and the
public CCTV cameras with the cameras per kelurahan.

Each run rebuilds every table of its datasets from the source domain's service (through
``publish_sources``), loads each into its ``generated`` resource's datastore table with
``datastore.replace_rows`` (atomic: readers see the old table or the new one) and writes the
same rows as a CSV file in the media store, which is what the resource's URL downloads. A
rerun replaces everything, so the jobs are idempotent; the dataset's ``refreshed_at`` says
when it last ran, and its history (activity, audit, bus event) records the first publication
and every run whose data differed from the last. Catalogue rows missing (a fresh database)
are created first, as ``seed.py`` does.

Jobs (``JOBS``, run by ``pontive worker``): ``opendata.publish_complaints`` (hourly),
``opendata.publish_sensors`` (hourly), ``opendata.publish_ispu`` (hourly),
``opendata.publish_alerts`` (every 15 minutes), ``opendata.publish_cctv`` (hourly).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.identity import Actor, system_actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.core.worker import Job, JobContext
from pontive.opendata import datastore, publish_sources, service
from pontive.opendata.choices import ActivityType, DatasetState, UrlType
from pontive.opendata.models import Dataset, Resource
from pontive.opendata.publish_meta import (
    ALERTS,
    CCTV,
    COMPLAINTS,
    ISPU,
    KODE_REFERENSI,
    LICENCE,
    SENSORS_ENVIRONMENT,
    SENSORS_WATER,
    Publication,
    Table,
)
from pontive.opendata.service_support import record_change
from pontive.settings import get_settings

log = logging.getLogger(__name__)

PUBLISHER = system_actor("opendata-publish")
MEDIA_FOLDER = "opendata/generated"
CSV_MIME = "text/csv"


def ensure_dataset(session: Session, publication: Publication, *, actor: Actor) -> Dataset:
    """The publication's dataset, created through the catalogue service when missing: as a
    draft, so that the public catalogue never lists it before its job has filled it."""
    dataset = session.scalar(select(Dataset).where(Dataset.name == publication.name))
    if dataset is not None:
        return dataset
    data = service.DatasetInput(
        name=publication.name,
        title=publication.title,
        owner_org=publication.owner_org,
        notes=publication.notes,
        state=DatasetState.DRAFT,
        license_id=LICENCE,
        frequency=publication.frequency,
        konsep=publication.konsep,
        definisi=publication.definisi,
        satuan=publication.satuan,
        metode=publication.metode,
        level_estimasi=publication.level_estimasi,
        kode_referensi=KODE_REFERENSI,
        tags=publication.tags,
        groups=publication.groups,
        source_job=publication.job,
    )
    return service.create_dataset(session, actor=actor, data=data)


def csv_bytes(table: Table) -> bytes:
    """The table as UTF-8 CSV with a header row (what the resource URL downloads)."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([f["id"] for f in table.fields])
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
    return output.getvalue().encode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection); a negative
    # number is left alone.
    is_formula = text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _number(text))
    return f"'{text}" if is_formula else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _resource(session: Session, dataset: Dataset, table: Table) -> Resource:
    existing = next(
        (
            r
            for r in dataset.resources
            if r.url_type is UrlType.GENERATED and r.url == table.filename
        ),
        None,
    )
    if existing is not None:
        return existing
    resource = Resource(
        dataset_id=dataset.id,
        position=len(dataset.resources),
        name=table.title,
        url_type=UrlType.GENERATED,
        url=table.filename,
        format="CSV",
        mimetype=CSV_MIME,
        created_at=utcnow(),
    )
    dataset.resources.append(resource)
    session.flush()
    return resource


def publish(
    session: Session,
    *,
    publication: Publication,
    tables: Sequence[Table],
    media: MediaStore,
    actor: Actor = PUBLISHER,
    now: datetime | None = None,
    temporal: tuple[date | None, date | None] = (None, None),
) -> Dataset:
    """Replace the publication's generated resources with ``tables``, in one transaction.

    The first run publishes the seeded draft; a dataset its publisher withdrew (deleted) is
    left alone."""
    now = now or utcnow()
    dataset = ensure_dataset(session, publication, actor=actor)
    if dataset.state is DatasetState.DELETED:
        log.info("open data not published: %s was withdrawn", dataset.name)
        return dataset
    first = dataset.refreshed_at is None
    if first:
        dataset.state = DatasetState.ACTIVE
    replaced: list[str] = []
    changed: list[str] = []
    for table in tables:
        resource = _resource(session, dataset, table)
        datastore.replace_rows(session, resource, table.fields, table.rows)
        body = csv_bytes(table)
        digest = f"sha256:{hashlib.sha256(body).hexdigest()}"
        if digest != resource.hash:
            changed.append(resource.id)
        if resource.storage_key:
            replaced.append(resource.storage_key)
        resource.storage_key = media.save(body, folder=MEDIA_FOLDER, suffix=".csv")
        resource.size = len(body)
        resource.hash = digest
        resource.name, resource.description = table.title, table.description
        resource.last_modified = now
    if first or changed:
        # The history says when the data changed, not every rerun that found it the same.
        record_change(
            session,
            actor=actor,
            dataset=dataset,
            kind=ActivityType.CHANGED,
            data={
                "changed": ["state", "resources"] if first else ["resources"],
                "resources": {"refreshed": changed},
            },
        )
    dataset.source_job = publication.job
    dataset.refreshed_at = now
    dataset.modified_at = now
    dataset.temporal_start, dataset.temporal_end = temporal
    session.commit()
    for key in replaced:  # only once the new files are committed
        media.delete(key)
    return dataset


def _media() -> MediaStore:
    return MediaStore(get_settings().media_dir)


def publish_complaints(session: Session, media: MediaStore, now: datetime) -> list[Dataset]:
    """Complaint statistics per category, PD, kelurahan and month."""
    tables, period = publish_sources.complaint_tables(session)
    return [
        publish(
            session,
            publication=COMPLAINTS,
            tables=tables,
            media=media,
            now=now,
            temporal=period,
        )
    ]


def publish_sensors(session: Session, media: MediaStore, now: datetime) -> list[Dataset]:
    """Hourly rollups of the last 30 days, per datastream (air and weather; water and rain)."""
    environment, water, period = publish_sources.sensor_tables(session, now=now)
    return [
        publish(
            session,
            publication=SENSORS_ENVIRONMENT,
            tables=[environment],
            media=media,
            now=now,
            temporal=period,
        ),
        publish(
            session,
            publication=SENSORS_WATER,
            tables=[water],
            media=media,
            now=now,
            temporal=period,
        ),
    ]


def publish_ispu(session: Session, media: MediaStore, now: datetime) -> list[Dataset]:
    """Daily ISPU per air station."""
    table, period = publish_sources.ispu_table(session, now=now)
    return [
        publish(session, publication=ISPU, tables=[table], media=media, now=now, temporal=period)
    ]


def publish_alerts(session: Session, media: MediaStore, now: datetime) -> list[Dataset]:
    """The public CAP messages ever sent."""
    table, period = publish_sources.alert_table(session)
    return [
        publish(session, publication=ALERTS, tables=[table], media=media, now=now, temporal=period)
    ]


def publish_cctv(session: Session, media: MediaStore, now: datetime) -> list[Dataset]:
    """Public cameras and the cameras per kelurahan."""
    tables = publish_sources.cctv_tables(session)
    today = now.astimezone(WIB).date()
    return [
        publish(
            session, publication=CCTV, tables=tables, media=media, now=now,
            temporal=(today, today),
        )
    ]  # fmt: skip


Publisher = Callable[[Session, MediaStore, datetime], list[Dataset]]
PUBLISHERS: tuple[Publisher, ...] = (
    publish_complaints,
    publish_sensors,
    publish_ispu,
    publish_alerts,
    publish_cctv,
)


def publish_all(session: Session, media: MediaStore, now: datetime | None = None) -> int:
    """Run every publisher once (``pontive demo load``, tests); how many datasets it wrote."""
    moment = now or utcnow()
    return sum(len(publisher(session, media, moment)) for publisher in PUBLISHERS)


def _job(publisher: Publisher) -> Callable[[JobContext], None]:
    def run(context: JobContext) -> None:
        datasets = publisher(context.session, _media(), utcnow())
        log.info("open data published", extra={"datasets": [d.name for d in datasets]})

    run.__doc__ = publisher.__doc__
    return run


JOBS = [
    Job("opendata.publish_complaints", 3600.0, _job(publish_complaints)),
    Job("opendata.publish_sensors", 3600.0, _job(publish_sensors)),
    Job("opendata.publish_ispu", 3600.0, _job(publish_ispu)),
    Job("opendata.publish_alerts", 900.0, _job(publish_alerts)),
    Job("opendata.publish_cctv", 3600.0, _job(publish_cctv)),
]
