"""The annual evaluation (Perda 9/2022 Pasal 23): the technical team scores the year — the
Smart City evaluation's aspects and the SPBE self-assessment, with a summary and the issues
found — and moves it through draft → reviewed → approved (by the mayor) → sent, then
publishes it. The official report is generated as PDF at approval and stored with its
SHA-256; nothing of the evaluation changes afterwards. Frameworks (weights, rubric, bands)
are configuration the technical team keeps (``save_framework``).

Every change is written to the audit trail inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.masterplan import evaluation_report
from pontive.masterplan.choices import EvaluationStatus
from pontive.masterplan.evaluation_data import frameworks_of, results
from pontive.masterplan.evaluation_frameworks import CITY_KIND, SPBE_KIND
from pontive.masterplan.evaluation_scoring import HIGH, LOW, check_city, check_spbe
from pontive.masterplan.evaluation_scoring import spbe_indicators as spbe_indicator_list
from pontive.masterplan.models import Evaluation, EvaluationFramework, Recommendation
from pontive.masterplan.service import APPROVE_EVALUATION, EVALUATE

Errors = dict[str, list[str]]
Entry = tuple[Any, str]  # (score or level as typed, note)
NOTE_MAX = 2000
TEXT_MAX = 20_000


# --- frameworks ---------------------------------------------------------------------------------


def current_framework(session: Session, kind: str) -> EvaluationFramework:
    """The newest framework of ``kind`` (``smart_city`` or ``spbe``)."""
    query = select(EvaluationFramework).where(EvaluationFramework.kind == kind)
    framework = session.scalar(query.order_by(EvaluationFramework.id.desc()).limit(1))
    if framework is None:
        raise NotFound("Kerangka evaluasi tidak ditemukan.", "Evaluation framework not found.")
    return framework


def save_framework(
    session: Session, *, actor: Actor, kind: str, config: dict[str, Any]
) -> EvaluationFramework:
    """Change a framework's configuration. One that an approved evaluation was scored with is
    kept as it was: the change becomes a new version, which evaluations still in draft or
    review move to."""
    permissions.require(actor, EVALUATE)
    framework = current_framework(session, kind)
    errors = check_city(config) if kind == CITY_KIND else check_spbe(config)
    if errors:
        raise InvalidInput("Kerangka tidak valid.", "Invalid framework.", errors=errors)
    column = Evaluation.framework_id if kind == CITY_KIND else Evaluation.spbe_framework_id
    frozen = (EvaluationStatus.APPROVED, EvaluationStatus.SENT)
    used = session.scalar(
        select(func.count())
        .select_from(Evaluation)
        .where(column == framework.id, Evaluation.status.in_(frozen))
    )
    before = {"version": framework.version, "config": framework.config}
    if used:
        old = framework
        count = session.scalar(
            select(func.count())
            .select_from(EvaluationFramework)
            .where(EvaluationFramework.kind == kind)
        )
        framework = EvaluationFramework(kind=kind, version=f"v{(count or 0) + 1}", name=old.name)
        session.add(framework)
        session.flush()
        open_ones = Evaluation.status.in_((EvaluationStatus.DRAFT, EvaluationStatus.REVIEWED))
        session.execute(
            update(Evaluation)
            .where(column == old.id, open_ones)
            .values({column.key: framework.id})
            .execution_options(synchronize_session="fetch")
        )
    framework.config = dict(config)  # a new object, so the JSON column sees the change
    framework.updated_by, framework.updated_at = actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="masterplan.framework.saved",
        object_type="mp_framework",
        object_id=framework.id,
        before=before,
        after={"version": framework.version, "config": framework.config},
    )
    return framework


# --- evaluations --------------------------------------------------------------------------------


def list_evaluations(session: Session) -> list[Evaluation]:
    """Every evaluation, the newest year first."""
    return list(session.scalars(select(Evaluation).order_by(Evaluation.year.desc())))


def get_evaluation(session: Session, year: int) -> Evaluation:
    """The evaluation of ``year``, or NotFound."""
    evaluation = session.scalar(select(Evaluation).where(Evaluation.year == year))
    if evaluation is None:
        raise NotFound("Evaluasi tahun itu belum ada.", "No evaluation for that year.")
    return evaluation


def state(evaluation: Evaluation) -> dict[str, Any]:
    """What the audit trail keeps of an evaluation."""
    return {
        "year": evaluation.year,
        "status": evaluation.status.value,
        "aspect_scores": evaluation.aspect_scores,
        "spbe_levels": evaluation.spbe_levels,
        "summary": evaluation.summary,
        "issues": evaluation.issues,
        "letter_number": evaluation.letter_number,
        "report_sha256": evaluation.report_sha256,
        "published": evaluation.published_at is not None,
    }


def _record(
    session: Session, actor: Actor, evaluation: Evaluation, what: str, before: dict[str, Any] | None
) -> None:
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"masterplan.evaluation.{what}",
        object_type="mp_evaluation",
        object_id=evaluation.year,
        before=before,
        after=state(evaluation),
    )


def create_evaluation(session: Session, *, actor: Actor, year: int) -> Evaluation:
    """Open the evaluation of ``year`` in draft, with the current frameworks."""
    permissions.require(actor, EVALUATE)
    if not 2000 <= year <= 2100:
        raise InvalidInput(
            "Tahun tidak valid.", "Invalid year.", errors={"year": ["Tahun 2000 sampai 2100."]}
        )
    if session.scalar(select(Evaluation.id).where(Evaluation.year == year)) is not None:
        raise Conflict("Evaluasi tahun itu sudah ada.", "That year is already being evaluated.")
    evaluation = Evaluation(
        year=year,
        status=EvaluationStatus.DRAFT,
        framework_id=current_framework(session, CITY_KIND).id,
        spbe_framework_id=current_framework(session, SPBE_KIND).id,
        aspect_scores={},
        spbe_levels={},
        created_by=actor.label,
    )
    session.add(evaluation)
    session.flush()
    session.execute(
        update(Recommendation)
        .where(Recommendation.year == year, Recommendation.evaluation_id.is_(None))
        .values(evaluation_id=evaluation.id)
        .execution_options(synchronize_session="fetch")
    )
    _record(session, actor, evaluation, "created", None)
    return evaluation


def _editable(actor: Actor, evaluation: Evaluation) -> None:
    permissions.require(actor, EVALUATE)
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise Conflict(
            "Evaluasi hanya dapat diubah selagi draf.", "Only a draft evaluation can be changed."
        )


def _scale(raw: Any, field: str, errors: Errors, *, whole: bool) -> float | None:
    """A score or level as typed: empty is none; otherwise a number on the 1-5 scale."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).replace(",", "."))
    except ValueError:
        value = float("nan")
    if not LOW <= value <= HIGH or (whole and not value.is_integer()):
        kind = "bilangan bulat " if whole else ""
        errors[field] = [f"Isi {kind}{LOW} sampai {HIGH}."]
        return None
    return value


