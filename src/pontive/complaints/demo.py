"""Demo reports: ~300 believable Pontianak reports over the last six months, in every state.

Every report is made and moved through the real services (``create_complaint``, the
workflow's transitions, replies, merges, re-routing, reopening and ratings) so timelines,
first responses, resolutions, SLA outcomes and the audit trail are what the platform itself
would produce. After each step the timestamps the step wrote are moved back to the simulated
moment, so the history spreads over months. Deterministic: one seeded random generator.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus as S
from pontive.complaints.choices import Source
from pontive.complaints.demo_story import (
    DESCRIPTIONS,
    LANDMARKS,
    NAMES,
    STREETS,
    Plan,
    Simulation,
    live,
)
from pontive.complaints.models import Complaint, ComplaintUpdate, Notification, ServiceCategory
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint, list_categories
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

SEED = 20260301
REPORTS = 300
DAYS = 182
# How often each kind of problem is reported (relative weights, by category code).
CATEGORY_WEIGHTS = {
    "jalan-rusak": 16,
    "sampah": 16,
    "drainase": 12,
    "lampu-jalan": 10,
    "banjir-genangan": 8,
    "pohon-tumbang": 5,
    "fasilitas-umum": 6,
    "lalu-lintas": 5,
    "ketertiban-umum": 5,
    "asap-kebakaran": 3,
    "pelayanan-administrasi": 5,
    "layanan-kesehatan": 4,
}
ATTRIBUTE_ANSWERS: dict[str, Any] = {"nomor_tiang": "PJU-", "kedalaman_cm": 30}
SOURCES = {Source.WEB: 70, Source.WHATSAPP: 12, Source.HOTLINE: 10, Source.LAPOR: 8}


def _staff(session: Session, fallback: Actor) -> tuple[Actor, dict[str, Actor]]:
    users = session.scalars(
        select(User).where(User.role.in_([Role.OPERATOR, Role.PETUGAS_PD]), User.is_active)
    ).all()
    operator = fallback
    officers: dict[str, Actor] = {}
    for user in sorted(users, key=lambda u: u.id):
        actor = Actor(
            kind=ActorKind.USER,
            role=user.role,
            id=user.id,
            name=user.username,
            pd_kode=user.pd_kode,
        )
        if user.role is Role.OPERATOR and operator is fallback:
            operator = actor
        elif user.role is Role.PETUGAS_PD and user.pd_kode:
            officers.setdefault(user.pd_kode, actor)
    return operator, officers


def _point(
    session: Session, rng: random.Random, kode: str, lon: float, lat: float
) -> tuple[float, float]:
    # Jitter around the centroid, kept only while it still resolves to the same kelurahan.
    for spread in (0.004, 0.002, 0.001):
        candidate = (lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread))
        place = reference.resolve_location(session=session, lon=candidate[0], lat=candidate[1])
        if place.kelurahan_kode == kode:
            return candidate
    return lon, lat


def _plans(session: Session, rng: random.Random, now: datetime) -> list[Plan]:
    categories = {c.code: c for c in list_categories(session)}
    codes = [code for code in CATEGORY_WEIGHTS if code in categories]
    weights = [CATEGORY_WEIGHTS[code] for code in codes]
    kelurahan = [
        k
        for kecamatan in reference.list_kecamatan(session=session)
        for k in kecamatan.kelurahan
        if k.centroid_lon is not None and k.centroid_lat is not None
    ]
    plans = []
    for index in range(REPORTS):
        area = kelurahan[index % len(kelurahan)]  # every kelurahan gets reports
        # More reports in recent weeks (the platform is catching on), in waking hours.
        recent = rng.random() < 0.25
        age = timedelta(days=rng.uniform(0, 21 if recent else DAYS), minutes=rng.uniform(0, 600))
        created = (now - age).astimezone(WIB).replace(hour=rng.choice(range(6, 22)))
        lon, lat = _point(session, rng, area.kode, area.centroid_lon or 0, area.centroid_lat or 0)
        plans.append(
            Plan(
                created.astimezone(now.tzinfo),
                categories[rng.choices(codes, weights)[0]],
                area.kode,
                lon,
                lat,
            )
        )
    plans = [p for p in plans if p.created_at < now - timedelta(minutes=30)]
    return sorted(plans, key=lambda p: p.created_at)


def _answers(rng: random.Random, category: ServiceCategory) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for attribute in category.attributes:
        if attribute.values:
            if attribute.required or rng.random() < 0.5:
                answers[attribute.code] = rng.choice(attribute.values)["key"]
        elif attribute.code in ATTRIBUTE_ANSWERS and rng.random() < 0.5:
            base = ATTRIBUTE_ANSWERS[attribute.code]
            answers[attribute.code] = (
                f"{base}{rng.randint(100, 999)}" if isinstance(base, str) else rng.randint(10, 80)
            )
    return answers


def _contact(rng: random.Random, index: int) -> dict[str, Any]:
    if rng.random() < 0.55:
        return {"is_anonymous": True}
    first, last = rng.choice(NAMES)
    prefix = rng.choice(["12", "13", "21", "52", "57", "95"])
    phone = f"08{prefix}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    domain = rng.choice(["example.com", "example.org", "example.net"])
    email = f"{first.lower()}.{last.lower()}{index}@{domain}"
    given = rng.random()
    return {
        "is_anonymous": False,
        "name": f"{first} {last}",
        "phone": phone if given < 0.8 else None,
        "email": email if given > 0.4 else None,
        "consent": True,
    }


def _create(
    sim: Simulation,
    rng: random.Random,
    plan: Plan,
    index: int,
    operator: Actor,
    media: MediaStore,
) -> Complaint:
    text = rng.choice(DESCRIPTIONS[plan.category.code])
    contact = _contact(rng, index)
    # A few reporters write their number into the text; the operator removes it before the
    # public sees it (moderation), as the command center does.
    leaks_phone = bool(contact.get("phone")) and rng.random() < 0.15
    description = f"{text} Hubungi saya di {contact['phone']}." if leaks_phone else text
    data = ComplaintCreate(
        category_code=plan.category.code,
        description=description,
        lon=plan.lon,
        lat=plan.lat,
        address=f"{rng.choice(STREETS)}, {rng.choice(LANDMARKS)}",
        attributes=_answers(rng, plan.category),
        source=rng.choices(list(SOURCES), [w for w in SOURCES.values()])[0],
        created_at=plan.created_at,
        **contact,
    )
    complaint = create_complaint(
        session=sim.session, data=data, actor=ANONYMOUS, media=media
    ).complaint
    sim.backdate(complaint, plan.created_at, had_response=False)
    if leaks_phone:
        sim.at(
            plan.created_at,
            complaint,
            lambda: workflow.moderate(
                session=sim.session,
                actor=operator,
                tracking_number=complaint.tracking_number,
                public_description=text,
            ),
        )
    return complaint


def _pick_duplicates(rng: random.Random, plans: list[Plan]) -> dict[int, int]:
    """Plan index -> the earlier plan it repeats (same kind, same place, within two weeks)."""
    pairs: dict[int, int] = {}
    for index, plan in enumerate(plans):
        if rng.random() >= 0.06:
            continue
        earlier = [
            j
            for j in range(index)
            if j not in pairs
            and plans[j].category.code == plan.category.code
            and plan.created_at - plans[j].created_at < timedelta(days=14)
        ]
        if earlier:
            original = plans[rng.choice(earlier)]
            pairs[index] = plans.index(original)
            plan.kelurahan, plan.lon, plan.lat = original.kelurahan, original.lon, original.lat
    return pairs


# The shortest path to each state, for states the simulation happened not to leave a report in.
_PATHS: dict[S, tuple[S, ...]] = {
    S.DITERIMA: (),
    S.DIVERIFIKASI: (S.DIVERIFIKASI,),
    S.DIDISPOSISIKAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN),
    S.DIKERJAKAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN),
    S.MENUNGGU_PELAPOR: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.MENUNGGU_PELAPOR),
    S.BUKAN_KEWENANGAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.BUKAN_KEWENANGAN),
    S.SELESAI: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN, S.SELESAI),
    S.DITUTUP: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN, S.SELESAI, S.DITUTUP),
    S.DITOLAK: (S.DITOLAK,),
    S.DUPLIKAT: (S.DUPLIKAT,),
}
_TRIAGE_STEPS = frozenset({S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DITOLAK, S.DUPLIKAT, S.DITUTUP})
_STEP_MESSAGES = {
    S.DITOLAK: "Laporan tidak memuat lokasi dan uraian yang dapat ditindaklanjuti.",
    S.BUKAN_KEWENANGAN: "Ruas jalan ini kewenangan Balai Pelaksanaan Jalan Nasional.",
    S.MENUNGGU_PELAPOR: "Mohon kirim foto yang lebih jelas dan patokan lokasinya.",
    S.SELESAI: "Sudah ditangani petugas di lapangan.",
    S.DITUTUP: "Ditutup setelah perbaikan selesai.",
}


def _cover_every_state(
    sim: Simulation,
    rng: random.Random,
    template: Plan,
    made: list[Complaint],
    operator: Actor,
    media: MediaStore,
) -> list[Complaint]:
    """One more recent report for each state nobody ended in, so the demo shows them all."""
    present = {c.status for c in made}
    original = next(c for c in made if c.status is not S.DUPLIKAT)
    extra: list[Complaint] = []
    for number, target in enumerate(s for s in S if s not in present):
        start = sim.now - timedelta(hours=6 - number * 0.25)
        plan = Plan(start, template.category, template.kelurahan, template.lon, template.lat)
        complaint = _create(sim, rng, plan, len(made) + number, operator, media)
        for step_number, step in enumerate(_PATHS[target], start=1):
            actor = operator if step in _TRIAGE_STEPS else sim.officer(complaint)
            extra_args: dict[str, Any] = {"message": _STEP_MESSAGES.get(step, "")}
            if step is S.DUPLIKAT:
                extra_args["duplicate_of"] = original.tracking_number
            sim.go(
                complaint, start + timedelta(minutes=10 * step_number), step, actor, **extra_args
            )
        extra.append(complaint)
    return extra


def load(session: Session, actor: Actor) -> str:
    """Load the demo reports; returns a one-line summary for ``pontive demo load``."""
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, deterministic on purpose
    # Whole hours, so that loads within the same hour produce the very same histories.
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    # Demo history is not live news: its events go to a bus nobody listens to.
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:
        session.info[SESSION_BUS_KEY] = MemoryBus()
    # The simulation's reports stay loaded across the workflow's commits (each step would
    # otherwise load a report and its timeline again); the steps change them through the
    # ORM, and Simulation.backdate gives the loaded objects what it writes with Core.
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        operator, officers = _staff(session, actor)
        sim = Simulation(session, now, officers)
        sim.last_update_id = session.scalar(select(func.max(ComplaintUpdate.id))) or 0
        sim.last_notification_id = session.scalar(select(func.max(Notification.id))) or 0
        media = MediaStore(Path(tempfile.gettempdir()) / "pontive-demo-media")  # no photos
        plans = _plans(session, rng, now)
        duplicates = _pick_duplicates(rng, plans)
        made: list[Complaint] = []
        for index, plan in enumerate(plans):
            if index in duplicates:
                plan.duplicate_of = made[duplicates[index]]
            complaint = _create(sim, rng, plan, index, operator, media)
            made.append(complaint)
            live(sim, rng, complaint, plan, operator)
        made += _cover_every_state(sim, rng, plans[-1], made, operator, media)
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    states = Counter(c.status for c in made)
    summary = ", ".join(f"{states[s]} {s.value}" for s in S if states[s])
    return f"{len(made)} laporan ({summary})"
