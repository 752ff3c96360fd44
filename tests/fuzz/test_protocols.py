"""SensorThings (``/sta/v1.1``) query options and CKAN actions (``/api/3/action``) fuzzed.

STA: any ``$filter``, ``$orderby``, ``$expand``, ``$select``, ``$top``, ``$skip`` answers 200
or a 4xx/501 with the STA error body. CKAN: any parameters answer the CKAN envelope (success
or error), and ``datastore_search_sql`` never reads a table that is not a datastore table.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import filter_expressions, filter_noise

STA = "/sta/v1.1"
SETS = ("Things", "Datastreams", "Observations", "Locations", "FeaturesOfInterest",
        "Sensors", "ObservedProperties", "HistoricalLocations")  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-5, 10**20).map(str),
    st.sampled_from(("", "x", "1.5", "-0", "9" * 5000, "²", "0x1")),
)
EXPAND = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(("Datastreams", "Observations", "Thing", "Locations", "Sensor",
                         "Datastreams/Observations", "Datastreams($top=1;$filter=id gt 0)",
                         "Observations($orderby=result desc;$select=result)", "Nope",
                         "Datastreams($expand=Observations($expand=Datastream))", "(", ";")),
        max_size=4,
    ).map(",".join),
)  # fmt: skip
SELECT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(("id", "name", "@iot.id", "result", "properties/x", "nope", "")),
             max_size=4).map(",".join),
)  # fmt: skip
options = st.fixed_dictionaries(
    {},
    optional={
        "$filter": st.one_of(filter_expressions(), filter_noise()),
        "$orderby": st.one_of(filter_expressions(), filter_noise()),
        "$expand": EXPAND,
        "$select": SELECT,
        "$top": NUMBERS,
        "$skip": NUMBERS,
        "$count": st.sampled_from(("true", "false", "yes")),
        "$resultFormat": st.sampled_from(("dataArray", "x")),
    },
)


def assert_sta_answer(response: Any) -> None:
    """200, or a client error / 501 in the STA (FROST) error shape."""
    assert response.status_code < 500 or response.status_code == 501, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["code"] == response.status_code
        assert body["message"]


@given(entity_set=st.sampled_from(SETS), query=options)
def test_sta_query_options_answer_or_refuse_in_the_sta_shape(
    client: TestClient, entity_set: str, query: dict[str, str]
) -> None:
    assert_sta_answer(client.get(f"{STA}/{entity_set}", params=query))


@given(path=st.text(max_size=40), query=options)
def test_sta_random_paths_answer_or_refuse_in_the_sta_shape(
    client: TestClient, path: str, query: dict[str, str]
) -> None:
    assert_sta_answer(client.get(f"{STA}/{quote(path, safe='/()$=,')}", params=query))


# --- CKAN --------------------------------------------------------------------------------

ACTIONS = ("package_search", "package_show", "package_list", "resource_show",
           "organization_list", "group_list", "tag_list", "datastore_search",
           "datastore_search_sql", "current_package_list_with_resources", "status_show",
           "package_autocomplete", "license_list", "nope")  # fmt: skip
CKAN_VALUES = st.one_of(
    st.text(max_size=40),
    NUMBERS,
    st.sampled_from(('{"a": 1}', "[1,2]", "{", "null", "true", "metadata_modified desc",
                     "name asc, x", "organization:dinas", "res_format:CSV", "*:*")),
)  # fmt: skip
ckan_params = st.dictionaries(
    st.one_of(
        st.sampled_from(("q", "fq", "sort", "rows", "start", "limit", "offset", "id",
                         "resource_id", "filters", "fields", "distinct", "facet",
                         "facet.field", "facet.limit", "facet.mincount", "include_total",
                         "include_private", "all_fields", "plain", "records_format",
                         "callback", "sql")),
        st.text(max_size=10),
    ),
    CKAN_VALUES,
    max_size=6,
)  # fmt: skip


def assert_ckan_envelope(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.headers.get("content-type", "").startswith("application/javascript"):
        return  # JSONP: the same envelope inside a callback
    body = response.json()
    if isinstance(body, str):  # CKAN's own "Bad request - …" answers are a JSON string
        assert response.status_code == 400
        return
    assert body["success"] is (response.status_code == 200), body
    if not body["success"]:
        assert body["error"]["__type"]


@given(action=st.sampled_from(ACTIONS), params=ckan_params, post=st.booleans())
def test_ckan_actions_answer_the_envelope_for_any_parameters(
    client: TestClient, action: str, params: dict[str, str], post: bool
) -> None:
    url = f"/api/3/action/{action}"
    if post:
        response = client.post(url, content=json.dumps(params),
                               headers={"Content-Type": "application/json"})  # fmt: skip
    else:
        response = client.get(url, params=params)
    assert_ckan_envelope(response)


TABLES = ("users", "api_keys", "complaints", "complaint_contacts", "audit_events",
          "sqlite_master", "pg_catalog.pg_user", "information_schema.tables", "pg_shadow",
          "alembic_version")  # fmt: skip
SQL_PARTS = ("SELECT", "*", "FROM", "WHERE", "UNION", "ALL", "1", ";", "--", "/*", "*/",
             "(", ")", "'", '"', "pg_sleep(10)", "randomblob(1000000000)", "WITH", "AS",
             "x", "count(*)", "generate_series(1,100000000)", "lower(", ",")  # fmt: skip


@given(
    sql=st.one_of(
        st.lists(st.sampled_from((*SQL_PARTS, *TABLES)), max_size=14).map(" ".join),
        st.text(max_size=80),
        st.sampled_from(TABLES).map(lambda table: f"SELECT * FROM {table}"),  # noqa: S608 - the attack
        st.sampled_from(TABLES).map(
            lambda t: f'SELECT 1 FROM "_table_metadata" UNION SELECT 1 FROM {t}'  # noqa: S608
        ),
    )
)
def test_datastore_sql_never_reads_a_table_outside_the_datastore(
    client: TestClient, sql: str
) -> None:
    response = client.get("/api/3/action/datastore_search_sql", params={"sql": sql})
    assert_ckan_envelope(response)
    if response.status_code == 200:
        text = response.text.lower()
        assert "password" not in text
        assert "argon2" not in text
