"""Time comparisons and date functions, checked against FROST-Server's ``DateTimeTests``.

The 25 observations and the expected answers are those of FROST-Server's
``c03filtering/DateTimeTests.java`` (the de-facto SensorThings 1.1 suite): instants and
half-open intervals compared with instants and intervals, both ways round, on
phenomenonTime (instant or interval), resultTime (instant) and validTime (interval).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.sensors.sta_query_support import (
    Rows,
    _forget_partitions,  # noqa: F401 - autouse fixture
    add,
    base_entities,
    matching,
    stream,
)


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


T2014, T2015 = _t("2014-01-01T06:00"), _t("2015-01-01T06:00")
T2017, T2018 = _t("2017-01-01T09:00"), _t("2018-01-01T09:00")
T2017_2 = T2017 + timedelta(hours=1)
T600, T659, T700, T701 = (_t(f"2016-01-01T{hm}") for hm in ("06:00", "06:59", "07:00", "07:01"))
T759, T800, T801, T900 = (_t(f"2016-01-01T{hm}") for hm in ("07:59", "08:00", "08:01", "09:00"))
I2015 = (T2015, T2015 + timedelta(hours=1))
I2017 = (T2017, T2017_2)
# FROST's observations: (phenomenonTime, resultTime, validTime)
OBSERVATIONS = [
    *[(t, t, None) for t in (T600, T659, T700, T701, T759, T800, T801, T900)],  # 0-7
    *[((s, e), None, (s, e)) for s, e in (
        (T600, T659), (T600, T700), (T600, T701), (T700, T800), (T701, T759), (T759, T900),
        (T800, T900), (T801, T900), (T659, T801), (T700, T759), (T700, T801), (T659, T800),
        (T701, T800))],  # 8-20
    (T2015, T2015, None), (T2017, T2017, None), (I2015, T2015, I2015), (I2017, T2017_2, I2017),
]  # fmt: skip


def _iso(value: datetime | tuple[datetime, datetime]) -> str:
    if isinstance(value, tuple):
        return f"{_iso(value[0])}/{_iso(value[1])}"
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def frost(session: Session) -> Rows:
    """FROST's DateTimeTests entities: one Thing, two Datastreams, 25 Observations."""
    rows = Rows()
    base_entities(session, rows, {"T": {"name": "Thing 1"}})
    add(session, rows, "Datastream", {
        "DS0": stream("T", "S1", "P1", rows, name="Datastream 1",
                      phenomenon_time_start=T2015, phenomenon_time_end=T2017_2,
                      result_time_start=T2015, result_time_end=T2017_2),
        "DS1": stream("T", "S1", "P1", rows, name="Datastream 2"),
    })  # fmt: skip
    ds0, items = rows.id("Datastream", "DS0"), {}
    for index, (pt, rt, vt) in enumerate(OBSERVATIONS):
        start, end = pt if isinstance(pt, tuple) else (pt, None)
        items[str(index)] = {
            "datastream_id": ds0, "phenomenon_time": start, "phenomenon_time_end": end,
            "result_time": rt, "result_number": float(index),
            "valid_time_start": vt[0] if vt else None, "valid_time_end": vt[1] if vt else None,
        }  # fmt: skip
    add(session, rows, "Observation", items)
    return rows


def _labels(*numbers: int) -> set[str]:
    return {str(number) for number in numbers}


