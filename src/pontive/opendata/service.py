"""The open data catalogue's use-cases; the only writer of datasets and resources.

Every function takes the session and the acting identity and checks ``opendata.access``:
publishing is for a PD's officers on their own PD's datasets and for city-wide roles; what an
actor may not see is ``NotFound``. Each change writes an ``Activity`` (which fields changed),
an audit record and a bus event (``opendata.dataset.created/updated/deleted``, public fields
only), then commits. Resource use-cases live in ``service_resources.py`` and the inputs and
their checks in ``service_inputs.py``; both are re-exported here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import to_local, utcnow
from pontive.opendata import catalogue_read, datastore_query
from pontive.opendata.access import require_publish
from pontive.opendata.choices import ActivityType, DatasetState, UsageKind
from pontive.opendata.datastore_schema import ROW_ID, quote
from pontive.opendata.models import Activity, Dataset, DatasetGroup, DatasetTag, UsageCount
from pontive.opendata.service_inputs import (
    DATASET_FIELDS,
    UNKNOWN_FIELD,
    DatasetInput,
    ResourceInput,
    input_from_dataset,
    validate_dataset,
)
from pontive.opendata.service_resources import (
    add_resource,
    delete_resource,
    patch_resource,
    update_resource,
)
from pontive.opendata.service_support import get_dataset, get_resource, record_change

__all__ = [
    "DatasetInput",
    "ResourceInput",
    "add_resource",
    "completeness",
    "create_dataset",
    "delete_dataset",
    "delete_resource",
    "get_dataset",
    "get_resource",
    "list_activity",
    "patch_dataset",
    "patch_resource",
    "record_usage",
    "update_dataset",
    "update_resource",
    "usage_totals",
]

log = logging.getLogger(__name__)


def create_dataset(session: Session, *, actor: Actor, data: DatasetInput) -> Dataset:
    """Publish (or draft) a new dataset for ``data.owner_org``."""
    if data.owner_org:
        require_publish(actor, data.owner_org)
    clean = validate_dataset(session, data, dataset_id=None)
    now = utcnow()
    dataset = Dataset(**clean.values, created_by=actor.label, created_at=now, modified_at=now)
    dataset.tags = [DatasetTag(name=tag) for tag in clean.tags]
    dataset.groups = [DatasetGroup(dimensi_kode=group) for group in clean.groups]
    session.add(dataset)
    session.flush()
    changed = sorted(
        name for name, value in _snapshot(input_from_dataset(dataset)).items() if value
    )
    record_change(
        session, actor=actor, dataset=dataset, kind=ActivityType.NEW, data={"changed": changed}
    )
    session.commit()
    return dataset


def update_dataset(
    session: Session, *, actor: Actor, id_or_name: str, data: DatasetInput
) -> Dataset:
    """Replace a dataset's metadata with ``data`` (CKAN ``package_update``; resources stay)."""
    dataset = get_dataset(session, id_or_name, actor=actor)
    require_publish(actor, dataset.owner_org)
    if data.owner_org and data.owner_org != dataset.owner_org:
        require_publish(actor, data.owner_org)  # moving it needs a say over both PDs
    before = input_from_dataset(dataset)
    clean = validate_dataset(session, data, dataset_id=dataset.id)
    for column, value in clean.values.items():
        setattr(dataset, column, value)
    if [tag.name for tag in dataset.tags] != clean.tags:
        dataset.tags = [DatasetTag(name=tag) for tag in clean.tags]
    if [group.dimensi_kode for group in dataset.groups] != clean.groups:
        dataset.groups = [DatasetGroup(dimensi_kode=group) for group in clean.groups]
    session.flush()
    changed = _changed_fields(before, input_from_dataset(dataset))
    if changed:
        record_change(
            session,
            actor=actor,
            dataset=dataset,
            kind=ActivityType.CHANGED,
            data={"changed": changed},
            before={"name": before.name, "state": str(before.state)},
        )
    session.commit()
    return dataset


def patch_dataset(
    session: Session, *, actor: Actor, id_or_name: str, changes: dict[str, Any]
) -> Dataset:
    """Change only the fields named in ``changes`` (``DatasetInput`` field names)."""
    if unknown := sorted(set(changes) - DATASET_FIELDS):
        raise InvalidInput(errors={name: [UNKNOWN_FIELD] for name in unknown})
    dataset = get_dataset(session, id_or_name, actor=actor)
    data = replace(input_from_dataset(dataset), **changes)
    return update_dataset(session, actor=actor, id_or_name=dataset.id, data=data)


def delete_dataset(session: Session, *, actor: Actor, id_or_name: str) -> None:
    """Withdraw a dataset (``state=deleted``): kept with its history, listed nowhere."""
    dataset = get_dataset(session, id_or_name, actor=actor)
    require_publish(actor, dataset.owner_org)
    if dataset.state is DatasetState.DELETED:
        return
    before = {"state": dataset.state.value}
    dataset.state = DatasetState.DELETED
    record_change(
        session,
        actor=actor,
        dataset=dataset,
        kind=ActivityType.DELETED,
        data={"changed": ["state"]},
        before=before,
    )
    session.commit()


