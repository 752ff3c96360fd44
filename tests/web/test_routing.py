"""The routers' path index (web/routing.py) never hides a route: every route of the app is
still chosen for a path it matches, and paths nobody routes are declined without walking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Host, Match
from starlette.staticfiles import StaticFiles

from pontive.web.routing import ANYTHING, PontiveRouter, index_app

STATIC = str(Path(__file__).resolve().parents[2] / "src/pontive/web/static")


def _routes_under(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every endpoint route with its full path (the prefixes of the routers it is in)."""
    for route in routes:
        child = getattr(route, "original_router", None)
        if child is not None:
            yield from _routes_under(child.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def _sample_path(path: str) -> str:
    """A concrete path the route's pattern matches (every parameter filled in)."""
    path = re.sub(r"\{[^}:]+:path\}", "a/b", path)
    return re.sub(r"\{[^}]+\}", "1", path)


def _chosen(app: FastAPI, method: str, path: str) -> BaseRoute | None:
    """The route FastAPI hands the request to, choosing at each level as its routers do."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "app": app}
    for route in app.router.routes:
        match, _child_scope = route.matches(scope)
        if match is Match.FULL:
            chosen: BaseRoute | None = route
            while chosen is not None and hasattr(chosen, "original_router"):
                chosen = chosen._match(scope)[2]  # type: ignore[attr-defined]
            return chosen
    return None


def test_every_route_is_still_reached_through_the_index(app: FastAPI) -> None:
    routes = list(_routes_under(app.router.routes))
    assert len(routes) > 100
    included = [r.original_router for r in app.router.routes if hasattr(r, "original_router")]
    assert included
    assert all(isinstance(router, PontiveRouter) for router in included)
    missed = []
    for full_path, route in routes:
        method = sorted(route.methods or {"GET"})[0]
        chosen = _chosen(app, method, _sample_path(full_path))
        # An earlier route may rightly take the sample path (e.g. "/x/baru" before "/x/{id}"),
        # but some route must: the index never declines a path a route matches.
        if chosen is None:
            missed.append(f"{method} {full_path}")
    assert missed == []


def test_the_open311_post_reaches_its_own_endpoint(app: FastAPI) -> None:
    chosen = _chosen(app, "POST", "/open311/v2/requests.json")
    assert isinstance(chosen, APIRoute)
    assert chosen.endpoint.__name__ == "create_request"


def test_unrouted_paths_are_declined_by_every_router(app: FastAPI) -> None:
    for route in app.router.routes:
        child = getattr(route, "original_router", None)
        if isinstance(child, PontiveRouter):
            assert not child.path_index.admits("/tidak-ada/sama-sekali")


@pytest.mark.parametrize(
    ("path", "admitted"),
    [
        ("/peringatan", True),
        ("/peringatan-lain", False),
        ("/peringatan/ptk-20261129-000001", True),
        ("/open311/v2/requests.json", True),
        ("/open311/v3/requests.json", False),
        ("/konsol/kategori", True),
        ("/kategori", False),  # served under the prefix of the router that includes it
        ("/static/app.css", True),
        ("/lain", False),
    ],
)
def test_an_index_admits_exact_paths_and_parameter_prefixes(path: str, admitted: bool) -> None:
    app = FastAPI()
    router, console, catalogue = PontiveRouter(), PontiveRouter(prefix="/konsol"), PontiveRouter()
    router.add_api_route("/peringatan", lambda: None)
    router.add_api_route("/peringatan/{identifier}", lambda: None)
    open311 = PontiveRouter(prefix="/open311/v2")
    open311.add_api_route("/requests.{fmt}", lambda: None)
    catalogue.add_api_route("/kategori", lambda: None)
    console.include_router(catalogue)
    router.include_router(open311)
    router.include_router(console)
    router.mount("/static", StaticFiles(directory=STATIC))
    app.include_router(router)
    assert router.path_index.admits(path)  # until indexed, it admits anything
    index_app(app)
    assert router.path_index.admits(path) is admitted
    assert catalogue.path_index.admits("/konsol/kategori")
    assert not catalogue.path_index.admits("/peringatan")


def test_a_route_it_cannot_read_makes_the_index_admit_everything() -> None:
    app = FastAPI()
    router = PontiveRouter()
    router.add_api_route("/peringatan", lambda: None)
    router.routes.append(Host("kota.example", app=StaticFiles(directory=STATIC)))
    app.include_router(router)
    index_app(app)
    assert router.path_index == ANYTHING
