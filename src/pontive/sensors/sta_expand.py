"""Loading ``$expand``ed entities for a whole page at once: one query per navigation level.

To-one navigations (a Datastream's Thing) load every referenced entity with one ``IN``.
Collections (a Thing's Datastreams, a Datastream's Observations) need their own
``$filter``/``$orderby``/``$skip``/``$top`` *per parent*, so the rows of all parents come
from one query that limits each parent separately: a ``LATERAL`` subquery per parent on
PostgreSQL, a ``UNION ALL`` of per-parent ``ORDER BY … LIMIT`` subqueries on SQLite. Each
part walks the (datastream, phenomenon time, id) index, which is what makes the common
``Datastreams?$expand=Observations($orderby=phenomenonTime desc;$top=1)`` cost a few index
probes per Datastream instead of a scan (DESIGN.md, performance facts: per-stream
``ORDER BY … LIMIT`` beats ``GROUP BY``/window forms by 80 to 900 times).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    column,
    func,
    literal,
    select,
    true,
    union_all,
    values,
)
from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import LinkKind, StaNavigation, related_to
from pontive.sensors.sta_serialize import Row

PARENT = "sta_parent_id"
_UNION_CHUNK = 200  # well under SQLite's 500 terms per compound SELECT


@dataclass(frozen=True, slots=True)
class ChildQuery:
    """What to load of a navigation for each parent: filter, order and window."""

    where: tuple[ColumnElement[bool], ...] = ()
    order_by: tuple[Any, ...] = ()
    limit: int | None = None  # rows per parent (the page size plus one, to see if more)
    offset: int = 0


def load_to_one(
    session: Session, nav: StaNavigation, parents: Sequence[Row], query: ChildQuery
) -> dict[int, list[Row]]:
    """Parent id → [its related entity] (empty when the key is null or filtered out)."""
    target = nav.target_entity.table
    keys = {row[nav.key] for row in parents if row[nav.key] is not None}
    if not keys:
        return {}
    found = {
        row["id"]: row
        for row in session.execute(
            select(target).where(target.c.id.in_(keys), *query.where)
        ).mappings()
    }
    return {row["id"]: [found[row[nav.key]]] for row in parents if row[nav.key] in found}


def _per_parent(nav: StaNavigation, parent: ColumnElement[Any], query: ChildQuery) -> Select[Any]:
    target = nav.target_entity.table
    statement = select(target, parent.label(PARENT))
    if nav.kind is LinkKind.ASSOCIATION:
        # Joined here (not ``related_to``'s IN subquery) so that the parent id correlates
        # from the enclosing LATERAL on PostgreSQL.
        assert nav.association is not None  # noqa: S101 - association navigations have one
        ours, theirs = nav.association.c[nav.ours], nav.association.c[nav.theirs]
        statement = statement.select_from(target.join(nav.association, theirs == target.c.id))
        statement = statement.where(ours == parent)
    else:
        statement = statement.where(related_to(nav, parent_id=parent, target=target))
    statement = (
        statement.where(*query.where)
        .order_by(*(query.order_by or (target.c.id,)))
        .offset(query.offset or None)
    )
    return statement.limit(query.limit) if query.limit is not None else statement


def _lateral(nav: StaNavigation, ids: Sequence[int], query: ChildQuery) -> Select[Any]:
    parents = values(column("pid", BigInteger), name="sta_parents").data([(i,) for i in ids])
    inner = _per_parent(nav, parents.c.pid, query).lateral("sta_children")
    return select(inner).select_from(parents.join(inner, true()))


def _union(nav: StaNavigation, ids: Sequence[int], query: ChildQuery) -> Select[Any]:
    # SQLite runs the arms of a UNION ALL one after the other and each arm's subquery keeps
    # its ORDER BY, so every parent's children arrive in their own order.
    parts = [select(_per_parent(nav, literal(i, BigInteger), query).subquery()) for i in ids]
    compound = union_all(*parts).subquery("sta_children")
    return select(compound)


def load_collection(
    session: Session, nav: StaNavigation, parent_ids: Sequence[int], query: ChildQuery
) -> dict[int, list[Row]]:
    """Parent id → its related entities, each parent limited on its own."""
    children: dict[int, list[Row]] = defaultdict(list)
    ids = sorted(set(parent_ids))
    if not ids:
        return children
    is_postgres = session.get_bind().dialect.name == "postgresql"
    chunks = (
        [ids]
        if is_postgres
        else [ids[i : i + _UNION_CHUNK] for i in range(0, len(ids), _UNION_CHUNK)]
    )
    for chunk in chunks:
        statement = _lateral(nav, chunk, query) if is_postgres else _union(nav, chunk, query)
        for row in session.execute(statement).mappings():
            children[row[PARENT]].append(row)
    return children


def count_collection(
    session: Session,
    nav: StaNavigation,
    parent_ids: Sequence[int],
    where: Sequence[ColumnElement[bool]],
) -> dict[int, int]:
    """Parent id → how many related entities match ``where`` (``$count`` inside ``$expand``)."""
    target = nav.target_entity.table
    ids = sorted(set(parent_ids))
    if not ids:
        return {}
    if nav.kind is LinkKind.THEIR_KEY:
        key = target.c[nav.key]
        statement = select(key, func.count()).where(key.in_(ids), *where).group_by(key)
    else:
        assert nav.association is not None  # noqa: S101 - collections are keyed or associated
        ours, theirs = nav.association.c[nav.ours], nav.association.c[nav.theirs]
        statement = (
            select(ours, func.count())
            .select_from(nav.association.join(target, theirs == target.c.id))
            .where(ours.in_(ids), *where)
            .group_by(ours)
        )
    return {int(parent): int(total) for parent, total in session.execute(statement)}
