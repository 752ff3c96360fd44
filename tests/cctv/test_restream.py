"""The restreamer kept in step with the registry (against the fake MediaMTX control API)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.cctv import restream, service
from pontive.cctv.choices import CameraStatus
from pontive.cctv.mediamtx import Restreamer
from pontive.core.identity import ANONYMOUS
from tests.cctv import fake_mediamtx as fake_module
from tests.cctv.fake_mediamtx import FakeMediaMTX
from tests.cctv.support import STAFF, city_camera, contributed

fake_mediamtx = fake_module.fake_mediamtx  # the shared fixture: a running fake, no auth


def test_live_cameras_get_a_path_and_lose_it_when_paused_or_withdrawn(
    session: Session, fake_mediamtx: FakeMediaMTX
) -> None:
    public = city_camera(session)
    internal = city_camera(session, sharing="internal")
    on_request, _ = contributed(session, sharing="on_request")
    pending, _ = contributed(session, status=CameraStatus.DIAJUKAN)
    owned, token = contributed(session)
    snapshot_only = city_camera(session, streams={"snapshot_url": "http://10.0.0.9/snap.jpg"})
    fake_mediamtx.add("ops-manual")  # a path someone configured by hand stays
    restreamer = Restreamer(fake_mediamtx.url)
    report = restream.reconcile(session, restreamer)
    live = {public.stream_path, internal.stream_path, owned.stream_path}
    assert set(fake_mediamtx.paths) == live | {"ops-manual"}
    assert (report.added, report.removed, report.failed) == (3, 0, 0)
    assert fake_mediamtx.paths[public.stream_path].config["source"] == public.rtsp_url
    assert fake_mediamtx.paths[public.stream_path].config["sourceOnDemand"] is True
    assert public.restreamed
    assert not on_request.restreamed
    assert not pending.restreamed
    assert not snapshot_only.restreamed
    again = restream.reconcile(session, restreamer)  # after a restreamer restart too
    assert (again.added, again.removed) == (0, 0)
    service.owner_action(session=session, actor=ANONYMOUS, token=token, action="pause")
    service.set_status(session=session, actor=STAFF, camera=internal, status=CameraStatus.NONAKTIF)
    report = restream.reconcile(session, restreamer)
    assert (report.added, report.removed) == (0, 2)
    assert set(fake_mediamtx.paths) == {public.stream_path, "ops-manual"}
    assert not owned.restreamed
    assert not internal.restreamed


def test_an_unreachable_restreamer_changes_nothing(session: Session) -> None:
    camera = city_camera(session)
    report = restream.reconcile(session, Restreamer("http://127.0.0.1:9", timeout=0.5))
    assert report.failed == 1
    assert not camera.restreamed
