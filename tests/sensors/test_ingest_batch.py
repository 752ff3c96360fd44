"""The per-stream summaries of an ingest batch: the newest observation and the spans.

Ingest reads them from the batch grouped by Datastream, with shortcuts for the usual batch
(instants, no result times, every result a number); these tests hold the shortcuts to what
the plain definitions give, on mixed batches.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pontive.sensors.ingest_batch import Batch
from pontive.sensors.ingest_parse import ObservationIn

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _batch(items: list[ObservationIn], numbers: list[float | None]) -> Batch:
    times = [item.phenomenon_time or T0 for item in items]
    return Batch(items, numbers, [1] * len(items), times)


def test_the_newest_of_each_stream_is_the_latest_time_and_the_later_of_equal_times() -> None:
    items = [
        ObservationIn(1, _at(5), None, 1.0),
        ObservationIn(2, _at(1), None, 2.0),
        ObservationIn(1, _at(9), None, 3.0),
        ObservationIn(1, _at(9), None, 4.0),  # same time as the one before: this one wins
        ObservationIn(2, _at(0), None, 5.0),  # earlier than the stream's first
        ObservationIn(1, _at(2), None, 6.0),
    ]
    batch = _batch(items, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert batch.by_stream() == {1: [0, 2, 3, 5], 2: [1, 4]}
    assert batch.newest() == {1: 3, 2: 1}


def test_spans_of_instants_are_each_streams_first_and_last_time() -> None:
    items = [
        ObservationIn(7, _at(30), None, 1.0),
        ObservationIn(8, _at(10), None, 2.0),
        ObservationIn(7, _at(-20), None, 3.0),
    ]
    assert _batch(items, [1.0, 2.0, 3.0]).spans() == {
        7: [_at(-20), _at(30), None, None],
        8: [_at(10), _at(10), None, None],
    }


def test_spans_take_interval_ends_and_result_times_into_account() -> None:
    items = [
        ObservationIn(7, _at(0), _at(60), 1.0),  # an interval: ends after every start
        ObservationIn(7, _at(30), None, 2.0, _at(31)),
        ObservationIn(7, _at(10), None, 3.0, _at(5)),
        ObservationIn(8, _at(10), None, 4.0),
    ]
    assert _batch(items, [1.0, 2.0, 3.0, 4.0]).spans() == {
        7: [_at(0), _at(60), _at(5), _at(31)],
        8: [_at(10), _at(10), None, None],
    }
