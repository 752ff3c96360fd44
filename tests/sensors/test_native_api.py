"""The native history API: aggregates from rollups, latest reading, raw windows, errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors.rollups import HOUR, update_rollups
from tests.sensors.history_support import (
    _forget_partitions,  # noqa: F401 - autouse fixture
    add_observations,
    make_stream,
)

T0 = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 23:00 WIB


def _store(session: Session, stream: int, readings: list[tuple[datetime, Any]]) -> None:
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})


def _aggregate(client: TestClient, stream: int, **params: str) -> Any:
    return client.get(f"/api/v1/datastreams/{stream}/aggregate", params=params)


@pytest.fixture
def stream(session: Session) -> int:
    """A water-level stream with readings every 10 minutes for three hours from T0."""
    made = make_stream(session)
    _store(session, made, [(T0 + timedelta(minutes=m), 100.0 + m) for m in range(0, 180, 10)])
    return made


def test_hourly_means_come_in_order_with_utc_and_wib_starts(
    client: TestClient, stream: int
) -> None:
    response = _aggregate(
        client,
        stream,
        interval="1h",
        stat="mean",
        **{"from": "2026-11-28T16:00:00Z"},
        to="2026-11-28T19:00:00Z",
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "public, max-age=60"
    body = response.json()
    assert body["datastream_id"] == stream
    assert (body["interval"], body["stat"]) == ("1h", "mean")
    assert body["unit"]["symbol"] == "cm"
    assert body["buckets"] == [
        {
            "start": "2026-11-28T16:00:00Z",
            "start_wib": "2026-11-28T23:00:00+07:00",
            "value": 125.0,
            "count": 6,
        },
        {
            "start": "2026-11-28T17:00:00Z",
            "start_wib": "2026-11-29T00:00:00+07:00",
            "value": 185.0,
            "count": 6,
        },
        {
            "start": "2026-11-28T18:00:00Z",
            "start_wib": "2026-11-29T01:00:00+07:00",
            "value": 245.0,
            "count": 6,
        },
    ]


@pytest.mark.parametrize(
    ("stat", "values"), [("min", [100.0, 160.0]), ("max", [150.0, 210.0]), ("count", [6, 6])]
)
def test_min_max_and_count(client: TestClient, stream: int, stat: str, values: list[float]) -> None:
    response = _aggregate(
        client,
        stream,
        interval="1h",
        stat=stat,
        **{"from": "2026-11-28T23:00:00+07:00"},
        to="2026-11-29T01:00:00+07:00",
    )
    assert [b["value"] for b in response.json()["buckets"]] == values


def test_day_buckets_are_wib_days(client: TestClient, stream: int) -> None:
    response = _aggregate(
        client, stream, interval="1d", stat="count", **{"from": "2026-11-28"}, to="2026-11-30"
    )
    buckets = response.json()["buckets"]
    assert [(b["start_wib"], b["count"]) for b in buckets] == [
        ("2026-11-28T00:00:00+07:00", 6),
        ("2026-11-29T00:00:00+07:00", 12),
    ]
    assert buckets[0]["start"] == "2026-11-27T17:00:00Z"


def test_fifteen_minute_buckets_start_at_the_bucket_holding_from(
    client: TestClient, stream: int
) -> None:
    response = _aggregate(
        client,
        stream,
        interval="15m",
        stat="count",
        **{"from": "2026-11-28T16:20:00Z"},
        to="2026-11-28T16:45:00Z",
    )
    body = response.json()
    assert body["from"] == "2026-11-28T16:15:00Z"
    assert [(b["start"], b["value"]) for b in body["buckets"]] == [
        ("2026-11-28T16:15:00Z", 1),
        ("2026-11-28T16:30:00Z", 2),
    ]


def test_an_unencoded_plus_in_the_offset_is_understood(client: TestClient, stream: int) -> None:
    query = "interval=1h&from=2026-11-28T23:00:00+07:00&to=2026-11-29T00:00:00+07:00"
    url = f"/api/v1/datastreams/{stream}/aggregate?{query}"
    response = client.get(url)
    assert response.status_code == 200
    assert [b["start"] for b in response.json()["buckets"]] == ["2026-11-28T16:00:00Z"]


def test_the_default_window_is_the_last_week_for_hours(
    client: TestClient, session: Session
) -> None:
    made = make_stream(session)
    recent, old = HOUR.floor(utcnow() - timedelta(days=2)), utcnow() - timedelta(days=9)
    _store(session, made, [(recent, 1.0), (old, 2.0)])
    body = _aggregate(client, made).json()
    assert (body["interval"], body["stat"]) == ("1h", "mean")
    assert [b["value"] for b in body["buckets"]] == [1.0]
    assert body["buckets"][0]["start"] == recent.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_only_from_gives_the_default_window_after_it(client: TestClient, stream: int) -> None:
    body = _aggregate(client, stream, interval="15m", **{"from": "2026-11-28T16:00:00Z"}).json()
    assert body["to"] == "2026-11-29T16:00:00Z"
    assert len(body["buckets"]) == 12


def test_an_empty_window_has_no_buckets(client: TestClient, stream: int) -> None:
    body = _aggregate(
        client, stream, **{"from": "2026-10-01T00:00:00Z"}, to="2026-10-02T00:00:00Z"
    ).json()
    assert body["buckets"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"interval": "5m"}, "interval"),
        ({"stat": "median"}, "stat"),
        ({"from": "2026-11-28T16:00:00"}, "from"),
        ({"from": "kemarin"}, "from"),
        ({"to": "2026-13-01T00:00:00Z"}, "to"),
        ({"from": "2026-11-29T00:00:00Z", "to": "2026-11-28T00:00:00Z"}, "from"),
        ({"interval": "15m", "from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}, "from"),
    ],
)
def test_bad_parameters_answer_422_with_field_errors(
    client: TestClient, stream: int, params: dict[str, str], field: str
) -> None:
    response = _aggregate(client, stream, **params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"]


def test_field_errors_are_in_the_asked_language(client: TestClient, stream: int) -> None:
    params = {"from": "2026-11-28T16:00:00", "to": "2026-11-29T16:00:00Z"}
    indonesian = _aggregate(client, stream, **params).json()["errors"]["from"][0]
    english = _aggregate(client, stream, **params, lang="en").json()["errors"]["from"][0]
    assert "zona waktu" in indonesian
    assert "offset" in english
    too_long = {"interval": "1h", "from": "2026-01-01", "to": "2026-11-01", "lang": "id"}
    assert "93 hari" in _aggregate(client, stream, **too_long).json()["errors"]["from"][0]


def test_an_unknown_datastream_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/datastreams/987654/aggregate")
    assert response.status_code == 404
    assert response.json()["detail"] == "Datastream tidak ditemukan."
    assert client.get("/api/v1/datastreams/987654/latest").status_code == 404
    assert client.get("/api/v1/datastreams/987654/observations").status_code == 404


def test_latest_is_the_newest_by_phenomenon_time(client: TestClient, session: Session) -> None:
    made = make_stream(session)
    assert client.get(f"/api/v1/datastreams/{made}/latest").json()["reading"] is None
    add_observations(session, made, [(T0 + timedelta(hours=1), 7.5), (T0, 3.0)])
    response = client.get(f"/api/v1/datastreams/{made}/latest?lang=en")
    assert response.headers["cache-control"] == "public, max-age=10"
    reading = response.json()["reading"]
    assert reading["phenomenon_time"] == "2026-11-28T17:00:00Z"
    assert reading["phenomenon_time_wib"] == "2026-11-29T00:00:00+07:00"
    assert reading["result"] == 7.5


def test_observations_are_a_window_oldest_first(client: TestClient, session: Session) -> None:
    made = make_stream(session)
    add_observations(session, made, [(T0 + timedelta(minutes=m), m) for m in (30, 10, 20, 0)])
    add_observations(session, made, [(T0 + timedelta(minutes=40), "banjir")])
    response = client.get(
        f"/api/v1/datastreams/{made}/observations",
        params={"from": "2026-11-28T16:10:00Z", "to": "2026-11-28T17:00:00Z", "limit": "10"},
    )
    body = response.json()
    assert body["is_truncated"] is False
    assert [(r["phenomenon_time"], r["result"]) for r in body["readings"]] == [
        ("2026-11-28T16:10:00Z", 10.0),
        ("2026-11-28T16:20:00Z", 20.0),
        ("2026-11-28T16:30:00Z", 30.0),
        ("2026-11-28T16:40:00Z", "banjir"),
    ]
    limited = client.get(
        f"/api/v1/datastreams/{made}/observations",
        params={"from": "2026-11-28T16:00:00Z", "to": "2026-11-28T17:00:00Z", "limit": "2"},
    ).json()
    assert limited["is_truncated"] is True
    assert [r["result"] for r in limited["readings"]] == [0.0, 10.0]


def test_observations_as_csv(client: TestClient, session: Session) -> None:
    made = make_stream(session)
    add_observations(session, made, [(T0, 1.25), (T0 + timedelta(minutes=5), {"status": "siaga"})])
    response = client.get(
        f"/api/v1/datastreams/{made}/observations",
        params={"from": "2026-11-28", "to": "2026-11-30", "format": "csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "phenomenon_time", "phenomenon_time_wib", "result"]
    assert rows[1][1:] == ["2026-11-28T16:00:00+00:00", "2026-11-28T23:00:00+07:00", "1.25"]
    assert rows[2][3] == '{"status":"siaga"}'


def test_raw_windows_are_limited(client: TestClient, stream: int) -> None:
    too_long = client.get(
        f"/api/v1/datastreams/{stream}/observations",
        params={"from": "2026-01-01", "to": "2026-03-01"},
    )
    assert too_long.status_code == 422
    assert "from" in too_long.json()["errors"]
    assert client.get(f"/api/v1/datastreams/{stream}/observations?limit=0").status_code == 422


def test_the_openapi_document_describes_the_history_api(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    aggregate = document["paths"]["/api/v1/datastreams/{datastream_id}/aggregate"]["get"]
    names = {p["name"] for p in aggregate["parameters"]}
    assert {"datastream_id", "interval", "stat", "from", "to"} <= names
    schema = aggregate["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/AggregateRead"}
    assert "buckets" in document["components"]["schemas"]["AggregateRead"]["properties"]
    assert "/api/v1/datastreams/{datastream_id}/latest" in document["paths"]
    observations = document["paths"]["/api/v1/datastreams/{datastream_id}/observations"]["get"]
    assert "text/csv" in observations["responses"]["200"]["content"]
