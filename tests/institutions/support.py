"""Actors and factories for the institutions tests: rows are written through the registry
store, as the console, the API and CSV imports write them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.coordination import meetings as coordination_meetings
from pontive.coordination.models import Meeting
from pontive.core.identity import Actor, ActorKind
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.core.timeutil import WIB
from pontive.institutions.service import today_local
from pontive.registry import store

TODAY = today_local()  # pages read the real clock; reminders are raised for a given day


def actor(role: Role, *, pd: str | None = None, number: int = 21) -> Actor:
    """A signed-in user of ``role``."""
    return Actor(
        kind=ActorKind.USER, role=role, id=number, name=f"{role.value}{number}", pd_kode=pd
    )


TIM = actor(Role.TIM_TEKNIS, number=1)
ADMIN = actor(Role.ADMIN, number=2)
DEWAN = actor(Role.DEWAN, number=3)
DISKOMINFO = actor(Role.PETUGAS_PD, pd="diskominfo", number=4)
DLH = actor(Role.PETUGAS_PD, pd="dlh", number=5)
OPERATOR = actor(Role.OPERATOR, number=6)
WARGA = actor(Role.WARGA, number=7)


def day(days: int, *, start: date | None = None) -> str:
    """``start`` (today in WIB, read now: a run may cross midnight) plus ``days`` as a form
    would send it."""
    return ((start or today_local()) + timedelta(days=days)).isoformat()


def save(
    session: Session,
    name: str,
    values: dict[str, Any],
    *,
    by: Actor = TIM,
    row: Any | None = None,
    lang: str = "id",
) -> Any:
    """Create (or change ``row`` of) the registry ``institutions.<name>``."""
    registry = get(f"institutions.{name}")
    return store.save_row(
        session, registry, by, values, row=row, partial=row is not None, lang=lang
    )


def member(
    session: Session, name: str = "Anggota Uji", lang: str = "id", by: Actor = TIM, **values: Any
) -> Any:
    """A council member, an academic member by default, for a two-year term."""
    fields = {
        "name": name,
        "element": "akademisi",
        "position": "anggota",
        "organisation": "Universitas Tanjungpura",
        "term_starts_on": day(-365),
        "term_ends_on": day(365),
        "email": "anggota.uji@contoh.id",
        "phone": "+62 812 0000 1111",
    } | values
    return save(session, "council-members", fields, lang=lang, by=by)


def meeting(
    session: Session,
    title: str = "Rapat pleno uji",
    lang: str = "id",
    by: Actor = TIM,
    **values: Any,
) -> Any:
    """A council meeting held thirty days before ``TODAY``."""
    fields = {
        "title": title,
        "held_at": f"{day(-30)} 09:00",
        "place": "Ruang rapat Wali Kota",
        "agenda": "Evaluasi",
        "summary": "Notulen rahasia uji",
        "attendees": "Peserta Rapat Rahasia",
    } | values
    return save(session, "council-meetings", fields, lang=lang, by=by)


def recommendation(
    session: Session,
    held: Any,
    number: str = "REK-UJI-01",
    lang: str = "id",
    by: Actor = TIM,
    **values: Any,
) -> Any:
    """A recommendation of meeting ``held`` to Diskominfo, due in thirty days."""
    fields = {
        "meeting_id": str(held.id),
        "number": number,
        "text": "Menyusun standar interoperabilitas data.",
        "addressed_to": "diskominfo",
        "due_on": day(30),
        "status": "diajukan",
    } | values
    return save(session, "recommendations", fields, lang=lang, by=by)


def partnership(
    session: Session, number: str = "PKS/UJI/1", lang: str = "id", by: Actor = TIM, **values: Any
) -> Any:
    """An active G2B agreement of Diskominfo ending twenty days after ``TODAY``."""
    fields = {
        "number": number,
        "title": "Wi-Fi publik taman kota",
        "kind": "g2b",
        "parties": "Pemkot Pontianak; PT Uji",
        "starts_on": day(-300),
        "ends_on": day(20),
        "status": "aktif",
        "pd_kode": "diskominfo",
    } | values
    return save(session, "partnerships", fields, lang=lang, by=by)


def event(
    session: Session, title: str = "Pelatihan uji", lang: str = "id", by: Actor = TIM, **values: Any
) -> Any:
    """A technical training by BKPSDM that began ten days before ``TODAY``."""
    fields = {
        "title": title,
        "kind": "pelatihan",
        "starts_on": day(-10),
        "ends_on": day(-8),
        "pd_kode": "bkpsdm",
        "evaluation_score": "4",
    } | values
    return save(session, "capacity-events", fields, lang=lang, by=by)


def participant(
    session: Session, held: Any, name: str, lang: str = "id", by: Actor = TIM, **values: Any
) -> Any:
    """A participant of event ``held`` from Diskominfo who attended and passed."""
    fields = {
        "event_id": str(held.id),
        "name": name,
        "nip": "199001152015031001",
        "pd_kode": "diskominfo",
        "attended": "ya",
        "passed": "ya",
        "score": "80",
    } | values
    return save(session, "participants", fields, lang=lang, by=by)


def certification(session: Session, lang: str = "id", by: Actor = TIM, **values: Any) -> Any:
    """An international certification of Diskominfo expiring a year after ``TODAY``."""
    fields = {
        "holder_name": "Pemegang Uji",
        "pd_kode": "diskominfo",
        "certificate": "CISA",
        "issuer": "ISACA",
        "level": "internasional",
        "issued_on": day(-400),
        "expires_on": day(365),
    } | values
    return save(session, "certifications", fields, lang=lang, by=by)


def expert(session: Session, lang: str = "id", by: Actor = TIM, **values: Any) -> Any:
    """An expert of Diskominfo under contract from 100 days before to 100 after ``TODAY``."""
    fields = {
        "name": "Tenaga Ahli Uji",
        "expertise": "Arsitektur SPBE",
        "contract_number": "KONTRAK/UJI/1",
        "pd_kode": "diskominfo",
        "starts_on": day(-100),
        "ends_on": day(100),
    } | values
    return save(session, "experts", fields, lang=lang, by=by)


def coordination_meeting(session: Session) -> Meeting:
    """A coordination meeting of the Pontive Center."""
    data = coordination_meetings.MeetingInput(
        title="Rapat koordinasi uji",
        starts_at=datetime(2026, 6, 1, 9, 0, tzinfo=WIB),
        attendees=(("diskominfo", "Kepala Dinas"),),
    )
    return coordination_meetings.create_meeting(session, actor=ADMIN, data=data)
