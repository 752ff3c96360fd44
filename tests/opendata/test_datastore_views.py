"""Datastore downloads (``datastore_views.py``, ``datastore_export.py``): every format,
parsed back; GeoJSON only with coordinates; visibility; download counts."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.opendata import datastore, usage
from pontive.opendata.choices import UsageKind
from pontive.opendata.models import UsageCount
from tests.opendata.conftest import make_dataset, make_resource
from tests.opendata.datastore_support import filled_resource


def test_csv_has_a_bom_a_header_and_every_row(client: TestClient, session: Session) -> None:
    resource = filled_resource(session)
    response = client.get(f"/datastore/dump/{resource.id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["_id", "kelurahan", "tahun", "nilai", "aktif", "tanggal", "waktu"]
    assert rows[1] == [
        "1",
        "Benua Melayu Darat",
        "2022",
        "10.5",
        "true",
        "2022-01-31",
        "2022-01-31T08:00:00",
    ]
    assert len(rows) == 5


def test_tsv_and_json_with_search_parameters(client: TestClient, session: Session) -> None:
    resource = filled_resource(session)
    tsv = client.get(
        f"/datastore/dump/{resource.id}",
        params={
            "format": "tsv",
            "fields": "kelurahan,tahun",
            "sort": "tahun desc, kelurahan",
            "limit": 2,
        },
    )
    assert list(csv.reader(io.StringIO(tsv.text), delimiter="\t")) == [
        ["kelurahan", "tahun"], ["Mariana", "2024"], ["Darat Sekip", "2023"],
    ]  # fmt: skip
    filters = json.dumps({"tahun": 2023})
    body = client.get(
        f"/datastore/dump/{resource.id}", params={"format": "json", "filters": filters}
    ).json()
    assert [f["id"] for f in body["fields"]][:2] == ["_id", "kelurahan"]
    assert [r[1] for r in body["records"]] == ["Darat Sekip", "Tengah"]
    assert (
        client.get(f"/datastore/dump/{resource.id}", params={"format": "json", "q": "zzz"}).json()[
            "records"
        ]
        == []
    )


def test_parquet_parses_back_with_types(client: TestClient, session: Session) -> None:
    resource = filled_resource(session)
    response = client.get(f"/datastore/dump/{resource.id}?format=parquet")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == 4
    assert str(table.schema.field("tahun").type) == "int64"
    assert str(table.schema.field("tanggal").type) == "date32[day]"
    assert table.column("kelurahan").to_pylist()[0] == "Benua Melayu Darat"
    assert table.column("nilai").to_pylist()[:3] == [10.5, 3.0, 7.25]


def test_geojson_needs_coordinates(client: TestClient, session: Session) -> None:
    plain = filled_resource(session)
    refused = client.get(f"/datastore/dump/{plain.id}?format=geojson")
    assert refused.status_code == 400
    assert "bujur/lintang" in refused.text
    points = make_resource(session, make_dataset(session, "titik-wifi"))
    fields = [
        {"id": "nama", "type": "text"},
        {"id": "bujur", "type": "numeric"},
        {"id": "lintang", "type": "numeric"},
    ]
    datastore.create_table(session, points, fields)
    datastore.upsert(
        session,
        points,
        [{"nama": "Taman Alun Kapuas", "bujur": 109.34, "lintang": -0.03}],
        method="insert",
    )
    body = client.get(f"/datastore/dump/{points.id}?format=geojson").json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [109.34, -0.03]}
    assert feature["properties"] == {"_id": 1, "nama": "Taman Alun Kapuas"}


def test_bad_requests_and_private_resources(client: TestClient, session: Session) -> None:
    resource = filled_resource(session)
    assert client.get(f"/datastore/dump/{resource.id}?format=xml").status_code == 400
    assert client.get(f"/datastore/dump/{resource.id}?sort=tidak_ada").status_code == 400
    private = filled_resource(session, "rahasia", classification=Classification.RAHASIA)
    assert client.get(f"/datastore/dump/{private.id}").status_code == 404
    assert client.get("/datastore/dump/00000000-0000-0000-0000-000000000000").status_code == 404


def test_downloads_are_counted(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usage, "FLUSH_SECONDS", 0.0)  # each count written at once
    resource = filled_resource(session)
    for _ in range(2):
        assert client.get(f"/datastore/dump/{resource.id}?format=json").status_code == 200
    counted = session.scalar(
        select(func.sum(UsageCount.count)).where(
            UsageCount.resource_id == resource.id, UsageCount.kind == UsageKind.DOWNLOAD
        )
    )
    assert counted == 2
