"""Analytics demo: quality flags over the sensors' demo history, forecasts of every gauge, a
believable cluster of flood reports (before triage, so that they get suggestions too), the
triage model and its suggestions for open reports, then the workspace's Parquet export of it
all (last, so that it holds what the others made)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.analytics import (
    forecast_demo,
    hotspot_demo,
    quality_demo,
    triage_demo,
    workspace_demo,
)
from pontive.core.identity import Actor


def load(session: Session, actor: Actor) -> str:
    """Load every part's demo; a one-line summary."""
    parts = (quality_demo, forecast_demo, hotspot_demo, triage_demo, workspace_demo)
    return "; ".join(summary for part in parts if (summary := part.load(session, actor)))
