"""The shape of a stored observation as the indices read it (``ingest.StoredObservation``).

A protocol rather than an import: ``ingest`` calls into ``indices``, so importing it back
would be circular, and any object with these four read-only attributes will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class StoredLike(Protocol):
    """An observation just written: its id, stream, phenomenon time and result."""

    @property
    def id(self) -> int:
        """The observation's id."""

    @property
    def datastream_id(self) -> int:
        """The datastream it belongs to."""

    @property
    def phenomenon_time(self) -> datetime:
        """Its phenomenon time (the start of an interval)."""

    @property
    def result(self) -> Any:
        """Its result as received (number, string, object …)."""


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A ``StoredLike`` read back from the observations table (recomputations)."""

    id: int
    datastream_id: int
    phenomenon_time: datetime
    result: Any
