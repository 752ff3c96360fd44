"""JSON shapes of the triage API (staff only: suggestions never reach public output)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from pontive.analytics.triage_choices import Decision, Urgency


class SuggestRequest(BaseModel):
    """A report's text, whether it has a photo, and where it is (optional)."""

    text: str = Field(min_length=3, max_length=4000)
    has_photo: bool = False
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)

    @field_validator("text", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class RankedRead(BaseModel):
    """A category (or urgency) and the model's probability for it."""

    code: str
    name: str
    probability: float


class ReasonRead(BaseModel):
    """A term of the text and how much it spoke for the suggested category."""

    term: str
    weight: float


class SuggestionRead(BaseModel):
    """The model's suggestion: category (with the next two), PD, urgency, and why."""

    model_version: str
    category: RankedRead
    alternatives: list[RankedRead]
    pd_kode: str | None
    urgency: RankedRead
    reasons: list[ReasonRead]
    kelurahan_kode: str | None = None
    created_at: datetime | None = None


class StoredSuggestionRead(SuggestionRead):
    """A report's stored suggestion with the operator's decision, if any."""

    tracking_number: str
    decision: Decision | None
    final_category_code: str | None
    final_pd_kode: str | None
    final_urgency: Urgency | None
    decided_by: str | None
    decided_at: datetime | None


class TriageModelRead(BaseModel):
    """The live model: when, by whom, on what it was trained, and its held-out metrics."""

    version: str
    created_at: datetime
    created_by: str
    counts: dict[str, int]
    metrics: dict[str, Any]
