"""Open311 GeoReport v2 (``/open311/v2``) under random form input and query strings.

Whatever a client app sends, the answer is a success or an Open311 ``errors`` list with 400,
403 or 404 — never a server error. Reports that are accepted land in the test's rolled-back
transaction.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.roles import Role

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.3)

BASE = "/open311/v2"
CATEGORIES = ("jalan-rusak", "sampah", "lampu-jalan", "banjir-genangan", "drainase", "nope")
ATTRIBUTES = ("ukuran", "bahaya", "jenis", "nomor_tiang", "kedalaman_cm", "masuk_rumah", "x")
FIELDS = ("service_code", "description", "lat", "long", "address_string", "address_id",
          "email", "device_id", "account_id", "first_name", "last_name", "phone",
          "jurisdiction_id", "zipcode", "requested_datetime", "api_key")  # fmt: skip
# Values that have broken parsers elsewhere: numbers that are not, huge, unicode digits …
TRICKY = ("", " ", "0", "-0.0391", "109.3427", "nan", "inf", "-inf", "1e309", "9" * 5000,
          "²", "٣", "½", "0x10", "1_000", "+07:00", "2026-11-30T10:00:00+07:00",
          "2026-11-30T10:00:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00",
          "open", "closed", "open,closed", "pontianak.go.id", "other.city", "\x00", "%00",
          "'; DROP TABLE complaints;--", "<x/>", "ya", "kecil", "http://127.0.0.1:1/x",
          "file:///etc/passwd", "javascript:alert(1)", "a" * 20_000)  # fmt: skip
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=60))
names = st.one_of(
    st.sampled_from(FIELDS),
    st.sampled_from(ATTRIBUTES).map(lambda a: f"attribute[{a}]"),
    st.sampled_from(ATTRIBUTES).map(lambda a: f"attribute[{a}][]"),
    st.just("media_url"),
    st.text(max_size=20),
)
forms = st.lists(st.tuples(names, values), max_size=12)
QUERY_NAMES = ("service_request_id", "service_code", "start_date", "end_date", "status",
               "page", "page_size", "jurisdiction_id", "lang")  # fmt: skip
queries = st.lists(
    st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)), values),
    max_size=8,
)
formats = st.sampled_from(("json", "xml", "json", "csv"))


@pytest.fixture
def api_key(session: Session) -> str:
    """The secret of a client app's API key (the test's transaction)."""
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("fuzz"), name="aplikasi-fuzz", role=Role.WARGA
    )
    return secret


def assert_open311_answer(response: Any, *, ok: tuple[int, ...] = (200,)) -> None:
    """A success, or an Open311 error list in the format the path asks for."""
    assert response.status_code in (*ok, 400, 403, 404), (response.status_code, response.text)
    if response.status_code in ok:
        return
    if response.request.url.path.endswith(".json"):
        errors = json.loads(response.content)
        assert isinstance(errors, list)
        assert errors
        assert all({"code", "description"} <= set(item) for item in errors)
    else:
        root = ElementTree.fromstring(response.content)  # noqa: S314 - our own answer
        assert root.tag == "errors"
        assert root.findall("error/description")


@given(form=forms, fmt=formats, with_key=st.booleans(), service=st.sampled_from(CATEGORIES))
def test_posting_any_form_answers_a_report_or_an_open311_error(
    client: TestClient,
    api_key: str,
    form: list[tuple[str, str]],
    fmt: str,
    with_key: bool,
    service: str,
) -> None:
    base = [("service_code", service), ("lat", "-0.0391"), ("long", "109.3427")]
    if with_key:
        base.append(("api_key", api_key))
    response = client.post(
        f"{BASE}/requests.{fmt}",
        content=urlencode([*base, *form]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_open311_answer(response)


@given(
    query=queries,
    path=st.sampled_from(
        (
            "requests",
            "services",
            "discovery",
            "services/sampah",
            "requests/PTK-0000-000000",
            "tokens/x",
        )
    ),
    fmt=formats,
)
def test_reading_with_any_query_answers_a_list_or_an_open311_error(
    client: TestClient, query: list[tuple[str, str]], path: str, fmt: str
) -> None:
    response = client.get(f"{BASE}/{path}.{fmt}", params=urlencode(query))
    assert_open311_answer(response)


@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "application/json",
            "text/xml",
        )
    ),
)
def test_posting_a_malformed_body_answers_an_open311_error(
    client: TestClient, api_key: str, body: bytes, content_type: str
) -> None:
    response = client.post(
        f"{BASE}/requests.json?api_key={api_key}",
        content=body,
        headers={"Content-Type": content_type},
    )
    assert_open311_answer(response)