T7 = _iso(T700)
I78 = _iso((T700, T800))
LT_AFTER = {  # property lt T7 / property lt I78 (test01Lt, testTimeOpValue)
    ("resultTime", T7): _labels(0, 1, 21, 23),
    ("validTime", T7): _labels(8, 9, 23),
    ("phenomenonTime", T7): _labels(0, 1, 8, 9, 21, 23),
    ("resultTime", I78): _labels(0, 1, 21, 23),
    ("validTime", I78): _labels(8, 9, 23),
    ("phenomenonTime", I78): _labels(0, 1, 8, 9, 21, 23),
}
LT_BEFORE = {  # T7 lt property / I78 lt property (testValueOpTime)
    ("resultTime", T7): _labels(3, 4, 5, 6, 7, 22, 24),
    ("validTime", T7): _labels(12, 13, 14, 15, 20, 24),
    ("phenomenonTime", T7): _labels(3, 4, 5, 6, 7, 12, 13, 14, 15, 20, 22, 24),
    ("resultTime", I78): _labels(5, 6, 7, 22, 24),
    ("validTime", I78): _labels(14, 15, 24),
    ("phenomenonTime", I78): _labels(5, 6, 7, 14, 15, 22, 24),
}
LE_AFTER = {  # property le value (test03Le)
    ("resultTime", T7): _labels(0, 1, 2, 21, 23),
    ("validTime", T7): _labels(8, 9, 23),
    ("phenomenonTime", T7): _labels(0, 1, 2, 8, 9, 21, 23),
    ("resultTime", I78): _labels(0, 1, 2, 21, 23),
    ("validTime", I78): _labels(8, 9, 10, 11, 17, 19, 23),
    ("phenomenonTime", I78): _labels(0, 1, 2, 8, 9, 10, 11, 17, 19, 21, 23),
}
LE_BEFORE = {  # value le property (test03Le)
    ("resultTime", T7): _labels(2, 3, 4, 5, 6, 7, 22, 24),
    ("validTime", T7): _labels(11, 12, 13, 14, 15, 17, 18, 20, 24),
    ("phenomenonTime", T7): _labels(2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 17, 18, 20, 22, 24),
    ("resultTime", I78): _labels(5, 6, 7, 22, 24),
    ("validTime", I78): _labels(11, 13, 14, 15, 18, 20, 24),
    ("phenomenonTime", I78): _labels(5, 6, 7, 11, 13, 14, 15, 18, 20, 22, 24),
}
EQ = {
    ("resultTime", T7): _labels(2), ("validTime", T7): set(), ("phenomenonTime", T7): _labels(2),
    ("resultTime", I78): set(), ("validTime", I78): _labels(11),
    ("phenomenonTime", I78): _labels(11),
}  # fmt: skip


@pytest.mark.parametrize(
    ("op", "flipped", "table"),
    [
        ("lt", False, LT_AFTER), ("lt", True, LT_BEFORE), ("gt", False, LT_BEFORE),
        ("gt", True, LT_AFTER), ("le", False, LE_AFTER), ("le", True, LE_BEFORE),
        ("ge", False, LE_BEFORE), ("ge", True, LE_AFTER), ("eq", False, EQ), ("eq", True, EQ),
    ],
)  # fmt: skip
def test_observation_times_compare_as_frost_does(
    session: Session, frost: Rows, op: str, flipped: bool, table: dict
) -> None:
    for (prop, value), expected in table.items():
        text = f"{value} {op} {prop}" if flipped else f"{prop} {op} {value}"
        assert matching(session, frost, "Observation", text) == expected, text


def test_ne_is_the_negation_of_eq(session: Session, frost: Rows) -> None:
    everything = {str(n) for n in range(25)}
    assert matching(session, frost, "Observation", f"resultTime ne {T7}") == (
        {str(n) for n, o in enumerate(OBSERVATIONS) if o[1] is not None} - _labels(2)
    )
    assert matching(session, frost, "Observation", f"phenomenonTime ne {I78}") == (
        everything - _labels(11)
    )


DS_EXPECTED = {  # value: (lt, gt, le, ge, eq) — does DS0 match? (testDsTpl lists)
    _iso(T2014): (False, True, False, True, False),
    _iso(T2015): (False, False, False, True, False),
    T7: (False, False, False, False, False),
    _iso(T2017_2): (True, False, True, False, False),
    _iso(T2018): (True, False, True, False, False),
    I78: (False, False, False, False, False),
    _iso((T2014, T2015)): (False, True, False, True, False),
    _iso((T2014, T2017_2)): (False, False, False, True, False),
    _iso((T2014, T2018)): (False, False, False, False, False),
    _iso((T2015, T2017_2)): (False, False, True, True, True),
    _iso((T2015, T2018)): (False, False, True, False, False),
    _iso((T2017_2, T2018)): (True, False, True, False, False),
}


