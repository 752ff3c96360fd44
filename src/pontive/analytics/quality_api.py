"""JSON routes of the quality part: the flags, with filters (staff who may see analytics)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query

from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.analytics.quality_schemas import FlagPage, FlagRead
from pontive.analytics.quality_service import FlagFilter, FlagRow, list_flags
from pontive.core.timeutil import as_utc
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/analytics", tags=["analytics"])


def _read(row: FlagRow) -> FlagRead:
    flag = row.flag
    return FlagRead(
        id=flag.id,
        kind=flag.kind,
        status=flag.status,
        datastream_id=flag.datastream_id,
        datastream_name=row.stream_name,
        thing_id=flag.thing_id,
        thing_name=row.thing_name,
        quantity=row.quantity,
        observation_id=flag.observation_id,
        period_start=flag.period_start,
        period_end=flag.period_end,
        is_ongoing=flag.is_ongoing,
        detail=flag.detail,
        reviewed_at=flag.reviewed_at,
        created_at=flag.created_at,
    )


def _aware(value: datetime | None) -> datetime | None:
    # A time without a zone is read as UTC, as SensorThings clients send it.
    if value is None:
        return None
    return as_utc(value) if value.tzinfo else value.replace(tzinfo=UTC)


@router.get("/quality/flags", response_model=FlagPage)
def read_flags(
    session: DbSession,
    actor: CurrentActor,
    kind: Annotated[FlagKind | None, Query()] = None,
    status: Annotated[FlagStatus | None, Query()] = None,
    thing_id: Annotated[int | None, Query(ge=1)] = None,
    datastream_id: Annotated[int | None, Query(ge=1)] = None,
    since: Annotated[
        datetime | None, Query(description="Period ends at or after (ISO 8601).")
    ] = None,
    until: Annotated[datetime | None, Query(description="Period starts before (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FlagPage:
    """Data-quality flags of sensor streams, newest first (staff)."""
    chosen = FlagFilter(kind, status, thing_id, datastream_id, _aware(since), _aware(until))
    rows, total = list_flags(session, actor=actor, chosen=chosen, limit=limit, offset=offset)
    return FlagPage(items=[_read(row) for row in rows], total=total, limit=limit, offset=offset)
