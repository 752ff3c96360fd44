"""Request coalescing in the micro-cache: concurrent anonymous requests for the same public
page that is not cached yet are rendered once, the others get that copy (bench/load.py found
the stampede after each alert: every open situation page asking for the same new copy)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import create_engine
from starlette.types import Message, Receive, Scope, Send

from pontive.web.metrics import HttpMetrics
from pontive.web.middleware import PlatformMiddleware
from pontive.web.pagecache import PageCache
from pontive.web.session import SessionCodec

T = TypeVar("T")

RENDER_SECONDS = 0.05


class CountingApp:
    """An inner ASGI app that takes a while to render and counts its renders per path."""

    def __init__(self) -> None:
        self.renders: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        number = self.renders[path] = self.renders.get(path, 0) + 1
        if path == "/stream":  # an event stream: starts at once, never cacheable
            await send(_start(b"no-store", b"text/event-stream"))
            await send({"type": "http.response.body", "body": b": connected\n\n"})
            await asyncio.sleep(3600)
            return
        await asyncio.sleep(RENDER_SECONDS)
        control = b"no-store" if path == "/private" else b"public, max-age=0, s-maxage=10"
        body = f"{path} render {number}".encode()
        await send(_start(control, b"text/plain"))
        await send({"type": "http.response.body", "body": body})


def _start(control: bytes, content_type: bytes) -> dict[str, Any]:
    headers = [(b"cache-control", control), (b"content-type", content_type)]
    return {"type": "http.response.start", "status": 200, "headers": headers}


@pytest.fixture
def inner() -> CountingApp:
    return CountingApp()


@pytest.fixture
def platform(inner: CountingApp) -> PlatformMiddleware:
    engine = create_engine("sqlite://")
    return PlatformMiddleware(
        inner,
        metrics=HttpMetrics(engine),
        codec=SessionCodec("x" * 40, max_age=3600, secure=False),
        content_security_policy="default-src 'self'",
        page_cache=PageCache(),
    )


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a fresh event loop in a thread of its own: the browser tests'
    Playwright keeps an event loop running in the main thread for the rest of the session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _get_many(app: PlatformMiddleware, path: str, count: int, **kw: Any) -> list[str]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = await asyncio.gather(*(client.get(path, **kw) for _ in range(count)))
    assert all(answer.status_code == 200 for answer in answers)
    return [answer.text for answer in answers]


def test_concurrent_misses_of_one_page_render_it_once(
    platform: PlatformMiddleware, inner: CountingApp
) -> None:
    bodies = _run(_get_many(platform, "/situasi?bagian=isi&v=42", 30))
    assert inner.renders == {"/situasi": 1}
    assert set(bodies) == {"/situasi render 1"}


def test_pages_that_may_not_be_shared_are_rendered_for_each_request(
    platform: PlatformMiddleware, inner: CountingApp
) -> None:
    bodies = _run(_get_many(platform, "/private", 10))
    assert inner.renders == {"/private": 10}
    assert len(set(bodies)) == 10
    # Signed-in people never wait for nor share an anonymous copy either.
    cookie = {"Cookie": "pontive_session=abc"}
    _run(_get_many(platform, "/signed", 5, headers=cookie))
    assert inner.renders["/signed"] == 5


def test_an_open_event_stream_does_not_hold_up_the_next_one(
    platform: PlatformMiddleware, inner: CountingApp
) -> None:
    # Driven as a server would (httpx's ASGI transport waits for the whole body).
    async def first_chunk() -> bytes:
        chunks: asyncio.Queue[bytes] = asyncio.Queue()

        async def receive() -> Message:
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body":
                chunks.put_nowait(message["body"])

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/stream",
            "query_string": b"types=alerts.%3E",
            "headers": [(b"host", b"test")],
            "client": ("127.0.0.1", 1234),
            "scheme": "http",
            "server": ("test", 80),
        }
        task = asyncio.create_task(platform(scope, receive, send))
        try:
            return await asyncio.wait_for(chunks.get(), 5)
        finally:
            task.cancel()

    async def two_streams() -> list[bytes]:
        first = asyncio.create_task(first_chunk())
        await asyncio.sleep(0.01)  # the first stream is open when the second one asks
        return list(await asyncio.gather(first, first_chunk()))

    assert _run(two_streams()) == [b": connected\n\n", b": connected\n\n"]
    assert inner.renders == {"/stream": 2}
