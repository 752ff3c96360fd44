"""Telling the world about new observations, once they are committed.

Two announcements per batch, both only after the transaction commits:

- the event bus: one ``sensors.observations`` event (classification ``publik``) with, per
  Datastream, how many observations arrived and the latest one (id, phenomenonTime, result);
- MQTT (SensorThings A.8, "receive updates via MQTT", 18-088 clause 14.2): when this process
  has a publisher, each new Observation's full JSON (with ``@iot.id`` and ``@iot.selfLink``)
  on ``v1.1/Datastreams(<id>)/Observations`` and on ``v1.1/Observations``.

The MQTT messages wait in ``session.info`` until ``after_commit``; a savepoint that is rolled
back takes its messages with it, and so does a rolled-back transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

import orjson
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from pontive.core.choices import Classification
from pontive.core.events import Event, emit, is_outermost_commit, within
from pontive.sensors.ingest_batch import Batch
from pontive.sensors.ingest_parse import ObservationIn
from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_meta import links
from pontive.sensors.sta_serialize import instant_or_interval, interval, iso, result_of
from pontive.sensors.sta_serialize import number as as_sta_number

log = logging.getLogger(__name__)

OBSERVATIONS_EVENT = "sensors.observations"
ALL_OBSERVATIONS_TOPIC = "v1.1/Observations"
_PENDING_KEY = "pontive_pending_observation_updates"
_NAVIGATION = tuple(nav.name for nav in links(EntitySet.OBSERVATIONS))


class Publisher(Protocol):
    """Sends MQTT messages (topic, payload) at QoS 0; never raises for a broker problem."""

    @property
    def sta_root(self) -> str:
        """The absolute SensorThings root its documents link to (``@iot.selfLink``)."""

    def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """Queue ``messages`` for the broker, in order."""


_publisher: Publisher | None = None
_publisher_lock = threading.Lock()


def set_publisher(publisher: Publisher | None) -> None:
    """Use ``publisher`` for A.8 updates in this process (``None``: none are sent)."""
    global _publisher  # one broker connection per process
    with _publisher_lock:
        _publisher = publisher


def get_publisher() -> Publisher | None:
    """The process's A.8 publisher, if any."""
    return _publisher


def datastream_topic(datastream_id: int) -> str:
    """The A.7/A.8 topic of a Datastream's observations."""
    return f"v1.1/Datastreams({datastream_id})/Observations"


def sta_root(base_url: str) -> str:
    """The absolute SensorThings service root of a platform at ``base_url``."""
    return base_url.rstrip("/") + "/sta/v1.1"


def _instant(value: datetime | None) -> datetime | str | None:
    # orjson writes a UTC datetime as sta_serialize.iso does ("...Z"), in a fraction of the time.
    if value is None or value.tzinfo is UTC:
        return value
    return iso(value)


def observation_json(
    root: str, observation_id: int, item: ObservationIn, number: float | None, time: datetime
) -> bytes:
    """A stored observation (``item``, its numeric result, its phenomenon time) as SensorThings
    JSON: the document ``sta_serialize.entity_json`` makes of the row (a test holds them equal)
    in a fraction of its time, since this runs once per message."""
    link = f"{root}/Observations({observation_id})"
    end, valid_end = item.phenomenon_time_end, item.valid_time_end
    document = {
        "@iot.selfLink": link,
        "@iot.id": observation_id,
        "phenomenonTime": _instant(time) if end is None else instant_or_interval(time, end),
        "resultTime": _instant(item.result_time),
        "result": item.result if number is None else as_sta_number(number),
        "resultQuality": item.result_quality,
        "validTime": None if valid_end is None else interval(item.valid_time_start, valid_end),
        "parameters": item.parameters,
    }
    for name in _NAVIGATION:
        document[f"{name}@iot.navigationLink"] = f"{link}/{name}"
    return orjson.dumps(document, option=orjson.OPT_UTC_Z)


def observation_messages(root: str, batch: Batch, ids: Sequence[int]) -> list[tuple[str, bytes]]:
    """The A.8 messages of new observations: each on its Datastream's topic and the global one."""
    topics: dict[int, str] = {}
    messages: list[tuple[str, bytes]] = []
    for observation_id, item, number, time in zip(
        ids, batch.items, batch.numbers, batch.times, strict=True
    ):
        stream = item.datastream_id
        topic = topics.get(stream) or topics.setdefault(stream, datastream_topic(stream))
        body = observation_json(root, observation_id, item, number, time)
        messages.append((topic, body))
        messages.append((ALL_OBSERVATIONS_TOPIC, body))
    return messages


def batch_event(source: str, batch: Batch, ids: Sequence[int], newest: Mapping[int, int]) -> Event:
    """The bus event of one stored batch: per Datastream its count and latest observation."""
    counts = {stream: len(indices) for stream, indices in batch.by_stream().items()}
    streams = []
    for stream, index in sorted(newest.items()):
        row = batch.row(index, ids[index])
        streams.append(
            {
                "id": stream,
                "count": counts[stream],
                "observation_id": ids[index],
                "phenomenon_time": iso(row["phenomenon_time"]),
                "result": result_of(row),
            }
        )
    data = {"source": source, "count": len(ids), "datastreams": streams}
    return Event(OBSERVATIONS_EVENT, data, classification=Classification.PUBLIK)


def announce(
    session: Session,
    *,
    source: str,
    batch: Batch,
    ids: Sequence[int],
    newest: Mapping[int, int],
) -> None:
    """Queue the bus event and (with a publisher) the A.8 messages until commit."""
    emit(session, batch_event(source, batch, ids, newest))
    publisher = _publisher
    if publisher is None:
        return
    messages = observation_messages(publisher.sta_root, batch, ids)
    session.info.setdefault(_PENDING_KEY, []).append((session.get_nested_transaction(), messages))


@event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    if not is_outermost_commit(session):
        return
    pending = session.info.pop(_PENDING_KEY, None)
    publisher = _publisher
    if not pending or publisher is None:
        return
    messages = [message for _savepoint, batch in pending for message in batch]
    try:
        publisher.publish_many(messages)
    except (ConnectionError, OSError):
        # Committed is committed: A.8 updates are best effort (QoS 0), ingest goes on.
        log.exception("A.8 updates of %d observations not published", len(messages) // 2)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING_KEY)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)
        return
    kept = [entry for entry in pending if not within(entry[0], previous_transaction)]
    session.info[_PENDING_KEY] = kept
