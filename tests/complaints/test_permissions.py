"""Who may do what with a report: a generated matrix of role x action x ownership.

The expected table is written out here from the rules (DESIGN.md Security model and the
issue), not derived from ``permissions.py``, so that a changed rule fails a test. The PD
officer works for PUPR; each action runs on a report owned by PUPR ("own") and one owned by
Dishub ("other").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.complaints import catalogue, service, workflow
from pontive.complaints.choices import TRANSITIONS, ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.schemas import CategoryWrite
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role

S = ComplaintStatus
OWNER = {"own": "drainase", "other": "lampu-jalan"}  # PUPR's and Dishub's categories

SUBJECTS: dict[str, Actor] = {
    "anonymous": ANONYMOUS,
    **{
        role.value: Actor(
            ActorKind.USER,
            role,
            id=index,
            name=role.value,
            pd_kode="pupr" if role is Role.PETUGAS_PD else None,
        )
        for index, role in enumerate(Role, start=1)
    },
}
COMMAND = {"operator", "admin"}
OFFICER_OWN = {"petugas_pd:own"}
EVERY_STAFF_READER = {"operator", "admin", "tim_teknis", "dewan", "walikota"}

# action -> who may (a role name allows both ownerships; "petugas_pd:own" only the own PD)
ALLOWED: dict[str, set[str]] = {
    "verify": COMMAND,  # triage
    "dispose": COMMAND,
    "start_work": COMMAND | OFFICER_OWN,
    "mark_fixed": COMMAND | OFFICER_OWN,
    "not_responsible": COMMAND | OFFICER_OWN,
    "wait_for_reporter": COMMAND | OFFICER_OWN,
    "reply": COMMAND | OFFICER_OWN,
    "note": COMMAND | OFFICER_OWN,
    "read_contact": COMMAND | OFFICER_OWN,
    "moderate": COMMAND,
    "manage_catalogue": {"operator", "admin", "tim_teknis"},
    "view_internal": EVERY_STAFF_READER | OFFICER_OWN,
    "queue_shows_it": EVERY_STAFF_READER | OFFICER_OWN,
}


def _transition(to: S, **extra: Any) -> Callable[..., Any]:
    def run(session: Session, actor: Actor, complaint: Complaint) -> Any:
        return workflow.transition(
            session=session,
            actor=actor,
            tracking_number=complaint.tracking_number,
            to=to,
            message="Alasan untuk pelapor.",
            **extra,
        )

    return run


def _update(is_public: bool) -> Callable[..., Any]:
    def run(session: Session, actor: Actor, complaint: Complaint) -> Any:
        return workflow.add_update(
            session=session,
            actor=actor,
            tracking_number=complaint.tracking_number,
            message="Tanggapan.",
            is_public=is_public,
        )

    return run


def _catalogue(session: Session, actor: Actor, complaint: Complaint) -> Any:
    data = CategoryWrite(
        code=f"uji-{complaint.id}", name_id="Uji", name_en="Test", pd_kode=complaint.pd_kode
    )
    return catalogue.create_category(session=session, actor=actor, data=data)


def _queue(session: Session, actor: Actor, complaint: Complaint) -> Any:
    rows, _ = service.list_queue(
        session,
        actor=actor,
        filters=service.ComplaintFilter(tracking_numbers=frozenset({complaint.tracking_number})),
    )
    if complaint not in rows:
        raise PermissionDenied  # not in this person's queue
    return rows


# action -> (state the report starts in, what the actor does)
ACTIONS: dict[str, tuple[S, Callable[..., Any]]] = {
    "verify": (S.DITERIMA, _transition(S.DIVERIFIKASI)),
    "dispose": (S.DIVERIFIKASI, _transition(S.DIDISPOSISIKAN, pd_kode="dlh")),
    "start_work": (S.DIDISPOSISIKAN, _transition(S.DIKERJAKAN)),
    "mark_fixed": (S.DIKERJAKAN, _transition(S.SELESAI)),
    "not_responsible": (S.DIDISPOSISIKAN, _transition(S.BUKAN_KEWENANGAN)),
    "wait_for_reporter": (S.DIDISPOSISIKAN, _transition(S.MENUNGGU_PELAPOR)),
    "reply": (S.DIKERJAKAN, _update(is_public=True)),
    "note": (S.DIKERJAKAN, _update(is_public=False)),
    "read_contact": (
        S.DIDISPOSISIKAN,
        lambda session, actor, c: service.read_contact(session, actor=actor, complaint=c),
    ),
    "moderate": (
        S.DIDISPOSISIKAN,
        lambda session, actor, c: workflow.moderate(
            session=session, actor=actor, tracking_number=c.tracking_number, is_public=False
        ),
    ),
    "manage_catalogue": (S.DITERIMA, _catalogue),
    "view_internal": (
        S.DIDISPOSISIKAN,
        lambda session, actor, c: service.get_for_staff(
            session, actor=actor, tracking_number=c.tracking_number
        ),
    ),
    "queue_shows_it": (S.DIDISPOSISIKAN, _queue),
}
assert set(ACTIONS) == set(ALLOWED)  # the table covers every action


def _is_allowed(subject: str, ownership: str, action: str) -> bool:
    allowed = ALLOWED[action]
    return subject in allowed or f"{subject}:{ownership}" in allowed


CASES = [
    pytest.param(subject, ownership, action, id=f"{action}-{subject}-{ownership}")
    for action in ACTIONS
    for subject in SUBJECTS
    for ownership in OWNER
]


@pytest.mark.parametrize(("subject", "ownership", "action"), CASES)
def test_permission_matrix(
    session: Session, report_in: Any, subject: str, ownership: str, action: str
) -> None:
    start, run = ACTIONS[action]
    complaint = report_in(
        start,
        category_code=OWNER[ownership],
        is_anonymous=False,
        phone="081234567890",
        consent=True,
    )
    assert complaint.pd_kode == ("pupr" if ownership == "own" else "dishub")
    actor = SUBJECTS[subject]
    if _is_allowed(subject, ownership, action):
        run(session, actor, complaint)
    else:
        expected = NotAuthenticated if subject == "anonymous" else PermissionDenied
        with pytest.raises(expected):
            run(session, actor, complaint)


TARGET_ACTIONS = {
    S.DIVERIFIKASI: "verify",
    S.DIDISPOSISIKAN: "dispose",
    S.DIKERJAKAN: "start_work",
    S.SELESAI: "mark_fixed",
    S.BUKAN_KEWENANGAN: "not_responsible",
    S.MENUNGGU_PELAPOR: "wait_for_reporter",
}


@pytest.mark.parametrize("ownership", list(OWNER))
@pytest.mark.parametrize("subject", list(SUBJECTS))
@pytest.mark.parametrize("status", [S.DITERIMA, S.DIDISPOSISIKAN, S.DIKERJAKAN])
def test_the_desk_offers_exactly_the_transitions_the_actor_may_make(
    session: Session, report_in: Any, subject: str, ownership: str, status: S
) -> None:
    complaint = report_in(status, category_code=OWNER[ownership])
    offered = set(workflow.allowed_targets(SUBJECTS[subject], complaint))
    expected = {
        target
        for target in TRANSITIONS[status]
        # Triage states not in the table (rejected, duplicate) follow "verify" (command only).
        if _is_allowed(subject, ownership, TARGET_ACTIONS.get(target, "verify"))
    }
    assert offered == expected
