"""Public catalogue documents (DESIGN.md, Fixed interfaces): DCAT-AP 3 ``/catalog.jsonld`` and
``/catalog.ttl`` (paged with ``?page=`` past 1,000 datasets), one dataset at
``/dataset/<name>.jsonld`` and ``/dataset/<name>.ttl`` (404 for anything an anonymous visitor
may not see), and Project Open Data ``/data.json``.

Harvesters poll these: responses are public for a few minutes and carry an ETag, so a proxy
or a repeated poll costs no query.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

import orjson
from fastapi import Query, Request
from fastapi.responses import Response
from rdflib import Graph

from pontive.opendata import datajson, dcat
from pontive.settings import Settings
from pontive.web.deps import DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(tags=["opendata"], include_in_schema=False)

CACHE_SECONDS = 300
JSONLD = "application/ld+json"
TURTLE = "text/turtle; charset=utf-8"
JSON = "application/json"
Page = Annotated[int, Query(ge=1, le=100_000)]


def _site(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.base_url.rstrip("/")


def _respond(request: Request, body: bytes, media_type: str) -> Response:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        "Access-Control-Allow-Origin": "*",  # harvesters and browser apps read catalogues
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _catalog(request: Request, session: DbSession, page: int, suffix: str) -> Graph:
    site = _site(request)
    return dcat.catalog_graph(
        session, site=site, document_url=f"{site}/catalog.{suffix}", page=page
    )


@router.get("/catalog.jsonld")
def catalog_jsonld(request: Request, session: DbSession, page: Page = 1) -> Response:
    """The DCAT-AP catalogue as JSON-LD."""
    graph = _catalog(request, session, page, "jsonld")
    return _respond(request, dcat.to_jsonld(graph), JSONLD)


@router.get("/catalog.ttl")
def catalog_turtle(request: Request, session: DbSession, page: Page = 1) -> Response:
    """The DCAT-AP catalogue as Turtle."""
    graph = _catalog(request, session, page, "ttl")
    return _respond(request, dcat.to_turtle(graph), TURTLE)


@router.get("/dataset/{name}.jsonld")
def dataset_jsonld(request: Request, session: DbSession, name: str) -> Response:
    """One dataset as DCAT-AP JSON-LD."""
    graph = dcat.dataset_graph(session, site=_site(request), name=name)
    return _respond(request, dcat.to_jsonld(graph), JSONLD)


@router.get("/dataset/{name}.ttl")
def dataset_turtle(request: Request, session: DbSession, name: str) -> Response:
    """One dataset as DCAT-AP Turtle."""
    graph = dcat.dataset_graph(session, site=_site(request), name=name)
    return _respond(request, dcat.to_turtle(graph), TURTLE)


@router.get("/data.json")
def data_json(request: Request, session: DbSession) -> Response:
    """The catalogue as Project Open Data v1.1 metadata."""
    body = orjson.dumps(datajson.catalog(session, site=_site(request)))
    return _respond(request, body, JSON)
