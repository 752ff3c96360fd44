"""Tables of the forecast part of analytics: one row per fitted water-level model.

A model is stored as plain numbers (no pickle): the constituents with amplitude and phase,
the rain coefficients, the AR(1) φ, the error quantiles per horizon and the backtest's
metrics. ``forecast_fit`` rebuilds the model from them. Each fit of a gauge is a new version;
the newest one issues the forecasts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.db import Base, UTCDateTime


class ForecastModel(Base):
    """A fitted water-level model of one gauge's Datastream."""

    __tablename__ = "an_forecast_models"
    __table_args__ = (UniqueConstraint("datastream_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The gauge's water-level stream, and the forecast stream its runs post to.
    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), index=True
    )
    forecast_datastream_id: Mapped[int | None] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(60))
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    record_start: Mapped[datetime] = mapped_column(UTCDateTime)  # the hours fitted, [start, end)
    record_end: Mapped[datetime] = mapped_column(UTCDateTime)
    samples: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    mean_level: Mapped[float] = mapped_column(Float)
    # [{"name", "amplitude", "phase"}] (phase in degrees relative to 1970-01-01 00:00 UTC) and
    # the constituents carried along by inference [{"name", "reference", "ratio", "offset"}].
    constituents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    inferred: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # {"windows": [[0, 6], …], "coefficients": [...], "gauges": [datastream ids]}.
    rain: Mapped[dict[str, Any]] = mapped_column(JSON)
    ar_phi: Mapped[float] = mapped_column(Float)
    innovation_std: Mapped[float] = mapped_column(Float)
    # {"lower": [72], "upper": [72], "source": "backtest" | "ar1"}: error quantiles per horizon.
    quantiles: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The backtest (``BacktestResult.as_json``), or {"skipped": reason}.
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
