"""A fake MediaMTX Control API (v3) for tests: MediaMTX itself cannot be installed here.

It replays the documented shapes (bluenviron/mediamtx ``api/openapi.yaml`` and
``internal/api``): ``POST /v3/config/paths/add/{name}`` (400 "path already exists"),
``PATCH /v3/config/paths/patch/{name}`` and ``DELETE /v3/config/paths/delete/{name}``
(404 "path not found"), ``GET /v3/paths/list`` paginated like MediaMTX's ``paginate()``
(pageCount 0 when empty), ``GET /v3/paths/get/{name}``; errors are
``{"status": "error", "error": "…"}`` and successes ``{"status": "ok"}``. Unknown path
configuration fields are refused with 400, as MediaMTX's strict JSON decoding does.

Tests drive it with :meth:`FakeMediaMTX.mark_ready`, :attr:`FakeMediaMTX.fail_status`
(with ``fail_message`` or ``fail_body``), :attr:`FakeMediaMTX.hang`, ``secret`` (require
Basic auth) and ``legacy_fields``, and read :attr:`FakeMediaMTX.requests`.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

# A subset of PathConf (api/openapi.yaml): what Pontive may send, plus recording.
KNOWN_PATH_FIELDS = frozenset(
    {
        "source",
        "sourceFingerprint",
        "sourceOnDemand",
        "sourceOnDemandStartTimeout",
        "sourceOnDemandCloseAfter",
        "maxReaders",
        "rtspTransport",
        "rtspAnyPort",
        "record",
        "recordPath",
        "recordFormat",
        "recordDeleteAfter",
    }
)
_HANG_LIMIT = 30.0  # seconds a hanging request waits at most if the test forgets to close


@dataclass
class RecordedRequest:
    """One request the fake received (the password is never kept)."""

    method: str
    path: str  # URL path, unquoted, without the query
    query: dict[str, str]
    body: Any  # parsed JSON, or None
    user: str | None  # the Basic auth user, None without credentials


@dataclass
class FakePath:
    """One configured path and the runtime state the tests give it."""

    config: dict[str, Any]
    ready_time: datetime | None = None
    tracks: list[str] = field(default_factory=list)
    bytes_received: int = 0
    readers: int = 0
    source_type: str = "rtspSource"

    def item(self, name: str, *, legacy_fields: bool) -> dict[str, Any]:
        """The ``/v3/paths/list`` item; ``legacy_fields=False`` sends only newer names."""
        ready = self.ready_time is not None
        # Go writes RFC 3339 with "Z" for UTC, or the server's offset.
        ready_time = self.ready_time.isoformat() if self.ready_time else None
        if ready_time is not None and ready_time.endswith("+00:00"):
            ready_time = ready_time.removesuffix("+00:00") + "Z"
        readers = [{"type": "hlsMuxer", "id": f"reader-{i}"} for i in range(self.readers)]
        item: dict[str, Any] = {
            "name": name,
            "confName": name,
            "source": {"type": self.source_type, "id": ""} if ready else None,
            "readers": readers,
        }
        if legacy_fields:
            item |= {
                "ready": ready,
                "readyTime": ready_time,
                "tracks": list(self.tracks),
                "bytesReceived": self.bytes_received,
                "bytesSent": 0,
            }
        else:
            item |= {
                "available": ready,
                "availableTime": ready_time,
                "online": ready,
                "onlineTime": ready_time,
                "tracks2": [{"codec": codec, "codecProps": None} for codec in self.tracks],
                "inboundBytes": self.bytes_received,
                "outboundBytes": 0,
            }
        return item


class FakeMediaMTX:
    """A threaded HTTP server on 127.0.0.1 answering like MediaMTX's Control API."""

    def __init__(self, *, secret: str = "", user: str = "pontive") -> None:
        self.secret = secret  # "" = no auth check; else Basic user:secret is required
        self.user = user
        self.paths: dict[str, FakePath] = {}
        self.requests: list[RecordedRequest] = []
        self.fail_status: int | None = None  # answer every request with this status…
        self.fail_message = "internal failure"  # …and {"status": "error", "error": this}…
        self.fail_body: bytes | None = None  # …or with these raw bytes (e.g. an HTML page)
        self.hang = False  # accept requests but never answer (until close)
        self.legacy_fields = True  # path items with ready/readyTime/tracks/bytesReceived
        self.lock = threading.Lock()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = False
        self._server.block_on_close = True  # server_close() joins handler threads
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:43521``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeMediaMTX:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Release hanging requests, stop serving and close every socket."""
        self._release.set()
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> FakeMediaMTX:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def add(self, name: str, **config: Any) -> FakePath:
        """Configure a path directly, as if added earlier through the API."""
        with self.lock:
            path = self.paths[name] = FakePath(config=dict(config))
        return path

    def mark_ready(
        self,
        name: str,
        *,
        tracks: tuple[str, ...] = ("H264",),
        bytes_received: int = 0,
        readers: int = 0,
        since: datetime | None = None,
        source_type: str = "rtspSource",
    ) -> None:
        """Make a configured path's source ready (as when the camera stream is being pulled)."""
        with self.lock:
            path = self.paths[name]
            path.ready_time = since or datetime.now(UTC)
            path.tracks = list(tracks)
            path.bytes_received = bytes_received
            path.readers = readers
            path.source_type = source_type

    def mark_not_ready(self, name: str) -> None:
        """Make a configured path idle again (no source, no readers)."""
        with self.lock:
            self.paths[name] = FakePath(config=self.paths[name].config)

    def wait_released(self) -> None:
        """Block a hanging request until :meth:`close` (bounded, so a thread never leaks)."""
        self._release.wait(_HANG_LIMIT)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeMediaMTX/1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    @property
    def fake(self) -> FakeMediaMTX:
        return self.server.fake  # type: ignore[attr-defined, no-any-return]

    def _serve(self) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = _INVALID
        user, password = self._credentials()
        with fake.lock:
            fake.requests.append(RecordedRequest(self.command, path, query, body, user))
        if fake.hang:
            fake.wait_released()
            self.close_connection = True
            return
        if fake.fail_status is not None:
            failure = {"status": "error", "error": fake.fail_message}
            self._answer(fake.fail_status, fake.fail_body or failure)
        elif fake.secret and (user, password) != (fake.user, fake.secret):
            self._answer(401, {"status": "error", "error": "authentication error"}, auth=True)
        else:
            with fake.lock:
                status, payload = _route(fake, self.command, path, query, body)
            self._answer(status, payload)

    def _credentials(self) -> tuple[str | None, str | None]:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None, None
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        user, _, password = decoded.partition(":")
        return user, password

    def _answer(self, status: int, payload: dict[str, Any] | bytes, *, auth: bool = False) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            self.send_response(status)
            if auth:
                self.send_header("WWW-Authenticate", 'Basic realm="mediamtx"')
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except ConnectionError:
            pass  # the client gave up (a timeout test); nothing to answer


