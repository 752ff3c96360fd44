"""A small in-process cache of public pages for anonymous visitors (a "micro-cache").

On a flood evening thousands of people open the same public pages at once. A page that marks
its response ``Cache-Control: public, max-age=N`` is kept for N seconds and served to other
anonymous visitors without touching the database, exactly as a caching proxy in front would.
Only requests without credentials or a session cookie are served from or stored into it, and
never a response that sets a cookie, so nothing personal can be shared.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.responses import Response

from pontive.core.identity import Actor

_MAX_AGE = re.compile(rb"(?<![-\w])max-age=(\d+)")
_SHARED_MAX_AGE = re.compile(rb"s-maxage=(\d+)")


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A stored response: everything needed to replay it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: str
    stored_at: float
    expires_at: float

    def headers_now(self) -> list[tuple[bytes, bytes]]:
        """The stored headers plus ``Age`` (RFC 9111 §5.1), as a shared cache sends them."""
        age = int(time.monotonic() - self.stored_at)
        return [*self.headers, (b"age", str(age).encode())]


def cacheable_seconds(headers: list[tuple[bytes, bytes]]) -> int:
    """How long a response may be shared (0 when it may not be)."""
    seconds = 0
    for name, value in headers:
        if name == b"set-cookie":
            return 0
        if name == b"cache-control":
            if b"public" not in value or b"no-store" in value or b"private" in value:
                return 0
            # A shared cache obeys s-maxage over max-age (RFC 9111 §5.2.2.10).
            match = _SHARED_MAX_AGE.search(value) or _MAX_AGE.search(value)
            seconds = int(match.group(1)) if match else 0
    return seconds


class PageCache:
    """Bounded LRU of public pages keyed by path, query and language."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, bytes, str], CachedPage] = OrderedDict()
        self._lock = threading.Lock()
        self._in_flight: dict[tuple[str, bytes, str], asyncio.Event] = {}

    def get(self, key: tuple[str, bytes, str]) -> CachedPage | None:
        """The fresh page for ``key``, if any."""
        with self._lock:
            page = self._entries.get(key)
            if page is None:
                return None
            if page.expires_at <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return page

    def put(self, key: tuple[str, bytes, str], page: CachedPage) -> None:
        """Keep ``page``; the least recently used entry goes when full."""
        with self._lock:
            self._entries[key] = page
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every page (e.g. after the reference data changed)."""
        with self._lock:
            self._entries.clear()

    # Request coalescing ("single flight"): when news clears the cache, hundreds of open
    # situation pages ask for the same new copy within milliseconds; one request renders
    # it, the others wait for that copy instead of each rendering it again (bench/load.py).
    # Called from the web process's event loop only.

    def lead(self, key: tuple[str, bytes, str]) -> tuple[asyncio.Event, bool]:
        """The event set when ``key``'s rendering is done, and whether the caller is the one
        to render it (then it must ``release`` the event) rather than wait for it."""
        running = self._in_flight.get(key)
        if running is not None:
            return running, False
        running = self._in_flight[key] = asyncio.Event()
        return running, True

    def release(self, key: tuple[str, bytes, str], running: asyncio.Event) -> None:
        """The leader of ``key`` is done: it stored its copy or found that it may not be
        shared (the waiters then render their own). Idempotent."""
        if self._in_flight.get(key) is running:
            del self._in_flight[key]
        running.set()


_PAGE_CHANGING_EVENTS: set[str] = set()


def clear_on_events(pattern: str) -> None:
    """Forget every cached page when a bus event matching ``pattern`` arrives: news that
    must not wait for a page's max-age (an alert, the city's operating mode)."""
    _PAGE_CHANGING_EVENTS.add(pattern)


def page_changing_events() -> list[str]:
    """The event patterns that clear the cache (each web process listens for them)."""
    return sorted(_PAGE_CHANGING_EVENTS)


def share_with_anonymous(actor: Actor, response: Response, seconds: int) -> Response:
    """Let the page cache (and any proxy) share ``response`` with other anonymous visitors
    for ``seconds``; a signed-in person's page is theirs alone and never stored. Browsers
    ask again on every visit (``max-age=0``): the shared copy is cleared at once by news
    (``clear_on_events``), a browser's own copy could not be, and an emergency must not wait
    on it."""
    if actor.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        response.headers["Vary"] = "Cookie, Accept-Language"
    return response
