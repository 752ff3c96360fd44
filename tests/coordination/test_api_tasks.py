"""Tasks and meetings in the coordination API (``api_tasks.py``) over HTTP with bearer tokens:
a task assigned, filtered, corrected and worked by its agency; a meeting from its agenda to
its signed-off minutes, whose decision became a task."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.coordination.models import Task
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.coordination.test_api import API, UTC_ISO, Headers, due, open_via_api, pdf_text


@pytest.fixture
def operator(bearer: Callable[..., Headers]) -> Headers:
    return bearer(Role.OPERATOR)


def test_tasks_are_assigned_filtered_corrected_and_worked(
    client: TestClient, operator: Headers, bearer: Callable[..., Headers], session: Session
) -> None:
    code = open_via_api(client, operator)["code"]
    created = client.post(
        f"{API}/tasks",
        json={
            "title": "Pasang pompa portabel",
            "pd_kode": "pupr",
            "priority": "mendesak",
            "due_at": due(4),
            "incident_code": code,
        },
        headers=operator,
    )
    assert created.status_code == 201
    task = created.json()
    assert created.headers["location"] == f"{API}/tasks/{task['code']}"
    assert task["incident_code"] == code
    assert task["status"] == "baru"
    assert UTC_ISO.match(task["due_at"])
    assert task["is_overdue"] is False
    alone = client.post(
        f"{API}/tasks",
        json={"title": "Rambu lalu lintas", "pd_kode": "dishub"},
        headers=operator,
    ).json()
    assert alone["incident_code"] is None

    def listed(**params: Any) -> list[str]:
        answer = client.get(f"{API}/tasks", params=params, headers=operator)
        assert answer.status_code == 200, answer.text
        return [t["code"] for t in answer.json()]

    assert set(listed()) >= {task["code"], alone["code"]}
    assert listed(incident=code) == [task["code"]]
    assert alone["code"] in listed(pd="dishub")
    assert task["code"] not in listed(pd="dishub")
    assert task["code"] not in listed(overdue=True)
    late = session.query(Task).filter_by(code=alone["code"]).one()
    late.due_at = utcnow() - timedelta(hours=1)
    session.flush()
    assert listed(overdue=True) == [alone["code"]]
    assert client.get(f"{API}/tasks/{alone['code']}", headers=operator).json()["is_overdue"]

    patched = client.patch(
        f"{API}/tasks/{task['code']}", json={"priority": "tinggi", "due_at": None}, headers=operator
    ).json()
    assert patched["priority"] == "tinggi"
    assert patched["due_at"] is None
    assert patched["title"] == "Pasang pompa portabel"

    officer = bearer(Role.PETUGAS_PD, "pupr")
    path = f"{API}/tasks/{task['code']}/status"
    started = client.post(path, json={"status": "dikerjakan"}, headers=officer).json()
    assert started["status"] == "dikerjakan"
    assert started["started_at"]
    silent = client.post(path, json={"status": "selesai"}, headers=officer)
    assert silent.status_code == 422
    assert "note" in silent.json()["errors"]
    done = client.post(
        path, json={"status": "selesai", "note": "Dua pompa terpasang."}, headers=officer
    ).json()
    assert done["status"] == "selesai"
    assert done["result"] == "Dua pompa terpasang."
    assert client.post(path, json={"status": "baru"}, headers=officer).status_code == 409
    assert task["code"] in listed(status=["selesai", "dibatalkan"])
    timeline = client.get(f"{API}/incidents/{code}", headers=operator).json()
    assert [t["status"] for t in timeline["tasks"]] == ["selesai"]
    assert timeline["response_times"]["tasks_done"] == 1


def test_a_meeting_from_agenda_to_signed_minutes(
    client: TestClient, operator: Headers, bearer: Callable[..., Headers]
) -> None:
    code = open_via_api(client, operator)["code"]
    created = client.post(
        f"{API}/meetings",
        json={
            "title": "Rapat koordinasi penanganan banjir rob",
            "starts_at": utcnow().isoformat(),
            "chair": "Kepala Pelaksana BPBD",
            "agenda": "Situasi terkini\nPembagian tugas",
            "incident_code": code,
            "attendees": [
                {"pd_kode": "bpbd", "name": "Kalaksa BPBD"},
                {"pd_kode": "pupr", "name": "Kabid SDA PUPR"},
            ],
        },
        headers=operator,
    )
    assert created.status_code == 201
    meeting = created.json()
    path = f"{API}/meetings/{meeting['code']}"
    assert created.headers["location"] == path
    assert meeting["incident_code"] == code
    assert meeting["status"] == "dijadwalkan"
    absent = meeting["attendees"][1]["id"]

    early = client.post(
        f"{path}/sign-off", json={"signed_by": "Kalaksa BPBD, Ir. Budi"}, headers=operator
    )
    assert early.status_code == 422
    assert "minutes" in early.json()["errors"]
    minuted = client.post(
        f"{path}/minutes",
        json={"minutes": "BPBD melaporkan 120 rumah tergenang.", "absent": [absent]},
        headers=operator,
    ).json()
    assert minuted["status"] == "selesai"
    assert [a["present"] for a in minuted["attendees"]] == [True, False]
    decision = client.post(
        f"{path}/decisions",
        json={"text": "PUPR membersihkan saluran primer malam ini."},
        headers=operator,
    )
    assert decision.status_code == 201
    assert decision.json()["number"] == 1
    action = client.post(
        f"{path}/decisions/{decision.json()['id']}/tasks",
        json={"title": "Bersihkan saluran primer", "pd_kode": "pupr", "due_at": due(12)},
        headers=operator,
    )
    assert action.status_code == 201
    assert action.json()["decision_id"] == decision.json()["id"]
    assert action.json()["incident_code"] == code
    unknown = client.post(
        f"{path}/decisions/999999/tasks",
        json={"title": "Apa saja", "pd_kode": "pupr"},
        headers=operator,
    )
    assert unknown.status_code == 404

    draft = client.get(f"{path}/minutes.pdf", headers=operator)
    assert "draf" in pdf_text(draft.content)
    signed = client.post(
        f"{path}/sign-off",
        json={"signed_by": "Kepala Pelaksana BPBD, Ir. Budi Santoso"},
        headers=operator,
    ).json()
    assert signed["status"] == "disahkan"
    assert len(signed["minutes_sha256"]) == 64
    final = pdf_text(client.get(f"{path}/minutes.pdf", headers=operator).content)
    assert "Ir. Budi Santoso" in final
    assert "draf" not in final
    frozen = client.post(
        f"{path}/decisions", json={"text": "Keputusan yang terlambat."}, headers=operator
    )
    assert frozen.status_code == 409

    assert meeting["code"] in [
        m["code"] for m in client.get(f"{API}/meetings", headers=operator).json()
    ]
    by_incident = client.get(f"{API}/meetings", params={"incident": code}, headers=operator)
    assert [m["code"] for m in by_incident.json()] == [meeting["code"]]
    attending = bearer(Role.PETUGAS_PD, "pupr")
    assert client.get(path, headers=attending).status_code == 200
    assert client.get(path, headers=bearer(Role.PETUGAS_PD, "dlh")).status_code == 404
