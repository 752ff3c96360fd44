"""A real HTTP server on 127.0.0.1 re-hosting the recorded BMKG-style feed in tests/alerts/data.

The recorded RSS links to ``https://www.bmkg.go.id/alerts/nowcast/id/<code>_alert.xml``; the
server rewrites that prefix to itself so the poller follows real links over real sockets.
It answers ``If-None-Match`` with 304, counts requests per path, and can be told to fail a
path with a status code.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
RECORDED_PREFIX = "https://www.bmkg.go.id/alerts/nowcast/id/"


class FeedServer:
    """State shared with the handler thread."""

    def __init__(self) -> None:
        self.base = ""
        self.hits: Counter[str] = Counter()
        self.failures: dict[str, int] = {}
        self.rss_etag = '"nowcast-1"'
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is for the tests."""

        def do_GET(self) -> None:
            with state.lock:
                state.hits[self.path] += 1
                failure = state.failures.get(self.path)
            name = self.path.rsplit("/", 1)[-1]
            if failure is not None or not (DATA / name).is_file():
                self.send_error(failure or 404)
                return
            body = (DATA / name).read_bytes()
            headers = {"Content-Type": "application/cap+xml"}
            if name.endswith("rss.xml"):
                if self.headers.get("If-None-Match") == state.rss_etag:
                    self.send_response(304)
                    self.send_header("ETag", state.rss_etag)
                    self.end_headers()
                    return
                body = body.replace(RECORDED_PREFIX.encode(), f"{state.base}/nowcast/".encode())
                headers = {"Content-Type": "application/rss+xml", "ETag": state.rss_etag}
            self.send_response(200)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """Serve tests/alerts/data on an ephemeral port for the duration of the block."""
    state = FeedServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
