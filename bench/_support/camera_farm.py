"""Simulated cameras on loopback for ``bench/cctv_health.py``: answering, slow and dead.

``python camera_farm.py`` listens on two ports and prints one JSON line when ready:
``{"http": P1, "hang": P2, "refused": P3}``.

- ``http://127.0.0.1:P1/snap/<n>.jpg``: a 320x240 JPEG at once (a camera's snapshot URL);
- ``http://127.0.0.1:P1/mjpeg/<n>``: ``multipart/x-mixed-replace`` JPEG frames, 5 a second;
- ``http://127.0.0.1:P1/slow/<n>.jpg``: the JPEG after 2 seconds (a camera on a poor link);
- ``P2`` accepts connections and never answers (a hung device);
- ``P3``: nothing listens there (a camera switched off).
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import sys

from PIL import Image, ImageDraw

SLOW_SECONDS = 2.0
BOUNDARY = b"frame"


def _jpeg() -> bytes:
    image = Image.new("RGB", (320, 240), (24, 64, 112))
    ImageDraw.Draw(image).rectangle((40, 40, 280, 200), outline=(240, 200, 40), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


JPEG = _jpeg()


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        request = await reader.readuntil(b"\r\n\r\n")
        path = request.split(b" ", 2)[1].decode()
        if path.startswith("/mjpeg/"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; "
                         b"boundary=" + BOUNDARY + b"\r\nConnection: close\r\n\r\n")  # fmt: skip
            for _ in range(50):  # ten seconds of stream at most: probes read one frame
                writer.write(b"--" + BOUNDARY + b"\r\nContent-Type: image/jpeg\r\n"
                             b"Content-Length: " + str(len(JPEG)).encode() + b"\r\n\r\n"
                             + JPEG + b"\r\n")  # fmt: skip
                await writer.drain()
                await asyncio.sleep(0.2)
            return
        if path.startswith("/slow/"):
            await asyncio.sleep(SLOW_SECONDS)
        if path.startswith(("/snap/", "/slow/")):
            head = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: "
            writer.write(head + str(len(JPEG)).encode() + b"\r\n\r\n" + JPEG)
        else:
            writer.write(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
        await writer.drain()
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, IndexError):
        pass  # the prober hung up: that is its business
    finally:
        writer.close()


async def _hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.read()  # until the prober gives up and closes
    finally:
        writer.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def main() -> None:
    http = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=1024)
    hang = await asyncio.start_server(_hang, "127.0.0.1", 0, backlog=1024)
    ports = {
        "http": http.sockets[0].getsockname()[1],
        "hang": hang.sockets[0].getsockname()[1],
        "refused": _free_port(),
    }
    sys.stdout.write(json.dumps(ports) + "\n")
    sys.stdout.flush()
    async with http, hang:
        await asyncio.gather(http.serve_forever(), hang.serve_forever())


if __name__ == "__main__":
    asyncio.run(main())
