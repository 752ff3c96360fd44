"""Rows the coordination domain ships, added by ``pontive db upgrade`` when missing: the main
wall of the situation room (every layer and panel) while no wall exists. What operators set
up later is kept."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.coordination.walls import seed_default_wall


def seed(*, session: Session) -> int:
    """Add the main wall when there is none; how many rows were added."""
    added = seed_default_wall(session)
    session.commit()
    return added
