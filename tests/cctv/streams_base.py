"""Building blocks of the test streams: ffmpeg processes, restartable servers, polling.

A :class:`Stream` binds its port once and keeps it: ``stop()`` then ``start()`` brings the same
URL back, as a camera coming back after a power cut.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pytest

STARTUP_SECONDS = 30.0  # generous: a loaded 2-core CI machine starts ffmpeg slowly
SNAPSHOT_SIZE = (1280, 720)
TESTSRC_SIZE = (320, 240)
# H.264 as cameras send it: no B-frames, in-band SPS/PPS at every keyframe.
H264 = "-c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p"


def require_ffmpeg() -> str:
    """Debian's ffmpeg, or skip the test that needs it."""
    path = shutil.which("ffmpeg")
    if path is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)")
    return path


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], what: str, ffmpeg: Ffmpeg, seconds: float = STARTUP_SECONDS
) -> None:
    """Poll ``ready`` until it holds; fail with ``what`` and ffmpeg's log when it never does."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not ready after {seconds:.0f} s: {ffmpeg.log()}")
        time.sleep(0.05)


class Stream:
    """Something that runs, can be stopped mid-test and started again on the same port."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The stream down for the block, up again after it (even when the block fails)."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class Ffmpeg:
    """One ffmpeg process; its log goes to ``log_path`` to explain a stream that never came up."""

    def __init__(self, args: list[str], log_path: Path, *, stdout: bool = False) -> None:
        self.args = [require_ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", *args]
        self.log_path = log_path
        self.stdout = stdout
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if self.stdout else subprocess.DEVNULL,
                stderr=log,
            )
        return self.process

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]


class QuietHttpServer(ThreadingHTTPServer):
    """A threaded HTTP server whose handler threads are joined on close; client hang-ups are
    normal here (probes close as soon as they have a frame) and are not reported."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # ConnectionResetError, BrokenPipeError: the probe hung up, as it should


class HttpStream(Stream):
    """A stream behind a threaded HTTP server on a fixed port, restartable on that port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.running = threading.Event()
        self._server: QuietHttpServer | None = None
        self._thread: threading.Thread | None = None

    def handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        raise NotImplementedError

    def http_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self) -> None:
        self.running.set()
        self._server = QuietHttpServer(("127.0.0.1", self.port), self.handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop_serving(self) -> None:
        self.running.clear()  # handlers that stream or wait end within a poll
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None and thread is not None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)

    def start(self) -> None:
        self.serve()

    def stop(self) -> None:
        self.stop_serving()
