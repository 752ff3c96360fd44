"""The MediaMTX control adapter against a fake Control API (MediaMTX cannot be installed here)."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pontive.cctv.mediamtx import PathState, Restreamer, RestreamerError, path_config
from tests.cctv import fake_mediamtx as fake_module
from tests.cctv.fake_mediamtx import FakeMediaMTX

fake_mediamtx = fake_module.fake_mediamtx  # the shared fixture: a running fake, no auth

CAMERA_PASSWORD = "s3cr3t-Kamera-77"
SOURCE = f"rtsp://admin:{CAMERA_PASSWORD}@10.20.30.40:554/Streaming/Channels/101"
API_SECRET = "api-secret-0123456789abcdef"


def test_adding_a_path_sets_the_on_demand_tcp_config(fake_mediamtx: FakeMediaMTX) -> None:
    Restreamer(fake_mediamtx.url).add_path("cam-0001", source=SOURCE)

    assert fake_mediamtx.paths["cam-0001"].config == {
        "source": SOURCE,
        "sourceOnDemand": True,
        "sourceOnDemandStartTimeout": "10s",
        "sourceOnDemandCloseAfter": "10s",
        "rtspTransport": "tcp",
    }
    [request] = fake_mediamtx.requests
    assert (request.method, request.path) == ("POST", "/v3/config/paths/add/cam-0001")
    assert request.user is None  # no secret configured: no Authorization header


def test_path_config_sets_rtsp_transport_only_for_rtsp_sources() -> None:
    hls = path_config("https://kamera.example/live/index.m3u8", on_demand=False)

    assert hls["sourceOnDemand"] is False
    assert "rtspTransport" not in hls
    assert path_config("rtsps://cam.example/1", on_demand=True)["rtspTransport"] == "tcp"


def test_path_config_refuses_non_camera_sources_without_echoing_them() -> None:
    for source in ("publisher", f"udp+mpegts://admin:{CAMERA_PASSWORD}@0.0.0.0:1234", ""):
        with pytest.raises(ValueError, match="unsupported camera source") as caught:
            path_config(source, on_demand=True)
        assert CAMERA_PASSWORD not in str(caught.value)


def test_adding_an_existing_path_patches_it_instead(fake_mediamtx: FakeMediaMTX) -> None:
    restreamer = Restreamer(fake_mediamtx.url)
    restreamer.add_path("cam-0001", source=SOURCE)
    new_source = "rtsp://10.20.30.41:554/stream1"

    restreamer.add_path("cam-0001", source=new_source, on_demand=False)

    config = fake_mediamtx.paths["cam-0001"].config
    assert (config["source"], config["sourceOnDemand"]) == (new_source, False)
    assert [(r.method, r.path) for r in fake_mediamtx.requests[1:]] == [
        ("POST", "/v3/config/paths/add/cam-0001"),
        ("PATCH", "/v3/config/paths/patch/cam-0001"),
    ]


def test_removing_a_path_twice_answers_true_then_false(fake_mediamtx: FakeMediaMTX) -> None:
    restreamer = Restreamer(fake_mediamtx.url)
    restreamer.add_path("cam-0001", source=SOURCE)

    assert restreamer.remove_path("cam-0001") is True
    assert restreamer.remove_path("cam-0001") is False
    assert "cam-0001" not in fake_mediamtx.paths


def test_paths_reads_every_page(fake_mediamtx: FakeMediaMTX) -> None:
    for number in range(250):
        fake_mediamtx.add(f"cam-{number:04d}", source=f"rtsp://10.0.0.{number % 250}/1")

    states = Restreamer(fake_mediamtx.url).paths()

    assert sorted(states) == [f"cam-{number:04d}" for number in range(250)]
    assert [r.query for r in fake_mediamtx.requests] == [
        {"page": str(page), "itemsPerPage": "100"} for page in range(3)
    ]


def test_paths_is_empty_when_mediamtx_has_none(fake_mediamtx: FakeMediaMTX) -> None:
    assert Restreamer(fake_mediamtx.url).paths() == {}
    assert len(fake_mediamtx.requests) == 1  # pageCount 0: no second page asked for


def test_paths_parses_ready_state_tracks_bytes_and_readers(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.add("cam-0001", source=SOURCE)
    fake_mediamtx.add("cam-0002", source=SOURCE)
    wib = timezone(timedelta(hours=7))
    since = datetime(2026, 11, 30, 10, 4, 5, 123456, tzinfo=wib)
    fake_mediamtx.mark_ready(
        "cam-0001", tracks=("H264", "MPEG-4 Audio"), bytes_received=123456, readers=2, since=since
    )

    states = Restreamer(fake_mediamtx.url).paths()

    assert states["cam-0001"] == PathState(
        name="cam-0001",
        ready=True,
        ready_since=datetime(2026, 11, 30, 3, 4, 5, 123456, tzinfo=UTC),
        tracks=("H264", "MPEG-4 Audio"),
        bytes_received=123456,
        readers=2,
        source_type="rtspSource",
    )
    assert states["cam-0001"].ready_since.tzinfo is UTC  # type: ignore[union-attr]
    assert states["cam-0002"] == PathState("cam-0002", False, None, (), 0, 0, None)


def test_newer_mediamtx_field_names_are_read(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.legacy_fields = False  # available/availableTime/tracks2/inboundBytes only
    fake_mediamtx.add("cam-0001", source=SOURCE)
    since = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    fake_mediamtx.mark_ready("cam-0001", bytes_received=99, readers=1, since=since)

    state = Restreamer(fake_mediamtx.url).path("cam-0001")

    assert state == PathState("cam-0001", True, since, ("H264",), 99, 1, "rtspSource")


def test_path_answers_none_when_missing(fake_mediamtx: FakeMediaMTX) -> None:
    assert Restreamer(fake_mediamtx.url).path("cam-9999") is None
    assert fake_mediamtx.requests[0].path == "/v3/paths/get/cam-9999"


def test_the_secret_is_sent_as_basic_auth(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.secret = API_SECRET

    Restreamer(fake_mediamtx.url, secret=API_SECRET).add_path("cam-0001", source=SOURCE)

    assert fake_mediamtx.requests[0].user == "pontive"
    assert "cam-0001" in fake_mediamtx.paths


def test_a_wrong_secret_raises_401_without_the_password(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.secret = API_SECRET
    wrong = "wrong-secret-9876543210"

    with pytest.raises(RestreamerError, match="401") as caught:
        Restreamer(fake_mediamtx.url, secret=wrong).paths()

    assert caught.value.status == 401
    assert wrong not in str(caught.value)
    assert API_SECRET not in str(caught.value)
    assert fake_mediamtx.paths == {}


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.paths(),
        lambda r: r.path("cam-0001"),
        lambda r: r.remove_path("cam-0001"),
        lambda r: r.add_path("cam-0001", source=SOURCE),
    ],
    ids=["paths", "path", "remove_path", "add_path"],
)
def test_a_server_error_raises(
    fake_mediamtx: FakeMediaMTX, call: Callable[[Restreamer], object]
) -> None:
    fake_mediamtx.fail_status = 500

    with pytest.raises(RestreamerError, match="HTTP 500") as caught:
        call(Restreamer(fake_mediamtx.url))

    assert caught.value.status == 500


def test_an_answer_that_is_not_json_raises(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.fail_status = 200
    fake_mediamtx.fail_body = b"<html>captive portal</html>"

    with pytest.raises(RestreamerError, match="not JSON"):
        Restreamer(fake_mediamtx.url).paths()


def test_a_proxy_error_page_raises_with_its_status(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.fail_status = 502
    fake_mediamtx.fail_body = b"<html>Bad Gateway</html>"

    with pytest.raises(RestreamerError, match="HTTP 502") as caught:
        Restreamer(fake_mediamtx.url).path("cam-0001")

    assert "html" not in str(caught.value)


def test_a_hanging_server_raises_within_the_timeout(fake_mediamtx: FakeMediaMTX) -> None:
    fake_mediamtx.hang = True
    restreamer = Restreamer(fake_mediamtx.url, timeout=0.5)
    started = time.monotonic()

    with pytest.raises(RestreamerError, match=r"no answer within 0\.5 s"):
        restreamer.paths()

    assert time.monotonic() - started < 0.5 + 1


def test_a_refused_connection_raises() -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(RestreamerError, match="could not be reached") as caught:
        Restreamer(f"http://127.0.0.1:{port}", timeout=2).add_path("cam-0001", source=SOURCE)

    assert caught.value.status is None


@pytest.mark.parametrize(
    "name",
    [
        *("", "/cam-0001", "cam-0001/", "~^cam.*$", "cam 0001", "cam?x=1", "cam%2F", "a//b"),
        *("../x", "kamera-ü", "all", "all_others"),
    ],
)
def test_invalid_path_names_raise_value_error(fake_mediamtx: FakeMediaMTX, name: str) -> None:
    restreamer = Restreamer(fake_mediamtx.url)

    with pytest.raises(ValueError, match="path name"):
        restreamer.add_path(name, source=SOURCE)
    with pytest.raises(ValueError, match="path name"):
        restreamer.remove_path(name)
    with pytest.raises(ValueError, match="path name"):
        restreamer.path(name)
    assert fake_mediamtx.requests == []


def test_nested_path_names_are_allowed(fake_mediamtx: FakeMediaMTX) -> None:
    Restreamer(fake_mediamtx.url).add_path("kota/cam-0001.hd~1", source=SOURCE)

    assert "kota/cam-0001.hd~1" in fake_mediamtx.paths


def test_the_api_url_cannot_carry_credentials() -> None:
    with pytest.raises(ValueError, match="secret=") as caught:
        Restreamer(f"http://pontive:{API_SECRET}@127.0.0.1:9997")

    assert API_SECRET not in str(caught.value)


def test_camera_credentials_never_reach_messages_or_logs(
    fake_mediamtx: FakeMediaMTX, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pontive.cctv.mediamtx")
    restreamer = Restreamer(fake_mediamtx.url, secret=API_SECRET, timeout=0.5)
    # MediaMTX's validation errors can quote the source they refused.
    fake_mediamtx.fail_status = 400
    fake_mediamtx.fail_message = f"invalid source: '{SOURCE}' (also {API_SECRET})"
    messages = [_message_of(lambda: restreamer.add_path("cam-0001", source=SOURCE))]
    fake_mediamtx.fail_message = f"bad URL rtsp://admin:{CAMERA_PASSWORD}@10.20.30.40:554"
    messages.append(_message_of(lambda: restreamer.add_path("cam-0001", source=SOURCE)))
    fake_mediamtx.fail_message = "path already exists"  # the PATCH fallback fails too
    messages.append(_message_of(lambda: restreamer.add_path("cam-0001", source=SOURCE)))
    fake_mediamtx.fail_status, fake_mediamtx.secret = None, "another-secret"
    messages.append(_message_of(lambda: restreamer.add_path("cam-0001", source=SOURCE)))
    fake_mediamtx.hang = True
    messages.append(_message_of(lambda: restreamer.add_path("cam-0001", source=SOURCE)))

    assert "invalid source: '***' (also ***)" in messages[0]
    assert "bad URL rtsp://***@10.20.30.40:554" in messages[1]
    for text in [*messages, caplog.text]:
        assert CAMERA_PASSWORD not in text
        assert API_SECRET not in text


def _message_of(call: Callable[[], object]) -> str:
    with pytest.raises(RestreamerError) as caught:
        call()
    return str(caught.value)
