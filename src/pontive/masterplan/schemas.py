"""Masterplan API shapes: the programme tree with its progress, programmes, indicators with
their targets and status, realisation entries, pushed values, bulk imports and reviews.

Progress and achievement are shares (0-1, ``null`` when not measured); instants are ISO 8601
UTC; a realisation's ``date`` is the day the value describes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pontive.masterplan.choices import (
    Direction,
    EntrySource,
    Rag,
    RealisationStatus,
    SourceKind,
)
from pontive.masterplan.models import Indicator, Programme, Realisation
from pontive.masterplan.monitoring import MAX_IMPORT_ROWS, ImportReport, RowProblem
from pontive.masterplan.progress import IndicatorStatus, Node

NOTE_MAX = 2000

# --- the tree ----------------------------------------------------------------------------------


class IndicatorProgress(BaseModel):
    """An indicator's standing in the year asked."""

    code: str
    name: str
    unit: str
    weight: float
    value: float | None
    target: float | None
    achievement: float | None
    rag: Rag
    is_live: bool = Field(description="Computed now rather than a recorded value.")

    @classmethod
    def of(cls, status: IndicatorStatus) -> IndicatorProgress:
        """The API view of ``status``."""
        indicator = status.indicator
        return cls(
            code=indicator.code,
            name=indicator.name_id,
            unit=indicator.unit,
            weight=indicator.weight,
            value=status.value,
            target=status.target,
            achievement=status.achievement,
            rag=status.rag,
            is_live=status.is_live,
        )


class ProgressNode(BaseModel):
    """An activity, programme or dimension with its weighted progress (0-1)."""

    code: str
    name: str
    weight: float
    progress: float | None
    rag: Rag
    indicators: list[IndicatorProgress]
    children: list[ProgressNode]

    @classmethod
    def of(cls, node: Node) -> ProgressNode:
        """The API view of ``node`` and everything under it."""
        return cls(
            code=node.key,
            name=node.name,
            weight=node.weight,
            progress=node.progress,
            rag=node.rag,
            indicators=[IndicatorProgress.of(s) for s in node.indicators],
            children=[cls.of(child) for child in node.children],
        )


class DimensionTree(BaseModel):
    """The six dimensions → programmes → activities in one year."""

    year: int
    dimensions: list[ProgressNode]


# --- programmes and indicators ---------------------------------------------------------------


class ActivityRead(BaseModel):
    """An activity of a programme."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    description: str
    pd_kode: str
    start_year: int
    end_year: int
    weight: float
    kelurahan_kodes: list[str]


class ProgrammeRead(BaseModel):
    """A programme with its activities."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    description: str
    dimensi_kode: str
    prioritas_kode: str | None
    pd_kode: str
    start_year: int
    end_year: int
    weight: float
    kelurahan_kodes: list[str]
    dataset_names: list[str]
    is_quick_win: bool
    activities: list[ActivityRead]

    @classmethod
    def of(cls, programme: Programme) -> ProgrammeRead:
        """The API view of ``programme``."""
        return cls.model_validate(programme)


class TargetRead(BaseModel):
    """An indicator's target for one year."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    value: float


class IndicatorRead(BaseModel):
    """An indicator: what it measures (Satu Data metadata), how it is judged, its targets."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name_id: str
    name_en: str
    unit: str
    programme_code: str | None
    activity_code: str | None
    pd_kode: str
    weight: float
    direction: Direction
    band_low: float | None
    band_high: float | None
    band_tolerance: float | None
    green_at: float
    amber_at: float
    baseline_value: float | None
    baseline_year: int | None
    konsep: str
    definisi: str
    metode: str
    sumber: str
    frekuensi: str
    source_kind: SourceKind
    live_metric: str | None
    targets: list[TargetRead]

    @classmethod
    def of(cls, indicator: Indicator, owners: dict[str, dict[int, str]]) -> IndicatorRead:
        """The API view of ``indicator``; ``owners`` maps programme and activity ids to
        codes (``{"programme": {...}, "activity": {...}}``)."""
        values: dict[str, Any] = {
            name: getattr(indicator, name)
            for name in IndicatorRead.model_fields
            if name not in ("programme_code", "activity_code", "targets")
        }
        return cls(
            **values,
            programme_code=owners["programme"].get(indicator.programme_id or 0),
            activity_code=owners["activity"].get(indicator.activity_id or 0),
            targets=[TargetRead.model_validate(t) for t in indicator.targets],
        )


