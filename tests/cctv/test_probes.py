"""Camera probes against real streams on 127.0.0.1: ffmpeg's MJPEG, HLS and RTSP, and the
failures cameras have (stopped, wrong path, credentials, slow, hung, not an image)."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import Any

import pytest
from PIL import Image

from pontive.cctv import probes_frames
from pontive.cctv.probes import Endpoints, ProbeResult, probe
from tests.cctv.streams import (  # noqa: F401 - fixtures, used by name
    camera_http_fixture,
    hls_fmp4_stream_fixture,
    hls_stream_fixture,
    mjpeg_stream_fixture,
    refused_port_fixture,
    rtsp_stream_fixture,
    silent_server_fixture,
)
from tests.cctv.streams_base import SNAPSHOT_SIZE, TESTSRC_SIZE, free_port, require_ffmpeg
from tests.cctv.streams_http import (
    CAMERA_PASSWORD,
    CameraHttp,
    HlsStream,
    MjpegStream,
    SilentServer,
)
from tests.cctv.streams_rtsp import Account, RtspServer, RtspStream

# Probing cameras touches no database: one pass of .ci/run is enough (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.5)
# Generous on a loaded 2-core machine; the tests of timing pass their own.
TIMEOUT = 20.0
NEVER_SLOW = 60_000.0


def run_probe(
    endpoints: Endpoints, *, timeout: float = TIMEOUT, slow_ms: float = NEVER_SLOW
) -> ProbeResult:
    return asyncio.run(probe(endpoints, timeout=timeout, slow_ms=slow_ms))


def jpeg_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def assert_online(result: ProbeResult, method: str, size: tuple[int, int]) -> None:
    assert (result.state, result.method) == ("online", method), result.detail
    assert (result.width, result.height) == size
    assert result.latency_ms is not None
    assert result.latency_ms > 0
    assert result.detail.startswith(f"frame {size[0]}x{size[1]}")


def test_a_snapshot_url_is_online_with_a_thumbnail_640_wide(camera_http: CameraHttp) -> None:
    result = run_probe(Endpoints(snapshot_url=camera_http.url("/snapshot.jpg")))

    assert_online(result, "snapshot", SNAPSHOT_SIZE)
    assert jpeg_size(result.snapshot) == (640, 360)


@pytest.mark.parametrize("path", ["/chunked.jpg", "/redirect"])
def test_chunked_and_redirected_snapshots_are_read(camera_http: CameraHttp, path: str) -> None:
    result = run_probe(Endpoints(snapshot_url=camera_http.url(path)))

    assert_online(result, "snapshot", SNAPSHOT_SIZE)


@pytest.mark.parametrize("query", ["", "?no-length"])
def test_an_mjpeg_stream_is_online_with_its_first_frame(
    mjpeg_stream: MjpegStream, query: str
) -> None:
    result = run_probe(Endpoints(mjpeg_url=mjpeg_stream.url + query))

    assert_online(result, "mjpeg", TESTSRC_SIZE)
    assert result.detail == "frame 320x240 mjpeg"
    assert jpeg_size(result.snapshot) == TESTSRC_SIZE


@pytest.mark.parametrize(
    ("fixture", "playlist"),
    [
        ("hls_stream", "url"),
        ("hls_stream", "master_url"),  # followed to its first variant
        ("hls_fmp4_stream", "url"),  # #EXT-X-MAP: ffmpeg reads the playlist itself
    ],
)
def test_an_hls_stream_is_online_with_a_frame_of_its_newest_segment(
    request: pytest.FixtureRequest, fixture: str, playlist: str
) -> None:
    stream: HlsStream = request.getfixturevalue(fixture)

    result = run_probe(Endpoints(hls_url=getattr(stream, playlist)))

    assert_online(result, "hls", TESTSRC_SIZE)
    assert result.detail == "frame 320x240 h264"
    assert jpeg_size(result.snapshot) == TESTSRC_SIZE


def test_an_rtsp_stream_is_online_with_one_decoded_frame(rtsp_stream: RtspStream) -> None:
    result = run_probe(Endpoints(rtsp_url=rtsp_stream.url()))

    assert_online(result, "rtsp", TESTSRC_SIZE)
    assert result.detail == "frame 320x240 h264"
    assert jpeg_size(result.snapshot) == TESTSRC_SIZE


def _endpoints_of(kind: str, request: pytest.FixtureRequest) -> tuple[Any, dict[str, str]]:
    stream = request.getfixturevalue(f"{kind}_stream")
    url = stream.url() if kind == "rtsp" else stream.url
    return stream, {f"{kind}_url": url}


@pytest.mark.parametrize("kind", ["mjpeg", "hls", "rtsp"])
def test_a_stopped_stream_is_offline_until_it_starts_again(
    request: pytest.FixtureRequest, kind: str
) -> None:
    stream, endpoints = _endpoints_of(kind, request)

    with stream.stopped():
        stopped = run_probe(Endpoints(**endpoints))
    restarted = run_probe(Endpoints(**endpoints))

    assert (stopped.state, stopped.method, stopped.detail) == (
        "offline",
        kind,
        "connection refused",
    )
    assert stopped.snapshot is None
    assert stopped.latency_ms is None
    assert_online(restarted, kind, TESTSRC_SIZE)


def test_a_wrong_rtsp_path_is_offline_with_404(rtsp_stream: RtspStream) -> None:
    result = run_probe(Endpoints(rtsp_url=rtsp_stream.url("/no-such-camera")))

    assert (result.state, result.detail) == ("offline", "RTSP 404 Not Found")


@pytest.mark.parametrize("path", [RtspStream.BASIC_PATH, RtspStream.DIGEST_PATH])
def test_rtsp_without_credentials_is_offline_401(rtsp_stream: RtspStream, path: str) -> None:
    result = run_probe(Endpoints(rtsp_url=rtsp_stream.url(path)))

    assert (result.state, result.detail) == ("offline", "RTSP 401 Unauthorized")


@pytest.mark.parametrize("path", [RtspStream.BASIC_PATH, RtspStream.DIGEST_PATH])
def test_rtsp_credentials_in_the_url_work_and_stay_out_of_detail_and_log(
    rtsp_stream: RtspStream, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pontive.cctv")

    result = run_probe(Endpoints(rtsp_url=rtsp_stream.url(path, credentials=True)))
    wrong = run_probe(
        Endpoints(rtsp_url=rtsp_stream.url(path, credentials=True).replace("s3cret", "gu3ss"))
    )

    assert_online(result, "rtsp", TESTSRC_SIZE)
    assert (wrong.state, wrong.detail) == ("offline", "RTSP 401 Unauthorized")
    assert "probe rtsp rtsp://127.0.0.1:" in caplog.text  # the URL is logged, redacted
    for text in (result.detail, wrong.detail, caplog.text):
        assert CAMERA_PASSWORD not in text
        assert "gu3ss" not in text


def test_ffmpeg_failing_after_describe_is_degraded_with_a_scrubbed_reason() -> None:
    require_ffmpeg()  # the probe's decoder
    # A camera set up for RTP over UDP only: DESCRIBE answers, ffmpeg's TCP SETUP is refused.
    sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    server = RtspServer(
        free_port(), lambda: sdp, {"/cam1": Account("viewer", "pw-9x", "basic")}, tcp=False
    )
    server.start()
    try:
        result = run_probe(Endpoints(rtsp_url=f"rtsp://viewer:pw-9x@127.0.0.1:{server.port}/cam1"))
    finally:
        server.stop()

    assert (result.state, result.method) == ("degraded", "rtsp")
    assert result.detail.startswith("ffmpeg: ")
    assert f"127.0.0.1:{server.port}" in result.detail
    assert "pw-9x" not in result.detail


def test_rtsp_that_answers_but_sends_no_video_is_degraded_within_the_timeout() -> None:
    require_ffmpeg()  # the probe's decoder
    sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    server = RtspServer(free_port(), lambda: sdp, {"/cam1": None})  # nothing relayed
    server.start()
    try:
        started = time.monotonic()
        result = run_probe(Endpoints(rtsp_url=f"rtsp://127.0.0.1:{server.port}/cam1"), timeout=2.0)
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    assert (result.state, result.detail) == ("degraded", "answered but no frame within 2.0 s")
    assert elapsed < 3.0


@pytest.mark.parametrize("kind", ["hls", "rtsp"])
def test_without_ffmpeg_an_answering_stream_is_degraded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    _, endpoints = _endpoints_of(kind, request)
    monkeypatch.setattr(probes_frames, "ffmpeg_path", lambda: None)

    result = run_probe(Endpoints(**endpoints))

    assert (result.state, result.method, result.detail) == (
        "degraded",
        kind,
        "ffmpeg not installed",
    )


def test_http_credentials_in_the_url_answer_a_401(camera_http: CameraHttp) -> None:
    refused = run_probe(Endpoints(snapshot_url=camera_http.private_url(with_credentials=False)))
    allowed = run_probe(Endpoints(snapshot_url=camera_http.private_url(with_credentials=True)))

    assert (refused.state, refused.detail) == ("offline", "HTTP 401 Unauthorized")
    assert_online(allowed, "snapshot", SNAPSHOT_SIZE)
    assert CAMERA_PASSWORD not in allowed.detail


def test_a_slow_snapshot_is_degraded_but_kept(camera_http: CameraHttp) -> None:
    result = run_probe(Endpoints(snapshot_url=camera_http.url("/slow.jpg")), slow_ms=500)

    assert (result.state, result.method) == ("degraded", "snapshot")
    assert result.latency_ms is not None
    assert result.latency_ms >= camera_http.slow_seconds * 1000
    assert result.detail.startswith("frame 1280x720 jpeg, slow (")
    assert jpeg_size(result.snapshot) == (640, 360)


@pytest.mark.parametrize(
    ("field", "path", "detail"),
    [
        ("snapshot_url", "/login.html", "answered but not a JPEG or PNG image"),
        ("mjpeg_url", "/login.html", "HTTP 200 but not an MJPEG stream (text/html)"),
        ("hls_url", "/login.html", "answered but not an HLS playlist"),
        ("snapshot_url", "/huge.jpg", "response larger than 5 MB"),
        ("hls_url", "/file.m3u8", "HLS playlist points outside HTTP"),
    ],
)
def test_an_http_200_without_a_picture_is_degraded(
    camera_http: CameraHttp, field: str, path: str, detail: str
) -> None:
    result = run_probe(Endpoints(**{field: camera_http.url(path)}))

    assert (result.state, result.detail) == ("degraded", detail)
    assert result.snapshot is None


@pytest.mark.parametrize("field", ["snapshot_url", "mjpeg_url", "hls_url"])
def test_an_http_error_is_offline(camera_http: CameraHttp, field: str) -> None:
    result = run_probe(Endpoints(**{field: camera_http.url("/missing")}))

    assert (result.state, result.detail) == ("offline", "HTTP 404 Not Found")


@pytest.mark.parametrize("scheme", ["http", "rtsp"])
def test_a_refused_port_is_offline_at_once(refused_port: int, scheme: str) -> None:
    field = "rtsp_url" if scheme == "rtsp" else "snapshot_url"
    started = time.monotonic()

    result = run_probe(Endpoints(**{field: f"{scheme}://127.0.0.1:{refused_port}/cam1"}))

    assert (result.state, result.detail) == ("offline", "connection refused")
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("field", ["snapshot_url", "mjpeg_url", "hls_url", "rtsp_url"])
def test_a_hung_device_is_offline_within_the_timeout(
    silent_server: SilentServer, field: str
) -> None:
    scheme = "rtsp" if field == "rtsp_url" else "http"
    started = time.monotonic()

    result = run_probe(Endpoints(**{field: silent_server.url(scheme, "/cam1")}), timeout=1.5)

    assert (result.state, result.detail) == ("offline", "timed out after 1.5 s")
    assert time.monotonic() - started < 1.5 + 1.0


@pytest.mark.parametrize("field", ["snapshot_url", "rtsp_url"])
def test_a_device_hanging_up_at_once_is_offline(field: str) -> None:
    scheme = "rtsp" if field == "rtsp_url" else "http"
    with SilentServer(hang_up=True) as server:
        result = run_probe(Endpoints(**{field: server.url(scheme, "/cam1")}))

    assert result.state == "offline"
    # Which one depends on whether the close overtook the request: both mean nobody answered.
    assert result.detail in ("connection closed without an answer", "connection reset")


def test_the_timeout_bounds_the_whole_probe_not_each_endpoint(silent_server: SilentServer) -> None:
    started = time.monotonic()

    result = run_probe(
        Endpoints(
            snapshot_url=silent_server.url("http", "/snapshot.jpg"),
            rtsp_url=silent_server.url("rtsp", "/cam1"),
        ),
        timeout=1.5,
    )

    assert (result.state, result.detail) == ("offline", "timed out after 1.5 s")
    assert time.monotonic() - started < 1.5 + 1.0


def test_the_first_endpoint_with_a_frame_decides(
    camera_http: CameraHttp, mjpeg_stream: MjpegStream, refused_port: int
) -> None:
    result = run_probe(
        Endpoints(
            snapshot_url=camera_http.url("/missing"),
            mjpeg_url=mjpeg_stream.url,
            rtsp_url=f"rtsp://127.0.0.1:{refused_port}/cam1",
        )
    )

    assert_online(result, "mjpeg", TESTSRC_SIZE)


def test_without_a_frame_a_degraded_answer_outweighs_an_offline_one(
    camera_http: CameraHttp, refused_port: int
) -> None:
    result = run_probe(
        Endpoints(
            snapshot_url=camera_http.url("/login.html"),
            rtsp_url=f"rtsp://127.0.0.1:{refused_port}/cam1",
        )
    )

    assert (result.state, result.method) == ("degraded", "snapshot")


def test_without_endpoints_a_camera_is_offline() -> None:
    result = asyncio.run(probe(Endpoints()))

    assert (result.state, result.method, result.detail) == (
        "offline",
        "none",
        "no endpoint configured",
    )
