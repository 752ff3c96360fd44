"""Triage use-cases: the live model, suggestions for reports, and the operator's decisions.

A suggestion is made once per report (by the ``analytics.triage`` job for new reports, or
when the report's desk page is opened first) with the live model, and stored with that
model's version. The suggested PD is the complaints catalogue's own routing of the suggested
category at the report's kecamatan. Suggestions are internal: never in public output.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pontive.analytics.triage_choices import Decision, Urgency
from pontive.analytics.triage_model import Prediction, Ranked, Reason, TriageModel, kecamatan_of
from pontive.analytics.triage_models import TriageModelVersion, TriageSuggestion
from pontive.complaints import recategorize
from pontive.complaints import service as complaints
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.intake import route
from pontive.complaints.models import Complaint
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow

TOP_CATEGORIES = 3
JOB_BATCH = 200  # reports suggested per job run at most
_CACHED_MODELS = 4


@dataclass(frozen=True, slots=True)
class LiveModel:
    """The model suggestions are made with now, and its version."""

    version: str
    model: TriageModel


class _ModelCache:
    """Loaded models per process, by version and parameter digest (one read of the bytes
    per version, not per suggestion)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: OrderedDict[tuple[str, str], TriageModel] = OrderedDict()

    def get(self, session: Session, version: str, digest: str) -> TriageModel:
        key = (version, digest)
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        params = session.scalar(
            select(TriageModelVersion.params).where(TriageModelVersion.version == version)
        )
        if params is None:
            raise NotFound(f"Model {version} tidak ditemukan.", f"No model {version}.")
        model = TriageModel.from_bytes(params)
        with self._lock:
            self._models[key] = model
            while len(self._models) > _CACHED_MODELS:
                self._models.popitem(last=False)
        return model

    def clear(self) -> None:
        with self._lock:
            self._models.clear()


_cache = _ModelCache()


def forget_cached_models() -> None:
    """Drop the loaded models (tests that roll back a stored version)."""
    _cache.clear()


def live_version(session: Session) -> TriageModelVersion | None:
    """The live model's row (without loading its parameters' arrays)."""
    return session.scalar(select(TriageModelVersion).where(TriageModelVersion.is_live.is_(True)))


def live_model(session: Session) -> LiveModel | None:
    """The live model, loaded once per process and version; ``None`` before any training."""
    row = session.execute(
        select(TriageModelVersion.version, TriageModelVersion.params_sha256).where(
            TriageModelVersion.is_live.is_(True)
        )
    ).first()
    if row is None:
        return None
    return LiveModel(row.version, _cache.get(session, row.version, row.params_sha256))


# --- suggesting --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggested:
    """A suggestion before it is stored (``suggest``) — what the API returns for a text."""

    model_version: str
    categories: list[Ranked]  # the likeliest active categories, best first
    pd_kode: str | None
    urgency: Ranked
    urgencies: list[Ranked]
    reasons: list[Reason]
    words: tuple[str, ...]
    kelurahan_kode: str | None


def is_active_category(session: Session, code: str) -> bool:
    """Whether ``code`` is an active category of the (cached) complaints catalogue."""
    try:
        complaints.find_category(session, code)
    except NotFound:
        return False
    return True


def _active_codes(session: Session, ranked: list[Ranked]) -> list[Ranked]:
    # A category withdrawn from the catalogue after training is never suggested.
    return [r for r in ranked if is_active_category(session, r.code)]


def route_category(session: Session, category_code: str, kelurahan_kode: str | None) -> str | None:
    """The PD that works ``category_code`` at this kelurahan, as the complaints catalogue
    routes it (``complaints.intake.route``); ``None`` for an unknown category."""
    try:
        category = complaints.find_category(session, category_code)
    except NotFound:
        return None
    return route(session, category, kecamatan_of(kelurahan_kode))


