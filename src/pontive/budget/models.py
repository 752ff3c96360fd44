"""Budget tables: a line per programme or activity and year, with its source, its Pasal 24
category and the regional budget classification codes, planned and realised by quarter."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.budget.choices import Category, FundingSource
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow

# Rupiah amounts: whole rupiah are enough, but sums must be exact.
Money = Numeric(18, 2)


class BudgetLine(Base):
    """One line of the Smart City budget for a year."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        UniqueConstraint("year", "code"),
        Index("ix_budget_lines_year_category", "year", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60))  # the line's own code within the year
    name: Mapped[str] = mapped_column(String(300))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_programmes.id", ondelete="SET NULL"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_activities.id", ondelete="SET NULL"), index=True
    )
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    source: Mapped[FundingSource] = mapped_column(choice_column(FundingSource))
    source_detail: Mapped[str] = mapped_column(String(200), default="")  # e.g. the grantor
    category: Mapped[Category] = mapped_column(choice_column(Category))
    # Regional budget classification (Permendagri 90/2019): program / kegiatan / sub-kegiatan.
    kode_program: Mapped[str] = mapped_column(String(40), default="")
    kode_kegiatan: Mapped[str] = mapped_column(String(40), default="")
    kode_subkegiatan: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quarters: Mapped[list[BudgetQuarter]] = relationship(
        back_populates="line", order_by="BudgetQuarter.quarter", cascade="all, delete-orphan"
    )


class BudgetQuarter(Base):
    """Planned and realised amounts of a line in one quarter (1-4)."""

    __tablename__ = "budget_quarters"
    __table_args__ = (UniqueConstraint("line_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="CASCADE"))
    quarter: Mapped[int] = mapped_column(Integer)
    planned: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    realised: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))

    line: Mapped[BudgetLine] = relationship(back_populates="quarters")
