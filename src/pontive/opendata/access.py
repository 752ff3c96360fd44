"""Who may see and who may publish open data.

Anyone sees active publik datasets. Staff see terbatas ones (and drafts of their own PD, or
any with a city-wide role); rahasia datasets are seen by their PD's officers and city-wide
roles only. Publishing (create, edit, upload, delete, datastore writes) is for a PD's officers
on their own PD's datasets and for the technical team and administrators on any.
"""

from __future__ import annotations

from typing import Protocol

from pontive.core import permissions
from pontive.core.choices import Classification
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.opendata.choices import DatasetState
from pontive.opendata.models import Dataset

PUBLISH = permissions.register(
    "opendata.publish", {Role.PETUGAS_PD, Role.TIM_TEKNIS, Role.ADMIN}, pd_scoped=True
)
VIEW_UNPUBLISHED = permissions.register(
    "opendata.view_unpublished",
    {Role.PETUGAS_PD, Role.TIM_TEKNIS, Role.ADMIN, Role.OPERATOR, Role.WALIKOTA},
    pd_scoped=True,
)


def can_publish(actor: Actor, dataset_org: str) -> bool:
    """Whether ``actor`` may change datasets of the organisation ``dataset_org``."""
    return permissions.can(actor, PUBLISH, owner_pd=dataset_org)


def require_publish(actor: Actor, dataset_org: str) -> None:
    """Raise ``NotAuthenticated`` / ``PermissionDenied`` unless ``can_publish``."""
    permissions.require(actor, PUBLISH, owner_pd=dataset_org)


class Classified(Protocol):
    """What decides who may see a dataset: a ``Dataset``, or a row read without one."""

    @property
    def state(self) -> DatasetState: ...
    @property
    def classification(self) -> Classification: ...
    @property
    def owner_org(self) -> str: ...


def visible(actor: Actor, dataset: Classified) -> bool:
    """Whether ``actor`` may see ``dataset`` (and its resources and datastore rows)."""
    if dataset.state is DatasetState.DELETED:
        return can_publish(actor, dataset.owner_org)
    unpublished = dataset.state is DatasetState.DRAFT
    if dataset.classification is Classification.PUBLIK and not unpublished:
        return True
    if dataset.classification is Classification.TERBATAS and not unpublished:
        return actor.role is not None and actor.role.is_staff
    return permissions.can(actor, VIEW_UNPUBLISHED, owner_pd=dataset.owner_org)


def require_visible(actor: Actor, dataset: Dataset) -> None:
    """``NotFound`` for a dataset ``actor`` may not see (its existence is not revealed)."""
    if not visible(actor, dataset):
        raise NotFound("Dataset tidak ditemukan.", "Dataset not found.")
