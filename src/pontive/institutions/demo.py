"""Demo institutions for ``pontive demo load`` (after the masterplan demo, whose programmes
the council's recommendations point to):

- the mayor's decrees setting up the council and the technical team; a council of nine
  (names marked "(demo)") across the four elements of Pasal 5, one term ending within weeks;
- the technical team's agencies (real Pontianak PD codes) and two duties from its decree;
- two council meetings, the later held as a Pontive Center coordination meeting (scheduled
  through the coordination service), with five recommendations: done, being acted on and
  overdue, declined, and two open;
- three partnerships, one ending within 30 days; five capacity events of the four kinds with
  their participants; four certifications (one expired, one expiring); an expert with three
  technology transfer sessions.

Dates are relative to the day of loading. Every row goes through the registry store, so the
console shows its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.coordination import meetings as coordination_meetings
from pontive.core.errors import NotFound
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor
from pontive.core.registry import get
from pontive.core.timeutil import WIB
from pontive.institutions.demo_data import (
    CERTIFICATIONS,
    COUNCIL_DECREE,
    EVENTS,
    MEMBERS,
    PARTNERSHIPS,
    RECOMMENDATIONS,
    TEAM,
    TEAM_DECREE,
    TEAM_DUTIES,
    TRANSFERS,
)
from pontive.institutions.service import today_local
from pontive.masterplan import service as masterplan
from pontive.registry import store


def _save(session: Session, name: str, actor: Actor, values: Mapping[str, Any]) -> Any:
    return store.save_row(session, get(f"institutions.{name}"), actor, values, via="system")


def _day(today: date, days: int) -> str:
    return (today + timedelta(days=days)).isoformat()


def _programme(session: Session, code: str) -> str:
    """The code when the masterplan demo has that programme (else none)."""
    try:
        return masterplan.get_programme(session, code).code
    except NotFound:
        return ""


def _coordination_meeting(session: Session, actor: Actor, held_at: datetime) -> str:
    """The Pontive Center coordination meeting the council's evaluation was held as."""
    data = coordination_meetings.MeetingInput(
        title="Rapat koordinasi Dewan dan Tim Teknis: evaluasi capaian Smart City",
        starts_at=held_at,
        place="Pontive Center",
        chair="Ketua Dewan Pontianak Smart City",
        agenda="Evaluasi tahunan (Pasal 23)\nRencana sertifikasi ASN\nData kualitas udara",
        attendees=tuple((pd, title) for pd, _position, title, _duties in TEAM),
    )
    return coordination_meetings.create_meeting(session, actor=actor, data=data).code


def _council(session: Session, actor: Actor, today: date) -> int:
    year = today.year
    signed = today - timedelta(days=330)
    for number, title, kind in (
        (COUNCIL_DECREE, "Pembentukan Dewan Pontianak Smart City Masa Bakti 2026-2028", "dewan"),
        (TEAM_DECREE, "Pembentukan Tim Teknis Pontianak Smart City", "tim_teknis"),
    ):
        values = {"number": number.format(year=year), "title": title, "kind": kind}
        _save(session, "decrees", actor, values | {"signed_on": signed.isoformat()})
    ends = signed.replace(year=signed.year + 3) - timedelta(days=1)
    for index, (name, element, position, organisation, early) in enumerate(MEMBERS, start=1):
        values = {
            "name": name,
            "element": element,
            "position": position,
            "organisation": organisation,
            "decree_id": COUNCIL_DECREE.format(year=year),
            "term_starts_on": signed.isoformat(),
            "term_ends_on": _day(today, early) if early else ends.isoformat(),
            "email": f"dewan{index}@demo.pontianak.go.id",
            "phone": f"+62 811 5670 {index:04d}",
        }
        _save(session, "council-members", actor, values)
    for agency, position, person, duties in TEAM:
        values = {
            "pd_kode": agency,
            "team_position": position,
            "person_name": person,
            "duties": duties,
            "decree_id": TEAM_DECREE.format(year=year),
        }
        _save(session, "technical-team", actor, values)
    for order, text in enumerate(TEAM_DUTIES, start=1):
        pasal = f"SK Wali Kota {TEAM_DECREE.format(year=year)} diktum KEDUA"
        values = {
            "body": "tim_teknis",
            "pasal": pasal,
            "text": text,
            "sort_order": str(100 + order),
        }
        _save(session, "duties", actor, values)
    return len(MEMBERS)


