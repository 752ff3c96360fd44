"""Budget API shapes: lines with their quarters, the realisation of a quarter, totals by a
key, and an import's report.

Amounts are rupiah with two decimals, answered as decimal strings (``"1250000.00"``, exact);
they are sent as JSON numbers or such strings. Times are ISO 8601 UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from pontive.budget import service
from pontive.budget.choices import Category, FundingSource
from pontive.budget.models import BudgetLine

Amount = Annotated[Decimal, Field(ge=0, lt=Decimal(10) ** 16, decimal_places=2)]
Quarter = Annotated[int, Field(ge=1, le=4)]
Code = Annotated[str, Field(max_length=60)]
CENTS = Decimal("0.01")


def money(value: Decimal | int) -> Decimal:
    """An amount with its two decimals (a new quarter's zero is ``0`` until read back)."""
    return Decimal(value).quantize(CENTS)


class QuarterRead(BaseModel):
    """Planned and realised amounts of one quarter."""

    quarter: int
    planned: Decimal
    realised: Decimal


class LineRead(BaseModel):
    """A budget line with its quarters and totals (``rate``: realised ÷ planned, or null)."""

    id: int
    year: int
    code: str
    name: str
    pd_kode: str
    source: FundingSource
    source_detail: str
    category: Category
    programme_code: str | None
    activity_code: str | None
    kode_program: str
    kode_kegiatan: str
    kode_subkegiatan: str
    note: str
    quarters: list[QuarterRead]
    planned: Decimal
    realised: Decimal
    rate: float | None
    updated_by: str
    updated_at: datetime

    @classmethod
    def of(cls, line: BudgetLine, programme: str | None, activity: str | None) -> LineRead:
        """The API shape of ``line`` (with its programme's and activity's codes)."""
        sums = service.totals([line])
        return cls(
            id=line.id,
            year=line.year,
            code=line.code,
            name=line.name,
            pd_kode=line.pd_kode,
            source=line.source,
            source_detail=line.source_detail,
            category=line.category,
            programme_code=programme,
            activity_code=activity,
            kode_program=line.kode_program,
            kode_kegiatan=line.kode_kegiatan,
            kode_subkegiatan=line.kode_subkegiatan,
            note=line.note,
            quarters=[
                QuarterRead(quarter=q.quarter, planned=money(q.planned), realised=money(q.realised))
                for q in line.quarters
            ],
            planned=money(sums.planned),
            realised=money(sums.realised),
            rate=sums.rate,
            updated_by=line.updated_by,
            updated_at=line.updated_at,
        )


class LineWrite(BaseModel):
    """A new budget line; ``planned`` maps a quarter (1-4) to its amount (others are 0)."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    code: Code
    name: str = Field(max_length=300)
    pd_kode: str = Field(max_length=40)
    source: FundingSource
    category: Category
    programme_code: str | None = Field(default=None, max_length=40)
    activity_code: str | None = Field(default=None, max_length=40)
    source_detail: str = Field(default="", max_length=200)
    kode_program: str = Field(default="", max_length=40)
    kode_kegiatan: str = Field(default="", max_length=40)
    kode_subkegiatan: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=5000)
    planned: dict[Quarter, Amount] = Field(default_factory=dict)

    def as_input(self) -> service.LineInput:
        """The service's input."""
        return service.LineInput(
            year=self.year,
            code=self.code,
            name=self.name,
            pd_kode=self.pd_kode,
            source=self.source.value,
            category=self.category.value,
            programme_code=(self.programme_code or "").strip().upper() or None,
            activity_code=(self.activity_code or "").strip().upper() or None,
            source_detail=self.source_detail,
            kode_program=self.kode_program,
            kode_kegiatan=self.kode_kegiatan,
            kode_subkegiatan=self.kode_subkegiatan,
            note=self.note,
            planned=dict(self.planned),
        )


class LinePatch(BaseModel):
    """A change of a line: the fields sent replace, the others are kept (``planned``: the
    quarters sent). Send ``programme_code``/``activity_code`` as ``""`` to unlink."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = Field(default=None, ge=2000, le=2100)
    code: Code | None = None
    name: str | None = Field(default=None, max_length=300)
    pd_kode: str | None = Field(default=None, max_length=40)
    source: FundingSource | None = None
    category: Category | None = None
    programme_code: str | None = Field(default=None, max_length=40)
    activity_code: str | None = Field(default=None, max_length=40)
    source_detail: str | None = Field(default=None, max_length=200)
    kode_program: str | None = Field(default=None, max_length=40)
    kode_kegiatan: str | None = Field(default=None, max_length=40)
    kode_subkegiatan: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=5000)
    planned: dict[Quarter, Amount] | None = None

    def over(self, current: LineRead) -> service.LineInput:
        """The service's input: ``current`` with the fields sent."""
        sent = self.model_fields_set

        def pick(name: str, value: str | None) -> str:
            return value if name in sent and value is not None else getattr(current, name)

        def link(name: str, value: str | None) -> str | None:
            chosen = value if name in sent else getattr(current, name)
            return (chosen or "").strip().upper() or None

        # An activity fixes its programme: a new programme alone unlinks the old activity, a
        # new activity alone brings its own programme.
        activity = self.activity_code if "activity_code" in sent else current.activity_code
        programme = link("programme_code", self.programme_code)
        if "programme_code" in sent and "activity_code" not in sent:
            activity = None
        if "activity_code" in sent and "programme_code" not in sent:
            programme = None
        return service.LineInput(
            year=self.year if self.year is not None else current.year,
            code=pick("code", self.code),
            name=pick("name", self.name),
            pd_kode=pick("pd_kode", self.pd_kode),
            source=(self.source or current.source).value,
            category=(self.category or current.category).value,
            programme_code=programme,
            activity_code=(activity or "").strip().upper() or None,
            source_detail=pick("source_detail", self.source_detail),
            kode_program=pick("kode_program", self.kode_program),
            kode_kegiatan=pick("kode_kegiatan", self.kode_kegiatan),
            kode_subkegiatan=pick("kode_subkegiatan", self.kode_subkegiatan),
            note=pick("note", self.note),
            planned=dict(self.planned or {}),
        )


class RealisationWrite(BaseModel):
    """The realised amount of a quarter, reported by the owning agency or the technical team."""

    model_config = ConfigDict(extra="forbid")

    quarter: Quarter
    realised: Amount


class TotalRead(BaseModel):
    """Planned and realised sums of a group (``rate``: realised ÷ planned, or null)."""

    key: str
    label: str
    planned: Decimal
    realised: Decimal
    rate: float | None


class TotalsRead(BaseModel):
    """The year's totals grouped by ``by``, and the grand total."""

    year: int
    by: Literal["category", "source", "pd", "dimension"]
    groups: list[TotalRead]
    total: TotalRead


class ProblemRead(BaseModel):
    """One problem of an import: the row (1 = the header), the column, what is wrong."""

    row: int
    column: str
    message: str


class ImportRead(BaseModel):
    """What an import stored (an import with problems answers 422 with them instead)."""

    rows: int
    created: int
    updated: int
    batch: str | None
