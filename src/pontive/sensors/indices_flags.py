"""Writing data-quality flags into observations' ``resultQuality`` (``indices_quality`` says
how), and making the flood status and ISPU true again for the readings they take out or give
back (``indices_refresh``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from pontive.sensors.indices_quality import EXCLUDING, merge_flags, remove_flags
from pontive.sensors.indices_refresh import refresh_indices
from pontive.sensors.models import Observation

_OBS = cast(Table, Observation.__table__)
_CHUNK = 500  # ids per IN list


@dataclass(frozen=True, slots=True)
class Marked:
    """What one marking changed: the rows rewritten and the times the indices must revisit."""

    changed: int
    times: list[datetime]


def write_flags(
    session: Session, *, datastream_id: int, observation_ids: Sequence[int], kind: str, add: bool
) -> Marked:
    """Add ``kind`` to (or remove it from) the ``resultQuality`` of the given observations of
    one stream; then recompute the flood status and ISPU they feed when ``kind`` excludes."""
    changed: list[dict[str, Any]] = []
    for first in range(0, len(observation_ids), _CHUNK):
        rows = session.execute(
            select(_OBS.c.id, _OBS.c.phenomenon_time, _OBS.c.result_quality).where(
                _OBS.c.datastream_id == datastream_id,
                _OBS.c.id.in_(observation_ids[first : first + _CHUNK]),
            )
        )
        for obs_id, when, quality in rows:
            new = merge_flags(quality, [kind]) if add else remove_flags(quality, [kind])
            if new != quality:
                changed.append({"b_id": obs_id, "b_time": when, "b_quality": new})
    if changed:
        statement = (
            update(_OBS)
            # The time is in the key too: on PostgreSQL it prunes to one monthly partition.
            .where(_OBS.c.id == bindparam("b_id"), _OBS.c.phenomenon_time == bindparam("b_time"))
            .values(result_quality=bindparam("b_quality"))
        )
        session.execute(statement, changed)
    times = [row["b_time"] for row in changed]
    if times and kind in EXCLUDING:
        refresh_indices(session, {datastream_id: times})
    return Marked(len(changed), times)