class EvidenceRead(BaseModel):
    """An evidence file of an entry (downloadable by staff in the console)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int


class RealisationRead(BaseModel):
    """One realisation entry. ``entered_by`` and ``verified_by`` are given to staff only."""

    id: int
    indicator_code: str
    date: dt.date
    value: float
    note: str
    status: RealisationStatus
    source: EntrySource
    pd_kode: str | None
    entered_by: str | None
    entered_at: dt.datetime
    verified_by: str | None
    verified_at: dt.datetime | None
    review_note: str
    replaces_id: int | None
    import_batch: str | None
    evidence: list[EvidenceRead]

    @classmethod
    def of(cls, entry: Realisation, code: str, *, with_people: bool = True) -> RealisationRead:
        """The API view of ``entry`` (of the indicator ``code``)."""
        return cls(
            id=entry.id,
            indicator_code=code,
            date=entry.period_date,
            value=entry.value,
            note=entry.note,
            status=entry.status,
            source=entry.source,
            pd_kode=entry.pd_kode,
            entered_by=entry.entered_by if with_people else None,
            entered_at=entry.entered_at,
            verified_by=entry.verified_by if with_people else None,
            verified_at=entry.verified_at,
            review_note=entry.review_note if with_people else "",
            replaces_id=entry.replaces_id,
            import_batch=entry.import_batch,
            evidence=[EvidenceRead.model_validate(e) for e in entry.evidence]
            if with_people
            else [],
        )


class IndicatorDetail(IndicatorRead):
    """An indicator with its status in ``year`` and its recent entries (the public sees
    verified entries only)."""

    year: int
    status: IndicatorProgress
    recent: list[RealisationRead]


# --- writes ------------------------------------------------------------------------------------


class RealisationPush(BaseModel):
    """A value pushed by another system (or typed by hand)."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(description="The day the value describes (not in the future).")
    value: float
    note: str = Field(default="", max_length=NOTE_MAX)

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("the value must be a finite number")
        return value


class ImportRow(BaseModel):
    """One row of a JSON import (the same columns as the CSV/XLSX template)."""

    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(max_length=40)
    date: str = Field(max_length=40, description="YYYY-MM-DD")
    value: str | float = Field(description="A number; a decimal comma is accepted in text.")
    note: str = Field(default="", max_length=NOTE_MAX)

    def cells(self) -> list[str]:
        """The row as the import reads a file's row."""
        value = self.value if isinstance(self.value, str) else repr(self.value)
        return [self.indicator, self.date, value, self.note]


class ImportRows(BaseModel):
    """A JSON import: every row is checked, then all are stored or none."""

    model_config = ConfigDict(extra="forbid")

    rows: list[ImportRow] = Field(max_length=MAX_IMPORT_ROWS)


class ImportProblem(BaseModel):
    """One problem of a refused import. For a file, ``row`` counts the header as row 1; for
    JSON rows it is the row's position in ``rows``, from 1."""

    row: int
    column: str
    message: str

    @classmethod
    def of(cls, problem: RowProblem, *, offset: int = 0) -> ImportProblem:
        """The API view of ``problem`` (``offset`` shifts file rows to JSON positions)."""
        return cls(row=problem.row - offset, column=problem.column, message=problem.message)


class ImportResult(BaseModel):
    """A stored import: how many rows, under which batch."""

    rows: int
    stored: int
    batch: str | None

    @classmethod
    def of(cls, report: ImportReport) -> ImportResult:
        """The API view of a stored ``report``."""
        return cls(rows=report.rows, stored=report.stored, batch=report.batch)


class ImportRefused(BaseModel):
    """A refused import (422): nothing was stored. ``errors`` is the platform's error shape;
    ``problems`` lists every problem by row and column."""

    detail: str
    errors: dict[str, list[str]]
    problems: list[ImportProblem]


class ReviewWrite(BaseModel):
    """The technical team's verdict on a submitted entry (a rejection needs its reason)."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    note: str = Field(default="", max_length=NOTE_MAX)
