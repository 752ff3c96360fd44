"""Data-quality flags carried in an Observation's SensorThings ``resultQuality``, and which of
them keep a reading out of the city indices.

The data-quality checks (``analytics.quality``) run after ingest, in a worker job; what they
find is written into the flagged observations' ``resultQuality`` (``service.mark_quality``) so
that SensorThings clients see it, as ``{"pontive:flags": ["spike"]}`` next to whatever the
client sent:

- no value: ``{"pontive:flags": [...]}``;
- an object: the ``pontive:flags`` member is added to it (the client's members untouched);
- anything else (an array of DQ_Elements, a string): ``{"pontive:flags": [...],
  "pontive:value": <the client's value>}``, so the value comes back unchanged when the last
  flag goes.

A reading flagged ``spike``, ``stuck`` or ``range`` (open or confirmed; a dismissed flag is
removed) does not count in the ISPU or the flood status (``usable``): a spike must not raise a
false Awas or Berbahaya. ``drift`` and ``gap`` do not exclude: a drifting sensor still says
something about the air, and a gap simply has no data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, not_, or_
from sqlalchemy.sql.elements import ColumnClause

FLAGS_KEY = "pontive:flags"
VALUE_KEY = "pontive:value"
# Flags that keep a reading out of the indices (the others are shown, not excluded).
EXCLUDING = ("range", "spike", "stuck")


def merge_flags(quality: Any, kinds: Iterable[str]) -> Any:
    """``quality`` (a stored ``resultQuality``) with ``kinds`` added to its Pontive flags."""
    wanted = set(kinds)
    if not wanted:
        return quality
    if quality is None:
        return {FLAGS_KEY: sorted(wanted)}
    if isinstance(quality, dict):
        present = quality.get(FLAGS_KEY)
        current = set(present) if isinstance(present, list) else set()
        return {**quality, FLAGS_KEY: sorted(current | wanted)}
    return {FLAGS_KEY: sorted(wanted), VALUE_KEY: quality}


def remove_flags(quality: Any, kinds: Iterable[str]) -> Any:
    """``quality`` without ``kinds`` among its Pontive flags; the client's value comes back
    as it was sent once no flag is left."""
    if not isinstance(quality, dict) or not isinstance(quality.get(FLAGS_KEY), list):
        return quality
    left = sorted(set(quality[FLAGS_KEY]) - set(kinds))
    if left:
        return {**quality, FLAGS_KEY: left}
    rest = {key: value for key, value in quality.items() if key != FLAGS_KEY}
    if set(rest) == {VALUE_KEY}:
        return rest[VALUE_KEY]
    return rest or None


def flags_of(quality: Any) -> list[str]:
    """The Pontive flags in a stored ``resultQuality`` (empty when none)."""
    if isinstance(quality, dict) and isinstance(quality.get(FLAGS_KEY), list):
        return [str(kind) for kind in quality[FLAGS_KEY]]
    return []


def is_excluded(quality: Any) -> bool:
    """Whether a reading with this ``resultQuality`` is kept out of the indices."""
    return any(kind in EXCLUDING for kind in flags_of(quality))


def usable(column: ColumnClause[Any] | Any) -> ColumnElement[bool]:
    """SQL: the reading (its ``result_quality`` column) counts in the indices.

    Unflagged readings (``NULL``, the common case) pass on the first test. For the others the
    flags member is read as JSON text (``json_extract`` on SQLite, ``->>`` on PostgreSQL; an
    array comes back as its text) and searched for a quoted excluding kind.
    """
    flags = func.coalesce(column[FLAGS_KEY].as_string(), "")
    flagged = or_(*(flags.like(f'%"{kind}"%') for kind in EXCLUDING))
    return or_(column.is_(None), not_(flagged))
