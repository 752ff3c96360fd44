"""RTSP for the probes: ``OPTIONS`` and ``DESCRIBE`` by hand, then one frame from ffmpeg.

The two requests (RFC 2326) tell cheaply whether a server is there and whether the path and
credentials are right (401, 404) before ffmpeg is started at all. Credentials come from the
URL and answer a 401 with Digest or Basic, whichever the camera offers.
"""

from __future__ import annotations

import asyncio

from pontive.cctv.probes_common import (
    Budget,
    Frame,
    NoFrame,
    Target,
    Unreachable,
    authorization,
    parse_target,
)
from pontive.cctv.probes_frames import decode_with_ffmpeg
from pontive.cctv.probes_http import USER_AGENT, Head, connection, read_head

SDP_LIMIT = 64 * 1024


async def check_rtsp(url: str, budget: Budget) -> Frame:
    """An RTSP URL describes a video track, and ffmpeg decodes one frame of it over TCP."""
    target = parse_target(url, ("rtsp",))
    sdp = await describe(target)
    if not any(line.startswith("m=video") for line in sdp.splitlines()):
        raise NoFrame("RTSP stream has no video track")
    async with budget.frame_phase():
        return await decode_with_ffmpeg(
            ["-protocol_whitelist", "rtsp,rtp,tcp,udp", "-rtsp_transport", "tcp", "-i", url],
            target=target,
        )


async def describe(target: Target) -> str:
    """The stream's SDP; Unreachable for any answer but 200 (401, 404, 454 ...)."""
    async with connection(target) as (reader, writer):
        session = _Session(reader, writer, target)
        options = await session.request("OPTIONS")
        if options.status == 401:
            raise Unreachable(options.status_text)
        head, body = await session.request_with_body("DESCRIBE", "Accept: application/sdp")
    if head.status != 200:
        raise Unreachable(head.status_text)
    return body.decode("utf-8", "replace")


class _Session:
    """One RTSP connection: numbered requests, answering a 401 once with credentials."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: Target
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._target = target
        self._sequence = 0
        self._challenges: list[str] | None = None
        self._answered = 0  # requests sent with credentials: Digest's nonce count

    async def request(self, method: str, *headers: str) -> Head:
        """Send a request and read the reply's head, discarding any body."""
        head, _ = await self.request_with_body(method, *headers)
        return head

    async def request_with_body(self, method: str, *headers: str) -> tuple[Head, bytes]:
        """Send a request (again with credentials after a first 401) and read the reply."""
        head, body = await self._exchange(method, headers)
        if head.status == 401 and self._challenges is None and self._target.user is not None:
            self._challenges = head.all("www-authenticate")
            head, body = await self._exchange(method, headers)
        return head, body

    async def _exchange(self, method: str, headers: tuple[str, ...]) -> tuple[Head, bytes]:
        self._sequence += 1
        lines = [
            f"{method} {self._target.public_url} RTSP/1.0",
            f"CSeq: {self._sequence}",
            f"User-Agent: {USER_AGENT}",
            *headers,
        ]
        credentials = self._credentials(method)
        if credentials is not None:
            lines.append(f"Authorization: {credentials}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await self._writer.drain()
        head = await read_head(self._reader, "RTSP")
        length = head.header("content-length")
        size = int(length) if length.isdigit() else 0
        if size > SDP_LIMIT:
            raise NoFrame(f"RTSP {method} answer larger than {SDP_LIMIT // 1024} KB")
        return head, await self._reader.readexactly(size)

    def _credentials(self, method: str) -> str | None:
        if self._challenges is None or self._target.user is None:
            return None
        # Digest over the URL as sent (without credentials), new cnonce per request.
        self._answered += 1
        return authorization(
            self._challenges,
            method=method,
            uri=self._target.public_url,
            user=self._target.user,
            password=self._target.password or "",
            count=self._answered,
        )
