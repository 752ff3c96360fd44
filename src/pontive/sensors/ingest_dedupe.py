"""Recognising a redelivered MQTT observation that is already stored.

MQTT QoS 1 is "at least once": a message whose batch was committed but whose PUBACK never
reached the broker (the worker was killed in between, or the connection dropped) is sent
again when the session resumes, with the DUP flag set (MQTT 3.1.1 3.3.1-1, MQTT 5 3.3.1.1).
For those messages only, ingest looks for an identical observation — same Datastream,
phenomenonTime (instant or interval) and result — among the rows already stored, using the
(datastream, phenomenon time) index, and acknowledges the message without storing it again.
No table or column is needed; what cannot be recognised this way is a redelivered message
without ``phenomenonTime`` (its time is stamped on arrival), which is why gauges should
always send it (docs: "Connecting a gauge").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from pontive.sensors.ingest_check import as_number
from pontive.sensors.ingest_parse import ObservationIn
from pontive.sensors.models import Observation

Key = tuple[int, datetime, datetime | None, tuple[str, Any]]


def _result_key(number: float | None, value: Any) -> tuple[str, Any]:
    if number is not None:
        return ("number", number)
    try:
        return ("json", orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
    except TypeError:  # integers beyond 64 bits
        return ("json", json.dumps(value, sort_keys=True).encode())


def item_key(item: ObservationIn) -> Key | None:
    """What makes ``item`` the same observation as a stored one (``None``: no time to match)."""
    if item.phenomenon_time is None:
        return None
    number = as_number(item.result)
    return (
        item.datastream_id,
        item.phenomenon_time,
        item.phenomenon_time_end,
        _result_key(number, None if number is not None else item.result),
    )


def already_stored(session: Session, items: Sequence[ObservationIn]) -> set[int]:
    """Indices of ``items`` identical to an observation already in the table."""
    keys = {index: key for index, item in enumerate(items) if (key := item_key(item))}
    if not keys:
        return set()
    pairs = sorted({(key[0], key[1]) for key in keys.values()})
    query = select(
        Observation.datastream_id,
        Observation.phenomenon_time,
        Observation.phenomenon_time_end,
        Observation.result_number,
        Observation.result_json,
    ).where(tuple_(Observation.datastream_id, Observation.phenomenon_time).in_(pairs))
    stored = {
        (
            row.datastream_id,
            row.phenomenon_time,
            row.phenomenon_time_end,
            _result_key(row.result_number, row.result_json),
        )
        for row in session.execute(query)
    }
    return {index for index, key in keys.items() if key in stored}
