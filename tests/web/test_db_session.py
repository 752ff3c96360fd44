"""A request's database session (web/deps.py ``get_db``): where it ends."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from pontive.core.db import Database
from pontive.web.deps import get_db


def test_a_request_ends_its_session_in_place_on_sqlite_and_in_the_thread_pool_otherwise(
    app: FastAPI, database: Database
) -> None:
    # On a SQLite file, ending the session is a local rollback and the connection's return:
    # done on the event loop, not worth a trip to the thread pool. A server's rollback is a
    # round trip that must not hold the loop.
    del app.dependency_overrides[get_db]  # the real dependency, over the run's database
    on_loop: list[bool] = []

    def returned(_connection: Any, _record: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            on_loop.append(False)
        else:
            on_loop.append(True)

    out_before = database.engine.pool.checkedout()  # type: ignore[attr-defined]
    event.listen(database.engine, "checkin", returned)
    try:
        with TestClient(app, base_url="http://testserver") as client:
            for _ in range(3):
                answer = client.get("/api/3/action/package_list")
                assert answer.status_code == 200
                assert answer.json()["success"] is True
    finally:
        event.remove(database.engine, "checkin", returned)
    assert database.engine.pool.checkedout() == out_before  # type: ignore[attr-defined]
    if database.ends_in_place:
        assert on_loop.count(True) >= 3
    else:
        assert on_loop.count(True) == 0
        assert on_loop.count(False) >= 3


def test_only_a_sqlite_file_ends_sessions_in_place(tmp_path: Path) -> None:
    with Database(f"sqlite:///{tmp_path / 'file.db'}") as on_file:
        assert on_file.ends_in_place
    with Database("sqlite://") as in_memory:  # one connection per thread: not on the loop
        assert not in_memory.ends_in_place
