"""One batch of MQTT messages → observations and dead letters, in one transaction.

A message is decoded first (topic, JSON, SensorThings fields) without the database; then,
in one write transaction: redelivered messages already stored are skipped
(``ingest_dedupe``), the observations go through ``ingest.store_acceptable``, and every
refused message becomes a ``DeadLetter`` with its topic and reason. Nothing here acknowledges
anything: the caller acks the batch's messages only after this commit (``mqtt.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, EventBus
from pontive.core.timeutil import utcnow
from pontive.sensors.ingest import ObservationIn, parse_observation_json, store_acceptable
from pontive.sensors.ingest_dedupe import already_stored
from pontive.sensors.models import DeadLetter

# A.7 (18-088 14.2.1): v1.1/Observations, v1.1/Datastreams(<id>)/Observations,
# v1.1/FeaturesOfInterest(<id>)/Observations.
_TOPIC = re.compile(r"^v1\.1/(?:(Datastreams|FeaturesOfInterest)\((\d{1,18})\)/)?Observations$")
MAX_PAYLOAD = 256 * 1024
KEPT_PAYLOAD_CHARS = 10_000
_LETTERS = cast(Table, DeadLetter.__table__)


class Received(NamedTuple):
    """One MQTT message waiting to be stored (made in paho's network thread: a tuple, cheap)."""

    topic: str
    payload: bytes
    mid: int
    is_redelivery: bool  # the DUP flag: the broker sent it before, unacknowledged
    generation: int  # which connection delivered it (acks go back on that one only)
    received_at: float  # time.time()


class Decoded(NamedTuple):
    """A message as ingest sees it: an observation, an A.8 echo to ignore, or a refusal."""

    message: Received
    item: ObservationIn | None = None
    is_echo: bool = False
    refusal: tuple[str, str] | None = None  # (kind for metrics, reason)


@dataclass(slots=True)
class BatchResult:
    """What one committed batch did."""

    stored: int = 0
    redelivered: int = 0
    ignored: int = 0
    dead: dict[str, int] = dataclasses.field(default_factory=dict)


@lru_cache(maxsize=65_536)  # a gauge publishes to the same topic again and again
def _topic_ids(topic: str) -> tuple[int | None, int | None] | None:
    match = _TOPIC.match(topic)
    if match is None:
        return None
    kind, number = match.groups()
    if kind is None:
        return None, None
    return (int(number), None) if kind == "Datastreams" else (None, int(number))


def _reason(error: DomainError) -> str:
    details = [f"{field}: {text}" for field, texts in error.errors.items() for text in texts]
    return "; ".join(details) or error.message_en


def decode(message: Received) -> Decoded:
    """Topic and payload → an ``ObservationIn`` (phenomenonTime defaults to arrival)."""
    ids = _topic_ids(message.topic)
    if ids is None:
        return Decoded(message, refusal=("topic", "not a SensorThings observation topic (A.7)"))
    if len(message.payload) > MAX_PAYLOAD:
        return Decoded(message, refusal=("invalid", f"payload over {MAX_PAYLOAD} bytes"))
    try:
        document: Any = orjson.loads(message.payload)
    except orjson.JSONDecodeError as error:
        return Decoded(message, refusal=("json", f"invalid JSON: {error}"))
    if isinstance(document, dict) and "@iot.id" in document:
        return Decoded(message, is_echo=True)  # an A.8 update Pontive published itself
    try:
        item = parse_observation_json(document, datastream_id=ids[0], feature_of_interest_id=ids[1])
    except DomainError as error:
        return Decoded(message, refusal=("invalid", _reason(error)))
    if item.phenomenon_time is None:
        # 18-088 Table 16: the server's time; the arrival, not a later retry, is that time.
        arrived = datetime.fromtimestamp(message.received_at, UTC)
        item = item._replace(phenomenon_time=arrived)
    return Decoded(message, item)


def printable_payload(payload: bytes) -> str:
    """The payload as text fit for a Text column (no NUL, bounded)."""
    text = payload.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    return text[:KEPT_PAYLOAD_CHARS]


class BatchWriter:
    """Stores decoded batches, one transaction each."""

    def __init__(self, database: Database, bus: EventBus) -> None:
        self.database = database
        self.bus = bus

    def write(self, batch: Sequence[Decoded]) -> BatchResult:
        """Store the batch's observations and dead letters, and commit."""
        result = BatchResult(ignored=sum(1 for entry in batch if entry.is_echo))
        with self.database.session(write=True) as session:
            session.info[SESSION_BUS_KEY] = self.bus
            candidates = [entry for entry in batch if entry.item is not None]
            fresh = self._skip_stored(session, candidates, result)
            items = [cast(ObservationIn, entry.item) for entry in fresh]
            outcome = store_acceptable(session=session, items=items, source="mqtt")
            result.stored = sum(1 for observation_id in outcome.ids if observation_id)
            late = {id(fresh[i]): ("invalid", _reason(e)) for i, e in outcome.errors.items()}
            refused = [  # in the order received
                entry if entry.refusal is not None else entry._replace(refusal=late[id(entry)])
                for entry in batch
                if entry.refusal is not None or id(entry) in late
            ]
            self._keep_dead_letters(session, refused, result)
            session.commit()
        return result

    def write_failure(self, entry: Decoded, error: Exception) -> BatchResult:
        """A message that failed its batch on its own (the database refused it): keep it as a
        dead letter."""
        reason = f"could not be stored: {type(error).__name__}: {error}"[:1000]
        failed = entry._replace(item=None, refusal=("database", reason))
        result = BatchResult()
        with self.database.session(write=True) as session:
            self._keep_dead_letters(session, [failed], result)
            session.commit()
        return result

    def _skip_stored(
        self, session: Session, entries: Sequence[Decoded], result: BatchResult
    ) -> list[Decoded]:
        redelivered = [e for e in entries if e.message.is_redelivery]
        if not redelivered:
            return list(entries)
        found = already_stored(session, [cast(ObservationIn, e.item) for e in redelivered])
        skipped = {id(redelivered[index]) for index in found}
        result.redelivered = len(skipped)
        return [entry for entry in entries if id(entry) not in skipped]

    def _keep_dead_letters(
        self, session: Session, refused: Sequence[Decoded], result: BatchResult
    ) -> None:
        if not refused:
            return
        rows = [
            {
                "received_at": datetime.fromtimestamp(entry.message.received_at, UTC),
                "source": "mqtt",
                "topic": entry.message.topic[:300],
                "payload": printable_payload(entry.message.payload),
                "reason": cast(tuple[str, str], entry.refusal)[1][:1000],
            }
            for entry in refused
        ]
        kept = _not_yet_kept(session, refused, rows)
        for entry, row in zip(refused, rows, strict=True):
            if id(row) in kept:
                kind = cast(tuple[str, str], entry.refusal)[0]
                result.dead[kind] = result.dead.get(kind, 0) + 1
        rows = [row for row in rows if id(row) in kept]
        if rows:
            session.execute(insert(_LETTERS), rows)


def _not_yet_kept(
    session: Session, refused: Sequence[Decoded], rows: Sequence[dict[str, Any]]
) -> set[int]:
    """``id()`` of the rows to insert: a redelivered message dead-lettered before is not."""
    again = [row for entry, row in zip(refused, rows, strict=True) if entry.message.is_redelivery]
    if not again:
        return {id(row) for row in rows}
    query = select(DeadLetter.topic, DeadLetter.payload).where(
        DeadLetter.source == "mqtt",
        DeadLetter.received_at >= utcnow() - timedelta(days=1),
        DeadLetter.payload.in_({row["payload"] for row in again}),
    )
    known = {(topic, payload) for topic, payload in session.execute(query)}
    return {
        id(row)
        for entry, row in zip(refused, rows, strict=True)
        if not (entry.message.is_redelivery and (row["topic"], row["payload"]) in known)
    }
