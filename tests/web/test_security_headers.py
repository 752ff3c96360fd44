"""Security headers on every kind of response: pages, APIs, errors, static files and the
micro-cached copies; HSTS only when the request came over TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

HSTS = "max-age=31536000; includeSubDomains"
# (path, expected status): a page, the API, an API error, a page error, a static file, a
# redirect, and the public home twice (the second answer comes from the micro-cache).
ANSWERS = [
    ("/", 200),
    ("/", 200),
    ("/masuk", 200),
    ("/api/v1/auth/me", 200),
    ("/api/v1/tidak-ada", 404),
    ("/halaman-tidak-ada", 404),
    ("/console/", 303),
    ("/static/css/pontive.css", 200),
    ("/healthz", 200),
]


def _directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def _check_policy(response: Any) -> None:
    policy = _directives(response.headers["content-security-policy"])
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert "*" not in policy[directive]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def tls_client(app: FastAPI) -> Iterator[TestClient]:
    """A client whose requests arrive with scheme https (as uvicorn reports a trusted
    proxy's X-Forwarded-Proto)."""
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _answers(client: TestClient) -> Iterator[tuple[str, Any]]:
    for path, status in ANSWERS:
        client.cookies.clear()  # anonymous each time, so the home page comes from the cache
        response = client.get(path, follow_redirects=False)
        assert response.status_code == status, path
        yield path, response


def test_plain_http_never_gets_hsts_but_gets_the_policy(client: TestClient) -> None:
    ages = []
    for path, response in _answers(client):
        assert "strict-transport-security" not in response.headers, path
        _check_policy(response)
        ages.append(response.headers.get("age"))
    assert ages[1] == "0"  # the micro-cached copy was among them


def test_tls_requests_get_hsts_on_every_answer(tls_client: TestClient) -> None:
    ages = []
    for path, response in _answers(tls_client):
        assert response.headers.get_list("strict-transport-security") == [HSTS], path
        _check_policy(response)
        ages.append(response.headers.get("age"))
    assert ages[1] == "0"


def test_a_cached_copy_made_over_http_gets_hsts_when_served_over_tls(
    client: TestClient, tls_client: TestClient
) -> None:
    client.get("/wilayah")
    cached = tls_client.get("/wilayah")
    assert cached.headers.get("age") == "0"
    assert cached.headers["strict-transport-security"] == HSTS
    stored = client.get("/wilayah")
    assert stored.headers.get("age") == "0"
    assert "strict-transport-security" not in stored.headers


def test_failed_sign_ins_carry_the_headers(client: TestClient) -> None:
    page = client.get("/masuk")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    refused = client.post("/masuk", data={"username": "x", "password": "y", "csrf_token": token})
    assert refused.status_code == 401
    _check_policy(refused)
    api = client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    assert api.status_code == 401
    _check_policy(api)
