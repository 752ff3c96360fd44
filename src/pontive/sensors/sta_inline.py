"""Putting ``$expand``ed entities into a page of serialised entities, level by level.

For each expanded navigation of a level, the related entities of *all* entities on the
page are loaded at once (``sta_expand``), serialised with their own ``$select``, given
``<Nav>@iot.count`` (``$count=true`` inside the item) and ``<Nav>@iot.nextLink`` when a
parent has more than one page of them, then expanded further with the item's own
``$expand``. Queries: one per navigation per level, whatever the page size.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import StaEntity, StaNavigation
from pontive.sensors.sta_expand import ChildQuery, count_collection, load_collection, load_to_one
from pontive.sensors.sta_options import (
    QueryOptions,
    compile_filter,
    compile_orderby,
    query_string,
    with_skip,
)
from pontive.sensors.sta_serialize import Row, entity_json, self_link

DEFAULT_TOP = 100  # entities per page when the client gives no $top (FROST's defaultTop)
MAX_TOP = 10_000  # a larger $top is cut to this (FROST's maxTop; 18-088 req request-data/top)


def page_size(top: int | None) -> int:
    """The entities per page for a requested ``$top`` (18-088: server paging wins)."""
    if top is None:
        return DEFAULT_TOP
    return min(top, MAX_TOP)


def selected(options: QueryOptions) -> set[str] | None:
    """What ``$select`` keeps; expanded navigations are always kept (req request-data/select)."""
    if options.select is None:
        return None
    return set(options.select) | {item.navigation for item in options.expand}


def serialise(
    root: str, entity: StaEntity, rows: Sequence[Row], options: QueryOptions
) -> list[dict[str, Any]]:
    """Rows as SensorThings JSON with their ``$select``."""
    keep = selected(options)
    return [entity_json(root, entity.entity_set, row, keep) for row in rows]


def expand(
    session: Session,
    root: str,
    entity: StaEntity,
    rows: Sequence[Row],
    bodies: Sequence[dict[str, Any]],
    options: QueryOptions,
) -> None:
    """Add every ``$expand`` item of ``options`` to ``bodies`` (one per row, same order)."""
    if not rows:
        return
    for item in options.expand:
        nav = entity.navigation(item.navigation)
        assert nav is not None  # noqa: S101 - sta_options checked the name
        if nav.is_to_many:
            _expand_collection(session, root, nav, rows, bodies, item.options)
        else:
            _expand_single(session, root, nav, rows, bodies, item.options)


def _where(session: Session, options: QueryOptions) -> tuple[Any, ...]:
    if options.filter is None:
        return ()
    return (compile_filter(options.filter, entity=options.entity, session=session),)


def _expand_single(
    session: Session,
    root: str,
    nav: StaNavigation,
    rows: Sequence[Row],
    bodies: Sequence[dict[str, Any]],
    options: QueryOptions,
) -> None:
    found = load_to_one(session, nav, rows, ChildQuery(where=_where(session, options)))
    child_rows: list[Row] = []
    child_bodies: list[dict[str, Any]] = []
    for row, body in zip(rows, bodies, strict=True):
        related = found.get(row["id"], [])
        if not related:
            body[nav.name] = None
            continue
        child = serialise(root, options.entity, related, options)[0]
        body[nav.name] = child
        child_rows.append(related[0])
        child_bodies.append(child)
    expand(session, root, options.entity, child_rows, child_bodies, options)


def _expand_collection(
    session: Session,
    root: str,
    nav: StaNavigation,
    rows: Sequence[Row],
    bodies: Sequence[dict[str, Any]],
    options: QueryOptions,
) -> None:
    top = page_size(options.top)
    where = _where(session, options)
    order = compile_orderby(options.orderby, entity=options.entity, session=session)
    query = ChildQuery(where=where, order_by=tuple(order), limit=top + 1, offset=options.skip)
    parent_ids = [row["id"] for row in rows]
    children = load_collection(session, nav, parent_ids, query)
    counts = count_collection(session, nav, parent_ids, where) if options.count else {}
    child_rows: list[Row] = []
    child_bodies: list[dict[str, Any]] = []
    parent_set = nav.source_entity.entity_set
    for row, body in zip(rows, bodies, strict=True):
        kids = children.get(row["id"], [])
        if options.count:
            body[f"{nav.name}@iot.count"] = counts.get(row["id"], 0)
        serialised = serialise(root, options.entity, kids[:top], options)
        body[nav.name] = serialised
        if len(kids) > top:
            link = f"{self_link(root, parent_set, row['id'])}/{nav.name}"
            body[f"{nav.name}@iot.nextLink"] = next_link(link, options, top)
        child_rows += kids[:top]
        child_bodies += serialised
    expand(session, root, options.entity, child_rows, child_bodies, options)


def next_link(url: str, options: QueryOptions, top: int) -> str:
    """The absolute URL of the page after this one (same options, ``$skip`` advanced)."""
    following = with_skip(dataclasses.replace(options, top=top), options.skip + top)
    query = query_string(following)
    return f"{url}?{query}" if query else url
