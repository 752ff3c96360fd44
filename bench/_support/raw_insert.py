"""Baseline of ``bench/ingest.py``: raw ``executemany`` into ``sensor_observations``.

``python raw_insert.py --url URL --plan PLAN.json`` inserts the rows the plan describes, in
transactions of ``per_request`` rows (one per CreateObservations request of the Pontive run),
with the database driver alone: ``sqlite3`` (with the pragmas Pontive sets: WAL,
synchronous NORMAL, foreign keys) or psycopg's ``executemany``. Every column of the table is
written, times as Pontive stores them. Prints ``{"rows": n, "seconds": s}``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

COLUMNS = (
    "datastream_id, phenomenon_time, phenomenon_time_end, result_time, result_number,"
    " result_json, result_quality, valid_time_start, valid_time_end, parameters,"
    " feature_of_interest_id"
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def plan_rows(plan: dict[str, Any]) -> list[list[tuple[Any, ...]]]:
    """The plan's rows in request-sized groups (times as datetimes)."""
    start = datetime.fromisoformat(plan["start"])
    step = timedelta(seconds=plan["step_seconds"])
    requests = []
    for request in range(plan["requests"]):
        rows = []
        for stream, feature in plan["streams"]:
            for n in range(plan["rows_per_stream"]):
                when = start + step * (request * plan["rows_per_stream"] + n)
                rows.append((stream, when, 250.0 + n % 97, feature))
        requests.append(rows)
    return requests


def _micros(value: datetime) -> int:
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def run_sqlite(path: str, requests: list[list[tuple[Any, ...]]]) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    sql = f"INSERT INTO sensor_observations ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"  # noqa: S608
    started = time.perf_counter()
    for rows in requests:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            sql,
            [
                (s, _micros(t), None, None, r, None, None, None, None, None, f)
                for s, t, r, f in rows
            ],
        )
        connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def run_postgres(url: str, requests: list[list[tuple[Any, ...]]]) -> float:
    import psycopg

    sql = (
        f"INSERT INTO sensor_observations ({COLUMNS})"  # noqa: S608 - constant text
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
    )
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        for rows in requests:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(
                    sql,
                    [(s, t, None, None, r, None, None, None, None, None, f) for s, t, r, f in rows],
                )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="sqlite:///path or postgresql://…")
    parser.add_argument("--plan", required=True, help="JSON file written by bench/ingest.py")
    args = parser.parse_args()
    with open(args.plan) as source:
        requests = plan_rows(json.load(source))
    if args.url.startswith("sqlite:///"):
        seconds = run_sqlite(args.url.removeprefix("sqlite:///"), requests)
    else:
        seconds = run_postgres(args.url.replace("postgresql+psycopg://", "postgresql://"), requests)
    print(json.dumps({"rows": sum(len(rows) for rows in requests), "seconds": seconds}))


if __name__ == "__main__":
    main()
