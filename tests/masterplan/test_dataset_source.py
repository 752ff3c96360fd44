"""An indicator whose values come from a column of an open-data table: the last value, the
sum, the mean, recorded once a day and shown for the current year."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import metrics, monitoring, progress
from pontive.masterplan.choices import EntrySource
from tests.masterplan.support import indicator, programme
from tests.opendata.datastore_support import filled_resource

THIS_YEAR = utcnow().astimezone(WIB).year


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [("last", 7.25), ("sum", 20.75), ("mean", 20.75 / 3), ("count", 3.0)],
)
def test_a_dataset_column_feeds_the_indicator(
    session: Session, aggregate: str, expected: float
) -> None:
    resource = filled_resource(session)  # nilai: 10.5, 3, 7.25 and an empty one
    owner = programme(session)
    made = indicator(
        session,
        "LIV-01.D1",
        owner=owner,
        source_kind="dataset",
        targets={THIS_YEAR: 10.0},
        source_params={"resource_id": resource.id, "column": "nilai", "aggregate": aggregate},
    )
    assert metrics.computed_value(session, made) == pytest.approx(expected)
    status = progress.statuses(session, THIS_YEAR)[made.id]
    assert status.is_live
    assert status.value == pytest.approx(expected)
    assert progress.statuses(session, THIS_YEAR - 1)[made.id].value is None  # not a past year
    assert monitoring.record_live(session) == 1
    assert monitoring.record_live(session) == 0  # once a day
    (entry,) = monitoring.entries(session, indicator_ids=[made.id])
    assert entry.source is EntrySource.LIVE
    assert entry.value == pytest.approx(expected)
    assert entry.period_date.year == THIS_YEAR


def test_a_missing_column_or_resource_gives_no_value(session: Session) -> None:
    resource = filled_resource(session)
    owner = programme(session)
    wrong_column = indicator(
        session,
        "LIV-01.D2",
        owner=owner,
        source_kind="dataset",
        source_params={"resource_id": resource.id, "column": "tidak_ada"},
    )
    wrong_resource = indicator(
        session,
        "LIV-01.D3",
        owner=owner,
        source_kind="dataset",
        source_params={"resource_id": "tidak-ada", "column": "nilai"},
    )
    text_column = indicator(
        session,
        "LIV-01.D4",
        owner=owner,
        source_kind="dataset",
        source_params={"resource_id": resource.id, "column": "kelurahan"},
    )
    assert metrics.computed_value(session, wrong_column) is None
    assert metrics.computed_value(session, wrong_resource) is None
    assert metrics.computed_value(session, text_column) is None
