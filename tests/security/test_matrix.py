"""The access-control matrix: every route of the app, with real objects of the demo in its
path, asked by every principal (anonymous, citizen, each staff role, the officer of the PD
that owns the objects and one of another PD).

Expectations come from each route's access class (``routes.py``) and the permission table
(``permissions.can``); ``expect.py`` judges each answer. A failure names the route, the
principal and what came back.
"""

from __future__ import annotations

import pytest

from tests.conftest import SOAK
from tests.security.conftest import ACCOUNTS, Matrix
from tests.security.expect import SAMPLED_REGISTRIES, check
from tests.security.filling import make_filler
from tests.security.planted import leaked_values
from tests.security.routes import UNREAD, RouteInfo, all_routes

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=2.5)

# Principals whose every response is scanned for the planted personal values.
STRANGERS = ("anonymous", "warga", "petugas_other")


def _reads(matrix: Matrix, principal: str) -> list[RouteInfo]:
    routes = [r for r in all_routes(matrix.app) if r.method == "GET" and r.path not in UNREAD]
    if SOAK or principal == "anonymous":
        return routes
    # The default run asks the other principals about three registries, not all 26: their
    # routes are one generic implementation (routes.py, SAMPLED_REGISTRIES says which).
    routes = [r for r in routes if r.registry is None or r.registry.name in SAMPLED_REGISTRIES]
    if principal in (*STRANGERS, "admin"):
        return routes
    # The other staff roles: the routes whose answer the permission table decides (a plain
    # console page only has to answer staff, which the administrator's pass shows).
    return [r for r in routes if r.action is not None]


def test_every_route_is_classified(matrix: Matrix) -> None:
    unclassified = [r.label for r in all_routes(matrix.app) if r.access is None]
    assert not unclassified, "classify in tests/security/routes.py (EXPLICIT):\n" + "\n".join(
        unclassified
    )


def test_every_path_parameter_is_filled_from_a_real_object(matrix: Matrix) -> None:
    filler = make_filler(matrix.database, matrix.planted)
    missing = []
    for route in all_routes(matrix.app):
        path, params = filler.fill(route)
        if path is None:
            missing.append(f"{route.label}: {', '.join(params)}")
    assert not missing, "add a FILL rule in tests/security/routes.py:\n" + "\n".join(missing)


@pytest.mark.parametrize("principal", [name for name, _ in ACCOUNTS])
def test_every_read_answers_each_principal_as_declared(matrix: Matrix, principal: str) -> None:
    who = matrix.principals[principal]
    filler = make_filler(matrix.database, matrix.planted)
    problems = []
    for route in _reads(matrix, principal):
        path, _missing = filler.fill(route)
        if path is None:
            continue  # reported by the test above
        response = matrix.get(who, path)
        problem = check(route, who, response)
        if problem is not None:
            problems.append(f"{route.label} as {principal} -> {path}: {problem}")
        if principal in STRANGERS and (leaks := leaked_values(response.text)):
            problems.append(f"{route.label} as {principal} -> {path}: shows {leaks}")
    assert not problems, "\n".join(problems)
