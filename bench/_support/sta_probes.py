"""The SQL side of ``bench/sta_query.py``: bare-driver latencies, query plans, rollup cost.

The baseline runs the queries the endpoints need through the bare driver (``sqlite3`` or
``psycopg``) in the bench process. The plans are printed and checked: the filtered page must
use the (datastream, phenomenon time, id) index and, on PostgreSQL, touch at most the two
partitions a one-day window can fall in; the aggregate must read ``sensor_rollups`` by its
primary key. The SensorThings endpoint's own SQL is captured from an in-process app and
explained too.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import event
from sta_dataset import AGGREGATE_SQL, PAGE_SQL, Backend, Dataset, rollup_batch_cost

FILTER_VALUE = 150.0


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Probes:
    """Latencies and plans of the bench queries on one backend."""

    def __init__(self, backend: Backend, dataset: Dataset) -> None:
        self.backend = backend
        self.dataset = dataset
        self.is_sqlite = backend.name == "sqlite"
        marker = "?" if self.is_sqlite else "%s"
        self.page_sql = PAGE_SQL.format(p=marker)
        self.aggregate_sql = AGGREGATE_SQL.format(p=marker)

    def _connect(self) -> Any:
        if self.is_sqlite:
            return sqlite3.connect(self.backend.url.removeprefix("sqlite:///"))
        return psycopg.connect(self.backend.url.replace("postgresql+psycopg://", "postgresql://"))

    def _time(self, when: datetime) -> Any:
        # SQLite keeps instants as integer microseconds (models.InstantColumn).
        return int(when.timestamp()) * 1_000_000 if self.is_sqlite else when

    def _page_params(self, page: tuple[int, str, str]) -> tuple[Any, ...]:
        stream, start, end = page
        return (stream, self._time(_instant(start)), self._time(_instant(end)), FILTER_VALUE)

    def _aggregate_params(self, month: tuple[int, str, str]) -> tuple[Any, ...]:
        stream, start, end = month
        return (stream, self._time(_instant(start)), self._time(_instant(end)))

    def _latencies(self, sql: str, params: Sequence[tuple[Any, ...]]) -> list[float]:
        connection = self._connect()
        latencies = []
        try:
            for values in params:
                started = time.perf_counter()
                cursor = connection.execute(sql, values)
                rows = cursor.fetchall()
                latencies.append((time.perf_counter() - started) * 1000)
                if not rows:
                    raise RuntimeError(f"no rows for {values}")
        finally:
            connection.close()
        return latencies

    def filtered_page(self, pages: Sequence[tuple[int, str, str]]) -> list[float]:
        """Milliseconds per filtered page through the bare driver."""
        return self._latencies(self.page_sql, [self._page_params(p) for p in pages])

    def aggregate(self, months: Sequence[tuple[int, str, str]]) -> list[float]:
        """Milliseconds per 720-bucket rollup read through the bare driver."""
        return self._latencies(self.aggregate_sql, [self._aggregate_params(m) for m in months])

    def explain(
        self, page: tuple[int, str, str], month: tuple[int, str, str], sta_path: str | None
    ) -> None:
        """Print and check the plans of both queries (and of the SensorThings SQL)."""
        self._show("filtered page (equivalent SQL)", self.page_sql, self._page_params(page))
        self._show("hourly aggregate", self.aggregate_sql, self._aggregate_params(month))
        if sta_path is None:
            return
        for sql, params in _captured_sta_sql(self.backend.url, sta_path):
            self._show("filtered page (SensorThings' own SQL)", sql, params, driver=True)

    def _show(self, title: str, sql: str, params: Any, *, driver: bool = False) -> None:
        if self.is_sqlite:
            prefix = "EXPLAIN QUERY PLAN "
        else:
            prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) "
        connection = self._connect()
        try:
            rows = connection.execute(prefix + sql, params).fetchall()
        finally:
            connection.close()
        plan = "\n".join(str(row[-1]) for row in rows)
        print(
            f"--- {self.backend.name} plan: {title}{' (as sent by the driver)' if driver else ''}"
        )
        print("    " + plan.replace("\n", "\n    "))
        print(f"    check: {_verdict(plan, sql, self.is_sqlite)}")

    def rollup_batch_cost(self) -> tuple[float, float, float]:
        """(add_readings ms, update_rollups ms, bulk insert ms) for 1,000 observations in 10
        streams."""
        return rollup_batch_cost(self.backend.url, self.backend.ids)


def _verdict(plan: str, sql: str, is_sqlite: bool) -> str:
    if "sensor_rollups" in sql and "sensor_observations" not in sql:
        ok = ("pk_sensor_rollups" in plan) or ("sqlite_autoindex_sensor_rollups_1" in plan)
        return "reads the rollups by primary key" if ok else "WARNING: rollups not read by key"
    if is_sqlite:
        ok = "ix_sensor_observations_stream_time" in plan
        return "uses the stream-time index" if ok else "WARNING: not on the stream-time index"
    scanned = set(re.findall(r" on (sensor_observations_p\d{6})", plan))
    index_ok = "datastream_id_phenomenon_time" in plan
    pruned = len(scanned) <= 2
    return (
        f"{'uses' if index_ok else 'WARNING: does not use'} the stream-time index; "
        f"{len(scanned)} partition(s) scanned"
        f"{'' if pruned else ' — WARNING: no partition pruning'}"
    )


def _captured_sta_sql(url: str, path: str) -> list[tuple[str, Any]]:
    """The observation queries the SensorThings endpoint sends for ``path``, as the driver
    receives them (an in-process app on the same database)."""
    from fastapi.testclient import TestClient

    from pontive.app import create_app
    from pontive.settings import Environment, Settings

    settings = Settings(env=Environment.DEV, database_url=url, log_json=False)
    app = create_app(settings)
    captured: list[tuple[str, Any]] = []
    engine = app.state.database.engine

    def capture(_c: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "sensor_observations" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, params))

    listener: Callable[..., None] = capture
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with TestClient(app) as client:
            response = client.get(path, headers={"Cookie": "pontive_session=bench"})
            if response.status_code != 200:
                print(f"SensorThings answered {response.status_code} in process; no plan")
                return []
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return captured
