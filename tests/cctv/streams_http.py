"""Cameras over HTTP for the probe tests: a web server with snapshots, MJPEG, HLS, a hung one.

MJPEG and HLS are real ffmpeg output (``testsrc``); snapshots are pictures drawn by Pillow.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from tests.cctv.streams_base import (
    H264,
    SNAPSHOT_SIZE,
    TESTSRC_SIZE,
    Ffmpeg,
    HttpStream,
    Stream,
    free_port,
    wait_until,
)

CAMERA_USER, CAMERA_PASSWORD = "viewer", "s3cret-Pw"


def make_jpeg(size: tuple[int, int]) -> bytes:
    """A test picture (bars and a frame) as JPEG."""
    image = Image.new("RGB", size, (30, 60, 90))
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate([(230, 230, 230), (230, 200, 0), (0, 200, 200), (200, 0, 0)]):
        draw.rectangle((i * size[0] // 4, 0, (i + 1) * size[0] // 4, size[1] // 2), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class _CameraHandler(BaseHTTPRequestHandler):
    camera: CameraHttp
    timeout = 10
    protocol_version = "HTTP/1.1"  # for chunked answers; each is sent with Connection: close

    def do_GET(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/snapshot.jpg": self._snapshot,
            "/chunked.jpg": self._chunked_snapshot,
            "/slow.jpg": self._slow_snapshot,
            "/huge.jpg": self._huge_snapshot,
            "/login.html": self._login_page,
            "/private.jpg": self._private_snapshot,
            "/redirect": self._redirect,
            "/file.m3u8": self._local_file_playlist,
        }
        routes.get(self.path, self._not_found)()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _start(self, status: int, content_type: str, **headers: str) -> None:
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self._start(status, content_type, Content_Length=str(len(body)), **headers)
        self.wfile.write(body)

    def _snapshot(self) -> None:
        self._send(200, "image/jpeg", self.camera.jpeg)

    def _chunked_snapshot(self) -> None:
        self._start(200, "image/jpeg", Transfer_Encoding="chunked")
        jpeg, size = self.camera.jpeg, len(self.camera.jpeg) // 3 + 1
        for piece in (jpeg[i : i + size] for i in range(0, len(jpeg), size)):
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _slow_snapshot(self) -> None:
        deadline = time.monotonic() + self.camera.slow_seconds
        while time.monotonic() < deadline:
            if not self.camera.running.is_set():
                return  # stopped meanwhile
            time.sleep(0.02)
        self._snapshot()

    def _huge_snapshot(self) -> None:
        """Six megabytes that claim to be a JPEG: more than a probe may read."""
        size = 6_000_000
        self._start(200, "image/jpeg", Content_Length=str(size))
        block = b"\xff\xd8" + b"\0" * 65534
        for _ in range(size // len(block)):
            self.wfile.write(block)

    def _login_page(self) -> None:
        self._send(200, "text/html", b"<html><body><form>Login</form></body></html>")

    def _private_snapshot(self) -> None:
        if self.headers.get("Authorization") == self.camera.basic_credentials:
            self._snapshot()
        else:
            body = b"401 Unauthorized"
            self._send(401, "text/plain", body, WWW_Authenticate='Basic realm="camera"')

    def _redirect(self) -> None:
        self._send(302, "text/plain", b"", Location="/snapshot.jpg")

    def _local_file_playlist(self) -> None:
        """A hostile playlist whose segment is a file on the prober's own machine."""
        playlist = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nfile:///etc/passwd\n"
        self._send(200, "application/vnd.apple.mpegurl", playlist)

    def _not_found(self) -> None:
        self._send(404, "text/plain", b"404 Not Found")


class CameraHttp(HttpStream):
    """A camera's web server: snapshots (plain, chunked, slow, oversized), a login page, one
    behind Basic credentials, a redirect, a hostile playlist, 404 for anything else."""

    def __init__(self, slow_seconds: float = 1.5) -> None:
        super().__init__()
        self.jpeg = make_jpeg(SNAPSHOT_SIZE)
        self.slow_seconds = slow_seconds
        token = base64.b64encode(f"{CAMERA_USER}:{CAMERA_PASSWORD}".encode()).decode()
        self.basic_credentials = f"Basic {token}"

    def handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        return type("CameraHandler", (_CameraHandler,), {"camera": self})

    def url(self, path: str) -> str:
        """A URL of one of the routes: ``/snapshot.jpg``, ``/chunked.jpg``, ``/slow.jpg``,
        ``/huge.jpg``, ``/login.html``, ``/redirect``, ``/file.m3u8``; others answer 404."""
        return self.http_url(path)

    def private_url(self, *, with_credentials: bool) -> str:
        userinfo = f"{CAMERA_USER}:{CAMERA_PASSWORD}@" if with_credentials else ""
        return f"http://{userinfo}127.0.0.1:{self.port}/private.jpg"