def list_activity(session: Session, dataset: Dataset, *, limit: int = 50) -> list[Activity]:
    """What happened to ``dataset``, newest first."""
    query = (
        select(Activity)
        .where(Activity.dataset_id == dataset.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def record_usage(
    session: Session,
    *,
    dataset_id: str,
    resource_id: str = "",
    kind: UsageKind,
    times: int = 1,
    day: date | None = None,
) -> None:
    """Count ``times`` views, downloads or API calls of a dataset (or resource) on the day's
    row (WIB; today by default; counts only, nothing about who). Never fails the caller: a
    count that cannot be written is logged and dropped. Web requests count through
    ``opendata/usage.py``, which gathers counts and writes them together."""
    day = day or to_local(utcnow()).date()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(UsageCount).values(
        dataset_id=dataset_id, resource_id=resource_id, day=day, kind=kind, count=times
    )
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "resource_id", "day", "kind"],
        set_={"count": UsageCount.count + times},
    )
    try:
        with session.begin_nested():
            session.execute(statement)
    except DBAPIError:
        log.warning("usage count of %s not recorded", dataset_id, exc_info=True)


def usage_totals(session: Session, dataset_id: str) -> dict[str, int]:
    """All-time counts of a dataset and its resources by kind (``view``, ``download``,
    ``api``; zero when never counted)."""
    rows = session.execute(
        select(UsageCount.kind, func.sum(UsageCount.count))
        .where(UsageCount.dataset_id == dataset_id)
        .group_by(UsageCount.kind)
    )
    totals = {kind.value: 0 for kind in UsageKind}
    for kind, total in rows:
        totals[UsageKind(kind).value] = int(total or 0)
    return totals


# Satu Data (MS-Ind) and DCAT recommended fields, in the order the console lists them.
_RECOMMENDED = (
    "konsep",
    "definisi",
    "satuan",
    "metode",
    "level_estimasi",
    "kode_referensi",
    "frequency",
    "temporal",
    "spatial",
    "tags",
    "groups",
    "resources",
    "maintainer_email",
)


def completeness(dataset: Dataset) -> list[str]:
    """The recommended fields ``dataset`` still lacks (empty when complete)."""
    present = {
        "konsep": bool(dataset.konsep.strip()),
        "definisi": bool(dataset.definisi.strip()),
        "satuan": bool(dataset.satuan.strip()),
        "metode": bool(dataset.metode.strip()),
        "level_estimasi": bool(dataset.level_estimasi.strip()),
        "kode_referensi": bool(dataset.kode_referensi.strip()),
        "frequency": dataset.frequency.value != "tidak_tentu",
        "temporal": dataset.temporal_start is not None,
        "spatial": bool(dataset.spatial_codes),
        "tags": bool(dataset.tags),
        "groups": bool(dataset.groups),
        "resources": any(r.state is DatasetState.ACTIVE for r in dataset.resources),
        "maintainer_email": bool(dataset.maintainer_email.strip()),
    }
    return [name for name in _RECOMMENDED if not present[name]]


def _snapshot(data: DatasetInput) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in DATASET_FIELDS}
    values["extras"] = dict(values["extras"] or {})
    values["tags"] = sorted(values["tags"])
    values["groups"] = sorted(values["groups"])
    values["spatial_codes"] = sorted(values["spatial_codes"])
    return {name: (str(v) if hasattr(v, "value") else v) for name, v in values.items()}


def _changed_fields(before: DatasetInput, after: DatasetInput) -> list[str]:
    old, new = _snapshot(before), _snapshot(after)
    return sorted(name for name in DATASET_FIELDS if old[name] != new[name])


def count_public_datasets(session: Session) -> int:
    """How many datasets the public catalogue lists (a live masterplan indicator)."""
    return catalogue_read.count_public(session)


COLUMN_AGGREGATES = ("last", "sum", "mean", "count")


def column_aggregate(
    session: Session, *, actor: Actor, resource_id: str, column: str, aggregate: str = "last"
) -> float | None:
    """One number from a column of a resource's datastore table (a masterplan indicator whose
    source is a dataset): its ``last`` row's value, or its ``sum``, ``mean`` or ``count``.
    ``NotFound`` when the resource, its table or the column is not there for ``actor``."""
    if aggregate not in COLUMN_AGGREGATES:
        raise ValueError(f"unknown aggregate {aggregate!r}")
    target = datastore_query.read_target(session, resource_id, actor=actor)
    if column not in {field["id"] for field in target.fields}:
        raise NotFound(f'Kolom "{column}" tidak ada.', f'Column "{column}" does not exist.')
    table, col = quote(target.table_name), quote(column)
    sql = {
        "last": f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL"  # noqa: S608 - quoted names
        f" ORDER BY {quote(ROW_ID)} DESC LIMIT 1",
        "sum": f"SELECT SUM({col}) FROM {table}",  # noqa: S608 - quoted names
        "mean": f"SELECT AVG({col}) FROM {table}",  # noqa: S608 - quoted names
        "count": f"SELECT COUNT({col}) FROM {table}",  # noqa: S608 - quoted names
    }[aggregate]
    value = session.execute(text(sql)).scalar()
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None  # a text column: no number to show