def _meetings(session: Session, actor: Actor, today: date) -> int:
    evaluation_at = datetime.combine(today - timedelta(days=20), time(13, 30), tzinfo=WIB)
    held = [
        {
            "title": "Rapat pleno Dewan Smart City triwulan III",
            "held_at": f"{_day(today, -75)} 09:00",
            "place": "Ruang Rapat Wali Kota, Kantor Wali Kota Pontianak",
            "agenda": "Capaian masterplan triwulan II\nSatu Data Pontianak\nBanjir pasang",
            "summary": "Capaian Satu Data baik; integrasi sensor banjir perlu dipercepat.",
            "attendees": "\n".join(m[0] for m in MEMBERS[:7]),
        },
        {
            "title": "Rapat evaluasi capaian Smart City bersama Tim Teknis",
            "held_at": evaluation_at.strftime("%Y-%m-%d %H:%M"),
            "place": "Pontive Center",
            "agenda": "Evaluasi tahunan (Pasal 23)\nRencana sertifikasi ASN\nData kualitas udara",
            "summary": "Dewan meminta rencana sertifikasi ASN dan data ISPU terbuka.",
            "coordination_code": _coordination_meeting(session, actor, evaluation_at),
            "attendees": "\n".join(m[0] for m in MEMBERS),
        },
    ]
    meetings = [_save(session, "council-meetings", actor, values) for values in held]
    for suffix, which, agency, due, status, programme, text, outcome in RECOMMENDATIONS:
        values = {
            "meeting_id": str(meetings[which].id),
            "number": f"REK-{today.year}-{suffix}",
            "text": text,
            "addressed_to": agency,
            "due_on": _day(today, due),
            "status": status,
            "outcome": outcome,
            "programme_code": _programme(session, programme),
        }
        _save(session, "recommendations", actor, values)
    return len(meetings)


def _partnerships(session: Session, actor: Actor, today: date) -> None:
    for number, title, kind, parties, scope, starts, ends, agency, value in PARTNERSHIPS:
        values = {
            "number": number.format(year=_day(today, starts)[:4]),
            "title": title,
            "kind": kind,
            "parties": parties,
            "scope": scope,
            "starts_on": _day(today, starts),
            "ends_on": _day(today, ends),
            "status": "aktif",
            "pd_kode": agency,
            "value": value,
        }
        _save(session, "partnerships", actor, values)


def _capacity(session: Session, actor: Actor, today: date) -> int:
    people = 0
    for title, kind, agency, starts, length, place, score, participants in EVENTS:
        values = {
            "title": title,
            "kind": kind,
            "pd_kode": agency,
            "starts_on": _day(today, starts),
            "ends_on": _day(today, starts + length - 1),
            "place": place,
            "materials": "Modul, bahan tayang dan latihan kasus.",
            "evaluation_score": score,
        }
        event = _save(session, "capacity-events", actor, values)
        for index, (name, pd, position, attended, passed, mark) in enumerate(participants):
            nip = f"1990{index + 1:02d}15201503{1 + index % 2}{event.id:03d}"  # 18 digits
            person = {
                "event_id": str(event.id),
                "name": name,
                "nip": nip,
                "pd_kode": pd,
                "position": position,
                "attended": attended,
                "passed": passed,
                "score": mark,
            }
            _save(session, "participants", actor, person)
            people += 1
    for holder, agency, certificate, issuer, level, number, issued, expires in CERTIFICATIONS:
        values = {
            "holder_name": holder,
            "pd_kode": agency,
            "certificate": certificate,
            "issuer": issuer,
            "level": level,
            "number": number,
            "issued_on": _day(today, issued),
            "expires_on": _day(today, expires),
        }
        _save(session, "certifications", actor, values)
    expert = _save(
        session,
        "experts",
        actor,
        {
            "name": "Ir. Bambang Setiadi, M.T. (demo)",
            "expertise": "Arsitektur SPBE dan integrasi data",
            "organisation": "PT Konsultan Digital Khatulistiwa (demo)",
            "contract_number": f"KONTRAK/TA-SPBE/DISKOMINFO/{_day(today, -150)[:4]}",
            "pd_kode": "diskominfo",
            "starts_on": _day(today, -150),
            "ends_on": _day(today, 210),
            "scope": "Pendampingan arsitektur SPBE, Satu Data dan tata kelola API (alih daya).",
        },
    )
    for topic, days, agency, count, outcome in TRANSFERS:
        values = {
            "expert_id": str(expert.id),
            "topic": topic,
            "held_on": _day(today, days),
            "recipient_pd": agency,
            "participant_count": str(count),
            "outcome": outcome,
        }
        _save(session, "technology-transfers", actor, values)
    return people


def load(session: Session, actor: Actor) -> str:
    """Load the demo institutions; a one-line summary for ``pontive demo load``."""
    today = today_local()
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        members = _council(session, actor, today)
        meetings = _meetings(session, actor, today)
        _partnerships(session, actor, today)
        people = _capacity(session, actor, today)
        session.commit()
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    return (
        f"2 SK Wali Kota, {members} anggota Dewan, {len(TEAM)} PD Tim Teknis, {meetings} rapat "
        f"Dewan, {len(RECOMMENDATIONS)} rekomendasi, {len(PARTNERSHIPS)} kerja sama, "
        f"{len(EVENTS)} kegiatan kapasitas ({people} peserta), {len(CERTIFICATIONS)} sertifikasi, "
        f"1 tenaga ahli ({len(TRANSFERS)} alih teknologi)"
    )