class _MjpegHandler(BaseHTTPRequestHandler):
    stream: MjpegStream
    timeout = 10

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path != "/video.mjpg":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=ffserver")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        with_length = query != "no-length"  # some cameras send no Content-Length per part
        for jpeg in self.stream.frames():
            length = f"Content-Length: {len(jpeg)}\r\n" if with_length else ""
            head = f"--ffserver\r\nContent-Type: image/jpeg\r\n{length}\r\n".encode()
            self.wfile.write(head + jpeg + b"\r\n")
            self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class MjpegStream(HttpStream):
    """ffmpeg's testsrc as MJPEG at 5 fps, relayed to every client as multipart parts."""

    def __init__(self, workdir: Path) -> None:
        super().__init__()
        source = f"testsrc=size={TESTSRC_SIZE[0]}x{TESTSRC_SIZE[1]}:rate=5"
        self.ffmpeg = Ffmpeg(
            f"-re -f lavfi -i {source} -c:v mjpeg -q:v 5 -f image2pipe pipe:1".split(),
            workdir / "mjpeg-ffmpeg.log",
            stdout=True,
        )
        self._latest: tuple[int, bytes] = (0, b"")
        self._changed = threading.Condition()
        self._reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.http_url("/video.mjpg")

    def handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        return type("MjpegHandler", (_MjpegHandler,), {"stream": self})

    def start(self) -> None:
        self._latest = (0, b"")
        process = self.ffmpeg.start()
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()
        wait_until(lambda: self._latest[0] > 0, "MJPEG", self.ffmpeg)
        self.serve()

    def stop(self) -> None:
        self.stop_serving()
        self.ffmpeg.stop()
        if self._reader is not None:
            self._reader.join(timeout=10)

    def frames(self) -> Iterator[bytes]:
        """Each new JPEG as ffmpeg makes it, until the stream stops."""
        seen = 0
        while self.running.is_set():
            with self._changed:
                self._changed.wait_for(partial(self._is_newer, seen), timeout=0.1)
                number, jpeg = self._latest
            if number != seen and jpeg:
                seen = number
                yield jpeg

    def _is_newer(self, seen: int) -> bool:
        return self._latest[0] != seen

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        """Cut ffmpeg's concatenated JPEGs at their end marker (FFD9, never inside the data)."""
        pending = b""
        stdout = process.stdout
        while stdout is not None and (chunk := os.read(stdout.fileno(), 65536)):
            pending += chunk
            while (end := pending.find(b"\xff\xd9")) >= 0:
                jpeg, pending = pending[: end + 2], pending[end + 2 :]
                with self._changed:
                    self._latest = (self._latest[0] + 1, jpeg)
                    self._changed.notify_all()


class HlsStream(HttpStream):
    """A live HLS stream written by ffmpeg (1 s segments, 5 listed), served with a master."""

    def __init__(self, workdir: Path, *, segment_type: str = "mpegts") -> None:
        super().__init__()
        self.folder = workdir / f"hls-{segment_type}"
        source = f"testsrc=size={TESTSRC_SIZE[0]}x{TESTSRC_SIZE[1]}:rate=10"
        self.ffmpeg = Ffmpeg(
            [
                *f"-re -f lavfi -i {source} {H264} -g 10".split(),
                *("-f", "hls", "-hls_time", "1", "-hls_list_size", "5"),
                *("-hls_flags", "delete_segments+temp_file"),
                *("-hls_segment_type", segment_type, str(self.folder / "index.m3u8")),
            ],
            workdir / f"hls-{segment_type}-ffmpeg.log",
        )

    @property
    def url(self) -> str:
        return self.http_url("/index.m3u8")

    @property
    def master_url(self) -> str:
        return self.http_url("/master.m3u8")

    def handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        quiet = type("HlsHandler", (SimpleHTTPRequestHandler,), {"log_message": _silent})
        return partial(quiet, directory=str(self.folder))

    def start(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        (self.folder / "master.m3u8").write_text(
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=320x240\nindex.m3u8\n"
        )
        self.ffmpeg.start()
        wait_until(self._has_segment, "HLS", self.ffmpeg)
        self.serve()

    def stop(self) -> None:
        self.stop_serving()
        self.ffmpeg.stop()

    def _has_segment(self) -> bool:
        playlist = self.folder / "index.m3u8"
        if not playlist.exists():
            return False
        lines = playlist.read_text().splitlines()
        return any(line and not line.startswith("#") for line in lines)


def _silent(self: object, format: str, *args: Any) -> None:
    pass


class SilentServer(Stream):
    """Accepts TCP connections and never says a word: a hung camera. With ``hang_up`` it
    closes each connection at once instead, like a port forward with nothing behind it."""

    def __init__(self, *, hang_up: bool = False) -> None:
        self.port = free_port()
        self.hang_up = hang_up
        self._listener: socket.socket | None = None
        self._held: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    def url(self, scheme: str, path: str = "/") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.settimeout(0.05)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for sock in self._held:
            sock.close()
        self._held.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            if self.hang_up:
                sock.close()
            else:
                self._held.append(sock)
