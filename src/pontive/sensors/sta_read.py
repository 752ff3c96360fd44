"""GET through SensorThings: collections, entities, properties, ``$value`` and ``$ref``.

Query options are evaluated in the order of 18-088 9.3.2 (req ``request-data/order``):
``$filter``, ``$count`` (of the filtered set, before paging), ``$orderby``, ``$skip``,
``$top`` in SQL; then ``$expand`` and ``$select`` on the page. A page holds ``$top``
entities (default 100, at most 10,000); when more follow, ``@iot.nextLink`` is the
absolute URL of the next page, with the same options and ``$skip`` advanced — clients
follow it as it is. ``$resultFormat=dataArray`` (clause 13) writes Observations grouped by
Datastream. Each answer is serialised once with orjson and sent as bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_dataarray import READ_COMPONENTS, data_array_value
from pontive.sensors.sta_entities import StaEntity
from pontive.sensors.sta_errors import JSON, not_found
from pontive.sensors.sta_inline import expand, next_link, page_size, serialise
from pontive.sensors.sta_meta import entity as entity_of
from pontive.sensors.sta_options import (
    QueryOptions,
    compile_filter,
    compile_orderby,
    parse_query_options,
)
from pontive.sensors.sta_paths import ResourcePath
from pontive.sensors.sta_resolve import Resolved, resolve
from pontive.sensors.sta_serialize import Row, property_value, self_link

Params = Iterable[tuple[str, str]]


def _json(document: Any) -> Response:
    return Response(orjson.dumps(document), media_type=JSON)


def read(session: Session, path: ResourcePath, params: Params, root: str, url: str) -> Response:
    """Answer a GET of ``path`` (not the service root); ``url`` is the request's absolute
    URL without its query (the base of ``@iot.nextLink``)."""
    resolved = resolve(session, path.steps)
    entity = entity_of(resolved.entity_set)
    if path.property_name is not None:
        return _property(session, resolved, path)
    options = parse_query_options(params, entity=entity)
    if path.ref:
        return _json(_ref(session, resolved, options, root, url))
    if resolved.is_collection:
        return _json(_collection(session, resolved, options, root, url))
    assert resolved.entity_id is not None  # noqa: S101 - not a collection
    return _json(_entity(session, entity, resolved.entity_id, options, root))


def read_entity(
    session: Session, entity_set: EntitySet, entity_id: int, root: str
) -> dict[str, Any]:
    """One entity with all its properties (the body of 201 Created and of updates)."""
    entity = entity_of(entity_set)
    return _entity(session, entity, entity_id, QueryOptions(entity=entity), root)


def _row(session: Session, entity: StaEntity, entity_id: int) -> Row:
    source = entity.table
    row = session.execute(select(source).where(source.c.id == entity_id)).mappings().first()
    if row is None:
        raise not_found(f"Nothing found: no {entity.name} {entity_id}.")
    return row


def _entity(
    session: Session, entity: StaEntity, entity_id: int, options: QueryOptions, root: str
) -> dict[str, Any]:
    row = _row(session, entity, entity_id)
    bodies = serialise(root, entity, [row], options)
    expand(session, root, entity, [row], bodies, options)
    return bodies[0]


def _conditions(
    session: Session, resolved: Resolved, options: QueryOptions
) -> list[ColumnElement[bool]]:
    conditions = [resolved.condition] if resolved.condition is not None else []
    if options.filter is not None:
        conditions.append(compile_filter(options.filter, entity=options.entity, session=session))
    return conditions


def _page(
    session: Session, resolved: Resolved, options: QueryOptions, url: str
) -> tuple[dict[str, Any], list[Row]]:
    """The count, the rows of the page and the next link (``$filter`` … ``$top``)."""
    source = options.entity.table
    conditions = _conditions(session, resolved, options)
    head: dict[str, Any] = {}
    if options.count:
        head["@iot.count"] = session.scalar(
            select(func.count()).select_from(source).where(*conditions)
        )
    top = page_size(options.top)
    order = compile_orderby(options.orderby, entity=options.entity, session=session)
    statement = select(source).where(*conditions).order_by(*order).limit(top + 1)
    if options.skip:
        statement = statement.offset(options.skip)
    rows: list[Row] = list(session.execute(statement).mappings())
    if len(rows) > top:
        head["@iot.nextLink"] = next_link(url, options, top)
    return head, rows[:top]


def _collection(
    session: Session, resolved: Resolved, options: QueryOptions, root: str, url: str
) -> dict[str, Any]:
    head, rows = _page(session, resolved, options, url)
    if options.result_format is not None:
        names = [n for n in options.select or READ_COMPONENTS if options.entity.property(n)]
        value: list[dict[str, Any]] = data_array_value(root, rows, names)
    else:
        value = serialise(root, options.entity, rows, options)
        expand(session, root, options.entity, rows, value, options)
    link = head.pop("@iot.nextLink", None)
    body = {**head, "value": value}
    if link is not None:
        body["@iot.nextLink"] = link  # after value, as FROST writes it
    return body


def _ref(
    session: Session, resolved: Resolved, options: QueryOptions, root: str, url: str
) -> dict[str, Any]:
    entity_set = options.entity.entity_set
    if not resolved.is_collection:
        assert resolved.entity_id is not None  # noqa: S101
        return {"@iot.selfLink": self_link(root, entity_set, resolved.entity_id)}
    head, rows = _page(session, resolved, options, url)
    link = head.pop("@iot.nextLink", None)
    body = {
        **head,
        "value": [{"@iot.selfLink": self_link(root, entity_set, r["id"])} for r in rows],
    }
    if link is not None:
        body["@iot.nextLink"] = link
    return body


def _member(value: Any, name: str) -> Any:
    if isinstance(value, dict) and name in value:
        return value[name]
    if isinstance(value, list) and name.isdigit() and int(name) < len(value):
        return value[int(name)]
    raise not_found(f"Nothing found: no member {name!r}.")


def _property(session: Session, resolved: Resolved, path: ResourcePath) -> Response:
    """A property (usage 4: ``{"name": value}``, 204 when null) or its raw ``$value``."""
    if resolved.is_collection or path.property_name is None:
        raise not_found("A property needs one entity, e.g. Things(1)/name.")
    assert resolved.entity_id is not None  # noqa: S101
    entity = entity_of(resolved.entity_set)
    row = _row(session, entity, resolved.entity_id)
    value = property_value(resolved.entity_set, path.property_name, row)
    for name in path.sub_path:
        if value is None:
            break
        value = _member(value, name)
    if value is None:
        return Response(status_code=204)
    if path.raw_value:
        text = value if isinstance(value, str) else orjson.dumps(value).decode()
        return Response(text, media_type="text/plain; charset=utf-8")
    key = path.sub_path[-1] if path.sub_path else path.property_name
    return _json({key: value})
