"""System query options: parsing (18-088 9.3), status codes, nextLink text and ORDER BY."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import entity_by_set_name
from pontive.sensors.sta_options import (
    QueryOptions,
    parse_query_options,
    query_string,
    with_skip,
)
from pontive.sensors.sta_query_errors import FilterError, QueryError, QueryNotImplemented
from tests.sensors.sta_query_support import (
    NOW,
    Rows,
    _forget_partitions,  # noqa: F401 - autouse fixture
    add,
    base_entities,
    minutes_ago,
    ordered,
    stream,
)

THINGS = entity_by_set_name("Things")
OBSERVATIONS = entity_by_set_name("Observations")


def parse(params: dict[str, str], entity: object = THINGS) -> QueryOptions:
    return parse_query_options(params, entity=entity)  # type: ignore[arg-type]


def test_no_options_means_defaults() -> None:
    options = parse({"lang": "en"})
    assert options == QueryOptions(entity=THINGS)
    assert query_string(options) == ""


def test_every_top_level_option() -> None:
    options = parse_query_options(
        {"$filter": "name eq 'Pos'", "$expand": "Datastreams", "$select": "id,name",
         "$orderby": "name desc", "$top": "5", "$skip": "10", "$count": "true"},
        entity=THINGS,
    )  # fmt: skip
    assert options.filter is not None
    assert options.filter_text == "name eq 'Pos'"
    assert [item.navigation for item in options.expand] == ["Datastreams"]
    assert options.select == ("id", "name")
    assert [(item.text, item.descending) for item in options.orderby] == [("name desc", True)]
    assert (options.top, options.skip, options.count) == (5, 10, True)
    result = parse({"$resultFormat": "dataArray", "$count": "false"}, OBSERVATIONS)
    assert (result.result_format, result.count) == ("dataArray", False)


def test_select_accepts_properties_navigations_and_both_id_spellings() -> None:
    options = parse({"$select": "@iot.id, name,Datastreams,id"})
    assert options.select == ("id", "name", "Datastreams")


def test_expand_paths_nest_and_merge() -> None:
    options = parse({"$expand": "Datastreams/ObservedProperty,Datastreams/Sensor,Locations"})
    datastreams = options.expanded("Datastreams")
    assert datastreams is not None
    assert [item.navigation for item in datastreams.options.expand] == [
        "ObservedProperty", "Sensor"
    ]  # fmt: skip
    assert datastreams.options.entity.name == "Datastream"
    assert options.expanded("Locations") is not None
    assert options.expanded("HistoricalLocations") is None


def test_expand_items_carry_their_own_options() -> None:
    text = (
        "Datastreams($filter=name eq 'a,b;c)';$top=2;$skip=1;$count=true;$select=id,name;"
        "$orderby=name desc;$expand=Observations($orderby=phenomenonTime desc;$top=1))"
    )
    datastreams = parse({"$expand": text}).expanded("Datastreams")
    assert datastreams is not None
    inner = datastreams.options
    assert inner.filter_text == "name eq 'a,b;c)'"
    assert (inner.top, inner.skip, inner.count, inner.select) == (2, 1, True, ("id", "name"))
    observations = inner.expanded("Observations")
    assert observations is not None
    assert observations.options.top == 1
    assert observations.options.orderby[0].descending


def test_options_written_back_parse_to_the_same_options() -> None:
    params = {
        "$filter": "properties/kecamatan eq 'Pontianak Kota' and name ne 'a&b'",
        "$expand": (
            "Datastreams($filter=name eq 'x;y';$expand=Observations($top=1);$top=3),Locations"
        ),
        "$select": "id,name,Datastreams", "$orderby": "name desc,id", "$top": "10",
        "$count": "true",
    }  # fmt: skip
    options = with_skip(parse(params), 20)
    text = query_string(options)
    assert "$skip=20" in text
    assert "&b'" not in text  # '&' inside a value is escaped
    again = parse_query_options(parse_qsl(text), entity=THINGS)
    assert query_string(again) == text
    assert again.skip == 20
    assert again.expanded("Datastreams").options.expanded("Observations").options.top == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("params", "option", "position"),
    [
        ({"$top": "-1"}, "$top", 0),
        ({"$top": "lima"}, "$top", 0),
        ({"$skip": "1.5"}, "$skip", 0),
        ({"$count": "yes"}, "$count", 0),
        ({"$count": "TRUE"}, "$count", 0),
        ({"$select": "id,nama"}, "$select", 3),
        ({"$select": "id,,name"}, "$select", 3),
        ({"$filter": "name eq"}, "$filter", 7),
        ({"$filter": "nama eq 'x'"}, "$filter", 0),
        ({"$orderby": "name sideways"}, "$orderby", 5),
        ({"$orderby": "Datastreams/name"}, "$orderby", 0),
        ({"$expand": "Datastreamz"}, "$expand", 0),
        ({"$expand": "Datastreams/Sensorz"}, "$expand", 12),
        ({"$expand": "Datastreams($filter=nam eq 1)"}, "$expand", 20),
        ({"$expand": "Datastreams($top=x)"}, "$expand", 17),
        ({"$expand": "Datastreams($top=1"}, "$expand", 18),
        ({"$expand": "Datastreams($top=1))"}, "$expand", 19),
        ({"$expand": "Datastreams(top=1)"}, "$expand", 12),
        ({"$expand": "Datastreams($top=1;$top=2)"}, "$expand", 19),
        ({"$expand": "Datastreams($filter=name eq 'x)"}, "$expand", 28),
        ({"$expand": "Datastreams($resultFormat=dataArray)"}, "$expand", 12),
        ({"$expand": "Datastreams($top=1),Datastreams($top=2)"}, "$expand", None),
        ({"$resultFormat": "csv"}, "$resultFormat", 0),
        ({"$resultFormat": "dataArray"}, "$resultFormat", None),
    ],
)  # fmt: skip
def test_bad_values_are_400_and_say_where(
    params: dict[str, str], option: str, position: int | None
) -> None:
    with pytest.raises(QueryError) as caught:
        parse(params)
    assert caught.value.status_code == 400
    assert caught.value.option == option
    assert caught.value.position == position


def test_dataarray_refuses_expand() -> None:
    with pytest.raises(QueryError, match="cannot be combined with"):
        parse({"$resultFormat": "dataArray", "$expand": "Datastream"}, OBSERVATIONS)


def test_unknown_options_are_501() -> None:
    for params in ({"$search": "kapuas"}, {"$apply": "x"}, {"$expand": "Datastreams($search=x)"}):
        with pytest.raises(QueryNotImplemented) as caught:
            parse(params)
        assert caught.value.status_code == 501


def test_a_repeated_option_is_a_400() -> None:
    with pytest.raises(QueryError, match="given twice"):
        parse_query_options([("$top", "1"), ("$top", "2")], entity=THINGS)


def test_filter_errors_inside_expand_point_into_the_expand_value() -> None:
    with pytest.raises(FilterError) as caught:
        parse({"$expand": "Locations,Datastreams($filter=name eq 'a' and)"})
    assert caught.value.position == len("Locations,Datastreams($filter=name eq 'a' and")
    assert caught.value.message_en.startswith("$expand: ")


@pytest.fixture
def readings(session: Session) -> Rows:
    """Observations with ties, nulls and mixed result types."""
    rows = Rows()
    base_entities(session, rows, {"T1": {"name": "Pos B"}, "T2": {"name": "Pos A"}})
    add(session, rows, "Datastream", {
        "D1": stream("T1", "S1", "P1", rows, name="Sungai B"),
        "D2": stream("T2", "S1", "P1", rows, name="Sungai A"),
    })  # fmt: skip
    d1, d2 = rows.id("Datastream", "D1"), rows.id("Datastream", "D2")
    add(session, rows, "Observation", {
        "a": {"datastream_id": d1, "phenomenon_time": minutes_ago(30), "result_number": 2.0,
              "result_time": NOW, "parameters": {"rank": 2}},
        "b": {"datastream_id": d1, "phenomenon_time": minutes_ago(10), "result_number": 1.0,
              "parameters": {"rank": 10}},
        "c": {"datastream_id": d2, "phenomenon_time": minutes_ago(30), "result_json": "x",
              "result_time": minutes_ago(5), "parameters": {"rank": "tinggi"}},
        "d": {"datastream_id": d2, "phenomenon_time": minutes_ago(20), "result_number": 2.0},
    })  # fmt: skip
    return rows


def test_orderby_defaults_and_stable_tiebreak(session: Session, readings: Rows) -> None:
    assert ordered(session, readings, "Observation", "phenomenonTime") == ["a", "c", "d", "b"]
    assert ordered(session, readings, "Observation", "phenomenonTime desc") == ["b", "d", "c", "a"]
    assert ordered(session, readings, "Observation", "id") == ["a", "b", "c", "d"]


def test_nulls_come_first_ascending_and_last_descending(session: Session, readings: Rows) -> None:
    assert ordered(session, readings, "Observation", "resultTime") == ["b", "d", "c", "a"]
    assert ordered(session, readings, "Observation", "resultTime desc") == ["a", "c", "d", "b"]


def test_orderby_several_keys_paths_and_functions(session: Session, readings: Rows) -> None:
    assert ordered(session, readings, "Observation", "Datastream/name, phenomenonTime desc") == [
        "d", "c", "b", "a"
    ]  # fmt: skip
    assert ordered(session, readings, "Observation", "Datastream/Thing/name desc, id") == [
        "a", "b", "c", "d"
    ]  # fmt: skip
    assert ordered(session, readings, "Observation", "result desc") == ["d", "a", "b", "c"]
    assert ordered(session, readings, "Observation", "result mul -1") == ["c", "a", "d", "b"]
    assert ordered(session, readings, "Observation", "parameters/rank") == ["d", "c", "a", "b"]
    assert ordered(session, readings, "Thing", "length(name) desc, name") == ["T2", "T1"]
