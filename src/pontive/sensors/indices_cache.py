"""What the city indices need on the ingest hot path, cached per process and database.

Two values are cached for ``TTL`` seconds: the ids of the source datastreams some index
depends on (so ``on_observations`` returns at once for every other stream) and the ISPU
breakpoint table. Both are dropped at once when this process flushes or commits a change to
flood thresholds, breakpoints, or a datastream's existence, ``quantity``, ``thing_id`` or
``derived_from_id`` (ORM objects or DML statements run through a session; the ``last_*``
bookkeeping ingest does on every batch does not count); another process's change shows within
``TTL``. A stale entry can only name a stream that no longer matters: the work itself re-reads
every row it uses in the caller's transaction, so such an entry costs a query, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from types import MappingProxyType
from typing import Any

from sqlalchemy import and_, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, aliased

from pontive.core.cache import TimedCache
from pontive.core.events import is_outermost_commit
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.ispu import Breakpoint
from pontive.sensors.models import Datastream, FloodThreshold, IspuBreakpoint

TTL = 30.0
WATCHED_TABLES = frozenset(
    {Datastream.__tablename__, FloodThreshold.__tablename__, IspuBreakpoint.__tablename__}
)
_WATCHED_CLASSES = (Datastream, FloodThreshold, IspuBreakpoint)
# The datastream columns that decide whether a stream feeds an index.
_RELEVANT_COLUMNS = frozenset({"quantity", "thing_id", "derived_from_id"})
_CHANGED_KEY = "pontive_indices_changed"

_sources = TimedCache(TTL)
_breakpoints = TimedCache(TTL)


def forget_index_cache() -> None:
    """Drop every cached value (call after changing streams or thresholds outside a session)."""
    _sources.clear()
    _breakpoints.clear()


def _database_key(session: Session) -> str:
    return session.connection().engine.url.render_as_string(hide_password=True)


def _load_sources(session: Session) -> Mapping[int, Quantity]:
    derived = aliased(Datastream)
    flood_sources = (
        select(Datastream.id, Datastream.quantity)
        .join(FloodThreshold, FloodThreshold.datastream_id == Datastream.id)
        .join(
            derived,
            and_(
                derived.derived_from_id == Datastream.id,
                derived.quantity == Quantity.FLOOD_STATUS,
            ),
        )
        .where(Datastream.quantity == Quantity.WATER_LEVEL)
    )
    # ISPU: every pollutant stream of a Thing that carries an ISPU stream (derived_from_id is
    # null there: one ISPU stream draws on all the station's pollutant streams).
    ispu_sources = (
        select(Datastream.id, Datastream.quantity)
        .join(
            derived,
            and_(
                derived.thing_id == Datastream.thing_id,
                derived.quantity == Quantity.ISPU,
                derived.derived_from_id.is_(None),
            ),
        )
        .where(Datastream.quantity.in_(ISPU_POLLUTANTS))
    )
    rows = [*session.execute(flood_sources), *session.execute(ispu_sources)]
    return MappingProxyType({stream_id: quantity for stream_id, quantity in rows})


def source_streams(session: Session) -> Mapping[int, Quantity]:
    """Datastreams whose observations feed a flood status or an ISPU, with their quantity."""
    sources: Mapping[int, Quantity] = _sources.get_or_load(
        _database_key(session), lambda: _load_sources(session)
    )
    return sources


def _load_breakpoints(session: Session) -> Mapping[Quantity, tuple[Breakpoint, ...]]:
    table: dict[Quantity, list[Breakpoint]] = {}
    rows = session.scalars(
        select(IspuBreakpoint).order_by(IspuBreakpoint.quantity, IspuBreakpoint.concentration_low)
    )
    for row in rows:
        band = Breakpoint(
            ispu_low=row.ispu_low,
            ispu_high=row.ispu_high,
            concentration_low=row.concentration_low,
            concentration_high=row.concentration_high,
        )
        table.setdefault(row.quantity, []).append(band)
    return MappingProxyType({quantity: tuple(bands) for quantity, bands in table.items()})


def breakpoint_table(session: Session) -> Mapping[Quantity, tuple[Breakpoint, ...]]:
    """The ISPU breakpoints per pollutant, from ``sensor_ispu_breakpoints``."""
    table: Mapping[Quantity, tuple[Breakpoint, ...]] = _breakpoints.get_or_load(
        _database_key(session), lambda: _load_breakpoints(session)
    )
    return table


def _mark_changed(session: Session) -> None:
    forget_index_cache()  # this transaction sees its own change at once
    session.info[_CHANGED_KEY] = True  # and everyone else after commit


def _changes_relevance(instance: object) -> bool:
    if not isinstance(instance, Datastream):
        return True  # thresholds and breakpoints: every column counts
    state = inspect(instance)
    if state.pending or state.deleted or state.was_deleted:
        return True
    # Ingest and this package update last_* columns on every batch: those do not count.
    return any(state.attrs[name].history.has_changes() for name in _RELEVANT_COLUMNS)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, _WATCHED_CLASSES) and _changes_relevance(instance):
            _mark_changed(session)
            return


def _assigned_names(state: ORMExecuteState) -> set[str]:
    names: set[str] = set()
    # ``.values(column=...)`` keeps the assignments on the statement, keyed by column.
    for key in getattr(state.statement, "_values", None) or {}:
        names.add(str(getattr(key, "key", key)))
    parameters = state.parameters
    rows = [parameters] if isinstance(parameters, Mapping) else list(parameters or [])
    for row in rows:
        names.update(str(name) for name in row)
    return names


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table: Any = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name not in WATCHED_TABLES:
        return
    if name == Datastream.__tablename__ and state.is_update:
        assigned = _assigned_names(state)
        if assigned and not assigned & _RELEVANT_COLUMNS:
            return  # e.g. the last_* columns after a batch
    _mark_changed(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if is_outermost_commit(session) and session.info.pop(_CHANGED_KEY, False):
        forget_index_cache()
