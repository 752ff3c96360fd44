"""Browser fixtures: the real app on a real port, driven by headless Chromium.

``live_server`` serves ``create_app()`` with uvicorn in a background thread over its own copy
of the run's demo database (migrated, seeded, kelurahan boundaries and every domain's demo
loaded), so what the browser sees is what a city would see after ``make run``. ``web`` opens
pages, saves a full-page screenshot of each into ``test-artifacts/screenshots/`` for people to
look at (``PONTIVE_TEST_SCREENSHOTS=off`` leaves them out: ``.ci/run`` does, since nobody sees a
CI machine's files and they cost about a quarter of a browser test's time) and fails the test
when the page logs a console error, throws, or violates the Content Security Policy.

A page has settled when it has loaded and its scripts' requests (``fetch`` and
``XMLHttpRequest``, and the reading of a response's body, counted by the init script below)
have been quiet for ``QUIET_MS``: maps fetch their GeoJSON after the load event. Playwright's
``networkidle`` waits half a second after every page instead, and never settles beside a
page's event stream. The check polls on a timer rather than on animation frames, so that
waiting does not ask Chromium for frames.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from pontive.app import create_app
from pontive.core.events import EventBus
from pontive.demo import DEMO_PASSWORD
from tests.conftest import REPO, DemoDatabase, clone_database_url, make_settings
from tests.passes import CLAIMS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SCREENSHOTS_ON = os.environ.get("PONTIVE_TEST_SCREENSHOTS", "full") != "off"
STARTUP_SECONDS = 20.0
QUIET_MS = 60
# Every page's init script. CSP violations are reported by the page itself, so they fail a
# test even when Chromium words its own console message differently; the page's own requests
# are counted, so that ``Web.settle`` knows when its scripts have what they asked for.
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " at " + event.sourceFile + ":" +
                event.lineNumber);
});
(function () {
  var pending = 0;
  var changed = performance.now();
  function begin() { pending += 1; changed = performance.now(); }
  function end() { pending -= 1; changed = performance.now(); }
  function counted(promise) { begin(); promise.then(end, end); return promise; }
  var fetchFirst = window.fetch;
  window.fetch = function () { return counted(fetchFirst.apply(this, arguments)); };
  // A body is read after fetch resolves: a GeoJSON's parse counts as part of its request.
  ["json", "text", "arrayBuffer", "blob"].forEach(function (name) {
    var readFirst = Response.prototype[name];
    Response.prototype[name] = function () { return counted(readFirst.apply(this, arguments)); };
  });
  var sendFirst = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    begin();
    this.addEventListener("loadend", end, { once: true });
    return sendFirst.apply(this, arguments);
  };
  window.__pontiveSettled = function (quietMs) {
    return document.readyState === "complete" && pending === 0 &&
      performance.now() - changed >= quietMs;
  };
})();
"""
_SETTLED = "ms => window.__pontiveSettled === undefined || window.__pontiveSettled(ms)"
# Chromium logs the main document's own 4xx status as a console error; a test that asked for
# that status has not found a defect.
_STATUS_NOISE = re.compile(r"^Failed to load resource: the server responded with a status of")


