"""Core JSON API: tokens, identity by token or key, the audit trail, the event stream."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.choices import Classification
from pontive.core.events import Event, MemoryBus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from tests.conftest import PASSWORD


def _token(client: TestClient, username: str) -> str:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return str(body["access_token"])


def test_a_token_identifies_its_user(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.OPERATOR, username="rina")
    token = _token(client, "rina")
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {
        "kind": "user",
        "id": user.id,
        "name": "rina",
        "role": "operator",
        "pd_kode": None,
        "scopes": [],
    }


def test_wrong_credentials_get_401_with_the_error_shape(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    response = client.post("/api/v1/auth/token", json={"username": "rina", "password": "x"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Nama pengguna atau kata sandi salah.", "errors": {}}


def test_an_invalid_token_is_refused_not_treated_as_anonymous(client: TestClient) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer pt_palsu"})
    assert response.status_code == 401


def test_an_api_key_identifies_its_machine(client: TestClient, session: Session) -> None:
    _, secret = auth.create_api_key(
        session=session,
        actor=system_actor("t"),
        name="gw-dlh",
        role=Role.PETUGAS_PD,
        pd_kode="dlh",
        scopes=["sensors:write"],
    )
    me = client.get("/api/v1/auth/me", headers={"X-API-Key": secret}).json()
    assert (me["kind"], me["role"], me["pd_kode"], me["scopes"]) == (
        "api_key",
        "petugas_pd",
        "dlh",
        ["sensors:write"],
    )


def test_anonymous_callers_are_anonymous(client: TestClient) -> None:
    assert client.get("/api/v1/auth/me").json()["kind"] == "anonymous"


def test_audit_trail_is_for_admin_and_technical_team(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.TIM_TEKNIS, username="agus")
    make_user(Role.OPERATOR, username="rina")
    assert client.get("/api/v1/audit/events").status_code == 401
    operator = {"Authorization": f"Bearer {_token(client, 'rina')}"}
    assert client.get("/api/v1/audit/events", headers=operator).status_code == 403
    team = {"Authorization": f"Bearer {_token(client, 'agus')}"}
    page = client.get("/api/v1/audit/events?limit=2", headers=team).json()
    assert len(page["items"]) == 2
    assert page["items"][0]["id"] > page["items"][1]["id"]
    assert page["next_before_id"] == page["items"][1]["id"]
    older = client.get(
        f"/api/v1/audit/events?before_id={page['next_before_id']}", headers=team
    ).json()
    assert all(item["id"] < page["next_before_id"] for item in older["items"])
    verify = client.get("/api/v1/audit/verify", headers=team).json()
    assert verify["is_intact"] is True
    assert verify["checked"] >= 4


def test_openapi_document_lists_the_core_routes(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/audit/events",
        "/api/v1/events/stream",
        "/api/v1/reference/kecamatan",
        "/api/v1/reference/locate",
    ):
        assert path in paths


def _read_stream(
    app: FastAPI,
    bus: MemoryBus,
    headers: dict[str, str],
    events: list[Event],
    query: bytes = b"",
) -> list[dict[str, object]]:
    """Drive the SSE endpoint over raw ASGI, publish ``events``, return what arrived."""

    async def scenario() -> list[dict[str, object]]:
        chunks: asyncio.Queue[bytes] = asyncio.Queue()
        disconnect = asyncio.Event()

        async def receive() -> dict[str, object]:
            await disconnect.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.body":
                chunks.put_nowait(message.get("body", b""))  # type: ignore[arg-type]

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/api/v1/events/stream",
            "raw_path": b"",
            "query_string": query,
            "root_path": "",
            "server": ("t", 80),
            "client": ("c", 1),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
        task = asyncio.create_task(app(scope, receive, send))  # type: ignore[arg-type]
        assert (await chunks.get()).startswith(b"retry:")
        for event in events:
            bus.publish(event)
        bus.publish(Event("complaint.end", {}))
        received: list[dict[str, object]] = []
        buffer = b""
        while not any(item["type"] == "complaint.end" for item in received):
            buffer += await chunks.get()
            *lines, buffer = buffer.split(b"\n")
            received.extend(
                json.loads(line.removeprefix(b"data: "))
                for line in lines
                if line.startswith(b"data: ")
            )
        disconnect.set()
        await asyncio.wait_for(task, 5)
        return [item for item in received if item["type"] != "complaint.end"]

    return asyncio.run(asyncio.wait_for(scenario(), 10))


EVENTS = [
    Event("complaint.created", {"id": 1}),
    Event("incident.updated", {"id": 2}, classification=Classification.TERBATAS, pd_kode="bpbd"),
    Event("task.assigned", {"id": 3}, classification=Classification.TERBATAS, pd_kode="pupr"),
    Event("cctv.accessed", {"id": 4}, classification=Classification.RAHASIA),
]


@pytest.mark.parametrize(
    ("role", "pd", "expected"),
    [
        (None, None, ["complaint.created"]),
        (Role.WARGA, None, ["complaint.created"]),
        (Role.OPERATOR, None, ["complaint.created", "incident.updated", "task.assigned"]),
        (Role.PETUGAS_PD, "pupr", ["complaint.created", "task.assigned"]),
        (
            Role.ADMIN,
            None,
            ["complaint.created", "incident.updated", "task.assigned", "cctv.accessed"],
        ),
    ],
)
def test_event_stream_relays_only_what_the_caller_may_see(
    app: FastAPI,
    bus: MemoryBus,
    session: Session,
    role: Role | None,
    pd: str | None,
    expected: list[str],
) -> None:
    headers = {}
    if role is not None:
        _, secret = auth.create_api_key(
            session=session,
            actor=system_actor("t"),
            name=f"sse-{role.value}",
            role=role,
            pd_kode=pd,
        )
        headers["X-API-Key"] = secret
    received = _read_stream(app, bus, headers, EVENTS)
    assert [e["type"] for e in received] == expected


def test_event_stream_follows_several_patterns_at_once(app: FastAPI, bus: MemoryBus) -> None:
    events = [
        Event("sensors.observations", {"n": 1}),
        Event("alerts.alert.published", {"n": 2}),
        Event("sensors.flood_status_changed", {"n": 3}),
        Event("alerts.mode.changed", {"n": 4}),
    ]
    query = b"types=alerts.%3E,sensors.flood_status_changed,complaint.%3E"
    received = _read_stream(app, bus, {}, events, query)
    assert sorted(e["type"] for e in received) == [
        "alerts.alert.published",
        "alerts.mode.changed",
        "sensors.flood_status_changed",
    ]
