"""A database that cannot be reached is an outage, answered with a clean 503 — for APIs and
for people alike — never a 500 traceback page (``test_outages.py`` stops a real PostgreSQL
under a running ``serve``; this is the same path in-process, in both passes)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from pontive.app import create_app
from pontive.core.db import Database
from pontive.core.events import MemoryBus
from tests.conftest import make_settings

MESSAGE_ID = "Basis data sedang tidak dapat dijangkau. Coba lagi sebentar lagi."
MESSAGE_EN = "The database cannot be reached at the moment. Try again shortly."


def test_an_unreachable_database_is_a_503_with_a_message_not_a_500(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}"  # a directory: every connection fails
    database = Database(url)
    app = create_app(make_settings(url), database=database, bus=MemoryBus())
    with TestClient(app, raise_server_exceptions=False) as client:
        api = client.get("/api/v1/complaints/PTK-2026-000001")
        page = client.get("/lapor", headers={"Accept": "text/html"})
        health = client.get("/healthz")
        english = client.get("/api/v1/complaints/PTK-2026-000001?lang=en")  # sets the cookie
    database.dispose()
    assert (api.status_code, api.json()["detail"]) == (503, MESSAGE_ID)
    assert api.headers["retry-after"] == "5"
    assert (english.status_code, english.json()["detail"]) == (503, MESSAGE_EN)
    assert page.status_code == 503
    assert MESSAGE_ID in page.text
    assert "Traceback" not in page.text
    assert health.status_code == 200
