"""One app over one copy of the demo, and a client identity per principal, for the whole
access-control package (``tests/security``): built once, shared by the matrix, the leak scan
and the CSRF sweep.

Page principals carry a session cookie signed by the app's own codec (what ``/masuk`` sets
after a successful sign-in, second factor included), API principals a bearer token issued to
the same demo account. Personal values are planted through the public API (so they are
sealed as real ones) before anything is requested.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.responses import Response

from pontive.alerts import lifecycle as alerts_lifecycle
from pontive.alerts import service as alerts_service
from pontive.app import create_app
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.events import EventBus
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.settings import Settings
from pontive.web.session import COOKIE_NAME, PageSession, SessionCodec
from tests.conftest import DemoDatabase, clone_database_url, make_settings
from tests.security.planted import Planted, plant_personal_data

API_PREFIXES = ("/api/", "/open311/", "/sta/")


@dataclass(frozen=True)
class Principal:
    """Who sends a request: a role, an account of the demo, and what it sends to prove it."""

    name: str
    role: Role | None
    username: str | None = None
    pd_kode: str | None = None
    cookie: str | None = None
    csrf: str | None = None
    bearer: str | None = None

    @property
    def is_staff(self) -> bool:
        """Whether the role is a staff role."""
        return self.role is not None and self.role.is_staff

    def headers(self, path: str) -> dict[str, str]:
        """Session cookie for pages, bearer token for the APIs."""
        if path.startswith(API_PREFIXES) and self.bearer:
            return {"Authorization": f"Bearer {self.bearer}"}
        if self.cookie:
            return {"Cookie": f"{COOKIE_NAME}={self.cookie}"}
        return {}


# (principal, demo account): petugas.pupr owns the objects the matrix fills paths with.
ACCOUNTS = (
    ("anonymous", None),
    ("warga", "warga"),
    ("operator", "operator"),
    ("petugas_own", "petugas.pupr"),
    ("petugas_other", "petugas.dlh"),
    ("tim_teknis", "timteknis"),
    ("dewan", "dewan"),
    ("walikota", "walikota"),
    ("admin", "admin"),
)
OWN_PD = "pupr"


@dataclass
class Matrix:
    """The app, its client, its database, the principals and what was planted."""

    app: FastAPI
    client: TestClient
    database: Database
    principals: dict[str, Principal]
    planted: Planted
    responses: dict[tuple[str, str], httpx.Response] = field(default_factory=dict)

    def get(self, principal: Principal, path: str) -> httpx.Response:
        """A read as ``principal``, asked once per run of the package (tests share it)."""
        key = (principal.name, path)
        if key not in self.responses:
            self.responses[key] = self.request(principal, "GET", path)
        return self.responses[key]

    def request(
        self, principal: Principal, method: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        """One request as ``principal``: no cookie of an earlier request rides along."""
        self.client.cookies.clear()
        headers = {**principal.headers(path), **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, follow_redirects=False, **kwargs)


def _cookie_for(codec: SessionCodec, user_id: int | None) -> tuple[str, str]:
    page_session = PageSession(uid=user_id, changed=True)
    response = Response()
    codec.save(response, page_session)
    raw = response.headers["set-cookie"].split(";", 1)[0]
    return raw.split("=", 1)[1], page_session.csrf


def _principals(app: FastAPI, database: Database) -> dict[str, Principal]:
    codec: SessionCodec = app.state.session_codec
    principals: dict[str, Principal] = {}
    with database.session() as session:
        for name, username in ACCOUNTS:
            if username is None:
                principals[name] = Principal(name, None)
                continue
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None, f"demo account {username} missing"
            token = auth.issue_token(
                session=session, user=user, name="matrix", ttl=timedelta(hours=2)
            )
            cookie, csrf = _cookie_for(codec, user.id)
            principals[name] = Principal(
                name, user.role, username, user.pd_kode, cookie, csrf, token
            )
        session.commit()
    assert principals["petugas_own"].pd_kode == OWN_PD
    assert principals["petugas_other"].pd_kode not in (None, OWN_PD)
    return principals


def _without_loops(settings: Settings, database: Database, bus: EventBus) -> None:
    # The alert evaluator and distribution loops are not what is under test and would
    # compete for the copy's write lock.
    alerts_service.configure(settings)


@pytest.fixture(scope="package")
def matrix(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[Matrix]:
    """The app over a copy of the demo, every principal, personal values planted."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(alerts_lifecycle, "start", _without_loops)
        for url in clone_database_url(tmp_path_factory, demo_database.url, "matrix"):
            database = Database(url)
            app = create_app(make_settings(url), database=database)
            try:
                with TestClient(app, base_url="http://testserver") as client:
                    principals = _principals(app, database)
                    admin = principals["admin"]
                    planted = plant_personal_data(client, admin.headers("/api/"), database)
                    yield Matrix(app, client, database, principals, planted)
            finally:
                database.dispose()
