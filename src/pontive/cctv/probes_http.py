"""HTTP for the probes: a small bounded GET on asyncio streams, snapshot and MJPEG checks.

No HTTP client library: one request per connection (``Connection: close``), up to three
redirects, Basic or Digest credentials from the URL after a 401, and every read capped.
The status-line-and-headers reader is shared with RTSP, which has the same syntax.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urljoin

from pontive.cctv.probes_common import (
    Budget,
    Frame,
    NoFrame,
    Target,
    Unreachable,
    authorization,
    parse_target,
)
from pontive.cctv.probes_frames import image_frame

USER_AGENT = "Pontive-camera-probe/1"
HEAD_LIMIT = 64 * 1024  # status line and headers, and any one line of a chunked body
CHUNK = 64 * 1024
SNAPSHOT_LIMIT = 5_000_000
MJPEG_PART_LIMIT = 5_000_000
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Head:
    """A response's status line and headers (HTTP/1.1 or RTSP/1.0)."""

    protocol: str
    status: int
    reason: str
    headers: list[tuple[str, str]]  # names in lower case, in the order received

    def header(self, name: str) -> str:
        """The first value of a header, or an empty string."""
        return next((value for key, value in self.headers if key == name), "")

    def all(self, name: str) -> list[str]:
        """Every value of a header that may repeat (``WWW-Authenticate``)."""
        return [value for key, value in self.headers if key == name]

    @property
    def status_text(self) -> str:
        """``HTTP 404 Not Found`` or ``RTSP 401 Unauthorized``: for details."""
        name = self.protocol.partition("/")[0]
        return f"{name} {self.status} {self.reason}".strip()


async def read_head(reader: asyncio.StreamReader, protocol: str) -> Head:
    """Read a status line and headers; raise ValueError when they are not ``protocol``'s."""
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith(f"{protocol}/") or not code.isdigit():
        raise ValueError(f"not an {protocol} response")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.append((name.strip().lower(), value.strip()))
    return Head(version, int(code), reason.strip(), headers)


class Body:
    """A response body read in bounded pieces: by Content-Length, chunked, or to the close."""

    def __init__(self, reader: asyncio.StreamReader, head: Head) -> None:
        self._reader = reader
        self._chunked = "chunked" in head.header("transfer-encoding").lower()
        length = head.header("content-length")
        self._left: int | None = int(length) if length.isdigit() and not self._chunked else None
        self._chunk_left = 0
        self._done = head.status in (204, 304)

    async def read(self, limit: int = CHUNK) -> bytes:
        """Up to ``limit`` bytes; empty at the end of the body."""
        if self._done:
            return b""
        if self._chunked:
            return await self._read_chunked(limit)
        size = limit if self._left is None else min(limit, self._left)
        data = await self._reader.read(size) if size else b""
        if self._left is not None:
            self._left -= len(data)
        self._done = not data
        return data

    async def read_all(self, cap: int) -> bytes:
        """The whole body; NoFrame when it is longer than ``cap`` bytes."""
        data = bytearray()
        while piece := await self.read():
            data += piece
            if len(data) > cap:
                raise NoFrame(f"response larger than {cap / 1e6:g} MB")
        return bytes(data)

    async def _read_chunked(self, limit: int) -> bytes:
        if not self._chunk_left:
            line = await self._reader.readline()  # ValueError past HEAD_LIMIT
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self._done = True
                return b""
            self._chunk_left = size
        data = await self._reader.read(min(limit, self._chunk_left))
        self._chunk_left -= len(data)
        if not data:
            self._done = True
        elif not self._chunk_left:
            await self._reader.readline()  # the CRLF that ends the chunk
        return data


