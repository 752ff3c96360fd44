"""Writes through SensorThings (18-088 clause 10): POST, PATCH, PUT, JSON-Patch, DELETE.

POST goes to a collection, or to a navigation collection whose entity then links the new
one (``Datastreams(1)/Observations``, ``Things(1)/Locations``); PATCH merges, PUT replaces
(``frost-sta-client``'s ``update()`` sends PUT), a PATCH with
``Content-Type: application/json-patch+json`` applies RFC 6902 operations; DELETE removes
one entity with its cascade. ``CreateObservations`` is the data array bulk create.
Everything here parses and resolves; the service decides and writes.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.identity import Actor
from pontive.sensors import service
from pontive.sensors.schemas import Changes, Created, Draft, EntitySet, Link
from pontive.sensors.sta_body import OBSERVATION_PROPERTIES, parse_changes, parse_entity
from pontive.sensors.sta_dataarray import parse_blocks, parse_rows
from pontive.sensors.sta_errors import StaError, bad_request
from pontive.sensors.sta_jsonpatch import apply_patch
from pontive.sensors.sta_meta import navigation, table
from pontive.sensors.sta_paths import ResourcePath
from pontive.sensors.sta_resolve import Parent, Resolved, resolve
from pontive.sensors.sta_serialize import entity_json, self_link

JSON_TYPES = ("application/json",)
JSON_PATCH_TYPE = "application/json-patch+json"
MAX_BODY_BYTES = 25 * 1024 * 1024  # FROST-Server's maxDataSize default


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type header, lower-cased."""
    return content_type.split(";", 1)[0].strip().lower()


def load_json(body: bytes, content_type: str, allowed: tuple[str, ...] = JSON_TYPES) -> Any:
    """The JSON body; 415 for another media type, 413 when too large, 400 when malformed."""
    kind = media_type(content_type)
    if kind and kind not in allowed:
        raise StaError(415, f"Unsupported Content-Type {kind!r}: send {' or '.join(allowed)}.")
    if len(body) > MAX_BODY_BYTES:
        raise StaError(413, f"The body exceeds {MAX_BODY_BYTES // (1024 * 1024)} MB.")
    if not body.strip():
        raise bad_request("The request has no body: send the entity as JSON.")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise bad_request(f"Could not parse JSON: {error}.") from None


def _entity_path(path: ResourcePath, verb: str) -> None:
    if not path.steps or path.property_name is not None or path.ref or path.is_collection:
        raise bad_request(f"{verb} is only allowed on one entity, e.g. Things(1).")


def _link_parent(draft: Draft, parent: Parent) -> Draft:
    inverse = parent.navigation.inverse
    link = Link(parent.entity_set, parent.id)
    existing = draft.related.get(inverse, ())
    if not navigation(draft.entity_set)[inverse].is_to_many:
        if existing and existing[0] != link:
            raise bad_request(f"{inverse}: conflicts with the entity of the path.")
        if existing:
            return draft
    elif link in existing:
        return draft
    return draft.with_related(inverse, link)


def create(session: Session, actor: Actor, path: ResourcePath, body: Any) -> Created:
    """POST to a collection (deep insert included)."""
    if not path.is_collection or path.ref:
        raise bad_request(
            "POST is only allowed to collections, e.g. Things or Things(1)/Locations."
        )
    resolved = resolve(session, path.steps)
    draft = parse_entity(resolved.entity_set, body)
    if resolved.parent is not None:
        draft = _link_parent(draft, resolved.parent)
    return service.create_entity(session=session, actor=actor, draft=draft)


def _current(session: Session, resolved: Resolved) -> dict[str, Any]:
    source = table(resolved.entity_set)
    row = session.execute(select(source).where(source.c.id == resolved.entity_id)).mappings().one()
    document = entity_json("", resolved.entity_set, row)
    return {name: value for name, value in document.items() if "@iot." not in name}


def _json_patch_changes(session: Session, resolved: Resolved, operations: Any) -> Changes:
    current = _current(session, resolved)
    patched = apply_patch(current, operations)
    if patched.pop("id", resolved.entity_id) != resolved.entity_id:
        raise bad_request("JSON Patch: the id of an entity cannot change.")
    if resolved.entity_set is EntitySet.OBSERVATIONS:
        links = {k: v for k, v in patched.items() if k not in OBSERVATION_PROPERTIES}
        values = {k: v for k, v in patched.items() if k in OBSERVATION_PROPERTIES}
        return Changes(values, parse_changes(resolved.entity_set, links, replace=False).links, True)
    changed = {k: v for k, v in patched.items() if k not in current or current[k] != v}
    removed = {k: None for k in current if k not in patched}
    return parse_changes(resolved.entity_set, changed | removed, replace=False)


def update(
    session: Session,
    actor: Actor,
    path: ResourcePath,
    *,
    method: str,
    body: bytes,
    content_type: str,
) -> Resolved:
    """PATCH (merge or JSON-Patch) or PUT (replace) one entity."""
    _entity_path(path, method)
    if method == "PATCH" and media_type(content_type) == JSON_PATCH_TYPE:
        resolved = resolve(session, path.steps)
        operations = load_json(body, content_type, (JSON_PATCH_TYPE,))
        changes = _json_patch_changes(session, resolved, operations)
    else:
        document = load_json(body, content_type)
        resolved = resolve(session, path.steps)
        changes = parse_changes(resolved.entity_set, document, replace=method == "PUT")
    assert resolved.entity_id is not None  # noqa: S101 - _entity_path ensured one entity
    service.update_entity(
        session=session,
        actor=actor,
        entity_set=resolved.entity_set,
        entity_id=resolved.entity_id,
        changes=changes,
    )
    return resolved


def delete(session: Session, actor: Actor, path: ResourcePath) -> None:
    """DELETE one entity and its cascade."""
    _entity_path(path, "DELETE")
    resolved = resolve(session, path.steps)
    assert resolved.entity_id is not None  # noqa: S101 - _entity_path ensured one entity
    service.delete_entity(
        session=session, actor=actor, entity_set=resolved.entity_set, entity_id=resolved.entity_id
    )


def create_observations(session: Session, actor: Actor, root: str, body: Any) -> list[str]:
    """CreateObservations: the created Observations' URLs in request order, ``"error"``
    for rows that were not stored."""
    items = parse_rows(session, parse_blocks(body))
    ids = service.create_observation_rows(session=session, actor=actor, items=items)
    # A link per row of up to thousands: the entity set's part of the URL is made once.
    prefix = self_link(root, EntitySet.OBSERVATIONS, 0).removesuffix("0)")
    return [f"{prefix}{i})" if i is not None else "error" for i in ids]