def test_datastream_periods_compare_as_frost_does(session: Session, frost: Rows) -> None:
    for value, answers in DS_EXPECTED.items():
        for op, expected in zip(("lt", "gt", "le", "ge", "eq"), answers, strict=True):
            for prop in ("phenomenonTime", "resultTime"):
                text = f"{prop} {op} {value}"
                found = matching(session, frost, "Datastream", text)
                assert found == ({"DS0"} if expected else set()), text


def test_durations_shift_instants_and_intervals(session: Session, frost: Rows) -> None:
    t9 = _iso(T900)
    cases = {  # FROST test14Durations
        f"resultTime add duration'PT1H' gt {t9}": _labels(6, 7, 22, 24),
        f"validTime add duration'PT1H' gt {t9}": _labels(15, 24),
        f"phenomenonTime add duration'PT1H' gt {t9}": _labels(6, 7, 15, 22, 24),
        f"resultTime gt {t9} sub duration'PT1H'": _labels(6, 7, 22, 24),
        f"validTime gt {t9} sub duration'PT1H'": _labels(15, 24),
        f"resultTime sub duration'PT1H' gt {T7}": _labels(6, 7, 22, 24),
        f"phenomenonTime sub duration'PT1H' gt {T7}": _labels(6, 7, 15, 22, 24),
        f"resultTime lt {_iso((T600, T700))} add duration'PT1H'": _labels(0, 1, 21, 23),
        f"duration'PT1H' add resultTime gt {t9}": _labels(6, 7, 22, 24),
        f"resultTime gt {t9} sub duration'PT30M' sub duration'PT30M'": _labels(6, 7, 22, 24),
    }
    for text, expected in cases.items():
        assert matching(session, frost, "Observation", text) == expected, text


def test_difference_of_two_times_is_a_duration(session: Session, frost: Rows) -> None:
    text = "resultTime sub phenomenonTime gt duration'PT30M'"
    assert matching(session, frost, "Observation", text) == _labels(24)
    text = "validTime sub phenomenonTime eq duration'PT0S'"
    assert matching(session, frost, "Observation", text) == _labels(*range(8, 21), 23, 24)


def test_now_is_the_compile_moment(session: Session, frost: Rows) -> None:
    now = T900 + timedelta(minutes=30)
    text = "phenomenonTime ge now() sub duration'PT1H'"
    assert matching(session, frost, "Observation", text, now=now) == _labels(7, 22, 24)
    assert matching(session, frost, "Observation", "resultTime gt now()", now=T2015) == _labels(
        *range(8), 22, 24
    )


def test_date_parts_are_taken_in_utc(session: Session, frost: Rows) -> None:
    cases = {  # FROST test13Year, then the other parts
        "year(resultTime) eq 2015": _labels(21, 23),
        "year(validTime) eq 2015": _labels(23),
        "year(phenomenonTime) eq 2015": _labels(21, 23),
        "month(resultTime) eq 1 and day(resultTime) eq 1 and year(resultTime) eq 2017": _labels(
            22, 24),
        "hour(resultTime) eq 7": _labels(2, 3, 4),
        "minute(phenomenonTime) eq 59": _labels(1, 4, 13, 16, 19),
        "second(resultTime) eq 0 and hour(resultTime) eq 9": _labels(7, 22),
        "fractionalseconds(resultTime) eq 0 and hour(resultTime) eq 9": _labels(7, 22),
        "date(resultTime) eq 2015-01-01": _labels(21, 23),
        "time(resultTime) eq 07:01:00": _labels(3),
        "time(resultTime) lt 06:30": _labels(0, 21, 23),
        "totaloffsetminutes(resultTime) eq 0 and year(resultTime) eq 2017": _labels(22, 24),
        "hour(resultTime add duration'PT2H') eq 9": _labels(2, 3, 4),
        "resultTime gt mindatetime() and resultTime lt maxdatetime() and hour(resultTime) eq 6":
            _labels(0, 1, 21, 23),
    }  # fmt: skip
    for text, expected in cases.items():
        assert matching(session, frost, "Observation", text) == expected, text