def _entries(
    entries: Mapping[str, Entry], known: list[str], key: str, prefix: str, *, whole: bool
) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    unknown = sorted(set(entries) - set(known))
    if unknown:
        errors["form"] = [f"Kode tidak dikenal: {', '.join(unknown)}."]
    stored: dict[str, Any] = {}
    for code in known:
        if code not in entries:
            continue
        raw, note = entries[code]
        value = _scale(raw, f"{prefix}{code}", errors, whole=whole)
        note = note.strip()
        if len(note) > NOTE_MAX:
            errors[f"note_{code}"] = [f"Catatan paling banyak {NOTE_MAX} huruf."]
        if value is not None or note:
            number: float | int | None = int(value) if whole and value is not None else value
            stored[code] = {key: number, "note": note}
    return stored, errors


def _merge(
    old: Mapping[str, Any], entries: Mapping[str, Entry], stored: dict[str, Any]
) -> dict[str, Any]:
    """What was stored, with the codes posted replaced (emptied ones removed); a new
    object, so the JSON column sees the change."""
    merged = {code: value for code, value in old.items() if code not in entries}
    return merged | stored


def save_aspects(
    session: Session, *, actor: Actor, evaluation: Evaluation, entries: Mapping[str, Entry]
) -> Evaluation:
    """Score the Smart City aspects: code → (score 1-5 or empty, note)."""
    _editable(actor, evaluation)
    city, _spbe = frameworks_of(session, evaluation)
    codes = [a["code"] for a in city.config.get("aspects", [])]
    stored, errors = _entries(entries, codes, "score", "score_", whole=False)
    if errors:
        raise InvalidInput("Skor aspek tidak valid.", "Invalid aspect scores.", errors=errors)
    before = state(evaluation)
    evaluation.aspect_scores = _merge(evaluation.aspect_scores, entries, stored)
    _record(session, actor, evaluation, "aspects_scored", before)
    return evaluation


