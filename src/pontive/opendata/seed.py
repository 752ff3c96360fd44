"""Catalogue rows the open data domain ships: the datasets Pontive publishes from its own
data (``publish_meta.PUBLICATIONS``), created when missing so that the portal lists them and
their jobs have somewhere to write. Run by ``pontive db upgrade``; a dataset a publisher has
since edited is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import system_actor
from pontive.opendata.models import Dataset
from pontive.opendata.publish import ensure_dataset
from pontive.opendata.publish_meta import PUBLICATIONS

SEED_ACTOR = system_actor("seed")


def seed(*, session: Session) -> int:
    """Create the self-published datasets that are missing; returns how many were added."""
    existing = set(session.scalars(select(Dataset.name)))
    missing = [p for p in PUBLICATIONS if p.name not in existing]
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # an upgrade is not news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        for publication in missing:
            ensure_dataset(session, publication, actor=SEED_ACTOR)
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    return len(missing)
