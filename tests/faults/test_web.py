"""The web process under faults: ``kill -9`` in the middle of report submissions, the same
idempotency key sent at once, malformed bodies among good ones, and a media disk that fills.

One ``pontive serve`` (restarted once) on a copy of the run's database serves every test of
this module; as root its media folder is a tiny tmpfs, so that "disk full" is the kernel's
real ENOSPC. Accepted = the client saw 201; every submission it did not see answered is sent
again with the same idempotency key, as a real client would.
"""

from __future__ import annotations

import io
import json
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from pontive.complaints.models import Complaint, ComplaintPhoto
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.storage import StorageFull
from tests.faults.support import (
    Serve,
    TinyDisk,
    copy_database,
    drop_database,
    media_files,
    process_env,
    wait_for,
)

SUBMISSIONS = 40
PATH = "/api/v1/complaints"


def jpeg(seed: int) -> bytes:
    """A real photo-sized JPEG (noise: it does not compress away)."""
    picture = Image.frombytes("RGB", (320, 240), secrets.token_bytes(320 * 240 * 3))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def report(key: str) -> dict[str, Any]:
    return {
        "category_code": "drainase",
        "description": f"Parit tersumbat di gang uji {key[:8]}, air meluap ke jalan.",
        "lon": 109.3425,
        "lat": -0.0263,
        "idempotency_key": key,
    }


