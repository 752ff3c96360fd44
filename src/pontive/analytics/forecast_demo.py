"""Demo of the forecast part: fit every demo water gauge on its month of simulated history,
issue its forecast and make its early-warning rule."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.analytics.forecast_rules import seed_forecast_rules
from pontive.analytics.forecast_service import IssueStatus, train
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor


def load(session: Session, actor: Actor) -> str:
    """Train, issue, seed the rules; a short summary."""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # the demo's forecasts are not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        return _load(session, actor)
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)


def _load(session: Session, actor: Actor) -> str:
    outcomes = train(session, actor=actor)
    models = [o for o in outcomes if o.model is not None]
    issued = sum(1 for o in models if o.issue and o.issue.status is IssueStatus.ISSUED)
    rules = seed_forecast_rules(session, actor=actor)
    gains = [
        s.improvement
        for o in models
        if o.evaluation.backtest is not None
        for s in o.evaluation.backtest.scores
        if s.hours == 6
    ]
    gain = f", MAE 6 jam {min(gains):.0f}-{max(gains):.0f}% di bawah persistensi" if gains else ""
    return (
        f"{len(models)} model prakiraan muka air, {issued} prakiraan 72 jam, "
        f"{len(rules.created)} aturan peringatan dini{gain}"
    )
