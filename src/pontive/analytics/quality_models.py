"""Tables of the quality part of analytics: the flags the checks raise and how far each
stream has been checked.

A flag covers a period of one Datastream (a spike: one reading, ``period_start`` =
``period_end``); the readings in it carry the flag in their ``resultQuality`` too (except a
gap, which has none). ``(datastream_id, kind, period_start)`` is unique: running the checks
twice over the same data finds the same flags and adds none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class QualityFlag(Base):
    """Something a data-quality check found in one stream, and its review."""

    __tablename__ = "an_quality_flags"
    __table_args__ = (
        UniqueConstraint("datastream_id", "kind", "period_start"),
        Index("ix_an_quality_flags_status_start", "status", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), index=True
    )
    # The station, for the console's filters and counts (a Datastream never changes Thing).
    thing_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_things.id", ondelete="CASCADE"), index=True
    )
    # The (first) reading flagged; no foreign key: raw history expires (retention).
    observation_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[FlagKind] = mapped_column(choice_column(FlagKind), index=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    is_ongoing: Mapped[bool] = mapped_column(Boolean, default=False)  # a gap still open
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # the numbers that raised it
    status: Mapped[FlagStatus] = mapped_column(choice_column(FlagStatus), default=FlagStatus.OPEN)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class QualityWatermark(Base):
    """How far the checks have looked at one stream."""

    __tablename__ = "an_quality_watermarks"

    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), primary_key=True
    )
    # Observations with a higher id are new to the checks (late arrivals included).
    last_observation_id: Mapped[int] = mapped_column(BigInteger, default=0)
    # The last whole hour the drift check has judged (it looks at hourly means).
    drift_checked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
