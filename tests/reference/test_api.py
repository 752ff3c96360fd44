"""Reference data over JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_kecamatan_carry_their_kelurahan(client: TestClient) -> None:
    body = client.get("/api/v1/reference/kecamatan").json()
    assert len(body) == 6
    assert sum(len(k["kelurahan"]) for k in body) == 29
    assert body[0]["kode"] == "61.71.01"


def test_dimensions_cite_the_law(client: TestClient) -> None:
    body = client.get("/api/v1/reference/dimensi").json()
    assert body[3]["kode"] == "living"
    assert body[3]["pasal"] == "Pasal 9 huruf d; Pasal 10 ayat (4)"
    assert body[3]["prioritas"][0]["pasal"] == "Pasal 11 ayat (4) huruf a"


def test_kelurahan_are_geojson(client: TestClient) -> None:
    body = client.get("/api/v1/reference/kelurahan.geojson").json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 29


def test_locate_resolves_a_point(client: TestClient) -> None:
    body = client.get("/api/v1/reference/locate?lon=109.3288&lat=-0.0470").json()
    assert (body["kelurahan_nama"], body["kecamatan_nama"]) == ("Akcaya", "Pontianak Selatan")
    assert body["is_inside_city"] is True


def test_perangkat_daerah_are_listed(client: TestClient) -> None:
    body = client.get("/api/v1/reference/perangkat-daerah").json()
    assert any(pd["kode"] == "diskominfo" for pd in body)
