"""JSON routes of the triage part of analytics (``/api/v1/analytics/triage``), staff only:
the live model's metrics, a suggestion for any text (integrations, tests), and the stored
suggestion of a report."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.analytics import access, triage_service
from pontive.analytics.triage_choices import Urgency
from pontive.analytics.triage_models import TriageSuggestion
from pontive.analytics.triage_schemas import (
    RankedRead,
    ReasonRead,
    StoredSuggestionRead,
    SuggestionRead,
    SuggestRequest,
    TriageModelRead,
)
from pontive.complaints import service as complaints
from pontive.core import permissions
from pontive.core.errors import NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession, Lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/analytics", tags=["analytics"])


def _names(session: Session, lang: str) -> dict[str, str]:
    return {c.code: c.name(lang) for c in complaints.list_categories(session, active_only=False)}


def _require_triage_or_train(actor: Actor) -> None:
    if not (permissions.can(actor, complaints.TRIAGE) or permissions.can(actor, access.TRAIN)):
        raise PermissionDenied


@router.get("/triage/model", response_model=TriageModelRead)
def read_model(session: DbSession, actor: CurrentActor) -> TriageModelRead:
    """The live triage model and its held-out metrics."""
    permissions.require(actor, access.VIEW)
    live = triage_service.live_version(session)
    if live is None:
        raise NotFound("Belum ada model triase.", "No triage model yet.")
    return TriageModelRead(
        version=live.version,
        created_at=live.created_at,
        created_by=live.created_by,
        counts=live.counts,
        metrics=live.metrics,
    )


@router.post("/triage/suggest", response_model=SuggestionRead)
def suggest(
    body: SuggestRequest, session: DbSession, actor: CurrentActor, lang: Lang
) -> SuggestionRead:
    """What the live model suggests for a text (nothing is stored)."""
    _require_triage_or_train(actor)
    live = triage_service.live_model(session)
    if live is None:
        raise NotFound("Belum ada model triase.", "No triage model yet.")
    kelurahan = None
    if body.lon is not None and body.lat is not None:
        kelurahan = reference.resolve_location(
            session=session, lon=body.lon, lat=body.lat
        ).kelurahan_kode
    suggested = triage_service.suggest(
        session, live, text=body.text, has_photo=body.has_photo, kelurahan_kode=kelurahan
    )
    names = _names(session, lang)
    ranked = [
        RankedRead(code=r.code, name=names.get(r.code, r.code), probability=round(r.probability, 4))
        for r in suggested.categories
    ]
    return SuggestionRead(
        model_version=suggested.model_version,
        category=ranked[0],
        alternatives=ranked[1:],
        pd_kode=suggested.pd_kode,
        urgency=RankedRead(
            code=suggested.urgency.code,
            name=Urgency(suggested.urgency.code).label(lang),
            probability=round(suggested.urgency.probability, 4),
        ),
        reasons=[ReasonRead(term=r.term, weight=r.weight) for r in suggested.reasons],
        kelurahan_kode=kelurahan,
    )


def _stored(
    row: TriageSuggestion, tracking: str, names: dict[str, str], lang: str
) -> StoredSuggestionRead:
    ranked = [
        RankedRead(
            code=a["code"], name=names.get(a["code"], a["code"]), probability=a["probability"]
        )
        for a in row.alternatives
    ]
    return StoredSuggestionRead(
        tracking_number=tracking,
        model_version=row.model_version,
        category=ranked[0],
        alternatives=ranked[1:],
        pd_kode=row.pd_kode,
        urgency=RankedRead(
            code=row.urgency.value,
            name=row.urgency.label(lang),
            probability=row.urgency_probability,
        ),
        reasons=[ReasonRead(term=r["term"], weight=r["weight"]) for r in row.reasons],
        created_at=row.created_at,
        decision=row.decision,
        final_category_code=row.final_category_code,
        final_pd_kode=row.final_pd_kode,
        final_urgency=row.final_urgency,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


@router.get("/triage/complaints/{tracking}", response_model=StoredSuggestionRead)
def read_complaint_suggestion(
    tracking: str, session: DbSession, actor: CurrentActor, lang: Lang
) -> StoredSuggestionRead:
    """A report's stored suggestion and the operator's decision (command center only)."""
    row = triage_service.get_for_staff(session, actor=actor, tracking_number=tracking)
    return _stored(row, tracking.strip().upper(), _names(session, lang), lang)
