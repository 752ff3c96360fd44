"""Tables of the analysis workspace: the Technical Team's saved queries and their charts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.db import Base, UTCDateTime
from pontive.core.timeutil import utcnow


class SavedQuery(Base):
    """A named read-only query over the Parquet export, with the chart drawn from its result.

    ``chart`` is ``{"kind": "bar"|"line", "x": column, "y": column, "series": column|None}``
    (``workspace_chart.ChartSpec``) or ``None``. A shared query is listed for every member of
    the workspace; only its owner (or an admin) changes or deletes it.
    """

    __tablename__ = "an_saved_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sql: Mapped[str] = mapped_column(Text)
    chart: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    is_shared: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
