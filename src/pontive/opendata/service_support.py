"""What the catalogue's use-cases share: finding a dataset or resource the actor may see, and
writing down what happened (activity, audit trail, bus event) in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.errors import NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.opendata.access import require_visible
from pontive.opendata.choices import ActivityType, DatasetState
from pontive.opendata.models import Activity, Dataset, Resource

_EVENT_TYPES = {
    ActivityType.NEW: "opendata.dataset.created",
    ActivityType.CHANGED: "opendata.dataset.updated",
    ActivityType.DELETED: "opendata.dataset.deleted",
}
_AUDIT_ACTIONS = {
    ActivityType.NEW: "opendata.dataset.create",
    ActivityType.CHANGED: "opendata.dataset.update",
    ActivityType.DELETED: "opendata.dataset.delete",
}


def get_dataset(session: Session, id_or_name: str, *, actor: Actor) -> Dataset:
    """The dataset with this id or name; ``NotFound`` when missing or not visible to
    ``actor`` (a deleted dataset is visible to its publishers only)."""
    dataset = session.scalar(
        select(Dataset)
        .where(or_(Dataset.id == id_or_name, Dataset.name == id_or_name))
        .options(
            selectinload(Dataset.tags),
            selectinload(Dataset.groups),
            selectinload(Dataset.resources),
        )
    )
    if dataset is None:
        raise NotFound("Dataset tidak ditemukan.", "Dataset not found.")
    require_visible(actor, dataset)
    return dataset


def get_resource(session: Session, resource_id: str, *, actor: Actor) -> Resource:
    """The resource with this id, if its dataset is visible to ``actor`` and it is not
    deleted."""
    resource = session.get(Resource, resource_id)
    missing = NotFound(
        f'Sumber data "{resource_id}" tidak ditemukan.', f'Resource "{resource_id}" was not found.'
    )
    if resource is None or resource.state is DatasetState.DELETED:
        raise missing
    try:
        require_visible(actor, resource.dataset)
    except NotFound:
        raise missing from None
    return resource


def public_summary(dataset: Dataset) -> dict[str, Any]:
    """What may be said about a dataset on the bus and in the audit trail (no personal data)."""
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "owner_org": dataset.owner_org,
        "state": dataset.state.value,
        "classification": dataset.classification.value,
        "license_id": dataset.license_id,
    }


def record_change(
    session: Session,
    *,
    actor: Actor,
    dataset: Dataset,
    kind: ActivityType,
    data: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    """Write the activity, the audit record and the bus event of a change to ``dataset``
    (published on commit), and mark the dataset modified."""
    now = utcnow()
    dataset.modified_at = now
    session.add(
        Activity(
            dataset_id=dataset.id,
            activity_type=kind,
            actor=actor.label,
            data=data,
            created_at=now,
        )
    )
    summary = public_summary(dataset)
    audit.record(
        session,
        actor=actor,
        action=_AUDIT_ACTIONS[kind],
        object_type="opendata_dataset",
        object_id=dataset.id,
        before=before,
        after={**summary, **data},
    )
    emit(
        session,
        Event(
            _EVENT_TYPES[kind],
            {**summary, **data},
            classification=_event_classification(dataset),
            pd_kode=dataset.owner_org,
        ),
    )


def _event_classification(dataset: Dataset) -> Classification:
    # A draft is not published yet: only staff hear of it, whatever it will be.
    if dataset.state is DatasetState.ACTIVE or dataset.classification is not Classification.PUBLIK:
        return dataset.classification
    return Classification.TERBATAS