def suggest(
    session: Session,
    live: LiveModel,
    *,
    text: str,
    has_photo: bool,
    kelurahan_kode: str | None,
) -> Suggested:
    """What the live model suggests for a report's text, photo and place."""
    prediction: Prediction = live.model.predict(
        text, has_photo=has_photo, kelurahan_kode=kelurahan_kode
    )
    categories = _active_codes(session, prediction.categories)[:TOP_CATEGORIES]
    if not categories:
        raise Conflict(
            "Model tidak mengenal kategori aktif mana pun: latih ulang model.",
            "The model knows no active category: retrain it.",
        )
    return Suggested(
        model_version=live.version,
        categories=categories,
        pd_kode=route_category(session, categories[0].code, kelurahan_kode),
        urgency=prediction.urgencies[0],
        urgencies=prediction.urgencies,
        reasons=prediction.reasons,
        words=prediction.words,
        kelurahan_kode=kelurahan_kode,
    )


def _has_photo(complaint: Complaint) -> bool:
    return any(not photo.is_fix for photo in complaint.photos)


def _store(session: Session, complaint: Complaint, suggested: Suggested) -> TriageSuggestion:
    best = suggested.categories[0]
    row = TriageSuggestion(
        complaint_id=complaint.id,
        model_version=suggested.model_version,
        category_code=best.code,
        category_probability=round(best.probability, 4),
        alternatives=[
            {"code": r.code, "probability": round(r.probability, 4)} for r in suggested.categories
        ],
        pd_kode=suggested.pd_kode,
        urgency=Urgency(suggested.urgency.code),
        urgency_probability=round(suggested.urgency.probability, 4),
        reasons=[{"term": r.term, "weight": r.weight} for r in suggested.reasons],
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():  # the job and a desk page may race for the same report
            session.add(row)
    except IntegrityError:
        existing = find_suggestion(session, complaint.id)
        if existing is None:
            raise
        return existing
    return row


def find_suggestion(session: Session, complaint_id: int) -> TriageSuggestion | None:
    """The stored suggestion of a report, if any."""
    return session.scalar(
        select(TriageSuggestion).where(TriageSuggestion.complaint_id == complaint_id)
    )


def suggest_for_complaint(
    session: Session, complaint: Complaint, live: LiveModel
) -> TriageSuggestion:
    """Make and store (not commit) the suggestion of one report."""
    suggested = suggest(
        session,
        live,
        text=complaint.public_description,
        has_photo=_has_photo(complaint),
        kelurahan_kode=complaint.kelurahan_kode,
    )
    return _store(session, complaint, suggested)


def ensure_suggestion(session: Session, complaint: Complaint) -> TriageSuggestion | None:
    """The report's suggestion, made now (and committed) if it has none and a model is live."""
    found = find_suggestion(session, complaint.id)
    if found is not None:
        return found
    live = live_model(session)
    if live is None:
        return None
    row = suggest_for_complaint(session, complaint, live)
    session.commit()
    return row


def suggest_new_reports(session: Session, *, limit: int = JOB_BATCH) -> int:
    """Suggest for received reports (status *diterima*) that have no suggestion yet; how many
    were made. Nothing without a live model."""
    live = live_model(session)
    if live is None:
        return 0
    waiting = select(TriageSuggestion.id).where(TriageSuggestion.complaint_id == Complaint.id)
    query = (
        select(Complaint)
        .where(Complaint.status == ComplaintStatus.DITERIMA, ~waiting.exists())
        .order_by(Complaint.created_at, Complaint.id)
        .limit(limit)
    )
    made = 0
    for complaint in session.scalars(query):
        suggest_for_complaint(session, complaint, live)
        made += 1
    session.commit()
    return made


# --- deciding ----------------------------------------------------------------------------------


def _check_choice(session: Session, category_code: str, urgency: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not is_active_category(session, category_code):
        errors["category_code"] = ["Pilih kategori dari katalog."]
    if urgency not in {u.value for u in Urgency}:
        errors["urgency"] = ["Pilih urgensi: tinggi, sedang atau rendah."]
    return errors


def decide(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    accept: bool,
    category_code: str = "",
    urgency: str = "",
) -> TriageSuggestion:
    """Record the operator's decision on a report's suggestion: accepted as it is, or
    corrected to ``category_code`` and ``urgency``. Audited; feeds the next training."""
    permissions.require(actor, complaints.TRIAGE)
    complaint = complaints.get_for_staff(session, actor=actor, tracking_number=tracking_number)
    suggestion = find_suggestion(session, complaint.id)
    if suggestion is None:
        live = live_model(session)
        if live is None:
            raise Conflict(
                "Belum ada model triase: latih model terlebih dahulu.",
                "No triage model yet: train one first.",
            )
        suggestion = suggest_for_complaint(session, complaint, live)
    if accept:
        category_code, urgency = suggestion.category_code, suggestion.urgency.value
    elif errors := _check_choice(session, category_code, urgency):
        raise InvalidInput(errors=errors)
    is_same = category_code == suggestion.category_code and urgency == suggestion.urgency.value
    moves = category_code != complaint.category.code
    if moves and complaint.status not in recategorize.CHANGEABLE:
        raise Conflict(
            "Laporan ini sudah dikerjakan: kategorinya tidak dapat diubah lagi dari sini. "
            "Perangkat Daerah dapat mengembalikannya sebagai 'bukan kewenangan'.",
            "This report is already being worked: its category can no longer change here. "
            "The agency can hand it back as 'not our responsibility'.",
        )
    before = _decision_state(suggestion)
    suggestion.decision = Decision.ACCEPTED if is_same else Decision.CORRECTED
    suggestion.final_category_code = category_code
    suggestion.final_urgency = Urgency(urgency)
    suggestion.final_pd_kode = route_category(session, category_code, complaint.kelurahan_kode)
    suggestion.decided_by = actor.label
    suggestion.decided_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="analytics.triage.decide",
        object_type="complaint",
        object_id=complaint.tracking_number,
        before=before,
        after=_decision_state(suggestion),
    )
    if moves:  # the report itself moves to the decided category (and its agency and SLA)
        recategorize.change_category(
            session=session,
            actor=actor,
            tracking_number=complaint.tracking_number,
            category_code=category_code,
        )
    session.commit()
    return suggestion


def _decision_state(suggestion: TriageSuggestion) -> dict[str, str | None]:
    return {
        "model_version": suggestion.model_version,
        "decision": suggestion.decision.value if suggestion.decision else None,
        "category": suggestion.final_category_code,
        "urgency": suggestion.final_urgency.value if suggestion.final_urgency else None,
        "pd": suggestion.final_pd_kode,
    }


def urgency_of_reports(session: Session, complaint_ids: list[int]) -> dict[int, Urgency]:
    """Each report's triage urgency (the operator's if decided, else the model's), for the
    command center's queue; reports without a suggestion are left out."""
    if not complaint_ids:
        return {}
    rows = session.execute(
        select(
            TriageSuggestion.complaint_id, TriageSuggestion.urgency, TriageSuggestion.final_urgency
        ).where(TriageSuggestion.complaint_id.in_(complaint_ids))
    )
    return {row.complaint_id: row.final_urgency or row.urgency for row in rows}


def get_for_staff(session: Session, *, actor: Actor, tracking_number: str) -> TriageSuggestion:
    """A report's stored suggestion, for those who triage reports."""
    permissions.require(actor, complaints.TRIAGE)
    complaint = complaints.get_for_staff(session, actor=actor, tracking_number=tracking_number)
    found = find_suggestion(session, complaint.id)
    if found is None:
        raise NotFound(
            f"Laporan {complaint.tracking_number} belum punya saran triase.",
            f"Report {complaint.tracking_number} has no triage suggestion yet.",
        )
    return found
