"""Retention: personal data whose period has passed is erased (UU 27/2022 Pasal 43).

Each declared source with a ``Retention`` names a setting (days) and the rows whose data is
older than that; the job erases them exactly as a request would, a bounded batch per source
and run, skipping rows already erased, so running it twice erases nothing twice. One audit
event sums up each run that erased anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit
from pontive.core.identity import system_actor
from pontive.core.timeutil import utcnow
from pontive.privacy import engine
from pontive.privacy.declare import EraseContext, declared_sources
from pontive.settings import Settings

if TYPE_CHECKING:
    from pontive.core.storage import MediaStore

BATCH = 500  # rows per source and run: a long backlog is worked off over several runs
ACTOR = system_actor("privacy-retention")


def expire(
    session: Session,
    *,
    settings: Settings,
    media: MediaStore | None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Erase expired personal data in every source; rows erased per source (committed)."""
    now = now or utcnow()
    context = EraseContext(session=session, media=media)
    erased: dict[str, int] = {}
    for source in declared_sources():
        if source.retention is None:
            continue
        days = int(getattr(settings, source.retention.setting))
        cutoff = now - timedelta(days=days)
        pk = engine.primary_key(source)
        ids = list(
            session.scalars(
                select(pk)
                .where(source.retention.expired(cutoff), engine.not_yet_erased(source))
                .order_by(pk)
                .limit(BATCH)
            )
        )
        if ids:
            engine.erase_rows(context, source, ids)
            erased[source.name] = len(ids)
    if erased:
        audit.record(
            session,
            actor=ACTOR,
            action="privacy.retention",
            object_type="privacy_retention",
            object_id=now.date().isoformat(),
            after=erased,
        )
    session.commit()
    context.delete_files()
    return erased
