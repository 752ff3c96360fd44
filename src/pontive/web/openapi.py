"""Schemas the OpenAPI document must carry that no route declares as its body by itself.

A route that reads its body by hand (JSON or multipart, say) describes it with
``openapi_extra`` and a ``$ref`` to its model; ``document_schema`` puts that model, and the
models it uses, under ``components.schemas``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from pydantic import BaseModel

_EXTRA: list[type[BaseModel]] = []
M = TypeVar("M", bound=type[BaseModel])


def document_schema(model: M) -> M:
    """Register ``model`` for the OpenAPI document's components."""
    if model not in _EXTRA:
        _EXTRA.append(model)
    return model


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the registered models to its components."""
    default: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = default()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in _EXTRA:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, model_schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
