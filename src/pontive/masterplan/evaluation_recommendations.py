"""The Smart City council's recommendations (Perda 9/2022 Pasal 5(3)c), followed to their
outcome: the council (or an admin) records one for a year, optionally about a dimension and
addressed to an agency; the technical team records the response and its status. Each goes
into the evaluation report of its year. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.masterplan.choices import RecommendationStatus
from pontive.masterplan.models import Evaluation, Recommendation
from pontive.masterplan.service import EVALUATE, RECOMMEND
from pontive.reference import service as reference

Errors = dict[str, list[str]]
TEXT_MAX = 5000


def list_recommendations(session: Session, *, year: int | None = None) -> list[Recommendation]:
    """Recommendations (of ``year``), the newest year first, then in the order given."""
    query = select(Recommendation)
    if year is not None:
        query = query.where(Recommendation.year == year)
    order = (Recommendation.year.desc(), Recommendation.created_at, Recommendation.id)
    return list(session.scalars(query.order_by(*order)))


def get_recommendation(session: Session, recommendation_id: int) -> Recommendation:
    """One recommendation, or NotFound."""
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise NotFound("Rekomendasi tidak ditemukan.", "Recommendation not found.")
    return recommendation


def _state(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "year": recommendation.year,
        "dimensi": recommendation.dimensi_kode,
        "addressed_to": recommendation.addressed_to,
        "text": recommendation.text,
        "status": recommendation.status.value,
        "response": recommendation.response,
    }


def _record(
    session: Session,
    actor: Actor,
    recommendation: Recommendation,
    what: str,
    before: dict[str, Any] | None,
) -> None:
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"masterplan.recommendation.{what}",
        object_type="mp_recommendation",
        object_id=recommendation.id,
        before=before,
        after=_state(recommendation),
    )


def add_recommendation(
    session: Session,
    *,
    actor: Actor,
    year: int,
    text: str,
    dimensi_kode: str | None = None,
    addressed_to: str | None = None,
) -> Recommendation:
    """Record a council recommendation for ``year``."""
    permissions.require(actor, RECOMMEND)
    errors: Errors = {}
    text = text.strip()
    if not 2000 <= year <= 2100:
        errors["year"] = ["Tahun 2000 sampai 2100."]
    if not 10 <= len(text) <= TEXT_MAX:
        errors["text"] = [f"Rekomendasi 10 sampai {TEXT_MAX} huruf."]
    dimensions = {d.kode for d in reference.list_dimensi(session=session)}
    if dimensi_kode and dimensi_kode not in dimensions:
        errors["dimensi_kode"] = ["Pilih salah satu dari enam dimensi."]
    if addressed_to and reference.get_perangkat_daerah(session=session, kode=addressed_to) is None:
        errors["addressed_to"] = ["Pilih Perangkat Daerah yang dituju."]
    if errors:
        raise InvalidInput("Rekomendasi tidak valid.", "Invalid recommendation.", errors=errors)
    evaluation_id = session.scalar(select(Evaluation.id).where(Evaluation.year == year))
    recommendation = Recommendation(
        year=year,
        evaluation_id=evaluation_id,
        dimensi_kode=dimensi_kode or None,
        addressed_to=addressed_to or None,
        text=text,
        status=RecommendationStatus.OPEN,
        created_by=actor.label,
    )
    session.add(recommendation)
    _record(session, actor, recommendation, "added", None)
    return recommendation


def respond(
    session: Session,
    *,
    actor: Actor,
    recommendation: Recommendation,
    status: str,
    response: str,
) -> Recommendation:
    """The technical team's follow-up: the status reached and what was done (or why not)."""
    permissions.require(actor, EVALUATE)
    errors: Errors = {}
    response = response.strip()
    try:
        chosen = RecommendationStatus(status)
    except ValueError:
        errors["status"] = ["Pilih status tindak lanjut."]
        chosen = recommendation.status
    if chosen is not RecommendationStatus.OPEN and len(response) < 5:
        errors["response"] = ["Tuliskan tindak lanjutnya (paling sedikit 5 huruf)."]
    if len(response) > TEXT_MAX:
        errors["response"] = [f"Tanggapan paling banyak {TEXT_MAX} huruf."]
    if errors:
        raise InvalidInput("Tanggapan tidak valid.", "Invalid response.", errors=errors)
    before = _state(recommendation)
    recommendation.status, recommendation.response = chosen, response
    recommendation.updated_at = utcnow()
    _record(session, actor, recommendation, "answered", before)
    return recommendation
