"""Counting views, downloads and API calls without a write per request.

Every page view, download and API read counts once (``opendata_usage``: counts per day,
nothing about who). Writing each count at once would open a write transaction for every read
— on SQLite every API reader would queue behind the single writer. Counts are gathered in
this process instead and written together, at most every ``FLUSH_SECONDS``, by the request
that finds them due (through ``service.record_usage``, in its own short transaction). The
totals shown add what is still pending here, so a visitor sees their own view counted. A
process that stops loses at most the last few seconds of counts: they are statistics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pontive.core.timeutil import to_local, utcnow
from pontive.opendata import service
from pontive.opendata.choices import UsageKind

log = logging.getLogger(__name__)

FLUSH_SECONDS = 5.0
Key = tuple[str, str, date, UsageKind]  # dataset, resource ("" for the dataset), WIB day, kind


class UsageBuffer:
    """Counts not written yet, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()
        self._since = time.monotonic()

    def add(self, key: Key) -> None:
        """Count one."""
        with self._lock:
            self._counts[key] += 1

    def take(self, *, force: bool = False) -> Counter[Key]:
        """The counts to write now (and forget), or nothing when they are not due yet."""
        with self._lock:
            if not self._counts or (not force and time.monotonic() - self._since < FLUSH_SECONDS):
                return Counter()
            taken, self._counts = self._counts, Counter()
            self._since = time.monotonic()
            return taken

    def pending(self, dataset_id: str) -> Counter[str]:
        """Counts of ``dataset_id`` (and its resources) by kind, not written yet."""
        with self._lock:
            totals: Counter[str] = Counter()
            for (dataset, _resource, _day, kind), number in self._counts.items():
                if dataset == dataset_id:
                    totals[kind.value] += number
            return totals


BUFFER = UsageBuffer()


def count(session: Session, *, dataset_id: str, resource_id: str = "", kind: UsageKind) -> None:
    """Count one view, download or API call; writes the gathered counts when they are due.
    Call it after the request's reads (the session's transaction is ended first)."""
    BUFFER.add((dataset_id, resource_id, to_local(utcnow()).date(), kind))
    due = BUFFER.take()
    if due:
        write(session, due)


def write(session: Session, counts: Counter[Key]) -> None:
    """Add ``counts`` to the stored ones in one transaction (a failure is logged: counts are
    never worth a failed request)."""
    try:
        session.commit()  # end the read first (SQLite: a fresh transaction may write)
        for (dataset_id, resource_id, day, kind), number in counts.items():
            service.record_usage(
                session,
                dataset_id=dataset_id,
                resource_id=resource_id,
                kind=kind,
                times=number,
                day=day,
            )
        session.commit()
    except DBAPIError:
        session.rollback()
        log.warning("%d usage counts not written", sum(counts.values()), exc_info=True)


def totals(session: Session, dataset_id: str) -> dict[str, int]:
    """All-time counts of a dataset by kind, including those not written yet."""
    stored = service.usage_totals(session, dataset_id)
    for kind, number in BUFFER.pending(dataset_id).items():
        stored[kind] = stored.get(kind, 0) + number
    return stored
