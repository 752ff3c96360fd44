"""The datastore's CKAN actions: ``datastore_create``, ``datastore_upsert``,
``datastore_delete``, ``datastore_search``, ``datastore_search_sql`` and ``datastore_info``.

Reads check that the actor may see the resource's dataset (``NotFound`` otherwise, so a
private resource's existence is not revealed); writes need the publish permission on the
dataset's organisation and commit their own transaction.
"""

from __future__ import annotations

from typing import Any

from pontive.core.errors import InvalidInput
from pontive.opendata import datastore, datastore_load, datastore_sql, service
from pontive.opendata.access import require_publish
from pontive.opendata.actions import ActionContext, action
from pontive.opendata.choices import UrlType
from pontive.opendata.datastore_query import as_bool, as_json, read_target, search_table
from pontive.opendata.models import Resource


def _resource_id(data: dict[str, Any]) -> str:
    value = data.get("resource_id") or data.get("id")
    if not value or not isinstance(value, str):
        raise InvalidInput(errors={"resource_id": ["Missing value"]})
    return value


def get_resource(context: ActionContext, data: dict[str, Any], *, write: bool) -> Resource:
    """The resource named by ``resource_id`` (or ``id``), visible to the actor; with
    ``write``, one the actor may publish."""
    resource = service.get_resource(context.session, _resource_id(data), actor=context.actor)
    if write:
        require_publish(context.actor, resource.dataset.owner_org)
    return resource


@action("datastore_create", json_params=("fields", "records", "primary_key", "indexes"))
def datastore_create(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create (or extend) a resource's table, optionally with records; an uploaded resource
    without ``fields`` is queued for loading from its file."""
    resource = get_resource(context, _with_resource(data), write=True)
    fields = as_json(data.get("fields"), "fields")
    records = as_json(data.get("records"), "records")
    if not fields:
        if resource.url_type is UrlType.UPLOAD and resource.storage_key:
            table = datastore_load.queue_load(context.session, resource)
            context.session.commit()
            return {"resource_id": resource.id, "state": table.state.value, "fields": []}
        raise InvalidInput(errors={"fields": ["Missing value"]})
    primary_key = _names(as_json(data.get("primary_key"), "primary_key"))
    table = datastore.create_table(
        context.session,
        resource,
        fields,
        primary_key=primary_key,
        indexes=as_json(data.get("indexes"), "indexes"),
    )
    if records:
        datastore.upsert(context.session, resource, records, method="insert")
    context.session.commit()
    result: dict[str, Any] = {
        "resource_id": resource.id,
        "fields": table.fields,
        "primary_key": list(table.primary_key),
        "method": "insert",
    }
    if records and as_bool(data.get("include_records"), "include_records", False):
        result["records"] = records
    return result


def _with_resource(data: dict[str, Any]) -> dict[str, Any]:
    # CKAN's datastore_create may name the resource as {"resource": {"id": ...}}; we need an
    # existing resource (creating one belongs to resource_create).
    resource = data.get("resource")
    if not data.get("resource_id") and isinstance(resource, dict) and resource.get("id"):
        return {**data, "resource_id": resource["id"]}
    return data


def _names(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidInput(errors={"primary_key": ["Must be a list of field names"]})


@action("datastore_upsert", json_params=("records",))
def datastore_upsert(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Insert, update or upsert records (``method``; default ``upsert``)."""
    resource = get_resource(context, data, write=True)
    method = data.get("method") or "upsert"
    records = as_json(data.get("records"), "records")
    datastore.upsert(context.session, resource, records, method=method)
    context.session.commit()
    return {"resource_id": resource.id, "method": method, "records": records}


@action("datastore_delete", json_params=("filters",))
def datastore_delete(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Delete the rows matching ``filters``; without filters, the whole table."""
    resource = get_resource(context, data, write=True)
    filters = as_json(data.get("filters"), "filters")
    if filters:
        if not isinstance(filters, dict):
            raise InvalidInput(errors={"filters": ["Not a JSON object"]})
        datastore.delete_rows(context.session, resource, filters)
    else:
        datastore.get_table(context.session, resource)  # NotFound when there is none
        datastore.drop(context.session, resource)
    context.session.commit()
    return {"resource_id": resource.id, "filters": filters or {}}


@action(
    "datastore_search",
    side_effect_free=True,
    json_params=("filters", "q", "fields", "sort"),
)
def datastore_search(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search a resource's table (specs/ckan.md §3)."""
    target = read_target(context.session, _resource_id(data), actor=context.actor)
    context.shown.append((target.dataset_id, target.resource_id))
    return search_table(context.session, target, target.resource_id, data)


@action("datastore_search_sql", side_effect_free=True)
def datastore_search_sql(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One read-only SELECT over datastore tables the actor may see."""
    sql = data.get("sql")
    if not sql:
        raise InvalidInput(errors={"sql": ["Missing value"]})
    return datastore_sql.search_sql(context.session, context.actor, str(sql))


@action("datastore_info", side_effect_free=True)
def datastore_info(context: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """The table's meta (row count, size, type) and fields with their schema."""
    resource = get_resource(context, data, write=False)
    return datastore.info(context.session, resource)