def test_literal_date_parts_and_offsets(session: Session, frost: Rows) -> None:
    everything = {str(n) for n in range(25)}
    cases = {
        "hour(2026-11-29T10:00:00+07:00) eq 3": everything,
        "totaloffsetminutes(2026-11-29T10:00:00+07:00) eq 420": everything,
        "date(2026-11-29T01:00:00+07:00) eq 2026-11-28": everything,
        "fractionalseconds(2026-11-29T10:00:00.25Z) eq 0.25": everything,
        "resultTime ge 2016-01-01T15:00:00+07:00 and resultTime lt 2016-01-01": set(),
        "resultTime eq 2016-01-01T14:00:00+07:00": _labels(2),
    }
    for text, expected in cases.items():
        assert matching(session, frost, "Observation", text) == expected, text


def test_text_stored_times_compare_and_split_into_parts(session: Session, frost: Rows) -> None:
    thing = frost.id("Thing", "T")
    add(session, frost, "HistoricalLocation", {
        "H1": {"thing_id": thing, "time": T700 + timedelta(microseconds=250_000)},
        "H2": {"thing_id": thing, "time": T2017},
    })  # fmt: skip
    cases = {
        f"time gt {T7}": {"H1", "H2"},
        "time eq 2016-01-01T07:00:00.25Z": {"H1"},
        "year(time) eq 2017 and hour(time) eq 9": {"H2"},
        "fractionalseconds(time) eq 0.25": {"H1"},
        "time(time) eq 07:00:00.25 and date(time) eq 2016-01-01": {"H1"},
        "time add duration'P365D' gt 2017-12-31T00:00:00Z": {"H2"},
        "Thing/Datastreams/phenomenonTime eq time": set(),
        # An integer-stored instant (SQLite) against a text-stored one: compared exactly.
        "Thing/Datastreams/Observations/resultTime eq time": {"H2"},
    }
    for text, expected in cases.items():
        assert matching(session, frost, "HistoricalLocation", text) == expected, text


# FROST-Server's temporal functions on phenomenonTime (instants 0-7, intervals 8-20) against
# the half-open period I78 = [07:00, 08:00): worked out by hand from the observations above.
RELATIONS_TO_I78 = {
    "starts": _labels(2, 11, 17, 18),  # begins at 07:00
    "finishes": _labels(5, 11, 19, 20),  # ends at 08:00 (an instant is its own end)
    "meets": _labels(2, 5, 9, 14),  # ends at 07:00, or begins at 08:00
    "during": _labels(2, 3, 4, 11, 12, 17, 20),  # inside; the instant 08:00 is not
    "overlaps": _labels(2, 3, 4, 10, 11, 12, 13, 16, 17, 18, 19, 20),
}


@pytest.mark.parametrize("function", sorted(RELATIONS_TO_I78))
def test_frost_temporal_functions(session: Session, frost: Rows, function: str) -> None:
    found = matching(session, frost, "Observation", f"{function}(phenomenonTime, {I78})")
    assert found == RELATIONS_TO_I78[function]


def test_before_and_after_are_lt_and_gt_and_functions_take_either_order(
    session: Session, frost: Rows
) -> None:
    for (prop, value), expected in LT_AFTER.items():
        assert matching(session, frost, "Observation", f"before({prop}, {value})") == expected
        assert matching(session, frost, "Observation", f"after({value}, {prop})") == expected
    for (prop, value), expected in LT_BEFORE.items():
        assert matching(session, frost, "Observation", f"after({prop}, {value})") == expected
    # overlaps is symmetric; during is not.
    assert (
        matching(session, frost, "Observation", f"overlaps({I78}, phenomenonTime)")
        == (RELATIONS_TO_I78["overlaps"])
    )
    assert matching(session, frost, "Observation", f"during({I78}, phenomenonTime)") == _labels(
        11, 18, 19, 16
    )
    # Two constants fold to true or false; validTime is NULL for instants, which never match.
    assert matching(session, frost, "Observation", f"during({T7}, {I78})") == {
        str(n) for n in range(25)
    }
    assert matching(session, frost, "Observation", f"meets(validTime, {I78})") == _labels(9, 14)