@dataclass(frozen=True, slots=True)
class Response:
    """An HTTP response whose body is still on the wire."""

    head: Head
    body: Body
    target: Target


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@asynccontextmanager
async def connection(
    target: Target,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """A TCP (or TLS) connection to the target, closed however the block ends."""
    tls = _tls_context() if target.scheme == "https" else None
    reader, writer = await asyncio.open_connection(
        target.host, target.port, ssl=tls, limit=HEAD_LIMIT
    )
    try:
        yield reader, writer
    finally:
        writer.close()
        try:
            async with asyncio.timeout(1.0):
                await writer.wait_closed()
        except (OSError, TimeoutError):
            writer.transport.abort()


@asynccontextmanager
async def http_get(url: str) -> AsyncIterator[Response]:
    """GET ``url``, following redirects and answering one 401 with the URL's credentials."""
    target = parse_target(url, ("http", "https"))
    credentials: str | None = None
    for _ in range(MAX_REDIRECTS + 2):  # the redirects, and one retry with credentials
        async with connection(target) as (reader, writer):
            writer.write(_request(target, credentials))
            await writer.drain()
            head = await read_head(reader, "HTTP")
            location = head.header("location")
            if head.status in _REDIRECTS and location:
                target = _redirected(target, location)
                credentials = None
                continue
            retry = _answer_challenge(head, target) if credentials is None else None
            if retry is not None:
                credentials = retry
                continue
            yield Response(head, Body(reader, head), target)
            return
    raise Unreachable("too many redirects")


def _request(target: Target, credentials: str | None) -> bytes:
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host:  # an IPv6 literal
        host = f"[{target.host}]" + ("" if target.port == default_port else f":{target.port}")
    lines = [
        f"GET {target.resource} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {USER_AGENT}",
        "Accept: */*",
        "Connection: close",
    ]
    if credentials:
        lines.append(f"Authorization: {credentials}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _redirected(target: Target, location: str) -> Target:
    following = parse_target(urljoin(target.public_url, location), ("http", "https"))
    if following.user is None and following.origin == target.origin:
        # Same camera, other path: its credentials still apply.
        return parse_target(urljoin(target.url, location), ("http", "https"))
    return following


def _answer_challenge(head: Head, target: Target) -> str | None:
    if head.status != 401 or target.user is None:
        return None
    return authorization(
        head.all("www-authenticate"),
        method="GET",
        uri=target.resource,
        user=target.user,
        password=target.password or "",
    )


def require_ok(head: Head) -> None:
    """Anything but 200 means the camera is not serving this endpoint: *unreachable*."""
    if head.status != 200:
        raise Unreachable(head.status_text)


async def check_snapshot(url: str, budget: Budget) -> Frame:
    """A snapshot URL answers with one JPEG or PNG image."""
    async with http_get(url) as response:
        require_ok(response.head)
        async with budget.frame_phase():
            data = await response.body.read_all(SNAPSHOT_LIMIT)
    return await image_frame(data, codec=None)


async def check_mjpeg(url: str, budget: Budget) -> Frame:
    """An MJPEG URL streams multipart JPEG parts: read the first whole one and hang up."""
    async with http_get(url) as response:
        require_ok(response.head)
        content_type = response.head.header("content-type")
        async with budget.frame_phase():
            if content_type.lower().startswith("image/"):  # a "stream" that is one picture
                part = await response.body.read_all(MJPEG_PART_LIMIT)
            else:
                part = await first_part(response.body, multipart_boundary(content_type))
    return await image_frame(part, codec="mjpeg")


def multipart_boundary(content_type: str) -> bytes:
    """The boundary of ``multipart/x-mixed-replace``; NoFrame for any other content."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/x-mixed-replace":
        raise NoFrame(f"HTTP 200 but not an MJPEG stream ({kind.strip() or 'no content type'})")
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "boundary" and value.strip(' "'):
            # Cameras disagree on whether the declared boundary includes the leading "--".
            return value.strip(' "').lstrip("-").encode("latin-1")
    raise NoFrame("MJPEG stream without a boundary")


async def first_part(body: Body, boundary: bytes, cap: int = MJPEG_PART_LIMIT) -> bytes:
    """The first complete part of a multipart stream, at most ``cap`` bytes."""
    stream = _Buffered(body, cap + HEAD_LIMIT)
    opening = await stream.find(boundary, 0)
    headers_end = await stream.find(b"\r\n\r\n", opening) + 4
    length = _part_length(bytes(stream.data[opening:headers_end]))
    if length is not None:
        if length > cap:
            raise NoFrame(f"MJPEG part larger than {cap / 1e6:g} MB")
        while len(stream.data) < headers_end + length:
            await stream.more()
        return bytes(stream.data[headers_end : headers_end + length])
    closing = await stream.find(boundary, headers_end)
    return bytes(stream.data[headers_end:closing]).rstrip(b"-").rstrip(b"\r\n")


def _part_length(headers: bytes) -> int | None:
    for line in headers.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            return int(value.strip())
    return None


class _Buffered:
    """The start of a body, kept while searching it; never more than ``cap`` bytes."""

    def __init__(self, body: Body, cap: int) -> None:
        self._body = body
        self._cap = cap
        self.data = bytearray()

    async def more(self) -> None:
        if len(self.data) > self._cap:
            raise NoFrame(f"MJPEG part larger than {(self._cap - HEAD_LIMIT) / 1e6:g} MB")
        piece = await self._body.read()
        if not piece:
            raise NoFrame("MJPEG stream ended before a whole frame")
        self.data += piece

    async def find(self, needle: bytes, start: int) -> int:
        while (found := self.data.find(needle, start)) < 0:
            start = max(start, len(self.data) - len(needle))
            await self.more()
        return found
