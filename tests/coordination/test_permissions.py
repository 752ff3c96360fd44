"""Issue 8's "done when" on permissions: every coordination action against every role (the
table written out here, independently of ``service.py``); a PD officer sees and updates only
its own agency's tasks; the mayor and the council read everything and change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.coordination import meetings, service
from pontive.coordination.models import Incident, IncidentEntry, Meeting, Task
from pontive.core import permissions
from pontive.core.errors import NotAuthenticated
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.conftest import login
from tests.coordination.support import OPERATOR, make_task, open_incident

API = "/api/v1/coordination"
A, OP, P, T, D, W, C = (
    Role.ADMIN,
    Role.OPERATOR,
    Role.PETUGAS_PD,
    Role.TIM_TEKNIS,
    Role.DEWAN,
    Role.WALIKOTA,
    Role.WARGA,
)
STAFF = set(Role) - {C}

# The intended table (issue 8): who may do what, and which actions a PD officer may do only
# for its own agency.
EXPECTED: dict[str, set[Role]] = {
    "coordination.read": STAFF,
    "coordination.incident.manage": {A, OP},
    "coordination.incident.report": {A, OP, P},
    "coordination.task.assign": {A, OP, T},
    "coordination.task.work": {A, OP, T, P},
    "coordination.meeting.manage": {A, OP, T},
    "coordination.wall.view": {A, OP, T, W, D},
    "coordination.wall.manage": {A, OP},
    "coordination.executive.view": {A, OP, T, W, D},
}
PD_SCOPED = {"coordination.incident.report", "coordination.task.work"}


def _actor(role: Role, pd: str | None = None) -> Actor:
    return Actor(kind=ActorKind.USER, role=role, id=1, name=role.value, pd_kode=pd)


def test_every_coordination_action_is_in_the_table() -> None:
    registered = {
        name: rule
        for name, rule in permissions.registered_actions().items()
        if name.startswith("coordination.")
    }
    assert set(registered) == set(EXPECTED)
    assert {name for name, rule in registered.items() if rule.pd_scoped} == PD_SCOPED


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_matrix(role: Role, action: str) -> None:
    who = _actor(role, "pupr" if role is P else None)
    own = "pupr" if role is P else None
    assert permissions.can(who, action, owner_pd=own) is (role in EXPECTED[action])


@pytest.mark.parametrize("action", sorted(PD_SCOPED))
def test_pd_scoped_actions_stop_at_the_officers_agency(action: str) -> None:
    officer = _actor(P, "pupr")
    assert permissions.can(officer, action, owner_pd="pupr")
    assert not permissions.can(officer, action, owner_pd="dlh")
    assert not permissions.can(officer, action, owner_pd=None)
    assert permissions.can(_actor(OP), action, owner_pd="dlh")


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_visitors_may_do_none_of_it(action: str) -> None:
    assert not permissions.can(ANONYMOUS, action)
    with pytest.raises(NotAuthenticated):
        permissions.require(ANONYMOUS, action)


# --- a PD officer and its own tasks ---------------------------------------------------------


def test_a_pd_officer_sees_and_updates_only_its_own_tasks(
    client: TestClient, session: Session, bearer: Callable[..., dict[str, str]]
) -> None:
    incident = open_incident(session)
    ours = make_task(session, incident)
    theirs = make_task(session, incident, pd_kode="dlh", title="Angkut sampah penyumbat")
    alone = make_task(session, pd_kode="dishub", title="Pasang rambu pengalihan arus")
    officer = bearer(Role.PETUGAS_PD, "pupr")

    listed = client.get(f"{API}/tasks", headers=officer).json()
    assert [t["code"] for t in listed] == [ours.code]
    # Asking for another agency's list changes nothing: the service keeps it to its own.
    assert [
        t["code"] for t in client.get(f"{API}/tasks", params={"pd": "dlh"}, headers=officer).json()
    ] == [ours.code]
    inside = client.get(f"{API}/incidents/{incident.code}", headers=officer).json()
    assert [t["code"] for t in inside["tasks"]] == [ours.code]

    for other in (theirs, alone):
        assert client.get(f"{API}/tasks/{other.code}", headers=officer).status_code == 404
        moved = client.post(
            f"{API}/tasks/{other.code}/status", json={"status": "dikerjakan"}, headers=officer
        )
        assert moved.status_code in (403, 404)
        assert moved.status_code == 404  # existence is not revealed either
    refused = client.patch(f"{API}/tasks/{ours.code}", json={"pd_kode": "dlh"}, headers=officer)
    assert refused.status_code == 403  # working a task is not reassigning it
    assert (
        client.post(
            f"{API}/tasks", json={"title": "Tugas sendiri", "pd_kode": "pupr"}, headers=officer
        ).status_code
        == 403
    )

    started = client.post(
        f"{API}/tasks/{ours.code}/status", json={"status": "dikerjakan"}, headers=officer
    )
    assert started.status_code == 200
    assert started.json()["status"] == "dikerjakan"
    session.refresh(theirs)
    session.refresh(alone)
    assert (theirs.status.value, alone.status.value, theirs.pd_kode) == ("baru", "baru", "dlh")


def test_a_pd_officer_sees_only_incidents_its_agency_is_in(
    client: TestClient, session: Session, bearer: Callable[..., dict[str, str]]
) -> None:
    involved = open_incident(session)  # bpbd leads, pupr involved
    elsewhere = open_incident(
        session,
        title="Pohon tumbang di Jl. Ahmad Yani",
        kind="pohon_tumbang",
        lead_pd_kode="dlh",
        agencies=[],
    )
    officer = bearer(Role.PETUGAS_PD, "pupr")
    codes = [i["code"] for i in client.get(f"{API}/incidents", headers=officer).json()]
    assert involved.code in codes
    assert elsewhere.code not in codes
    assert client.get(f"{API}/incidents/{elsewhere.code}", headers=officer).status_code == 404
    report = client.post(
        f"{API}/incidents/{involved.code}/entries",
        json={"kind": "update", "text": "Pompa kedua menyala pukul 19.30 WIB."},
        headers=officer,
    )
    assert report.status_code == 201  # an involved agency reports the situation
    decision = client.post(
        f"{API}/incidents/{involved.code}/entries",
        json={"kind": "decision", "text": "Jalan ditutup total."},
        headers=officer,
    )
    assert decision.status_code == 403  # decisions are the command center's
    assert client.get(f"{API}/executive", headers=officer).status_code == 403
    assert client.get(f"{API}/walls", headers=officer).status_code == 403


# --- the mayor and the council read only ---------------------------------------------------


def _world(session: Session) -> dict[str, Any]:
    """One of everything the write routes act on."""
    incident = open_incident(session)
    closed = open_incident(session, title="Kebakaran lahan gambut di Siantan", kind="kebakaran")
    closed.status = service.IncidentStatus.SELESAI
    task = make_task(session, incident)
    meeting = meetings.create_meeting(
        session,
        actor=OPERATOR,
        data=meetings.MeetingInput(
            title="Rapat koordinasi banjir rob",
            starts_at=utcnow(),
            incident_code=incident.code,
            attendees=[("bpbd", "Kalaksa BPBD")],
        ),
    )
    meetings.record_minutes(
        session, actor=OPERATOR, meeting=meeting, minutes="BPBD melaporkan situasi terkini."
    )
    decision = meetings.add_decision(
        session, actor=OPERATOR, meeting=meeting, text="PUPR memasang pompa tambahan."
    )
    session.flush()
    return {
        "code": incident.code,
        "closed": closed.code,
        "task": task.code,
        "meeting": meeting.code,
        "decision": decision.id,
    }


def _writes(world: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    code, meeting = world["code"], world["meeting"]
    due = (utcnow() + timedelta(days=1)).isoformat()
    task = {"title": "Pasang pompa", "pd_kode": "pupr", "due_at": due}
    return [
        (
            "POST",
            "/incidents",
            {
                "title": "Genangan di Jl. Tanjungpura",
                "kind": "banjir",
                "severity": "sedang",
                "lon": 109.3427,
                "lat": -0.0391,
            },
        ),
        ("PATCH", f"/incidents/{code}", {"severity": "kritis"}),
        ("POST", f"/incidents/{code}/status", {"status": "ditangani"}),
        ("POST", f"/incidents/{code}/entries", {"kind": "update", "text": "Air mulai surut."}),
        ("POST", f"/incidents/{code}/entries", {"kind": "decision", "text": "Jalan ditutup."}),
        ("POST", f"/incidents/{code}/links", {"item_type": "camera", "ref": "CAM-0001"}),
        ("DELETE", f"/incidents/{code}/links/1", None),
        ("POST", f"/incidents/{code}/agencies", {"agencies": ["dinsos"]}),
        (
            "POST",
            f"/incidents/{code}/close",
            {
                "summary": "Genangan surut setelah pompa dipasang.",
                "lessons": "Saluran perlu dibersihkan.",
            },
        ),
        ("POST", f"/incidents/{world['closed']}/publish", None),
        ("POST", "/tasks", task | {"incident_code": code}),
        ("PATCH", f"/tasks/{world['task']}", {"priority": "mendesak"}),
        ("POST", f"/tasks/{world['task']}/status", {"status": "dikerjakan"}),
        ("POST", "/meetings", {"title": "Rapat evaluasi banjir", "starts_at": due}),
        ("POST", f"/meetings/{meeting}/minutes", {"minutes": "Notulen rapat yang diubah."}),
        ("POST", f"/meetings/{meeting}/decisions", {"text": "Keputusan tambahan rapat."}),
        ("POST", f"/meetings/{meeting}/decisions/{world['decision']}/tasks", task),
        ("POST", f"/meetings/{meeting}/sign-off", {"signed_by": "Wali Kota, Edi Kamtono"}),
    ]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Incident, IncidentEntry, Task, Meeting)
    )


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.DEWAN], ids=lambda role: role.value)
def test_leaders_read_everything_and_change_nothing(
    client: TestClient, session: Session, bearer: Callable[..., dict[str, str]], role: Role
) -> None:
    world = _world(session)
    headers = bearer(role)
    before = _counts(session)
    for method, path, body in _writes(world):
        answer = client.request(method, f"{API}{path}", json=body, headers=headers)
        assert answer.status_code == 403, (method, path, answer.status_code, answer.text)
        assert set(answer.json()) == {"detail", "errors"}
    assert _counts(session) == before
    incident = session.scalar(select(Incident).where(Incident.code == world["code"]))
    assert incident is not None
    assert incident.severity.value == "tinggi"
    assert incident.status.value == "dibuka"

    for path in (
        "/executive",
        "/incidents",
        f"/incidents/{world['code']}",
        "/tasks",
        f"/tasks/{world['task']}",
        "/meetings",
        f"/meetings/{world['meeting']}",
        "/walls",
        "/walls/utama/snapshot",
    ):
        assert client.get(f"{API}{path}", headers=headers).status_code == 200, path


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.DEWAN], ids=lambda role: role.value)
def test_the_executive_page_has_nothing_to_post(
    client: TestClient, session: Session, make_user: Callable[..., User], role: Role
) -> None:
    open_incident(session)
    login(client, make_user(role).username)
    answer = client.get("/console/eksekutif")
    assert answer.status_code == 200
    # The only form on the page is the layout's sign-out button in the header.
    posting = [f for f in re.findall(r"<form[^>]*>", answer.text) if "post" in f.lower()]
    assert posting
    assert all('action="/keluar"' in form for form in posting)
    page = answer.text.split('<main id="main"', 1)[1]
    assert not re.search(r"<form|method=\"post\"", page, re.IGNORECASE)
