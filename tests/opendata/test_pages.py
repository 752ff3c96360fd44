"""The portal's pages: search with facets, a dataset, a resource's table, chart and map, in
Bahasa Indonesia and English; private datasets never reach anonymous visitors."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.roles import Role
from pontive.opendata import datastore, usage
from pontive.opendata.choices import DatasetState, UsageKind
from pontive.opendata.models import Dataset, Resource, UsageCount
from tests.conftest import login
from tests.opendata.conftest import make_dataset, make_resource

ROWS = [
    {"kecamatan": "Pontianak Kota", "tahun": 2024, "jumlah": 120, "lon": 109.33, "lat": -0.03},
    {"kecamatan": "Pontianak Barat", "tahun": 2024, "jumlah": 80, "lon": 109.31, "lat": -0.04},
    {"kecamatan": "Pontianak Kota", "tahun": 2025, "jumlah": 130, "lon": 109.34, "lat": -0.02},
    {"kecamatan": "Pontianak Utara", "tahun": 2025, "jumlah": 50, "lon": 109.35, "lat": 0.01},
]


def _catalogue(session: Session) -> dict[str, Dataset]:
    return {
        "penduduk": make_dataset(
            session,
            "jumlah-penduduk-per-kecamatan",
            title="Jumlah penduduk per kecamatan",
            owner_org="diskominfo",
            groups=("society",),
            tags=("penduduk",),
        ),
        "udara": make_dataset(
            session,
            "kualitas-udara-harian",
            title="Kualitas udara harian",
            owner_org="dlh",
            groups=("environment",),
            tags=("udara", "ispu"),
            konsep="Indeks standar pencemar udara",
        ),
        "rahasia": make_dataset(
            session,
            "data-internal-dlh",
            title="Data internal DLH",
            owner_org="dlh",
            classification=Classification.TERBATAS,
        ),
        "draf": make_dataset(
            session, "draf-dlh", title="Draf DLH", owner_org="dlh", state=DatasetState.DRAFT
        ),
    }


def _table(session: Session, dataset: Dataset) -> Resource:
    resource = make_resource(session, dataset, "penduduk.csv")
    datastore.create_table(
        session,
        resource,
        [
            {"id": "kecamatan", "type": "text"},
            {"id": "tahun", "type": "int"},
            {"id": "jumlah", "type": "int"},
            {"id": "lon", "type": "numeric"},
            {"id": "lat", "type": "numeric"},
        ],
    )
    datastore.upsert(session, resource, ROWS, method="insert")
    return resource


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/data/[^"]+">([^<]+)</a>', html)


def test_the_portal_lists_public_datasets_with_facet_counts(
    client: TestClient, session: Session
) -> None:
    _catalogue(session)
    page = client.get("/data")
    assert page.status_code == 200
    assert sorted(_titles(page.text)) == ["Jumlah penduduk per kecamatan", "Kualitas udara harian"]
    assert "Data terbuka Kota Pontianak" in page.text
    # Each facet value links to the search narrowed by it, with its count.
    assert re.search(r'href="/data\?dimensi=environment".*?od-facet-count">1<', page.text, re.S)


def test_facets_filter_and_combine(client: TestClient, session: Session) -> None:
    _catalogue(session)
    by_pd = client.get("/data?pd=dlh")
    assert _titles(by_pd.text) == ["Kualitas udara harian"]
    either = client.get("/data?pd=dlh&pd=diskominfo")
    assert len(_titles(either.text)) == 2
    both = client.get("/data?pd=diskominfo&tag=udara")
    assert _titles(both.text) == []
    assert "Tidak ada dataset yang cocok." in both.text
    # The chosen value's link drops it again.
    assert 'href="/data?pd=diskominfo"' in both.text


def test_words_and_sorting_narrow_and_order_results(client: TestClient, session: Session) -> None:
    _catalogue(session)
    assert _titles(client.get("/data?q=udara").text) == ["Kualitas udara harian"]
    by_name = _titles(client.get("/data?urut=nama").text)
    assert by_name == sorted(by_name)


def test_private_and_draft_datasets_never_reach_anonymous_visitors(
    client: TestClient, session: Session
) -> None:
    _catalogue(session)
    page = client.get("/data?q=dlh")
    assert "Data internal DLH" not in page.text
    assert "Draf DLH" not in page.text
    assert client.get("/data/data-internal-dlh").status_code == 404
    assert client.get("/data/draf-dlh").status_code == 404


def test_staff_of_the_pd_see_their_restricted_dataset(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    _catalogue(session)
    make_user(Role.PETUGAS_PD, pd_kode="dlh", username="petugas-dlh")
    login(client, "petugas-dlh")
    assert client.get("/data/data-internal-dlh").status_code == 200


def test_the_page_speaks_english_with_lang_en(client: TestClient, session: Session) -> None:
    datasets = _catalogue(session)
    _table(session, datasets["penduduk"])
    datasets["penduduk"].temporal_start = date(2025, 1, 1)
    datasets["penduduk"].temporal_end = date(2025, 12, 31)
    session.flush()
    assert "Pontianak open data" in client.get("/data?lang=en").text
    page = client.get("/data/jumlah-penduduk-per-kecamatan?lang=en")
    assert "About this data" in page.text
    assert "Tentang data ini" not in page.text
    assert "2025-01-01 to 2025-12-31" in page.text
    indonesian = client.get("/data/jumlah-penduduk-per-kecamatan?lang=id").text
    assert "2025-01-01 s.d. 2025-12-31" in indonesian


def test_a_dataset_page_shows_metadata_api_examples_and_counts_a_view(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usage, "FLUSH_SECONDS", 0.0)  # each count written at once
    datasets = _catalogue(session)
    resource = _table(session, datasets["penduduk"])
    page = client.get("/data/jumlah-penduduk-per-kecamatan")
    assert page.status_code == 200
    html = page.text
    assert "Dinas Komunikasi" in html  # the walidata's name, not its code
    assert "/api/3/action/package_show?id=jumlah-penduduk-per-kecamatan" in html
    assert f"datastore_search?resource_id={resource.id}" in html
    assert "RemoteCKAN(" in html
    assert "/dataset/jumlah-penduduk-per-kecamatan.jsonld" in html
    assert f'href="/data/jumlah-penduduk-per-kecamatan/sumber/{resource.id}"' in html
    views = session.scalar(
        select(func.sum(UsageCount.count)).where(
            UsageCount.dataset_id == datasets["penduduk"].id, UsageCount.kind == UsageKind.VIEW
        )
    )
    assert views == 1


def test_the_preview_filters_sorts_and_pages_rows(client: TestClient, session: Session) -> None:
    resource = _table(session, _catalogue(session)["penduduk"])
    base = f"/data/jumlah-penduduk-per-kecamatan/sumber/{resource.id}"
    page = client.get(base)
    assert page.status_code == 200
    assert "4 baris" in page.text
    filtered = client.get(base, params={"f.kecamatan": "Pontianak Kota"})
    assert "2 baris" in filtered.text
    assert "Pontianak Barat" not in filtered.text
    ordered = client.get(base, params={"urut": "jumlah", "arah": "turun"})
    cells = re.findall(r'<td data-column="jumlah" class="num">(\d+)</td>', ordered.text)
    assert [int(c) for c in cells] == [130, 120, 80, 50]
    assert 'aria-sort="descending"' in ordered.text
    assert f"/datastore/dump/{resource.id}?format=geojson" in page.text


def test_the_chart_builder_draws_sums_per_group(client: TestClient, session: Session) -> None:
    resource = _table(session, _catalogue(session)["penduduk"])
    page = client.get(
        f"/data/jumlah-penduduk-per-kecamatan/sumber/{resource.id}",
        params={"tab": "grafik", "x": "kecamatan", "y": "jumlah", "agregat": "sum"},
    )
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Pontianak Kota: 250" in page.text  # 120 + 130, in the bar's title


def test_the_map_data_lists_the_filtered_rows(client: TestClient, session: Session) -> None:
    resource = _table(session, _catalogue(session)["penduduk"])
    base = f"/data/jumlah-penduduk-per-kecamatan/sumber/{resource.id}"
    assert "Peta" in client.get(base).text
    points = client.get(f"{base}/titik.json", params={"f.tahun": "2025"}).json()
    assert points["total"] == 2
    assert {round(p["lon"], 2) for p in points["items"]} == {109.34, 109.35}


def test_a_link_resource_shows_only_its_link(client: TestClient, session: Session) -> None:
    dataset = _catalogue(session)["udara"]
    resource = make_resource(session, dataset, "Laporan", format="PDF")
    page = client.get(f"/data/kualitas-udara-harian/sumber/{resource.id}")
    assert page.status_code == 200
    assert "https://data.pontianak.go.id/contoh.csv" in page.text
    assert "od-table" not in page.text
