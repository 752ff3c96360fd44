"""The baseline of ``bench/opendata_upload.py``: the least a Python program does to put a CSV
into an indexed SQLite table — read it with the ``csv`` module, convert each value to the
column's type, insert in batches of 5,000 inside one transaction, index every column (as
Pontive's datastore does for a narrow table) and analyse. No type inference, no validation
report, no progress, no staging table.

Usage: ``python bare_load.py CSV DATABASE``; prints the seconds it took and the rows loaded as
one JSON object.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

COLUMNS: list[tuple[str, str, Callable[[str], Any]]] = [
    ("kelurahan", "TEXT", str),
    ("tahun", "INTEGER", int),
    ("bulan", "INTEGER", int),
    ("indikator", "TEXT", str),
    ("nilai", "REAL", float),
    ("tanggal", "TEXT", str),
]
BATCH = 5000


def load(source: Path, target: Path) -> tuple[float, int]:
    started = time.perf_counter()
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA cache_size=-262144")
    names = ", ".join(f'"{name}" {kind}' for name, kind, _ in COLUMNS)
    connection.execute(f"CREATE TABLE bare (_id INTEGER PRIMARY KEY, {names})")
    insert = (
        f"INSERT INTO bare ({', '.join(name for name, _, _ in COLUMNS)}) "  # noqa: S608 - fixed names
        f"VALUES ({', '.join('?' for _ in COLUMNS)})"
    )
    converters = [convert for _, _, convert in COLUMNS]
    rows = 0
    connection.execute("BEGIN")
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)  # the header
        batch: list[tuple[Any, ...]] = []
        for record in reader:
            batch.append(tuple(c(v) for c, v in zip(converters, record, strict=True)))
            if len(batch) >= BATCH:
                connection.executemany(insert, batch)
                rows += len(batch)
                batch = []
        if batch:
            connection.executemany(insert, batch)
            rows += len(batch)
    for name, _, _ in COLUMNS:
        connection.execute(f'CREATE INDEX "ix_{name}" ON bare ("{name}")')
    connection.execute("COMMIT")
    connection.execute("ANALYZE bare")
    connection.close()
    return time.perf_counter() - started, rows


if __name__ == "__main__":
    seconds, loaded = load(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps({"seconds": seconds, "rows": loaded}))