def save_spbe(
    session: Session, *, actor: Actor, evaluation: Evaluation, entries: Mapping[str, Entry]
) -> Evaluation:
    """Give SPBE indicators their maturity levels: code → (level 1-5 or empty, note)."""
    _editable(actor, evaluation)
    _city, spbe = frameworks_of(session, evaluation)
    codes = [i["code"] for i in spbe_indicator_list(spbe.config)]
    stored, errors = _entries(entries, codes, "level", "level_", whole=True)
    if errors:
        raise InvalidInput("Tingkat SPBE tidak valid.", "Invalid SPBE levels.", errors=errors)
    before = state(evaluation)
    evaluation.spbe_levels = _merge(evaluation.spbe_levels, entries, stored)
    _record(session, actor, evaluation, "spbe_scored", before)
    return evaluation


def save_narrative(
    session: Session,
    *,
    actor: Actor,
    evaluation: Evaluation,
    summary: str,
    issues: str,
    letter_number: str = "",
) -> Evaluation:
    """The executive summary, the issues found, and the covering letter's number if known."""
    _editable(actor, evaluation)
    errors: Errors = {}
    summary, issues, letter_number = summary.strip(), issues.strip(), letter_number.strip()
    if len(summary) > TEXT_MAX:
        errors["summary"] = [f"Ringkasan paling banyak {TEXT_MAX} huruf."]
    if len(issues) > TEXT_MAX:
        errors["issues"] = [f"Permasalahan paling banyak {TEXT_MAX} huruf."]
    if len(letter_number) > 120:
        errors["letter_number"] = ["Nomor surat paling banyak 120 huruf."]
    if errors:
        raise InvalidInput("Isian tidak valid.", "Invalid input.", errors=errors)
    before = state(evaluation)
    evaluation.summary, evaluation.issues = summary, issues
    evaluation.letter_number = letter_number or None
    _record(session, actor, evaluation, "narrative_saved", before)
    return evaluation


# --- the workflow -------------------------------------------------------------------------------


def _expect(evaluation: Evaluation, *allowed: EvaluationStatus) -> None:
    if evaluation.status not in allowed:
        raise Conflict(
            f"Langkah ini tidak berlaku untuk evaluasi berstatus {evaluation.status.label('id')}.",
            f"This step does not apply to an evaluation that is {evaluation.status.label('en')}.",
        )


def review(session: Session, *, actor: Actor, evaluation: Evaluation) -> Evaluation:
    """Draft → reviewed: every aspect and indicator scored and the summary written."""
    permissions.require(actor, EVALUATE)
    _expect(evaluation, EvaluationStatus.DRAFT)
    city, spbe = results(session, evaluation)
    errors: Errors = {}
    if city.missing:
        errors["aspects"] = [f"Aspek belum dinilai: {', '.join(city.missing)}."]
    if spbe.missing:
        errors["spbe"] = [f"Indikator SPBE belum dinilai: {', '.join(spbe.missing)}."]
    if len(evaluation.summary.strip()) < 20:
        errors["summary"] = ["Tulis ringkasan eksekutif (paling sedikit 20 huruf)."]
    if errors:
        raise InvalidInput(
            "Evaluasi belum lengkap.", "The evaluation is incomplete.", errors=errors
        )
    before = state(evaluation)
    evaluation.status = EvaluationStatus.REVIEWED
    evaluation.reviewed_by, evaluation.reviewed_at = actor.label, utcnow()
    _record(session, actor, evaluation, "reviewed", before)
    return evaluation


def _require_any(actor: Actor, *actions: str) -> None:
    if not any(permissions.can(actor, action) for action in actions):
        permissions.require(actor, actions[0])  # raises the right error
        raise PermissionDenied()


