"""Turning findings into flags: new ones stored, continuing ones extended, the flagged readings
marked in their ``resultQuality`` through the sensors service.

A finding that overlaps (or touches) a flag of the same kind in the same stream extends it: a
stuck run or a gap seen again by the next run, with the overlap every run reads, is one flag
whose period grows, never two. A spike is one reading: the same reading is the same flag.
A dismissed flag keeps growing too (people said the data is right), but its readings are not
marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.quality_checks import Finding
from pontive.analytics.quality_choices import MARKED_KINDS, POINT_KINDS, FlagKind, FlagStatus
from pontive.analytics.quality_models import QualityFlag
from pontive.core.identity import Actor
from pontive.sensors import service as sensors
from pontive.sensors.models import Observation


def instant(seconds: float) -> datetime:
    """An aware UTC instant from epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)


def readings_in(session: Session, datastream_id: int, start: datetime, end: datetime) -> list[int]:
    """Ids of a stream's observations with phenomenon time in ``[start, end]``."""
    return list(
        session.scalars(
            select(Observation.id).where(
                Observation.datastream_id == datastream_id,
                Observation.phenomenon_time >= start,
                Observation.phenomenon_time <= end,
            )
        )
    )


def mark(
    session: Session, actor: Actor, flag: QualityFlag, ids: Sequence[int], *, flagged: bool
) -> int:
    """Write (or take away) ``flag``'s kind in the ``resultQuality`` of readings ``ids``."""
    if flag.kind not in MARKED_KINDS or not ids:
        return 0
    return sensors.mark_quality(
        session=session,
        actor=actor,
        datastream_id=flag.datastream_id,
        observation_ids=ids,
        kind=flag.kind.value,
        flagged=flagged,
    )


@dataclass
class FlagWriter:
    """Stores the findings of one run, one stream at a time."""

    session: Session
    actor: Actor
    created: dict[FlagKind, int] = field(default_factory=dict)
    extended: int = 0

    def _nearby(self, datastream_id: int, since: datetime) -> list[QualityFlag]:
        return list(
            self.session.scalars(
                select(QualityFlag).where(
                    QualityFlag.datastream_id == datastream_id,
                    QualityFlag.period_end >= since,
                )
            )
        )

    def apply(
        self, *, datastream_id: int, thing_id: int, findings: Sequence[Finding], touch: float
    ) -> None:
        """Store ``findings`` of one stream (``touch``: seconds apart that still continue a
        period flag, about one reporting interval)."""
        if not findings:
            return
        earliest = instant(min(f.start for f in findings)) - timedelta(days=1)
        known = self._nearby(datastream_id, earliest)
        for finding in sorted(findings, key=lambda f: f.start):
            start, end = instant(finding.start), instant(finding.end)
            same = self._match(known, finding, start, end, touch)
            if same is None:
                flag = self._create(datastream_id, thing_id, finding, start, end)
                known.append(flag)
                ids = list(finding.observation_ids) or self._period_ids(flag)
                mark(self.session, self.actor, flag, ids, flagged=True)
            else:
                self._extend(same, finding, start, end)

    @staticmethod
    def _match(
        known: Sequence[QualityFlag],
        finding: Finding,
        start: datetime,
        end: datetime,
        touch: float,
    ) -> QualityFlag | None:
        slack = timedelta(seconds=0 if finding.kind in POINT_KINDS else touch)
        for flag in known:
            if flag.kind is not finding.kind:
                continue
            if finding.kind in POINT_KINDS:
                if flag.period_start == start:
                    return flag
            elif flag.period_start - slack <= end and start <= flag.period_end + slack:
                return flag
        return None

    def _create(
        self, datastream_id: int, thing_id: int, finding: Finding, start: datetime, end: datetime
    ) -> QualityFlag:
        flag = QualityFlag(
            datastream_id=datastream_id,
            thing_id=thing_id,
            observation_id=finding.observation_ids[0] if finding.observation_ids else None,
            kind=finding.kind,
            period_start=start,
            period_end=end,
            is_ongoing=finding.is_open,
            detail=dict(finding.detail),
            status=FlagStatus.OPEN,
            review_note="",
        )
        self.session.add(flag)
        self.session.flush()
        self.created[finding.kind] = self.created.get(finding.kind, 0) + 1
        return flag

    def _period_ids(self, flag: QualityFlag) -> list[int]:
        if flag.kind is FlagKind.GAP:
            return []
        return readings_in(self.session, flag.datastream_id, flag.period_start, flag.period_end)

    def _extend(self, flag: QualityFlag, finding: Finding, start: datetime, end: datetime) -> None:
        grows = start < flag.period_start or end > flag.period_end
        if not grows and flag.is_ongoing == finding.is_open:
            return
        if end >= flag.period_end:
            flag.is_ongoing = finding.is_open
            flag.detail = dict(finding.detail)  # the numbers of the latest look
        flag.period_start, flag.period_end = (
            min(start, flag.period_start),
            max(end, flag.period_end),
        )
        self.session.flush()
        self.extended += 1
        if flag.status is not FlagStatus.DISMISSED:
            ids = list(finding.observation_ids) or self._period_ids(flag)
            mark(self.session, self.actor, flag, ids, flagged=True)
