"""What the monitoring pages and the masterplan API share: who follows which indicator, the
years of the plan, evidence files read from a form and typed by their content.

A PD officer follows its own agency's indicators only (another agency's answer 404 in the
console, as its tasks do); every other staff role follows all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from pontive.core import permissions
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan.choices import RealisationStatus
from pontive.masterplan.models import (
    Activity,
    Evidence,
    Indicator,
    Masterplan,
    Programme,
    Realisation,
)
from pontive.masterplan.monitoring import MAX_EVIDENCE_BYTES, EvidenceFile
from pontive.masterplan.service import READ, get_indicator

MAX_EVIDENCE_FILES = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def this_year() -> int:
    """The current year in the city's time."""
    return utcnow().astimezone(WIB).year


def today() -> date:
    """Today in the city's time."""
    return utcnow().astimezone(WIB).date()


def is_own_agency_only(actor: Actor) -> bool:
    """Whether ``actor`` follows only its own agency's indicators (a PD officer)."""
    return actor.role is Role.PETUGAS_PD


def may_follow(actor: Actor, indicator: Indicator) -> bool:
    """Whether ``actor`` may see the entries and evidence of ``indicator``."""
    if not permissions.can(actor, READ):
        return False
    return not is_own_agency_only(actor) or indicator.pd_kode == actor.pd_kode


def followed_indicator(session: Session, actor: Actor, code: str) -> Indicator:
    """The indicator ``code`` if ``actor`` may follow it; NotFound otherwise (a PD officer
    does not learn of another agency's entries)."""
    permissions.require(actor, READ)
    indicator = get_indicator(session, code.upper())
    if not may_follow(actor, indicator):
        raise NotFound("Indikator tidak ditemukan.", "Indicator not found.")
    return indicator


def plan_years(session: Session, *, until: int | None = None) -> list[int]:
    """The years of the newest masterplan's period up to ``until`` (this year by default);
    without a masterplan, those of the programmes."""
    until = until or this_year()
    plan = session.scalar(select(Masterplan).order_by(Masterplan.start_year.desc()).limit(1))
    if plan is not None:
        first, last = plan.start_year, plan.end_year
    else:
        spans = session.execute(select(Programme.start_year, Programme.end_year)).all()
        if not spans:
            return [until]
        first, last = min(s for s, _ in spans), max(e for _, e in spans)
    years = list(range(first, min(last, until) + 1))
    return years or [until]


def owner_codes(session: Session) -> dict[str, dict[int, str]]:
    """Programme and activity ids → codes, for showing what an indicator belongs to."""
    return {
        "programme": {
            pid: code for pid, code in session.execute(select(Programme.id, Programme.code))
        },
        "activity": {
            aid: code for aid, code in session.execute(select(Activity.id, Activity.code))
        },
    }


def evidence_type(filename: str, data: bytes, claimed: str) -> str:
    """The type of an evidence file by its content (a browser's claim is not trusted: a
    Windows browser calls a CSV ``application/vnd.ms-excel``); the claim when unrecognised,
    for the service to refuse."""
    name = filename.lower()
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04") and name.endswith(".xlsx"):
        return XLSX
    if name.endswith(".csv") and b"\x00" not in data[:4096]:
        return "text/csv"
    return claimed or "application/octet-stream"


def read_evidence(form: FormData, field: str = "evidence") -> list[EvidenceFile]:
    """The files sent as ``field`` (one byte over the limit is enough for the service to
    refuse one); empty file inputs are skipped."""
    files = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            item.file.seek(0)
            data = item.file.read(MAX_EVIDENCE_BYTES + 1)
            if data:
                kind = evidence_type(item.filename, data, item.content_type or "")
                files.append(EvidenceFile(item.filename, kind, data))
    return files


# --- queries the pages share -------------------------------------------------------------------


def pending_counts(session: Session, indicator_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Entries awaiting verification, per indicator."""
    query = select(Realisation.indicator_id, func.count(Realisation.id)).where(
        Realisation.status == RealisationStatus.SUBMITTED
    )
    if indicator_ids is not None:
        query = query.where(Realisation.indicator_id.in_(list(indicator_ids)))
    return {iid: n for iid, n in session.execute(query.group_by(Realisation.indicator_id))}


def yearly_values(
    session: Session, indicator_ids: Iterable[int], years: Iterable[int]
) -> dict[int, dict[int, float]]:
    """Each indicator's newest verified value of each year (as ``progress`` counts it), in
    one query: indicator id → year → value."""
    wanted = sorted(set(years))
    found: dict[int, dict[int, float]] = defaultdict(dict)
    if not wanted:
        return found
    query = select(Realisation.indicator_id, Realisation.period_date, Realisation.value).where(
        Realisation.indicator_id.in_(list(indicator_ids)),
        Realisation.status == RealisationStatus.VERIFIED,
        Realisation.period_date >= date(wanted[0], 1, 1),
        Realisation.period_date <= date(wanted[-1], 12, 31),
    )
    ordered = query.order_by(Realisation.period_date, Realisation.id)
    for indicator_id, day, value in session.execute(ordered):
        found[indicator_id][day.year] = value
    return found


def get_evidence(session: Session, evidence_id: int) -> tuple[Evidence, Indicator]:
    """An evidence file and the indicator of its entry, or NotFound."""
    evidence = session.get(Evidence, evidence_id)
    indicator = (
        session.get(Indicator, evidence.realisation.indicator_id) if evidence is not None else None
    )
    if evidence is None or indicator is None:
        raise NotFound("Berkas bukti tidak ditemukan.", "Evidence file not found.")
    return evidence, indicator


def entries_by_id(session: Session, ids: Iterable[int]) -> dict[int, Realisation]:
    """Entries by id (the ones corrections replace), in one query."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.scalars(select(Realisation).where(Realisation.id.in_(wanted)))
    return {entry.id: entry for entry in rows}
