"""Schemas the OpenAPI document must carry that no route declares as its body by itself.

A route that reads its body by hand (JSON or multipart, say) describes it with
``openapi_extra`` and a ``$ref`` to its model; ``document_schema`` puts that model, and the
models it uses, under ``components.schemas``.

Building the document walks every route's models (seconds for the platform's 350
operations); an app built again in the same process with the same routes, title and version
— every web worker's restart of the app, every test — reuses the document already built. It is
read-only: callers serialise it, never change it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import FastAPI
from pydantic import BaseModel
from starlette.routing import BaseRoute

_EXTRA: list[type[BaseModel]] = []
_BUILT: dict[tuple[Any, ...], dict[str, Any]] = {}
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
        key = _fingerprint(app)
        built = _BUILT.get(key)
        if built is not None:
            app.openapi_schema = built
            return built
        schema = default()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in _EXTRA:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, model_schema)
        _BUILT[key] = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _fingerprint(app: FastAPI) -> tuple[Any, ...]:
    """What the document is made of: the app's description, its documented routes with
    their endpoints (the same function objects in every app built from the same routers),
    and the extras."""
    meta = (
        app.title,
        app.version,
        app.description,
        app.openapi_url,
        repr(app.servers),
        repr(app.openapi_tags),
        tuple(map(id, _EXTRA)),
    )
    return meta, _routes_key(app.routes)


def _routes_key(routes: Iterable[BaseRoute]) -> tuple[Any, ...]:
    """The documented routes, walked through the routers included among them (FastAPI keeps
    an included router as one route holding the router and how it was included; resolving
    the routes at their full paths would cost seconds an app). Routes left out of the schema
    do not count: FastAPI makes the document's own route, a new closure, for every app."""
    key: list[Any] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            how = route.include_context  # type: ignore[attr-defined]
            key.append(
                (
                    how.prefix,
                    tuple(map(str, how.tags)),
                    how.include_in_schema,
                    how.deprecated,
                    repr(how.responses),
                    _routes_key(included.routes),
                )
            )
        elif getattr(route, "include_in_schema", False):
            methods = tuple(sorted(getattr(route, "methods", None) or ()))
            key.append((getattr(route, "path", ""), methods, id(getattr(route, "endpoint", None))))
    return tuple(key)
