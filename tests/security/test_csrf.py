"""CSRF on every form: every state-changing page route refuses a signed-in session's post
without the session's CSRF token, or with a wrong one, and changes nothing; every
``<form method="post">`` the pages render carries the token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from pontive.core.audit import AuditEvent
from tests.conftest import SOAK
from tests.security.conftest import API_PREFIXES, Matrix
from tests.security.expect import SAMPLED_REGISTRIES
from tests.security.filling import make_filler
from tests.security.routes import UNREAD, RouteInfo, all_routes

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=9.5)

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
CSRF_INPUT = re.compile(r"""name\s*=\s*["']csrf_token["']""", re.IGNORECASE)


def _page_writes(matrix: Matrix) -> list[RouteInfo]:
    """State-changing routes served to cookie sessions (not the token/API-key APIs)."""
    return [
        route
        for route in all_routes(matrix.app)
        if route.is_write
        and not route.path.startswith(API_PREFIXES)
        and (SOAK or route.registry is None or route.registry.name in SAMPLED_REGISTRIES)
    ]


def _fingerprint(matrix: Matrix) -> tuple[int, int]:
    """The audit trail's length (every service change appends to it) and the users' rows."""
    with matrix.database.session(write=False) as session:
        events = session.scalar(select(func.count(AuditEvent.id))) or 0
        users = session.scalar(text("SELECT count(*) FROM users")) or 0
    return events, users


def test_every_page_write_refuses_a_post_without_the_csrf_token(matrix: Matrix) -> None:
    admin = matrix.principals["admin"]
    filler = make_filler(matrix.database, matrix.planted)
    routes = _page_writes(matrix)
    assert len(routes) > 100  # the sweep is not empty by mistake
    before = _fingerprint(matrix)
    problems = []
    for route in routes:
        path, _missing = filler.fill(route)
        assert path is not None, route.label
        for token in (None, "bukan-token-sesi-ini"):
            form = {"csrf_token": token} if token else {}
            response = matrix.request(admin, route.method, path, data={**form, "catatan": "x"})
            if response.status_code != 403:
                problems.append(f"{route.label} with token {token!r}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert _fingerprint(matrix) == before


def _forms_without_token(html: str) -> list[str]:
    missing = []
    for attributes, body in FORM.findall(html):
        if POST_METHOD.search(attributes) and not CSRF_INPUT.search(body):
            missing.append(f"<form{attributes}>")
    return missing


def test_every_rendered_post_form_carries_the_csrf_token(matrix: Matrix) -> None:
    filler = make_filler(matrix.database, matrix.planted)
    planted = matrix.planted
    extra = [
        f"/lapor/{planted.tracking}?k={planted.access_token}",
        planted.owner_link,
        f"/cctv/pemilik/{planted.owner_link.rsplit('/', 1)[1]}/tarik",
    ]
    problems = []
    forms = 0
    for principal in ("anonymous", "admin"):
        who = matrix.principals[principal]
        paths = [
            path
            for route in all_routes(matrix.app)
            if route.method == "GET"
            and route.path not in UNREAD
            and (SOAK or route.registry is None or route.registry.name in SAMPLED_REGISTRIES)
            and (path := filler.fill(route)[0]) is not None
        ]
        for path in [*paths, *extra]:
            response = matrix.get(who, path)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            forms += len(FORM.findall(response.text))
            problems += [f"{path} as {principal}: {f}" for f in _forms_without_token(response.text)]
    assert forms > 50
    assert not problems, "\n".join(problems)