def multipart(data: dict[str, Any], photo: bytes | None) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n'.encode()
        + json.dumps(data).encode()
        + b"\r\n"
    ]
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="parit.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """A reporting client with an API key (not rate-limited) that keeps what it saw."""

    def __init__(self, serve: Serve, api_key: str) -> None:
        self.serve, self.api_key = serve, api_key

    def submit(self, data: dict[str, Any], photo: bytes | None, timeout: float = 30) -> Any:
        """(status, body), or the connection error when no answer came."""
        body, content_type = multipart(data, photo)
        headers = {"Content-Type": content_type, "X-API-Key": self.api_key}
        try:
            return self.serve.request("POST", PATH, body=body, headers=headers, timeout=timeout)
        except OSError as error:
            return error


@pytest.fixture(scope="module")
def stack(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Serve, Client, Database, TinyDisk | None]]:
    folder = tmp_path_factory.mktemp("faults-web")
    url = copy_database(database_url, folder)
    database = Database(url)
    with database.session() as session:
        _key, api_key = auth.create_api_key(
            session=session, actor=system_actor("test"), name="saksi", role=Role.OPERATOR
        )
    media = folder / "media"
    disk = TinyDisk(media, size_mb=24) if TinyDisk.missing() is None else None
    if disk is not None:
        disk.__enter__()
    env = process_env(url, media, PONTIVE_MEDIA_MIN_FREE_MB="1")
    serve = Serve.on(env, folder / "serve.log")
    try:
        serve.start()
        yield serve, Client(serve, api_key), database, disk
    finally:
        serve.stop()
        database.dispose()
        if disk is not None:
            disk.__exit__()
        drop_database(url)


def stored(database: Database, keys: list[str]) -> dict[str, str]:
    """idempotency key -> tracking number of the stored reports among ``keys``."""
    with database.session(write=False) as session:
        rows = session.execute(
            select(Complaint.idempotency_key, Complaint.tracking_number).where(
                Complaint.idempotency_key.in_(keys)
            )
        ).all()
    assert len(rows) == len({key for key, _ in rows})  # the unique key: never twice
    return {str(key): tracking for key, tracking in rows}


@pytest.mark.parametrize("count", [SUBMISSIONS, pytest.param(400, marks=pytest.mark.soak)])
def test_a_killed_web_process_loses_no_accepted_report_and_stores_none_twice(
    stack: tuple[Serve, Client, Database, TinyDisk | None], count: int
) -> None:
    serve, client, database, _disk = stack
    if not serve.is_running():
        serve.start()
    keys = [f"mati-{n:03d}-{secrets.token_hex(6)}" for n in range(count)]
    photos = {key: jpeg(n) if n % 2 == 0 else None for n, key in enumerate(keys)}
    seen: dict[str, Any] = {}
    accepted = threading.Semaphore(0)

    def send(key: str) -> None:
        seen[key] = outcome = client.submit(report(key), photos[key])
        if isinstance(outcome, tuple) and outcome[0] == 201:
            accepted.release()

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(send, key) for key in keys]
        for _ in range(count // 4):
            assert accepted.acquire(timeout=60), serve.tail()
        serve.kill()  # mid-flight: requests half-read, photos half-written, commits pending
        for future in futures:
            future.result()
    first = {k: o[1]["tracking_number"] for k, o in seen.items() if _is_201(o)}
    unanswered = [key for key in keys if key not in first]
    assert 0 < len(unanswered) < count, "the kill must land mid-flight"
    assert all(not isinstance(o, tuple) or o[0] == 201 for o in seen.values())

    serve.start()
    retried = {key: client.submit(report(key), photos[key]) for key in unanswered}
    assert all(_is_201(outcome) for outcome in retried.values()), retried
    again = client.submit(report(keys[0]), photos[keys[0]]) if keys[0] in first else None
    if again is not None:  # a retry of what was already accepted is the same report
        assert again[1]["tracking_number"] == first[keys[0]]
        assert again[1]["is_new"] is False

    final = stored(database, keys)
    assert set(final) == set(keys)  # nothing accepted lost, every retry landed once
    assert all(final[key] == tracking for key, tracking in first.items())
    _assert_photos_complete(database, serve, [k for k in keys if photos[k] is not None])


def _is_201(outcome: Any) -> bool:
    return isinstance(outcome, tuple) and outcome[0] == 201


def _assert_photos_complete(database: Database, serve: Serve, keys: list[str]) -> None:
    """Each report sent with a photo has exactly one, complete on disk; no stored file is torn."""
    media = Path(serve.env["PONTIVE_MEDIA_DIR"])
    with database.session(write=False) as session:
        rows = session.execute(
            select(Complaint.idempotency_key, ComplaintPhoto.storage_key, ComplaintPhoto.size_bytes)
            .join(ComplaintPhoto, ComplaintPhoto.complaint_id == Complaint.id)
            .where(Complaint.idempotency_key.in_(keys))
        ).all()
    assert sorted(str(key) for key, _, _ in rows) == sorted(keys)
    for _, storage_key, size in rows:
        path = media / storage_key
        assert path.stat().st_size == size
        Image.open(path).load()  # a truncated JPEG raises here
    for path in media_files(media / "complaints"):
        if not path.name.endswith(".part"):  # a .part is never referenced nor served
            Image.open(path).load()


def test_the_same_key_sent_at_once_is_one_report(
    stack: tuple[Serve, Client, Database, TinyDisk | None],
) -> None:
    serve, client, database, _disk = stack
    if not serve.is_running():
        serve.start()
    key = f"kembar-{secrets.token_hex(6)}"
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _n: client.submit(report(key), None), range(6)))
    assert [o[0] for o in outcomes] == [201] * 6, outcomes
    assert len({o[1]["tracking_number"] for o in outcomes}) == 1
    assert sum(o[1]["is_new"] for o in outcomes) == 1
    assert len(stored(database, [key])) == 1


MALFORMED: list[tuple[bytes, str]] = [
    (b'{"category_code": "drainase", "description": ', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (json.dumps({"category_code": 7, "description": ["x"]}).encode(), "application/json"),
    (json.dumps({"category_code": "tidak-ada", "description": "x" * 20}).encode(),
     "application/json"),
    (b"--b\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{", "multipart/form-data; b=b"),
    (b"--zz\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{}\r\n",
     "multipart/form-data; boundary=zz"),
]  # fmt: skip


def test_malformed_bodies_among_good_ones_are_refused_and_the_good_ones_kept(
    stack: tuple[Serve, Client, Database, TinyDisk | None],
) -> None:
    serve, client, database, _disk = stack
    if not serve.is_running():
        serve.start()
    keys = [f"campur-{n}-{secrets.token_hex(4)}" for n in range(12)]
    bad_photo = b"\xff\xd8\xff\xe0 not really a jpeg" * 10

    def bad(n: int) -> Any:
        if n == len(MALFORMED):
            return client.submit(report(f"rusak-{secrets.token_hex(4)}"), bad_photo)
        body, content_type = MALFORMED[n]
        headers = {"Content-Type": content_type, "X-API-Key": client.api_key}
        return serve.request("POST", PATH, body=body, headers=headers)

    with ThreadPoolExecutor(max_workers=6) as pool:
        good = [pool.submit(client.submit, report(key), None) for key in keys]
        refused = [pool.submit(bad, n) for n in range(len(MALFORMED) + 1)]
        statuses = [future.result()[0] for future in refused]
        assert all(_is_201(future.result()) for future in good)
    assert all(400 <= status < 500 for status in statuses), statuses
    assert set(stored(database, keys)) == set(keys)
    assert serve.get("/readyz")[0] == 200


def test_a_full_media_disk_refuses_the_photo_cleanly_and_recovers(
    stack: tuple[Serve, Client, Database, TinyDisk | None],
) -> None:
    serve, client, database, disk = stack
    if disk is None:
        pytest.skip(TinyDisk.missing() or "no tmpfs")
    if not serve.is_running():
        serve.start()
    media = disk.mountpoint
    before = set(media_files(media))
    filler = disk.fill()
    try:
        status, ready = serve.get("/readyz")
        assert status == 503
        assert ready["checks"]["media"].startswith(("full", "unwritable"))
        assert serve.get("/healthz")[0] == 200
        key = f"penuh-{secrets.token_hex(6)}"
        status, body = client.submit(report(key), jpeg(1))
        assert status == 507
        assert body["errors"] == {"photos": [StorageFull.default_id]}  # Bahasa first
        assert body["detail"] == StorageFull.default_id
        assert stored(database, [key]) == {}  # not created: the photo was part of it
        assert set(media_files(media)) == before  # nothing half-written (filler excluded)
        # Without a photo a report needs no room on the media disk.
        status, _ = client.submit(report(f"tanpa-foto-{key}"), None)
        assert status == 201
    finally:
        filler.unlink()
    wait_for(lambda: serve.get("/readyz")[0] == 200, 10, "/readyz stays 503 after freeing")
    status, body = client.submit(report(key), jpeg(2))
    assert status == 201
    assert body["is_new"] is True
    _assert_photos_complete(database, serve, [key])