def return_to_draft(
    session: Session, *, actor: Actor, evaluation: Evaluation, note: str
) -> Evaluation:
    """Reviewed → draft, with the reason (by the technical team or the mayor)."""
    _require_any(actor, EVALUATE, APPROVE_EVALUATION)
    _expect(evaluation, EvaluationStatus.REVIEWED)
    if not 5 <= len(note.strip()) <= NOTE_MAX:
        raise InvalidInput(
            "Sebutkan alasannya.", "Give the reason.", errors={"note": ["Alasan 5-2000 huruf."]}
        )
    before = state(evaluation) | {"note": note.strip()}
    evaluation.status, evaluation.reviewed_by, evaluation.reviewed_at = (
        EvaluationStatus.DRAFT,
        None,
        None,
    )
    _record(session, actor, evaluation, "returned", before)
    return evaluation


def approve(
    session: Session,
    *,
    actor: Actor,
    evaluation: Evaluation,
    media: MediaStore,
    letter_number: str = "",
    now: datetime | None = None,
) -> Evaluation:
    """Reviewed → approved by the mayor: the report PDF is generated, stored with its
    SHA-256, and from now on is what the report is."""
    permissions.require(actor, APPROVE_EVALUATION)
    _expect(evaluation, EvaluationStatus.REVIEWED)
    if len(letter_number.strip()) > 120:
        raise InvalidInput(
            "Nomor surat terlalu panjang.",
            "Letter number too long.",
            errors={"letter_number": ["Nomor surat paling banyak 120 huruf."]},
        )
    before = state(evaluation)
    evaluation.letter_number = letter_number.strip() or evaluation.letter_number
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.approved_by, evaluation.approved_at = actor.label, now or utcnow()
    session.flush()
    document = evaluation_report.render_report(session, evaluation)
    evaluation.report_key = media.save(document, folder="masterplan/evaluations", suffix=".pdf")
    evaluation.report_sha256 = hashlib.sha256(document).hexdigest()
    _record(session, actor, evaluation, "approved", before)
    return evaluation


def mark_sent(
    session: Session,
    *,
    actor: Actor,
    evaluation: Evaluation,
    letter_number: str,
    now: datetime | None = None,
) -> Evaluation:
    """Approved → sent to the mayor with the copy to the ministry, under the covering
    letter's number (the one printed in the report when it already had one)."""
    permissions.require(actor, EVALUATE)
    _expect(evaluation, EvaluationStatus.APPROVED)
    number = letter_number.strip()
    errors: Errors = {}
    if evaluation.letter_number and number and number != evaluation.letter_number:
        errors["letter_number"] = [
            f"Laporan yang disetujui memuat nomor {evaluation.letter_number}; nomor itu dipakai."
        ]
    elif not (number or evaluation.letter_number) or len(number) > 120:
        errors["letter_number"] = ["Isi nomor surat pengantar (paling banyak 120 huruf)."]
    if errors:
        raise InvalidInput("Nomor surat tidak valid.", "Invalid letter number.", errors=errors)
    before = state(evaluation)
    evaluation.letter_number = evaluation.letter_number or number
    evaluation.status, evaluation.sent_at = EvaluationStatus.SENT, now or utcnow()
    _record(session, actor, evaluation, "sent", before)
    return evaluation


def publish(session: Session, *, actor: Actor, evaluation: Evaluation) -> Evaluation:
    """Make the approved report public (``/smartcity/evaluasi/<year>.pdf``)."""
    _require_any(actor, EVALUATE, APPROVE_EVALUATION)
    _expect(evaluation, EvaluationStatus.APPROVED, EvaluationStatus.SENT)
    if evaluation.published_at is not None:
        raise Conflict("Laporan sudah dipublikasikan.", "The report is already published.")
    before = state(evaluation)
    evaluation.published_at = utcnow()
    _record(session, actor, evaluation, "published", before)
    return evaluation


def report_document(session: Session, *, evaluation: Evaluation, media: MediaStore) -> bytes:
    """The report as PDF: the stored copy once approved, a draft rendering before."""
    if evaluation.report_key:
        return media.read(evaluation.report_key)
    return evaluation_report.render_report(session, evaluation)


def public_report(session: Session, *, year: int, media: MediaStore) -> bytes:
    """The published report of ``year`` (NotFound when it is not public)."""
    evaluation = session.scalar(select(Evaluation).where(Evaluation.year == year))
    if evaluation is None or evaluation.published_at is None or not evaluation.report_key:
        raise NotFound("Laporan evaluasi tidak ditemukan.", "Evaluation report not found.")
    return media.read(evaluation.report_key)
