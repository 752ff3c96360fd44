"""The demo's storyteller: moves a demo report through the real workflow at simulated
moments, so timelines, first responses, fixes, ratings and missed deadlines look lived-in."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus as S
from pontive.complaints.choices import DeliveryStatus
from pontive.complaints.models import Complaint, ComplaintUpdate, Notification, ServiceCategory
from pontive.complaints.service import access_token
from pontive.complaints.sla import add_working_days, load_holidays, working_days_between
from pontive.core.db import Base
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

RATINGS = ((5, 40), (4, 30), (3, 15), (2, 10), (1, 5))
# What a demo message is given when it is backdated: sent at once (see Simulation.backdate).
_SENT_COLUMNS = ("created_at", "status", "sent_at", "attempts", "next_attempt_at", "read_at")


def _load_texts() -> dict[str, Any]:
    with (
        resources.files("pontive.complaints")
        .joinpath("data", "demo.json")
        .open(encoding="utf-8") as handle
    ):
        texts: dict[str, Any] = json.load(handle)
    return texts


# The Indonesian texts of the demo (descriptions, streets, names, replies) live in data/demo.json.
_TEXTS = _load_texts()
DESCRIPTIONS: dict[str, list[str]] = _TEXTS["descriptions"]
STREETS: tuple[str, ...] = tuple(_TEXTS["streets"])
LANDMARKS: tuple[str, ...] = tuple(_TEXTS["landmarks"])
NAMES: tuple[tuple[str, str], ...] = tuple((first, last) for first, last in _TEXTS["names"])
REJECT_REASONS: tuple[str, ...] = tuple(_TEXTS["reject_reasons"])
WORK_REPLIES: tuple[str, ...] = tuple(_TEXTS["work_replies"])
DONE_REPLIES: tuple[str, ...] = tuple(_TEXTS["done_replies"])
RATING_COMMENTS: dict[int, tuple[str, ...]] = {
    int(score): tuple(comments) for score, comments in _TEXTS["rating_comments"].items()
}
# Category -> (PD that really owns such cases, the PD's reason); None = the kecamatan office.
REROUTES: dict[str, tuple[str | None, str]] = {
    code: (target, reason) for code, (target, reason) in _TEXTS["reroutes"].items()
}


@dataclass(slots=True)
class Plan:
    created_at: datetime
    category: ServiceCategory
    kelurahan: str
    lon: float
    lat: float
    duplicate_of: Complaint | None = None


_COMPLAINTS = cast(Table, Complaint.__table__)
_TIMELINE = cast(Table, ComplaintUpdate.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)
_BACKDATE_UPDATES = (
    update(_TIMELINE)
    .where(_TIMELINE.c.id > bindparam("after"))
    .values(created_at=bindparam("moment"))
    .returning(_TIMELINE.c.id)
)
_BACKDATE_NOTIFICATIONS = (
    update(_NOTIFICATIONS)
    .where(_NOTIFICATIONS.c.id > bindparam("after"))
    .values({name: bindparam(name) for name in _SENT_COLUMNS})
    .returning(_NOTIFICATIONS.c.id)
)


def _set_loaded(
    session: Session, model: type[Base], ids: Sequence[int], values: Mapping[str, Any]
) -> None:
    """Give the loaded objects among ``ids`` the ``values`` just written to their rows."""
    for row_id in ids:
        loaded = session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            for name, value in values.items():
                set_committed_value(loaded, name, value)


class Simulation:
    """Moves one report along the workflow at simulated moments, never past ``now``."""

    def __init__(self, session: Session, now: datetime, staff: dict[str, Actor]) -> None:
        self.session = session
        self.now = now
        self.staff = staff
        self.last_update_id = 0
        self.last_notification_id = 0
        self.holidays = load_holidays(session, around=now.astimezone(WIB).date())

    def officer(self, complaint: Complaint) -> Actor:
        return self.staff.get(complaint.pd_kode) or Actor(
            kind=ActorKind.SYSTEM,
            role=Role.PETUGAS_PD,
            name=f"petugas-{complaint.pd_kode}",
            pd_kode=complaint.pd_kode,
        )

    def at(self, moment: datetime, complaint: Complaint, action: Callable[[], object]) -> bool:
        """Run ``action`` as if at ``moment`` (False, doing nothing, when that is the future)."""
        if moment > self.now:
            return False
        had_response = complaint.first_response_at is not None
        action()
        self.backdate(complaint, moment, had_response)
        return True

    def backdate(self, complaint: Complaint, moment: datetime, had_response: bool) -> None:
        """Move what the last step wrote to ``moment``: the report's own times, the timeline
        entries (of any report, e.g. a merge note on the original) and the notifications it
        queued (the newest ids come back with the updates: the next step starts after them).

        Core statements through the step's connection, in its transaction (the next service
        call commits them), and the loaded objects given the same values as committed ones:
        the ORM's bulk UPDATEs and a flush of the report were most of a step's cost (about
        1,800 steps; the complaints demo took 27 s on SQLite here, 16 s since)."""
        session = self.session
        session.flush()  # the step's rows are in the database before they are moved
        connection = session.connection()
        times: dict[str, datetime | None] = {"updated_at": moment}
        if not had_response and complaint.first_response_at is not None:
            times["first_response_at"] = moment
        if complaint.status is S.SELESAI:
            times["resolved_at"] = moment
        if complaint.status in (S.DITUTUP, S.DITOLAK, S.DUPLIKAT):
            times["closed_at"] = moment
        if complaint.paused_at is not None and complaint.status is S.MENUNGGU_PELAPOR:
            times["paused_at"] = min(complaint.paused_at, moment)
        if complaint.rated_at is not None and complaint.rated_at > moment:
            times["rated_at"] = moment
        connection.execute(update(_COMPLAINTS).where(_COMPLAINTS.c.id == complaint.id), times)
        for name, value in times.items():
            set_committed_value(complaint, name, value)
        touched = (
            connection.execute(_BACKDATE_UPDATES, {"after": self.last_update_id, "moment": moment})
            .scalars()
            .all()
        )
        self.last_update_id = max(touched, default=self.last_update_id)
        _set_loaded(session, ComplaintUpdate, touched, {"created_at": moment})
        # Demo reporters and staff have made-up addresses: their messages count as sent at
        # once, so the worker never tries to deliver them; in-app alerts older than a week
        # count as read.
        sent = {
            "created_at": moment,
            "status": DeliveryStatus.SENT,
            "sent_at": moment,
            "attempts": 1,
            "next_attempt_at": None,
            "read_at": moment if self.now - moment > timedelta(days=7) else None,
        }
        queued = (
            connection.execute(
                _BACKDATE_NOTIFICATIONS, {"after": self.last_notification_id, **sent}
            )
            .scalars()
            .all()
        )
        self.last_notification_id = max(queued, default=self.last_notification_id)
        _set_loaded(session, Notification, queued, sent)

    def go(self, complaint: Complaint, moment: datetime, to: S, actor: Actor, **kw: Any) -> bool:
        return self.at(
            moment,
            complaint,
            lambda: workflow.transition(
                session=self.session,
                actor=actor,
                tracking_number=complaint.tracking_number,
                to=to,
                **kw,
            ),
        )

    def reply(self, complaint: Complaint, moment: datetime, actor: Actor, text: str) -> bool:
        return self.at(
            moment,
            complaint,
            lambda: workflow.add_update(
                session=self.session,
                actor=actor,
                tracking_number=complaint.tracking_number,
                message=text,
                is_public=True,
            ),
        )

    def pause_fix(
        self, complaint: Complaint, due_before: Any, paused: datetime, resumed: datetime
    ) -> None:
        """The workflow measures a pause in real time; measure it in simulated time instead."""
        days = working_days_between(
            paused.astimezone(WIB).date(), resumed.astimezone(WIB).date(), self.holidays
        )
        complaint.due_on = add_working_days(due_before, days, self.holidays)
        complaint.paused_at = None
        self.session.commit()


def hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _resolution_moment(rng: random.Random, sim: Simulation, complaint: Complaint) -> datetime:
    # About three in four reports are fixed within their SLA, the rest late.
    sla = complaint.category.sla_days
    share = rng.uniform(0.2, 1.0) if rng.random() < 0.78 else rng.uniform(1.2, 2.5)
    start = complaint.created_at.astimezone(WIB)
    day = add_working_days(start.date(), max(1, round(sla * share)), sim.holidays)
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), tzinfo=WIB).astimezone(
        complaint.created_at.tzinfo
    )


def _reroute(
    sim: Simulation, rng: random.Random, c: Complaint, t: datetime, operator: Actor
) -> datetime | None:
    target, reason = REROUTES.get(c.category.code, (None, "Lokasi ini bukan wilayah tugas kami."))
    if target is None and c.kecamatan_kode:
        target = reference.kecamatan_office(session=sim.session, kecamatan_kode=c.kecamatan_kode)
    if target is None or target == c.pd_kode:
        return t
    t += hours(rng, 2, 48)
    if not sim.go(c, t, S.BUKAN_KEWENANGAN, sim.officer(c), message=reason):
        return None
    if sim.now - t < timedelta(days=21):
        return None  # still on the operator's desk
    t += hours(rng, 1, 24)
    note = f"Dialihkan ke Perangkat Daerah yang berwenang ({target})."
    return t if sim.go(c, t, S.DIDISPOSISIKAN, operator, message=note, pd_kode=target) else None


def _wait_for_reporter(
    sim: Simulation, rng: random.Random, c: Complaint, t: datetime, operator: Actor
) -> datetime | None:
    ask = "Mohon kirimkan titik lokasi yang lebih tepat atau patokan terdekat."
    if not sim.go(c, t, S.MENUNGGU_PELAPOR, sim.officer(c), message=ask):
        return None
    paused, due_before = t, c.due_on
    recent = sim.now - t < timedelta(days=14)
    if rng.random() < (0.8 if recent else 0.3):  # the reporter never answers
        t += timedelta(days=14, hours=rng.uniform(1, 30))
        sim.go(c, t, S.DITUTUP, operator, message="Pelapor tidak menanggapi dalam 14 hari.")
        return None
    t += hours(rng, 2, 72)
    replied = sim.at(
        t,
        c,
        lambda: workflow.reporter_reply(
            session=sim.session,
            actor=ANONYMOUS,
            tracking_number=c.tracking_number,
            token=access_token(c.tracking_number),
            message=f"Lokasinya persis di {rng.choice(LANDMARKS)}, ada tanda cat merah.",
        ),
    )
    if not replied:
        return None
    sim.pause_fix(c, due_before, paused, t)
    return t


def _after_fix(sim: Simulation, rng: random.Random, c: Complaint, fixed: datetime) -> None:
    token = access_token(c.tracking_number)
    if rng.random() < 0.6:
        score = rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
        sim.at(
            fixed + hours(rng, 3, 120),
            c,
            lambda: workflow.rate(
                session=sim.session,
                actor=ANONYMOUS,
                tracking_number=c.tracking_number,
                token=token,
                rating=score,
                comment=rng.choice(RATING_COMMENTS[score]),
            ),
        )
    from pontive.complaints.jobs import (
        AUTO_CLOSE_REASON,
        CLOSE_ACTOR,
    )  # late: jobs imports demo's deps

    close_at = fixed + timedelta(days=workflow.REOPEN_DAYS, hours=rng.uniform(1, 3))
    reason = AUTO_CLOSE_REASON.format(days=workflow.REOPEN_DAYS)
    if c.status is S.SELESAI:
        sim.go(c, close_at, S.DITUTUP, CLOSE_ACTOR, message=reason)


def _fix(
    sim: Simulation, rng: random.Random, c: Complaint, t: datetime, *, stuck: bool
) -> datetime | None:
    officer = sim.officer(c)
    t += hours(rng, 4, 72)
    if not sim.go(c, t, S.DIKERJAKAN, officer, message="") or stuck:
        return None
    if rng.random() < 0.5:
        t += hours(rng, 2, 48)
        if not sim.reply(c, t, officer, rng.choice(WORK_REPLIES)):
            return None
    fixed = max(t + hours(rng, 2, 8), _resolution_moment(rng, sim, c))
    if not sim.go(c, fixed, S.SELESAI, officer, message=rng.choice(DONE_REPLIES)):
        return None
    if rng.random() < 0.05:  # the reporter says it is not fixed after all
        again = fixed + hours(rng, 24, 120)

        def reopen() -> None:
            # The workflow counts the 14-day window in real time; the fix was just now in
            # the simulation.
            c.resolved_at = utcnow()
            workflow.reopen(
                session=sim.session,
                actor=ANONYMOUS,
                tracking_number=c.tracking_number,
                token=access_token(c.tracking_number),
                message="Masih belum beres, masalahnya muncul lagi.",
            )

        if not sim.at(again, c, reopen):
            return fixed
        fixed = again + hours(rng, 24, 96)
        if not sim.go(c, fixed, S.SELESAI, officer, message=rng.choice(DONE_REPLIES)):
            return None
    return fixed


def live(sim: Simulation, rng: random.Random, c: Complaint, plan: Plan, operator: Actor) -> None:
    t = plan.created_at + hours(rng, 0.5, 20)
    original = plan.duplicate_of
    if original is not None and original.status is not S.DUPLIKAT:
        # The merge writes a note on the original's timeline: it may not predate what the
        # original's own (already simulated) story wrote there.
        last = max(entry.created_at for entry in original.updates)
        sim.go(
            c,
            max(t, last + timedelta(minutes=5)),
            S.DUPLIKAT,
            operator,
            message="Masalah yang sama sudah dilaporkan.",
            duplicate_of=original.tracking_number,
        )
        return
    roll = rng.random()
    # Some reports get stuck along the way: the backlog, and the overdue ones, of a real city.
    stuck = rng.random() < 0.08
    if stuck and rng.random() < 0.25:
        return
    if roll < 0.05:
        sim.go(c, t, S.DITOLAK, operator, message=rng.choice(REJECT_REASONS))
        return
    if not sim.go(c, t, S.DIVERIFIKASI, operator, message="") or (stuck and rng.random() < 0.3):
        return
    t += hours(rng, 0.5, 24)
    if not sim.go(c, t, S.DIDISPOSISIKAN, operator, message="Diteruskan ke Perangkat Daerah."):
        return
    if stuck and rng.random() < 0.5:
        return
    step: datetime | None = t
    if 0.05 <= roll < 0.13:
        step = _reroute(sim, rng, c, t, operator)
    elif roll < 0.23:
        step = _wait_for_reporter(sim, rng, c, t + hours(rng, 2, 24), operator)
    if step is None:
        return
    fixed = _fix(sim, rng, c, step, stuck=stuck)
    if fixed is not None:
        _after_fix(sim, rng, c, fixed)
