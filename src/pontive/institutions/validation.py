"""Checks the institutions registries run on every write (``Registry.validate``), beyond what
each field checks by itself: dates in order, one chair at a time, links to coordination
meetings and masterplan programmes that exist, an outcome for a closed recommendation.

Each takes ``(session, values, row, lang)``: ``values`` are the parsed values sent (a partial
change sends some), ``row`` the row being changed (``None`` when new). Messages come in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.coordination import meetings as coordination_meetings
from pontive.core.errors import NotFound
from pontive.core.identity import system_actor
from pontive.core.registry import Text, pick
from pontive.institutions.choices import (
    OPEN_RECOMMENDATION,
    CouncilPosition,
    RecommendationStatus,
)
from pontive.institutions.models import CouncilMeeting, CouncilMember, Expert
from pontive.institutions.service import today_local
from pontive.masterplan import service as masterplan

Errors = dict[str, list[str]]
NIP_DIGITS = 18  # Nomor Induk Pegawai of a civil servant

# Reads a coordination meeting to check that a code names one; the council's page links to it.
LINK_CHECKER = system_actor("institutions-links")

MESSAGES: dict[str, Text] = {
    "end_before_start": (
        "Tanggal akhir harus sesudah tanggal mulai.",
        "The end date must come after the start date.",
    ),
    "end_not_after": (
        "Tanggal akhir tidak boleh sebelum tanggal mulai.",
        "The end date cannot be before the start date.",
    ),
    "one_chair": (
        "Dewan sudah punya ketua pada masa jabatan ini: {name}.",
        "The council already has a chair in this term: {name}.",
    ),
    "meeting_unknown": (
        "Rapat koordinasi {code} tidak ditemukan.",
        "Coordination meeting {code} not found.",
    ),
    "programme_unknown": (
        "Program masterplan {code} tidak ditemukan.",
        "Masterplan programme {code} not found.",
    ),
    "outcome_needed": (
        "Tuliskan hasil tindak lanjut sebelum menutup rekomendasi.",
        "Write the outcome before closing the recommendation.",
    ),
    "due_before_meeting": (
        "Batas waktu tidak boleh sebelum tanggal rapat ({day}).",
        "The due date cannot be before the meeting ({day}).",
    ),
    "passed_absent": (
        "Peserta yang tidak hadir tidak bisa dinyatakan lulus.",
        "A participant who did not attend cannot pass.",
    ),
    "nip": (
        "NIP terdiri dari 18 angka.",
        "A civil servant number (NIP) has 18 digits.",
    ),
    "issued_future": (
        "Tanggal terbit tidak boleh di masa depan.",
        "The issue date cannot be in the future.",
    ),
    "outside_contract": (
        "Tanggal di luar masa kontrak tenaga ahli ({start} s.d. {end}).",
        "The date is outside the expert's contract ({start} to {end}).",
    ),
}


def message(key: str, lang: str, **values: object) -> str:
    """A validation message in ``lang``."""
    return pick(MESSAGES[key], lang).format(**values)


def merged(values: Mapping[str, Any], row: Any, name: str) -> Any:
    """The value a field will have once the change is applied."""
    if name in values:
        return values[name]
    return getattr(row, name, None) if row is not None else None


def _dates_in_order(
    values: Mapping[str, Any], row: Any, start: str, end: str, lang: str, *, strict: bool
) -> Errors:
    first, last = merged(values, row, start), merged(values, row, end)
    if first is None or last is None:
        return {}
    if last < first or (strict and last == first):
        return {end: [message("end_before_start" if strict else "end_not_after", lang)]}
    return {}


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def check_council_member(
    session: Session, values: Mapping[str, Any], row: Any, lang: str
) -> Errors:
    """A term ends after it starts; the council has one chair at a time (Pasal 5(2)a)."""
    errors = _dates_in_order(values, row, "term_starts_on", "term_ends_on", lang, strict=True)
    if errors or merged(values, row, "position") is not CouncilPosition.KETUA:
        return errors
    starts, ends = merged(values, row, "term_starts_on"), merged(values, row, "term_ends_on")
    query = select(CouncilMember).where(CouncilMember.position == CouncilPosition.KETUA)
    if row is not None:
        query = query.where(CouncilMember.id != row.id)
    for other in session.scalars(query):
        # Two terms overlap unless one ends before the other starts (no end: still running).
        apart = (ends is not None and ends < other.term_starts_on) or (
            other.term_ends_on is not None and other.term_ends_on < starts
        )
        if not apart:
            return {"position": [message("one_chair", lang, name=other.name)]}
    return {}


def check_meeting(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A coordination meeting code, when given, names a meeting of the Pontive Center."""
    code = merged(values, row, "coordination_code")
    if not code:
        return {}
    try:
        coordination_meetings.get_meeting(session, actor=LINK_CHECKER, code=code)
    except NotFound:
        return {"coordination_code": [message("meeting_unknown", lang, code=code)]}
    return {}


def check_recommendation(
    session: Session, values: Mapping[str, Any], row: Any, lang: str
) -> Errors:
    """A programme code names a masterplan programme; a closed recommendation says its
    outcome; the due date is not before the meeting that made it."""
    errors: Errors = {}
    code = merged(values, row, "programme_code")
    if code:
        try:
            masterplan.get_programme(session, code)
        except NotFound:
            errors["programme_code"] = [message("programme_unknown", lang, code=code)]
    status = merged(values, row, "status") or RecommendationStatus.DIAJUKAN
    if status not in OPEN_RECOMMENDATION and not (merged(values, row, "outcome") or "").strip():
        errors["outcome"] = [message("outcome_needed", lang)]
    due_on, meeting_id = merged(values, row, "due_on"), merged(values, row, "meeting_id")
    meeting = session.get(CouncilMeeting, meeting_id) if meeting_id is not None else None
    if due_on is not None and meeting is not None:
        held_on = _as_date(meeting.held_at)
        if due_on < held_on:
            errors["due_on"] = [message("due_before_meeting", lang, day=held_on.isoformat())]
    return errors


def check_period(start: str, end: str) -> Any:
    """A check that ``end`` is not before ``start`` (an agreement, an event, a contract)."""

    def check(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
        return _dates_in_order(values, row, start, end, lang, strict=False)

    return check


def check_participant(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """Only someone who attended can pass; a NIP has its 18 digits."""
    errors: Errors = {}
    nip = values.get("nip")  # personal: checked when sent, never read back here
    if nip and not (len(nip.replace(" ", "")) == NIP_DIGITS and nip.replace(" ", "").isdigit()):
        errors["nip"] = [message("nip", lang)]
    if merged(values, row, "passed") and not merged(values, row, "attended"):
        errors["passed"] = [message("passed_absent", lang)]
    return errors


def check_certification(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """Issued by today; expiring after its issue."""
    errors = _dates_in_order(values, row, "issued_on", "expires_on", lang, strict=True)
    issued = merged(values, row, "issued_on")
    if issued is not None and issued > today_local():
        errors.setdefault("issued_on", []).append(message("issued_future", lang))
    return errors


def check_transfer(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A technology transfer happens within its expert's contract."""
    expert_id, held_on = merged(values, row, "expert_id"), merged(values, row, "held_on")
    expert = session.get(Expert, expert_id) if expert_id is not None else None
    if expert is None or held_on is None:
        return {}
    if held_on < expert.starts_on or (expert.ends_on is not None and held_on > expert.ends_on):
        end = expert.ends_on.isoformat() if expert.ends_on else "-"
        text = message("outside_contract", lang, start=expert.starts_on.isoformat(), end=end)
        return {"held_on": [text]}
    return {}