@dataclass(frozen=True, slots=True)
class LiveServer:
    """The running app: where it listens, and its database (for tests that prepare data)."""

    url: str
    database_url: str = ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(url: str, server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the live server thread stopped during start-up")
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - our own http://127.0.0.1
                    if response.status == 200:
                        return
            except (URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.05)
    raise RuntimeError(f"the live server did not answer /healthz within {STARTUP_SECONDS}s")


@contextmanager
def serve(app: FastAPI, name: str = "pontive-live-server") -> Iterator[str]:
    """``app`` on a free 127.0.0.1 port in a thread of its own, while in the block; its URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=_free_port(),
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{config.port}"
    try:
        _wait_until_healthy(url, server, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_demo_copy(
    tmp_path_factory: pytest.TempPathFactory,
    demo_database: DemoDatabase,
    label: str,
    *,
    prepare: Callable[[str], None] | None = None,
    bus: EventBus | None = None,
    **settings: object,
) -> Iterator[LiveServer]:
    """A live server over a copy of the demo database of its own (for tests that change
    the data), ``prepare``d before it starts; ``settings`` override the test settings."""
    for database_url in clone_database_url(tmp_path_factory, demo_database.url, label):
        if prepare is not None:
            prepare(database_url)
        app = create_app(make_settings(database_url, **settings), bus=bus)
        with serve(app, f"pontive-{label}") as url:
            yield LiveServer(url, database_url)


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on a free 127.0.0.1 port, over a copy of the run's demo database."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package (Playwright's download does not work here)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    if not CLAIMS:  # passes that share the browser tests (.ci/run) leave the folder as it is
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pages, for humans
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Web:
    """One browser tab on the live server, with screenshots and a console watch."""

    page: Any
    base_url: str
    name: str
    problems: list[str] = field(default_factory=list)
    expected_error_urls: set[str] = field(default_factory=set)
    shots: int = 0
    scripts: bool = True  # False for a profile with JavaScript switched off

    def url(self, path: str) -> str:
        """The absolute address of ``path`` on the live server."""
        return f"{self.base_url}{path}"

    def goto(self, path: str, *, status: int = 200) -> Any:
        """Open ``path``, check the response status, wait for the page to settle, shoot it."""
        if status >= 400:
            self.expected_error_urls.add(self.url(path))
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path}: {response.status} != {status}"
        self.settle()
        return response

    def settle(self, *, shot: bool = True) -> None:
        """Wait for the page to load and its scripts' requests to go quiet (maps fetch their
        GeoJSON), then screenshot."""
        self.page.wait_for_load_state("load")
        if self.scripts:
            self.page.wait_for_function(_SETTLED, arg=QUIET_MS, polling=50)
        if shot:
            self.screenshot()

    def expect_error_status(self, path: str) -> None:
        """Declare that a form post or redirect will land on an error page at ``path``."""
        self.expected_error_urls.add(self.url(path))

    def screenshot(self, label: str | None = None, *, full_page: bool = True) -> Path | None:
        """Save a full-page screenshot named after the test and the page (unless
        ``PONTIVE_TEST_SCREENSHOTS=off``)."""
        self.shots += 1
        if not SCREENSHOTS_ON:
            return None
        if label is None:
            parts = urlsplit(self.page.url)
            label = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.path}?{parts.query}").strip("-")
        path = SCREENSHOTS / f"{self.name}-{self.shots:02d}-{label or 'home'}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def login(self, username: str, password: str = DEMO_PASSWORD, *, next_path: str = "") -> None:
        """Sign in through the real form."""
        target = f"/masuk?next={next_path}" if next_path else "/masuk"
        self.goto(target, status=200)
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Masuk", exact=True).click()
        self.settle()

    def _watch(self, message: Any) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        if _STATUS_NOISE.match(message.text) and location in self.expected_error_urls:
            return
        self.problems.append(f"console error: {message.text} ({location})")


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) that prefers Bahasa Indonesia."""
    ctx = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    ctx.add_init_script(_REPORT_CSP)
    yield ctx
    ctx.close()


@pytest.fixture
def web(context: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Web]:
    """A tab that fails the test on console errors, page errors and CSP violations."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = re.sub(r"[^A-Za-z0-9_]+", "-", request.node.name).strip("-")
    tab = Web(page=page, base_url=live_server.url, name=name)
    page.on("console", tab._watch)
    page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    yield tab
    page.close()
    if tab.problems:
        pytest.fail("the page reported problems:\n" + "\n".join(tab.problems))


PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Web]:
    """A phone-sized tab that fails the test on console errors and CSP violations."""
    context = browser.new_context(
        locale="id-ID", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.add_init_script(_REPORT_CSP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = "phone-" + re.sub(r"[^A-Za-z0-9_]+", "-", request.node.name).strip("-")
    tab = Web(page=page, base_url=live_server.url, name=name)
    page.on("console", tab._watch)
    page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    yield tab
    context.close()
    if tab.problems:
        pytest.fail("the page reported problems:\n" + "\n".join(tab.problems))
