"""Resolving a parsed resource path against the database, hop by hop.

Every step but the last addresses one entity (an id, or a to-one navigation), so each hop
is one indexed query; the last step is either one entity or a collection, which becomes a
condition on the target table (``related_to`` of the entity registry). A path through an
entity that does not exist, or an id that is not related to the entity before it
(``Datastreams(1)/Observations(99)`` when Observation 99 belongs elsewhere), is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_entities import StaNavigation, related_to
from pontive.sensors.sta_errors import not_found
from pontive.sensors.sta_meta import SINGULAR, navigation, table
from pontive.sensors.sta_paths import Step


@dataclass(frozen=True, slots=True)
class Parent:
    """The entity a collection hangs from: ``Things(1)/Datastreams`` → Thing 1."""

    entity_set: EntitySet
    id: int
    navigation: StaNavigation


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a path addresses: one entity (``entity_id``) or a collection (``condition``)."""

    entity_set: EntitySet
    entity_id: int | None = None
    condition: ColumnElement[bool] | None = None  # None with entity_id None: the whole set
    parent: Parent | None = None

    @property
    def is_collection(self) -> bool:
        """Whether a collection is addressed."""
        return self.entity_id is None


def _exists(session: Session, entity_set: EntitySet, condition: ColumnElement[bool]) -> Any:
    source = table(entity_set)
    return session.scalar(select(source.c.id).where(condition).limit(1))


def _missing(entity_set: EntitySet, entity_id: int | None, after: str = "") -> Exception:
    what = f"{SINGULAR[entity_set]} {entity_id}" if entity_id is not None else SINGULAR[entity_set]
    return not_found(f"Nothing found: no {what}{after}.")


def resolve(session: Session, steps: tuple[Step, ...]) -> Resolved:
    """Walk ``steps`` (at least one); 404 when an addressed entity does not exist."""
    first = steps[0]
    if first.key is None:
        return Resolved(first.entity_set)
    if _exists(session, first.entity_set, table(first.entity_set).c.id == first.key) is None:
        raise _missing(first.entity_set, first.key)
    current_set, current_id = first.entity_set, first.key
    for step in steps[1:]:
        nav = navigation(current_set)[step.navigation or ""]
        target = table(step.entity_set)
        related = related_to(nav, parent_id=current_id, target=target)
        where = f" for {SINGULAR[current_set]} {current_id}"
        if step.is_collection:
            return Resolved(step.entity_set, None, related, Parent(current_set, current_id, nav))
        condition = related if step.key is None else and_(related, target.c.id == step.key)
        found = _exists(session, step.entity_set, condition)
        if found is None:
            raise _missing(step.entity_set, step.key, where)
        current_set, current_id = step.entity_set, int(found)
    return Resolved(current_set, current_id)
