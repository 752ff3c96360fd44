"""``pontive privacy …`` as the data-protection officer runs it."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from pontive.core.db import Database
from pontive.privacy.choices import Channel, Outcome, RequestKind
from pontive.privacy.models import PrivacyRequest
from tests.conftest import run_cli


def test_inventory_prints_markdown_and_json(database_url: str) -> None:
    code, output = run_cli(database_url, "privacy", "inventory")
    assert code == 0
    assert "| `complaints.reporter_email` | Kontak | ya |" in output
    code, output = run_cli(database_url, "privacy", "inventory", "--format", "json")
    assert code == 0
    rows = json.loads(output)
    assert {"table": "users", "column": "email"}.items() <= next(
        row for row in rows if row["table"] == "users" and row["column"] == "email"
    ).items()


def test_export_and_erase_are_recorded_even_when_nothing_is_held(
    database_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "copy.json"
    code, output = run_cli(
        database_url, "privacy", "export", "nobody@contoh.id", "--by", "contact", "-o", str(target)
    )
    assert code == 0, output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["sources"] == []
    assert document["subject"]["lookup"] == "contact"
    code, output = run_cli(database_url, "privacy", "erase", "PTK-1999-000001", "--by", "tracking")
    assert code == 0, output
    with Database(database_url) as database, database.session() as session:
        latest = session.scalars(
            select(PrivacyRequest).order_by(PrivacyRequest.id.desc()).limit(2)
        ).all()
    assert [(r.kind, r.channel, r.outcome) for r in latest] == [
        (RequestKind.ERASE, Channel.CLI, Outcome.NOTHING_FOUND),
        (RequestKind.EXPORT, Channel.CLI, Outcome.NOTHING_FOUND),
    ]
    assert latest[1].id == document["request_id"]


def test_an_empty_subject_is_refused(database_url: str) -> None:
    code, output = run_cli(database_url, "privacy", "export", "  ", "--by", "user")
    assert code != 0
    assert "pengguna" in output.lower() or "username" in output.lower()