_INVALID = object()
_OK: dict[str, Any] = {"status": "ok"}


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"status": "error", "error": message}


def _route(
    fake: FakeMediaMTX, method: str, path: str, query: dict[str, str], body: Any
) -> tuple[int, dict[str, Any]]:
    """Answer one authenticated request (the caller holds ``fake.lock``)."""
    if method == "GET" and path == "/v3/paths/list":
        return _list(fake, query)
    for prefix, verb in (
        ("/v3/paths/get/", "GET"),
        ("/v3/config/paths/add/", "POST"),
        ("/v3/config/paths/patch/", "PATCH"),
        ("/v3/config/paths/delete/", "DELETE"),
    ):
        if path.startswith(prefix) and method == verb:
            name = path.removeprefix(prefix)
            if not name:
                return _error(400, "invalid name")
            return _on_path(fake, verb, name, body)
    return 404, {"error": "404 page not found"}


def _on_path(fake: FakeMediaMTX, verb: str, name: str, body: Any) -> tuple[int, dict[str, Any]]:
    existing = fake.paths.get(name)
    if verb == "GET":
        if existing is None:
            return _error(404, "path not found")
        return 200, existing.item(name, legacy_fields=fake.legacy_fields)
    if verb == "DELETE":
        if fake.paths.pop(name, None) is None:
            return _error(404, "path not found")
        return 200, _OK
    if not isinstance(body, dict):
        return _error(400, "invalid JSON body")
    unknown = sorted(set(body) - KNOWN_PATH_FIELDS)
    if unknown:
        return _error(400, f'json: unknown field "{unknown[0]}"')
    if verb == "POST":
        if existing is not None:
            return _error(400, "path already exists")
        fake.paths[name] = FakePath(config=dict(body))
        return 200, _OK
    if existing is None:
        return _error(404, "path not found")
    existing.config |= body
    return 200, _OK


def _list(fake: FakeMediaMTX, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """MediaMTX's paginate(): default 100 a page, 0 refused, pageCount 0 when empty."""
    try:
        per_page = int(query.get("itemsPerPage") or 100)
        page = int(query.get("page") or 0)
    except ValueError:
        return _error(400, "invalid pagination")
    if per_page <= 0 or page < 0:
        return _error(400, "invalid items per page")
    names = sorted(fake.paths)
    items = [
        fake.paths[name].item(name, legacy_fields=fake.legacy_fields)
        for name in names[page * per_page : (page + 1) * per_page]
    ]
    page_count = math.ceil(len(names) / per_page)
    return 200, {"itemCount": len(names), "pageCount": page_count, "items": items}


@pytest.fixture
def fake_mediamtx() -> Iterator[FakeMediaMTX]:
    """A running fake MediaMTX without auth; set ``.secret`` to require Basic credentials."""
    with FakeMediaMTX() as fake:
        yield fake
