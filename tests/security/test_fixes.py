"""Regression tests of the holes the access-control matrix found."""

from __future__ import annotations

import pytest

from tests.security.conftest import Matrix
from tests.security.expect import is_sign_in_redirect

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.4)


def test_error_pages_give_their_database_connection_back(matrix: Matrix) -> None:
    # A refused or missing page rendered its layout on the request's closed session, which
    # started a new transaction nobody closed: each 403/404 page kept a connection until the
    # garbage collector found it, and a citizen asking for console pages drained the pool.
    warga = matrix.principals["warga"]
    pool = matrix.database.engine.pool
    for path in ("/console/pengaduan", "/console/cctv", "/gagasan/999999", "/console/sensor"):
        for _ in range(3):
            response = matrix.request(warga, "GET", path)
            assert response.status_code in (403, 404)
            assert pool.checkedout() == 0, path  # type: ignore[attr-defined]


def test_a_version_editor_asks_who_is_there_before_saying_anything(matrix: Matrix) -> None:
    # The editor of an adopted version redirected anyone to the version's page (303) before
    # checking permissions: it told strangers which versions exist and their state.
    anonymous, warga = matrix.principals["anonymous"], matrix.principals["warga"]
    for number in (1, 2, 3):
        asked = matrix.request(anonymous, "GET", f"/console/masterplan/versi/{number}/ubah")
        assert is_sign_in_redirect(asked)
        assert (
            matrix.request(warga, "GET", f"/console/masterplan/versi/{number}/ubah").status_code
            == 403
        )
