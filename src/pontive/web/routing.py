"""Routers that decline, in one look, a path none of their routes can match.

FastAPI walks every included router route by route (twice for the router that matches: once
to choose it, once to handle), and each look costs a few microseconds of scope bookkeeping.
With a hundred routes that was 0.3 to 0.7 ms per request before any work was done. Every router
of Pontive is a :class:`PontiveRouter`; once the app is built, :func:`index_app` tells each
the exact paths and the static beginnings of the paths of all routes under it, and it answers
"no match" to anything else without walking.
Matching itself is unchanged: a path that passes the look is matched by FastAPI as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, FastAPI
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


@dataclass(frozen=True, slots=True)
class PathIndex:
    """What a path must be (``exact``) or begin with (``prefixes``) to match some route."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def admits(self, path: str) -> bool:
        """Whether some route could match ``path``."""
        return path in self.exact or path.startswith(self.prefixes)


ANYTHING = PathIndex(frozenset(), ("",))


class PontiveRouter(APIRouter):
    """An ``APIRouter`` that declines paths outside its :class:`PathIndex` (set by
    :func:`index_app`; until then it admits everything and matches as FastAPI does)."""

    path_index: PathIndex = ANYTHING

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """No match, at once, for a path outside the index; otherwise FastAPI's matching."""
        if not self.path_index.admits(get_route_path(scope)):
            return Match.NONE, {}
        return super().matches(scope)


def index_app(app: FastAPI) -> None:
    """Give every :class:`PontiveRouter` under ``app`` the index of its routes at the full
    paths they are served on (call once every router is included)."""
    given: dict[int, PathIndex] = {}
    _index_routes(app.router.routes, "", given)


def _index_routes(routes: list[BaseRoute], prefix: str, given: dict[int, PathIndex]) -> PathIndex:
    """The index of ``routes`` served under ``prefix``; routers included among them get
    theirs. Anything it cannot read admits every path: the index is never too narrow."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for route in routes:
        child = getattr(route, "original_router", None)  # a router included here
        if child is not None:
            index = _index_routes(child.routes, prefix + _include_prefix(route), given)
            if isinstance(child, PontiveRouter):  # included twice: it admits both places
                child.path_index = given[id(child)] = _union(given.get(id(child)), index)
            exact |= index.exact
            prefixes |= set(index.prefixes)
            continue
        path = getattr(route, "path", None)
        if not isinstance(path, str):
            return ANYTHING
        if "{" in path or not hasattr(route, "endpoint"):  # parameters, or a mount
            prefixes.add(prefix + path.split("{", 1)[0])
        else:
            exact.add(prefix + path)
    return PathIndex(frozenset(exact), tuple(sorted(prefixes)))


def _union(first: PathIndex | None, second: PathIndex) -> PathIndex:
    if first is None:
        return second
    return PathIndex(first.exact | second.exact, tuple(sorted({*first.prefixes, *second.prefixes})))


def _include_prefix(included: BaseRoute) -> str:
    context = getattr(included, "include_context", None)
    prefix = getattr(context, "prefix", "")
    return prefix if isinstance(prefix, str) else ""
