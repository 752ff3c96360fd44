"""Real camera streams on 127.0.0.1 for the probe tests, made by ffmpeg (Debian's ``ffmpeg``).

Every stream binds free ports, can be stopped and started again on the same port in the middle
of a test (``with stream.stopped(): ...`` is a camera losing power), kills its processes when
done, and skips the test when ffmpeg is missing.

Fixtures, module-scoped (a test that stops a stream gets it back running). The functions are
``<name>_fixture``: import those into a test module (``# noqa: F401``) and ask for ``<name>``.
Each yields the running stream object; ``stream.stop()`` / ``stream.start()`` or the block
``with stream.stopped():`` take it down and bring it back on the same URL.

- ``camera_http`` — a camera's web server (:class:`CameraHttp`): a 1280x720 snapshot (also
  chunked, slow, behind Basic credentials, behind a redirect), a 6 MB "JPEG", a login page
  (200, not an image), a playlist pointing at a local file, 404 for anything else.
- ``mjpeg_stream`` — :class:`MjpegStream`, ffmpeg's testsrc as MJPEG relayed to any number of
  clients as ``multipart/x-mixed-replace`` (``ffmpeg -listen 1`` accepts a single client).
- ``hls_stream`` / ``hls_fmp4_stream`` — :class:`HlsStream`, a live HLS playlist of MPEG-TS or
  fragmented-MP4 segments written by ffmpeg, served over HTTP with a master playlist.
- ``rtsp_stream`` — :class:`RtspStream`, H.264 over RTSP/TCP interleaved (served by
  :class:`tests.cctv.streams_rtsp.RtspServer`), an open path, a Basic and a Digest path.
- ``silent_server`` — :class:`SilentServer`, accepts connections and never answers.
- ``refused_port`` — a free port nothing listens on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cctv.streams_base import free_port, require_ffmpeg
from tests.cctv.streams_http import CameraHttp, HlsStream, MjpegStream, SilentServer
from tests.cctv.streams_rtsp import RtspStream


@pytest.fixture(scope="module", name="camera_http")
def camera_http_fixture() -> Iterator[CameraHttp]:
    """A camera's web server: ``camera_http.url("/snapshot.jpg")`` and the other routes."""
    with CameraHttp() as camera:
        yield camera


@pytest.fixture(scope="module", name="mjpeg_stream")
def mjpeg_stream_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MjpegStream]:
    """A live MJPEG stream (320x240, 5 fps) for any number of clients."""
    require_ffmpeg()
    with MjpegStream(tmp_path_factory.mktemp("mjpeg")) as stream:
        yield stream


@pytest.fixture(scope="module", name="hls_stream")
def hls_stream_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HlsStream]:
    """A live HLS stream of MPEG-TS segments (H.264 320x240), with a master playlist."""
    require_ffmpeg()
    with HlsStream(tmp_path_factory.mktemp("hls")) as stream:
        yield stream


@pytest.fixture(scope="module", name="hls_fmp4_stream")
def hls_fmp4_stream_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HlsStream]:
    """A live HLS stream of fragmented-MP4 segments (``#EXT-X-MAP``), as MediaMTX serves."""
    require_ffmpeg()
    with HlsStream(tmp_path_factory.mktemp("hls"), segment_type="fmp4") as stream:
        yield stream


@pytest.fixture(scope="module", name="rtsp_stream")
def rtsp_stream_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RtspStream]:
    """A live H.264 RTSP stream: ``OPEN_PATH``, and ``BASIC_PATH``/``DIGEST_PATH`` that need
    ``CAMERA_USER``/``CAMERA_PASSWORD`` (``url(path, credentials=True)``)."""
    require_ffmpeg()
    with RtspStream(tmp_path_factory.mktemp("rtsp")) as stream:
        yield stream


@pytest.fixture(scope="module", name="silent_server")
def silent_server_fixture() -> Iterator[SilentServer]:
    """A server that accepts connections and never answers."""
    with SilentServer() as server:
        yield server


@pytest.fixture(name="refused_port")
def refused_port_fixture() -> int:
    """A free port on 127.0.0.1: connecting to it is refused."""
    return free_port()
