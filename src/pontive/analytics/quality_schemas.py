"""JSON shapes of the quality part: a flag as the API shows it (no personal data: who
reviewed it stays in the console and the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from pontive.analytics.quality_choices import FlagKind, FlagStatus


class FlagRead(BaseModel):
    """One data-quality flag."""

    id: int
    kind: FlagKind
    status: FlagStatus
    datastream_id: int
    datastream_name: str
    thing_id: int
    thing_name: str
    quantity: str | None
    observation_id: int | None
    period_start: datetime
    period_end: datetime
    is_ongoing: bool
    detail: dict[str, Any]
    reviewed_at: datetime | None
    created_at: datetime


class FlagPage(BaseModel):
    """A page of flags, newest first."""

    items: list[FlagRead]
    total: int
    limit: int
    offset: int
