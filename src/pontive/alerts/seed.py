"""Rows the alerts domain ships, added by ``pontive db upgrade`` when missing: the default
rules (``rules_seed``, by rule code) and the national emergency numbers (``mode_seed``, by
number). What an operator changed in them is kept."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.alerts.mode_seed import seed_emergency_places
from pontive.alerts.rules_seed import seed_rules


def seed(*, session: Session) -> int:
    """Add the missing default rules and emergency numbers; how many rows were added."""
    added = seed_rules(session) + seed_emergency_places(session)
    session.commit()
    return added
