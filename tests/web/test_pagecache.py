"""The micro-cache shares public pages between anonymous visitors, and nothing else."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from pontive.core.events import Event, MemoryBus
from pontive.core.roles import Role
from pontive.web import pagecache
from pontive.web.pagecache import CachedPage, PageCache, cacheable_seconds
from tests.conftest import login


def test_an_anonymous_visitor_gets_the_shared_copy(client: TestClient) -> None:
    first = client.get("/")
    assert first.headers["cache-control"] == "public, max-age=0, s-maxage=30"
    assert "age" not in first.headers
    second = client.get("/")
    assert second.headers["age"] == "0"
    assert second.text == first.text
    # Each response still gets its own request id and the security headers, once.
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    assert second.headers.get_list("content-security-policy") == [
        first.headers["content-security-policy"]
    ]


@pytest.fixture
def _news_clears_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set before the app starts, since each web process subscribes once at start-up."""
    monkeypatch.setattr(pagecache, "_PAGE_CHANGING_EVENTS", {"test.news.>"})


@pytest.mark.usefixtures("_news_clears_pages")
def test_news_on_the_bus_clears_the_shared_copies(client: TestClient, bus: MemoryBus) -> None:
    client.get("/")
    assert client.get("/").headers["age"] == "0"
    bus.publish(Event("test.news.flood", {}))
    deadline = time.monotonic() + 5
    while "age" in client.get("/").headers:  # the listener runs on the app's own loop
        assert time.monotonic() < deadline, "the shared copy outlived the news"
        time.sleep(0.02)


def test_each_language_has_its_own_copy(client: TestClient) -> None:
    client.get("/", headers={"Accept-Language": "en"})
    english = client.get("/", headers={"Accept-Language": "en"})
    indonesian = client.get("/", headers={"Accept-Language": "id"})
    assert '<html lang="en">' in english.text
    assert '<html lang="id">' in indonesian.text


def test_signed_in_people_never_get_or_feed_the_shared_copy(
    client: TestClient,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    client.get("/")  # an anonymous copy exists now
    make_user(Role.OPERATOR, username="rina")
    login(client, "rina")
    mine = client.get("/")
    assert "age" not in mine.headers
    assert mine.headers["cache-control"] == "private, no-store"
    assert "rina" in mine.text
    client.cookies.clear()
    anonymous = client.get("/")
    assert "rina" not in anonymous.text


def test_requests_with_credentials_bypass_the_cache(client: TestClient) -> None:
    client.get("/")
    response = client.get("/", headers={"Authorization": "Bearer pt_invalid"})
    assert "age" not in response.headers


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ([(b"cache-control", b"public, max-age=30")], 30),
        ([(b"cache-control", b"public, max-age=0, s-maxage=20")], 20),
        ([(b"cache-control", b"public, max-age=30"), (b"set-cookie", b"a=b")], 0),
        ([(b"cache-control", b"private, max-age=30")], 0),
        ([(b"cache-control", b"public, no-store")], 0),
        ([(b"content-type", b"text/html")], 0),
    ],
)
def test_only_public_responses_without_cookies_are_shared(
    headers: list[tuple[bytes, bytes]], seconds: int
) -> None:
    assert cacheable_seconds(headers) == seconds


def _page(expires_in: float) -> CachedPage:
    now = time.monotonic()
    return CachedPage(200, (), b"x", "/", now, now + expires_in)


def test_expired_pages_are_dropped_and_the_oldest_goes_first() -> None:
    cache = PageCache(max_entries=2)
    cache.put(("/a", b"", "id"), _page(60))
    cache.put(("/old", b"", "id"), _page(-1))
    assert cache.get(("/old", b"", "id")) is None
    cache.put(("/b", b"", "id"), _page(60))
    cache.put(("/c", b"", "id"), _page(60))
    assert cache.get(("/a", b"", "id")) is None
    assert cache.get(("/c", b"", "id")) is not None
