"""``$filter`` compiled to SQL and run on real rows (SQLite, and PostgreSQL when configured).

The rows are a small Pontianak network: water gauges on the Kapuas and the Landak and an
air-quality station, with their Locations, Datastreams and Observations.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import entity_by_name, related_to
from pontive.sensors.sta_filter import FilterError, compile_filter
from tests.sensors.sta_query_support import (
    NOW,
    Rows,
    _forget_partitions,  # noqa: F401 - autouse fixture
    add,
    base_entities,
    link,
    matching,
    minutes_ago,
    point,
    stream,
)


@pytest.fixture
def city(session: Session) -> Rows:
    """Three stations, four datastreams, eleven observations."""
    rows = Rows()
    base_entities(session, rows, {
        "T1": {"name": "Pos Kapuas Tol", "properties": {
            "owner": "BPBD", "kecamatan": "Pontianak Barat", "elevation": 3, "active": True,
            "levels": [150, 180, 200]}},
        "T2": {"name": "Pos Landak", "properties": {
            "owner": "PUPR", "kecamatan": "Pontianak Timur", "elevation": 5.5, "active": False}},
        "T3": {"name": "AQ Kantor Wali Kota", "properties": {
            "owner": "DLH", "kecamatan": "Pontianak Selatan", "code": "5"}},
        "T4": {"name": "Cadangan", "description": "unused, 'spare' gauge"},
    })  # fmt: skip
    add(session, rows, "Location", {
        "L1": {"name": "Titik Kapuas", "location": point(109.32, -0.025)},
        "L2": {"name": "Titik Landak", "location": point(109.36, -0.01)},
        "L3": {"name": "Titik Kantor", "location": point(109.3427, -0.0391)},
    })  # fmt: skip
    for thing, location in (("T1", "L1"), ("T2", "L2"), ("T3", "L3")):
        link(session, rows, thing, location)
    add(session, rows, "FeatureOfInterest", {
        "F1": {"name": "Kapuas", "feature": point(109.32, -0.025)},
        "F2": {"name": "Landak", "feature": point(109.36, -0.01)},
    })  # fmt: skip
    rain = {"name": "millimetre", "symbol": "mm", "definition": "ucum:mm"}
    add(session, rows, "Datastream", {
        "D1": stream("T1", "S1", "P1", rows, name="Tinggi air Kapuas",
                     phenomenon_time_start=minutes_ago(170), phenomenon_time_end=NOW),
        "D2": stream("T1", "S1", "P1", rows, name="Curah hujan Kapuas", unit_of_measurement=rain),
        "D3": stream("T2", "S1", "P1", rows, name="Tinggi air Landak"),
        "D4": stream("T3", "S1", "P1", rows, name="PM2.5 Kantor"),
    })  # fmt: skip
    d1, d3, d4 = (rows.id("Datastream", label) for label in ("D1", "D3", "D4"))
    f1, f2 = rows.id("FeatureOfInterest", "F1"), rows.id("FeatureOfInterest", "F2")

    def obs(ds: int, minutes: float, number: float | None = None, **extra: object) -> dict:
        return {"datastream_id": ds, "phenomenon_time": minutes_ago(minutes),
                "result_number": number, **extra}  # fmt: skip

    add(session, rows, "Observation", {
        "o1": obs(d1, 170, 180, feature_of_interest_id=f1),
        "o2": obs(d1, 110, 195, feature_of_interest_id=f1),
        "o3": obs(d1, 50, 210, parameters={"quality": "good", "battery": 80}),
        "o4": obs(d1, 20, 226.5, parameters={"quality": "suspect", "battery": 79}),
        "o5": obs(d1, 5, 230, phenomenon_time_end=NOW, result_time=NOW),
        "o6": obs(d1, 10, result_json="sensor error"),
        "o7": obs(d3, 30, 150, feature_of_interest_id=f2),
        "o8": obs(d3, 90, result_json=True),
        "o9": obs(d3, 2 * 24 * 60, result_json={"level": 140, "unit": "cm"}),
        "o10": obs(d4, 15, 55.0, valid_time_start=minutes_ago(60), valid_time_end=NOW),
        "o11": obs(d4, 75),
    })  # fmt: skip
    return rows


def test_numeric_result_comparisons_read_result_number(session: Session, city: Rows) -> None:
    assert matching(session, city, "Observation", "result gt 200") == {"o3", "o4", "o5"}
    assert matching(session, city, "Observation", "result le 150") == {"o7", "o10"}
    assert matching(session, city, "Observation", "result eq 226.5") == {"o4"}
    assert matching(session, city, "Observation", "result ne 180") == {
        "o2", "o3", "o4", "o5", "o7", "o10"
    }  # fmt: skip
    assert matching(session, city, "Observation", "result ge 55 and result lt 180") == {
        "o7", "o10"
    }  # fmt: skip


def test_other_results_compare_with_result_json(session: Session, city: Rows) -> None:
    assert matching(session, city, "Observation", "result eq 'sensor error'") == {"o6"}
    assert matching(session, city, "Observation", "result eq true") == {"o8"}
    assert matching(session, city, "Observation", "result/level gt 100") == {"o9"}
    assert matching(session, city, "Observation", "result/unit eq 'cm'") == {"o9"}
    assert matching(session, city, "Observation", "result eq null") == {"o11"}
    assert matching(session, city, "Observation", "result ne null and result lt 100") == {"o10"}


def test_arithmetic_follows_odata_precedence(session: Session, city: Rows) -> None:
    assert matching(session, city, "Observation", "result add 10 gt 230") == {"o4", "o5"}
    assert matching(session, city, "Observation", "result sub 5 mul 2 eq 220") == {"o5"}
    assert matching(session, city, "Observation", "(result sub 5) mul 2 eq 450") == {"o5"}
    assert matching(session, city, "Observation", "result div 2 eq 105") == {"o3"}
    assert matching(session, city, "Observation", "result mod 4 eq 2.5") == {"o4"}
    assert matching(session, city, "Observation", "-result lt -229") == {"o5"}
    assert matching(session, city, "Observation", "result div 0 eq 1") == set()


def test_logical_operators_and_grouping(session: Session, city: Rows) -> None:
    text = "result lt 160 or result gt 225 and result lt 228"
    assert matching(session, city, "Observation", text) == {"o4", "o7", "o10"}
    text = "(result lt 160 or result gt 225) and result lt 228"
    assert matching(session, city, "Observation", text) == {"o4", "o7", "o10"}
    text = "not (result lt 160 or result gt 225)"
    assert matching(session, city, "Observation", text) == {"o1", "o2", "o3"}
    assert matching(session, city, "Thing", "not startswith(name, 'Pos')") == {"T3", "T4"}
    assert matching(session, city, "Thing", "true") == {"T1", "T2", "T3", "T4"}
    assert matching(session, city, "Thing", "1 eq 2") == set()


def test_json_properties_are_read_typed(session: Session, city: Rows) -> None:
    assert matching(session, city, "Thing", "properties/owner eq 'BPBD'") == {"T1"}
    assert matching(session, city, "Thing", "properties/elevation gt 4") == {"T2"}
    assert matching(session, city, "Thing", "properties/active") == {"T1"}
    assert matching(session, city, "Thing", "not properties/active") == {"T2"}
    assert matching(session, city, "Thing", "properties/active eq false") == {"T2"}
    assert matching(session, city, "Thing", "properties/levels[1] eq 180") == {"T1"}
    # A string never matches a number comparison, and a number's text matches a string.
    assert matching(session, city, "Thing", "properties/code gt 1") == set()
    assert matching(session, city, "Thing", "properties/code eq '5'") == {"T3"}
    assert matching(session, city, "Thing", "properties/elevation eq '3'") == {"T1"}
    assert matching(session, city, "Thing", "properties/missing eq null") == {
        "T1",
        "T2",
        "T3",
        "T4",
    }
    assert matching(session, city, "Thing", "properties eq null") == {"T4"}
    assert matching(session, city, "Datastream", "unitOfMeasurement/symbol eq 'mm'") == {"D2"}
    assert matching(session, city, "Observation", "parameters/battery lt 80") == {"o4"}
    assert matching(session, city, "Observation", "parameters/quality eq 'good'") == {"o3"}


def test_string_functions(session: Session, city: Rows) -> None:
    def things(text: str) -> set[str]:
        return matching(session, city, "Thing", text)

    assert things("substringof('Landak', name)") == {"T2"}
    assert things("contains(name, 'Kapuas')") == {"T1"}
    assert things("startswith(name, 'Pos')") == {"T1", "T2"}
    assert things("endswith(name, 'Kota')") == {"T3"}
    assert things("endswith(name, 'a much longer suffix than any name')") == set()
    assert things("length(name) eq 8") == {"T4"}
    assert things("indexof(name, 'Landak') eq 4") == {"T2"}
    assert things("indexof(name, 'zzz') eq -1") == {"T1", "T2", "T3", "T4"}
    assert things("substring(name, 4) eq 'Landak'") == {"T2"}
    assert things("substring(name, 0, 3) eq 'Pos'") == {"T1", "T2"}
    assert things("tolower(name) eq 'pos landak'") == {"T2"}
    assert things("toupper(name) eq 'CADANGAN'") == {"T4"}
    assert things("trim(concat(' ', name)) eq 'Cadangan'") == {"T4"}
    assert things("concat(concat(name, ', '), properties/owner) eq 'Pos Landak, PUPR'") == {"T2"}
    assert things("substringof('''spare''', description)") == {"T4"}
    assert things("startswith(properties/kecamatan, 'Pontianak T')") == {"T2"}


def test_string_comparison_is_case_sensitive(session: Session, city: Rows) -> None:
    assert matching(session, city, "Thing", "name eq 'pos landak'") == set()
    assert matching(session, city, "Thing", "substringof('landak', name)") == set()


def test_math_functions(session: Session, city: Rows) -> None:
    assert matching(session, city, "Observation", "round(result) eq 227") == {"o4"}
    assert matching(session, city, "Observation", "floor(result) eq 226") == {"o4"}
    assert matching(session, city, "Observation", "ceiling(result) eq 227") == {"o4"}
    assert matching(session, city, "Observation", "round(-result) eq -227") == {"o4"}
    assert matching(session, city, "Observation", "floor(-result) eq -227") == {"o4"}


def test_to_one_paths_and_foreign_key_shortcut(session: Session, city: Rows) -> None:
    d3 = city.id("Datastream", "D3")
    assert matching(session, city, "Observation", f"Datastream/id eq {d3}") == {"o7", "o8", "o9"}
    assert matching(session, city, "Observation", f"Datastream/@iot.id eq {d3}") == {
        "o7", "o8", "o9"
    }  # fmt: skip
    text = "Datastream/Thing/properties/owner eq 'BPBD' and result ge 226"
    assert matching(session, city, "Observation", text) == {"o4", "o5"}
    assert matching(session, city, "Observation", "FeatureOfInterest/name eq 'Landak'") == {"o7"}
    assert matching(session, city, "Datastream", "Thing/name eq 'Pos Landak'") == {"D3"}
    text = "Datastream/Thing/Locations/name eq 'Titik Kantor'"
    assert matching(session, city, "Observation", text) == {"o10", "o11"}


def test_to_many_paths_mean_any_related_entity(session: Session, city: Rows) -> None:
    assert matching(session, city, "Thing", "Datastreams/Observations/result gt 225") == {"T1"}
    assert matching(session, city, "Thing", "Datastreams/name eq 'Tinggi air Landak'") == {"T2"}
    assert matching(session, city, "Thing", "Locations/name eq 'Titik Kantor'") == {"T3"}
    assert matching(session, city, "Location", "Things/properties/owner eq 'PUPR'") == {"L2"}
    text = "FeatureOfInterest/Observations/result gt 190"
    assert matching(session, city, "Observation", text) == {"o1", "o2"}
    # "not" is pushed to the condition: some datastream of T1 is not named so.
    assert matching(session, city, "Thing", "not (Datastreams/name eq 'Tinggi air Kapuas')") == {
        "T1", "T2", "T3"
    }  # fmt: skip


def test_conditions_joined_by_and_hold_for_the_same_related_entity(
    session: Session, city: Rows
) -> None:
    # D1 has an observation above 225 and one that is a string, but not one that is both.
    text = "Datastreams/Observations/result gt 225 and Datastreams/Observations/result eq 'x'"
    assert matching(session, city, "Thing", text) == set()
    text = "Datastreams/Observations/result gt 225 or Datastreams/Observations/result eq true"
    assert matching(session, city, "Thing", text) == {"T1", "T2"}
    text = ("Datastreams/Observations/result gt 200 and "
            "Datastreams/Observations/parameters/quality eq 'suspect'")  # fmt: skip
    assert matching(session, city, "Thing", text) == {"T1"}
    text = "Datastreams/name eq 'PM2.5 Kantor' and Locations/name eq 'Titik Kantor'"
    assert matching(session, city, "Thing", text) == {"T3"}
    text = "Datastreams/name eq Locations/name"
    assert matching(session, city, "Thing", text) == set()


def test_mixed_root_and_navigation_conditions(session: Session, city: Rows) -> None:
    text = "name eq 'Cadangan' or Datastreams/Observations/result eq true"
    assert matching(session, city, "Thing", text) == {"T2", "T4"}
    text = "startswith(name, 'Pos') and Datastreams/unitOfMeasurement/symbol eq 'mm'"
    assert matching(session, city, "Thing", text) == {"T1"}


def test_type_errors_say_where(session: Session, city: Rows) -> None:
    cases = {
        ("Thing", "name gt 5"): 5,
        ("Observation", "result add 'x' gt 1"): 7,
        ("Observation", "phenomenonTime eq 'yesterday'"): 15,
        ("Thing", "length(5) eq 1"): 0,
        ("Thing", "geo.distance(name, geography'POINT(1 2)') lt 1"): 0,
        ("Thing", "properties/owner eq geography'POINT(1 2)'"): 17,
        ("Thing", "name lt true"): 5,
        ("Observation", "phenomenonTime add 5 gt now()"): 15,
    }
    for (entity, text), position in cases.items():
        with pytest.raises(FilterError) as caught:
            compile_filter(text, entity=entity_by_name(entity), session=session)
        assert caught.value.position == position, text
        assert caught.value.status_code == 400


def test_unknown_and_unsupported_functions(session: Session, city: Rows) -> None:
    thing = entity_by_name("Thing")
    with pytest.raises(FilterError, match="unknown function 'sqrt'"):
        compile_filter("sqrt(1) eq 1", entity=thing, session=session)
    with pytest.raises(FilterError, match=r"substring\(\) takes 2 or 3"):
        compile_filter("substring(name) eq 'a'", entity=thing, session=session)
    with pytest.raises(FilterError, match=r"during\(\) takes 2"):
        compile_filter("during(phenomenonTime)", entity=entity_by_name("Observation"),
                       session=session)  # fmt: skip
    with pytest.raises(FilterError, match="must not be negative"):
        compile_filter("substring(name, -1) eq 'a'", entity=thing, session=session)


def test_filters_apply_to_an_alias_and_combine_with_a_navigation(
    session: Session, city: Rows
) -> None:
    observation = entity_by_name("Observation")
    alias = observation.table.alias()
    condition = compile_filter("Datastream/Thing/name eq 'Pos Landak' and result ne null",
                               entity=observation, session=session, root=alias)  # fmt: skip
    found = session.scalars(select(alias.c.id).where(condition)).all()
    assert set(city.labels("Observation", list(found))) == {"o7", "o8", "o9"}
    # Datastreams(D1)/Observations?$filter=result gt 200, as the STA paths compose it.
    nav = entity_by_name("Datastream").navigation("Observations")
    assert nav is not None
    parent = related_to(nav, parent_id=city.id("Datastream", "D1"))
    condition = compile_filter("result gt 200", entity=observation, session=session)
    found = session.scalars(select(observation.table.c.id).where(parent, condition)).all()
    assert set(city.labels("Observation", list(found))) == {"o3", "o4", "o5"}


def test_a_foreign_key_path_and_times_compile_to_plain_indexed_columns(session: Session) -> None:
    observation = entity_by_name("Observation")
    text = "Datastream/id eq 7 and phenomenonTime ge now() sub duration'PT1H' and result gt 250"
    sql = str(compile_filter(text, entity=observation, session=session, now=NOW))
    assert "SELECT" not in sql
    assert "sensor_observations.datastream_id =" in sql
    assert "<= sensor_observations.phenomenon_time" in sql


def test_hostile_input_is_a_400_not_a_crash(session: Session, city: Rows) -> None:
    thing, observation = entity_by_name("Thing"), entity_by_name("Observation")
    with pytest.raises(FilterError, match="NUL"):
        compile_filter("name eq 'a\x00b'", entity=thing, session=session)
    with pytest.raises(FilterError, match="out of range"):
        compile_filter("resultTime lt maxdatetime() add duration'P2D'", entity=observation,
                       session=session)  # fmt: skip
    with pytest.raises(FilterError, match="nested too deeply"):
        compile_filter("not " * 5000 + "true", entity=thing, session=session)
    assert matching(session, city, "Thing", "id eq 99999999999999999999") == set()
