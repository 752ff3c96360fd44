"""Reading and writing registry values: every kind, both languages of the problems."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.registry import Field, Kind
from pontive.core.timeutil import WIB
from pontive.registry.values import (
    Lookups,
    Problem,
    parse,
    parse_line,
    parse_point,
    to_json,
    to_text,
)


@pytest.fixture
def lookups(session: Session) -> Lookups:
    return Lookups(session, WIB)


def _field(kind: Kind, **extra: object) -> Field:
    return Field("x", ("X", "X"), kind, **extra)  # type: ignore[arg-type]


def test_text_is_trimmed_and_limited(lookups: Lookups) -> None:
    assert parse(_field(Kind.TEXT), "  Taman   Alun  Kapuas ", lookups) == "Taman Alun Kapuas"
    assert parse(_field(Kind.TEXT), "   ", lookups) is None
    with pytest.raises(Problem) as problem:
        parse(_field(Kind.TEXT, max_length=5), "panjang sekali", lookups)
    assert problem.value.message("id") == "Terlalu panjang (paling banyak 5 karakter)."
    assert problem.value.message("en") == "Too long (at most 5)."


def test_numbers_accept_both_decimal_marks_and_bounds(lookups: Lookups) -> None:
    assert parse(_field(Kind.DECIMAL), "12,5", lookups) == Decimal("12.5")
    assert parse(_field(Kind.DECIMAL), 3.25, lookups) == Decimal("3.25")
    assert parse(_field(Kind.INT), "42", lookups) == 42
    with pytest.raises(Problem):
        parse(_field(Kind.INT), "4.2", lookups)
    with pytest.raises(Problem) as problem:
        parse(_field(Kind.INT, minimum=1, maximum=5), "9", lookups)
    assert problem.value.message("en") == "At most 5."
    with pytest.raises(Problem):
        parse(_field(Kind.DECIMAL), "NaN", lookups)


def test_dates_in_iso_and_indonesian_order(lookups: Lookups) -> None:
    spec = _field(Kind.DATE)
    assert parse(spec, "2026-11-30", lookups) == date(2026, 11, 30)
    assert parse(spec, "30-11-2026", lookups) == date(2026, 11, 30)
    assert parse(spec, "30/11/2026", lookups) == date(2026, 11, 30)
    with pytest.raises(Problem):
        parse(spec, "31-31-2026", lookups)


def test_a_local_time_is_read_in_wib(lookups: Lookups) -> None:
    value = parse(_field(Kind.DATETIME), "2026-11-30 08:00", lookups)
    assert value == datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
    assert to_text(_field(Kind.DATETIME), value, WIB) == "2026-11-30 08:00"


def test_choices_by_value_or_label(lookups: Lookups) -> None:
    spec = _field(Kind.CHOICE, choices=Classification)
    assert parse(spec, "terbatas", lookups) is Classification.TERBATAS
    assert parse(spec, "Public", lookups) is Classification.PUBLIK
    with pytest.raises(Problem) as problem:
        parse(spec, "sangat rahasia", lookups)
    assert "sangat rahasia" in problem.value.message("id")
    many = _field(Kind.CHOICES, choices=Classification)
    assert parse(many, "rahasia, publik", lookups) == "publik,rahasia"
    assert parse(many, ["terbatas"], lookups) == "terbatas"
    assert parse(many, "", lookups) is None
    assert to_json(many, "publik,rahasia") == ["publik", "rahasia"]


def test_booleans_in_both_languages(lookups: Lookups) -> None:
    spec = _field(Kind.BOOL)
    assert parse(spec, "ya", lookups) is True
    assert parse(spec, "No", lookups) is False
    assert parse(spec, True, lookups) is True
    assert parse(spec, "", lookups) is False
    with pytest.raises(Problem):
        parse(spec, "mungkin", lookups)


def test_agencies_and_kelurahan_by_code_or_name(lookups: Lookups) -> None:
    assert parse(_field(Kind.PD), "DISKOMINFO", lookups) == "diskominfo"
    with pytest.raises(Problem):
        parse(_field(Kind.PD), "dinas-tak-ada", lookups)
    with pytest.raises(Problem):
        parse(_field(Kind.KELURAHAN), "Atlantis", lookups)


def test_places_and_lines(lookups: Lookups) -> None:
    assert parse_point("109.3425", "-0,0263") == (109.3425, -0.0263)
    assert parse_point("", "") is None
    with pytest.raises(Problem):
        parse_point("109.3", "")
    with pytest.raises(Problem):
        parse_point("200", "0")
    assert parse_line("109.33 -0.03\n109.34 -0.035") == [[109.33, -0.03], [109.34, -0.035]]
    geojson = {"type": "LineString", "coordinates": [[109.3, -0.02], [109.31, -0.03]]}
    assert parse_line(json.dumps(geojson)) == [[109.3, -0.02], [109.31, -0.03]]
    with pytest.raises(Problem):
        parse_line("109.3 -0.02")
    stored = parse(_field(Kind.LINE), [[109.3, -0.02], [109.31, -0.03]], lookups)
    assert to_json(_field(Kind.LINE), stored) == [[109.3, -0.02], [109.31, -0.03]]


def test_addresses(lookups: Lookups) -> None:
    assert parse(_field(Kind.URL), "https://pontianak.go.id", lookups)
    with pytest.raises(Problem):
        parse(_field(Kind.URL), "javascript:alert(1)", lookups)
    with pytest.raises(Problem):
        parse(_field(Kind.EMAIL), "bukan-surel", lookups)
    assert parse(_field(Kind.PHONE), "+62 812-5555-0101", lookups)
    with pytest.raises(Problem):
        parse(_field(Kind.PHONE), "12", lookups)
