"""The accepted observations of one ingest batch, kept in column form.

Ingest runs once per observation on the hot path (MQTT messages, CreateObservations rows),
so a batch keeps the items as they came plus three parallel lists (numeric result, feature,
phenomenon time) and makes no per-row dictionaries: the database tuples are built straight
from the items, and a full row mapping (:meth:`Batch.row`) only when one observation is
published (A.8) or announced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

import orjson

from pontive.sensors.ingest_parse import ObservationIn
from pontive.sensors.models import to_micros

# Column order of the bulk inserts (the ``sensor_observations`` columns after ``id``).
COLUMNS = (
    "datastream_id",
    "phenomenon_time",
    "phenomenon_time_end",
    "result_time",
    "result_number",
    "result_json",
    "result_quality",
    "valid_time_start",
    "valid_time_end",
    "parameters",
    "feature_of_interest_id",
)


def json_text(value: Any) -> str | None:
    """JSON text of a column value; ``None`` stays SQL NULL (``none_as_null`` columns)."""
    if value is None:
        return None
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # integers beyond 64 bits: orjson refuses, the standard library does not
        return json.dumps(value)


def _micros(value: datetime | None) -> int | None:
    return None if value is None else to_micros(value)


def _none(items: list[ObservationIn], name: str) -> bool:
    """Whether no item has the optional field ``name`` (looked at in C)."""
    values = list(map(attrgetter(name), items))
    return values.count(None) == len(values)


def _column(
    items: list[ObservationIn], name: str, convert: Callable[[Any], Any]
) -> list[Any] | None:
    """One optional field of every item, converted; ``None`` when no item has it."""
    values = list(map(attrgetter(name), items))
    if values.count(None) == len(values):
        return None
    return [convert(value) for value in values]


@dataclass(slots=True)
class Batch:
    """Observations about to be stored: ``items[i]`` with ``numbers[i]`` (its result as a
    number, or ``None``), ``features[i]`` and ``times[i]`` (phenomenon time, defaulted)."""

    items: list[ObservationIn]
    numbers: list[float | None]
    features: list[int]
    times: list[datetime]
    groups: dict[int, list[int]] | None = field(default=None, compare=False)  # by_stream()
    instants: list[int] | None = field(default=None, compare=False)  # micros()

    def __len__(self) -> int:
        return len(self.items)

    def sqlite_columns(self) -> list[list[Any] | None]:
        """The batch column by column in ``COLUMNS`` order, as SQLite stores the values
        (instants in microseconds); ``None`` for a column that is NULL in every row. Columns,
        not rows: most are empty in most batches, and an empty one is found in C (``map``,
        ``list.count``) without converting a value."""
        items = self.items
        numbers = self.numbers
        texts = [json_text(item.result) for item, n in zip(items, numbers, strict=True)
                 if n is None] if None in numbers else []  # fmt: skip
        results: list[Any] | None = None
        if texts:
            answers = iter(texts)
            results = [None if n is not None else next(answers) for n in numbers]
        columns: list[list[Any] | None] = [
            [item.datastream_id for item in items],
            self.micros(),
            _column(items, "phenomenon_time_end", _micros),
            _column(items, "result_time", _micros),
            list(numbers) if numbers.count(None) < len(numbers) else None,
            results,
            _column(items, "result_quality", json_text),
            _column(items, "valid_time_start", _micros),
            _column(items, "valid_time_end", _micros),
            _column(items, "parameters", json_text),
            list(self.features),
        ]
        return columns

    def postgresql_values(self) -> Iterator[tuple[Any, ...]]:
        """Rows in ``COLUMNS`` order for ``COPY`` (aware datetimes, JSON as text)."""
        for item, number, feature, time in zip(
            self.items, self.numbers, self.features, self.times, strict=True
        ):
            yield (
                item.datastream_id,
                time,
                item.phenomenon_time_end,
                item.result_time,
                number,
                None if number is not None else json_text(item.result),
                json_text(item.result_quality),
                item.valid_time_start,
                item.valid_time_end,
                json_text(item.parameters),
                feature,
            )

    def row(self, index: int, observation_id: int) -> dict[str, Any]:
        """One observation as the table holds it (the mapping ``sta_serialize`` reads)."""
        item, number = self.items[index], self.numbers[index]
        return {
            "id": observation_id,
            "datastream_id": item.datastream_id,
            "phenomenon_time": self.times[index],
            "phenomenon_time_end": item.phenomenon_time_end,
            "result_time": item.result_time,
            "result_number": number,
            "result_json": None if number is not None else item.result,
            "result_quality": item.result_quality,
            "valid_time_start": item.valid_time_start,
            "valid_time_end": item.valid_time_end,
            "parameters": item.parameters,
            "feature_of_interest_id": self.features[index],
        }

    def micros(self) -> list[int]:
        """The phenomenon times in microseconds since the epoch (made once: the SQLite insert
        and the rollups both read them)."""
        if self.instants is None:
            self.instants = [to_micros(time) for time in self.times]
        return self.instants

    def by_stream(self) -> dict[int, list[int]]:
        """Datastream id → the indices of its observations, in batch order (made once: the
        summaries, rollups and indices all read the batch stream by stream)."""
        if self.groups is None:
            groups: dict[int, list[int]] = {}
            for index, stream in enumerate(map(attrgetter("datastream_id"), self.items)):
                held = groups.get(stream)
                if held is None:
                    groups[stream] = [index]
                else:
                    held.append(index)
            self.groups = groups
        return self.groups

    def newest(self) -> dict[int, int]:
        """Datastream id → index of its newest observation in the batch (ties: the later)."""
        at = self.times.__getitem__
        # max keeps the first of equal times it meets: from the end, that is the later one.
        return {
            stream: max(reversed(indices), key=at) for stream, indices in self.by_stream().items()
        }

    def spans(self) -> dict[int, list[Any]]:
        """Datastream id → [first start, last end, first result time, last result time]."""
        items, times = self.items, self.times
        if _none(items, "phenomenon_time_end") and _none(items, "result_time"):
            # The usual batch, instants with no result time: the span of each stream's times.
            spans: dict[int, list[Any]] = {}
            for stream, indices in self.by_stream().items():
                own = [times[index] for index in indices]
                spans[stream] = [min(own), max(own), None, None]
            return spans
        spans = {}
        for item, start in zip(self.items, self.times, strict=True):
            end = item.phenomenon_time_end or start
            result_time = item.result_time
            span = spans.get(item.datastream_id)
            if span is None:
                spans[item.datastream_id] = [start, end, result_time, result_time]
                continue
            span[0], span[1] = min(span[0], start), max(span[1], end)
            if result_time is not None:
                span[2] = result_time if span[2] is None else min(span[2], result_time)
                span[3] = result_time if span[3] is None else max(span[3], result_time)
        return spans
