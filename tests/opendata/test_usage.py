"""Usage counts are gathered per process and written together (opendata/usage.py): a read
never opens a write transaction of its own, yet every view, download and API call counts."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.orm import Session

from pontive.opendata import service, usage
from pontive.opendata.choices import UsageKind
from tests.opendata.conftest import make_dataset


def test_counts_wait_until_due_and_the_totals_include_them(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = make_dataset(session)
    for _ in range(3):
        usage.count(session, dataset_id=dataset.id, kind=UsageKind.VIEW)
    usage.count(session, dataset_id=dataset.id, resource_id="r1", kind=UsageKind.DOWNLOAD)
    assert service.usage_totals(session, dataset.id) == {"view": 0, "download": 0, "api": 0}
    assert usage.totals(session, dataset.id) == {"view": 3, "download": 1, "api": 0}
    monkeypatch.setattr(usage, "FLUSH_SECONDS", 0.0)
    usage.count(session, dataset_id=dataset.id, kind=UsageKind.API)
    assert service.usage_totals(session, dataset.id) == {"view": 3, "download": 1, "api": 1}
    assert usage.BUFFER.pending(dataset.id) == {}
    assert usage.totals(session, dataset.id) == {"view": 3, "download": 1, "api": 1}


def test_other_datasets_counts_are_not_added(session: Session) -> None:
    first, second = make_dataset(session, "satu"), make_dataset(session, "dua")
    usage.count(session, dataset_id=first.id, kind=UsageKind.VIEW)
    assert usage.totals(session, second.id) == {"view": 0, "download": 0, "api": 0}


def test_a_count_that_cannot_be_written_is_logged_not_raised(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    dataset = make_dataset(session)
    monkeypatch.setattr(usage, "FLUSH_SECONDS", 0.0)
    with caplog.at_level(logging.WARNING):
        usage.count(session, dataset_id="tidak-ada", kind=UsageKind.VIEW)  # no such dataset
    assert "tidak-ada" in caplog.text
    usage.count(session, dataset_id=dataset.id, kind=UsageKind.VIEW)
    assert service.usage_totals(session, dataset.id)["view"] == 1
