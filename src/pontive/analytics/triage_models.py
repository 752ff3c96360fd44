"""Tables of the triage part of analytics: trained model versions and the suggestions made
with them, with the operator's decision on each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pontive.analytics.triage_choices import Decision, Urgency
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class TriageModelVersion(Base):
    """One trained triage model: its metrics and its parameters as portable arrays."""

    __tablename__ = "an_triage_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)  # "tri-2026.11.30-1"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    # The one model suggestions are made with now.
    is_live: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Training examples by source: {"seed": 650, "history": 40}.
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Held-out evaluation (triage_evaluate.Evaluation.as_dict).
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Vocabulary, idf, coefficients, intercepts and classes as numpy .npz bytes (no pickle).
    params_format: Mapped[str] = mapped_column(String(40))
    params: Mapped[bytes] = mapped_column(LargeBinary)
    params_sha256: Mapped[str] = mapped_column(String(64))


class TriageSuggestion(Base):
    """What the model suggested for one report, and what the operator then decided."""

    __tablename__ = "an_triage_suggestions"
    __table_args__ = (Index("ix_an_triage_suggestions_decided_at", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), unique=True
    )
    model_version: Mapped[str] = mapped_column(String(40), index=True)
    category_code: Mapped[str] = mapped_column(String(40))
    category_probability: Mapped[float] = mapped_column(Float)
    # The three likeliest categories, best first: [{"code": …, "probability": …}].
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pd_kode: Mapped[str | None] = mapped_column(String(40))
    urgency: Mapped[Urgency] = mapped_column(choice_column(Urgency))
    urgency_probability: Mapped[float] = mapped_column(Float)
    # The terms that spoke most for the category: [{"term": …, "weight": …}].
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision | None] = mapped_column(choice_column(Decision), index=True)
    final_category_code: Mapped[str | None] = mapped_column(String(40))
    final_pd_kode: Mapped[str | None] = mapped_column(String(40))
    final_urgency: Mapped[Urgency | None] = mapped_column(choice_column(Urgency))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_decided(self) -> bool:
        """Whether an operator has accepted or corrected it."""
        return self.decision is not None
