"""JSON Schemas of a registry's API, from its declaration (the OpenAPI document's bodies)."""

from __future__ import annotations

from typing import Any

from pontive.core.registry import Field, Kind, Registry

_STRING_FORMATS = {
    Kind.DATE: "date",
    Kind.DATETIME: "date-time",
    Kind.URL: "uri",
    Kind.EMAIL: "email",
}


def field_schema(spec: Field) -> dict[str, Any]:
    """The schema of one field's value."""
    schema: dict[str, Any]
    if spec.kind is Kind.INT or spec.kind is Kind.REF:
        schema = {"type": "integer"}
    elif spec.kind is Kind.DECIMAL:
        schema = {"type": "number"}
    elif spec.kind is Kind.BOOL:
        schema = {"type": "boolean"}
    elif spec.kind is Kind.CHOICE and spec.choices is not None:
        schema = {"type": "string", "enum": [m.value for m in spec.choices]}
    elif spec.kind is Kind.CHOICES and spec.choices is not None:
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": [m.value for m in spec.choices]},
        }
    elif spec.kind is Kind.LINE:
        pair = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
        schema = {"type": "array", "items": pair, "minItems": 2}
    else:
        schema = {"type": "string"}
        if spec.kind in _STRING_FORMATS:
            schema["format"] = _STRING_FORMATS[spec.kind]
        if spec.kind in (Kind.TEXT, Kind.URL, Kind.EMAIL, Kind.PHONE):
            schema["maxLength"] = spec.max_length
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    schema["description"] = " / ".join(spec.label) + (
        f" (reference to {spec.ref})" if spec.kind is Kind.REF else ""
    )
    if spec.kind is not Kind.CHOICES:
        return {"anyOf": [schema, {"type": "null"}]} if not spec.required else schema
    return schema


def _properties(registry: Registry, *, for_input: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for spec in registry.editable if for_input else registry.fields:
        if spec.kind is Kind.POINT:
            properties["lon"] = {"type": "number", "description": "WGS84 longitude"}
            properties["lat"] = {"type": "number", "description": "WGS84 latitude"}
            if not for_input:
                properties["kelurahan_kode"] = {
                    "type": "string",
                    "description": "Resolved kelurahan",
                }
            continue
        properties[spec.name] = field_schema(spec)
    return properties


def input_schema(registry: Registry) -> dict[str, Any]:
    """A body creating or changing a row (a change sends only what changes)."""
    required = [
        f.name if f.kind is not Kind.POINT else "lon" for f in registry.editable if f.required
    ]
    schema: dict[str, Any] = {
        "type": "object",
        "title": f"{registry.singular[1]} (input)",
        "properties": _properties(registry, for_input=True),
        "additionalProperties": False,
    }
    if required:
        schema["description"] = "Required when creating: " + ", ".join(required)
    return schema


def row_schema(registry: Registry) -> dict[str, Any]:
    """A row as the API answers it (public readers get the public fields only)."""
    return {
        "type": "object",
        "title": registry.singular[1],
        "properties": {"id": {"type": "integer"}, **_properties(registry, for_input=False)},
        "required": ["id"],
    }


def page_schema(registry: Registry) -> dict[str, Any]:
    """A page of rows."""
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "results": {"type": "array", "items": row_schema(registry)},
        },
        "required": ["count", "page", "per_page", "results"],
    }


def history_schema() -> dict[str, Any]:
    """A row's changes, newest first."""
    change = {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": ["created", "updated", "deleted"]},
            "via": {"type": "string"},
            "actor": {"type": "string"},
            "occurred_at": {"type": "string", "format": "date-time"},
            "changes": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
    return {"type": "array", "items": change}
