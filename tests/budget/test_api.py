"""The budget API (``budget/api.py``) over HTTP with bearer tokens: lines created, read,
changed and realised; totals; imports all or nothing; the exports; who may do what."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.budget import importer
from pontive.core.roles import Role
from tests.budget.support import line
from tests.masterplan.support import activity, programme

API = "/api/v1/budget"
Headers = dict[str, str]


@pytest.fixture
def tim(bearer: Callable[..., Headers]) -> Headers:
    return bearer(Role.TIM_TEKNIS)


def new_line(**overrides: object) -> dict[str, object]:
    return {
        "year": 2026,
        "code": "api-001",
        "name": "Dasbor kinerja layanan",
        "pd_kode": "diskominfo",
        "source": "apbd",
        "category": "teknologi",
        "planned": {"1": "100000000", "2": 150000000.5, "4": "0"},
        "kode_program": "2.16.03",
    } | overrides


def test_a_line_is_created_read_changed_and_realised(
    client: TestClient, tim: Headers, session: Session
) -> None:
    created = client.post(f"{API}/lines", json=new_line(), headers=tim)
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"{API}/lines/{body['id']}"
    assert body["code"] == "API-001"
    assert [q["planned"] for q in body["quarters"]] == [
        "100000000.00",
        "150000000.50",
        "0.00",
        "0.00",
    ]
    assert body["planned"] == "250000000.50"
    assert body["rate"] == 0.0
    url = f"{API}/lines/{body['id']}"
    living = programme(session, "LIV-80")
    changed = client.patch(url, json={"name": "Dasbor baru", "programme_code": "liv-80",
                                      "planned": {"3": "10"}}, headers=tim)  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Dasbor baru"
    assert changed.json()["programme_code"] == living.code
    assert changed.json()["kode_program"] == "2.16.03"  # kept
    assert changed.json()["quarters"][2]["planned"] == "10.00"
    assert changed.json()["quarters"][0]["planned"] == "100000000.00"  # kept
    realised = client.post(f"{url}/realisation", json={"quarter": 1, "realised": 75_000_000},
                           headers=tim)  # fmt: skip
    assert realised.status_code == 200
    assert realised.json()["realised"] == "75000000.00"
    assert client.get(url, headers=tim).json()["quarters"][0]["realised"] == "75000000.00"
    listed = client.get(f"{API}/lines", params={"year": 2026}, headers=tim).json()
    assert [item["code"] for item in listed] == ["API-001"]
    assert client.get(f"{API}/lines", params={"year": 2026, "pd": "dlh"}, headers=tim).json() == []


def test_refusals_answer_in_the_platforms_json_shape(
    client: TestClient, tim: Headers, session: Session
) -> None:
    client.post(f"{API}/lines", json=new_line(), headers=tim)
    duplicate = client.post(f"{API}/lines", json=new_line(), headers=tim)
    assert duplicate.status_code == 422
    assert set(duplicate.json()) == {"detail", "errors"}
    assert "code" in duplicate.json()["errors"]
    unknown = client.post(f"{API}/lines", json=new_line(code="X", pd_kode="tak-ada"), headers=tim)
    assert unknown.status_code == 422
    assert "pd_kode" in unknown.json()["errors"]
    living = programme(session, "LIV-81")
    other = programme(session, "GOV-81", dimensi_kode="governance")
    activity(session, other, "GOV-81.01")
    mismatch = client.post(
        f"{API}/lines",
        json=new_line(code="Y", programme_code=living.code, activity_code="GOV-81.01"),
        headers=tim,
    )
    assert mismatch.status_code == 422
    assert "activity_code" in mismatch.json()["errors"]
    negative = client.post(f"{API}/lines", json=new_line(code="Z", planned={"1": -1}), headers=tim)
    assert negative.status_code == 422
    assert client.get(f"{API}/lines/999999", headers=tim).status_code == 404
    assert client.get(f"{API}/lines", params={"year": 1999}, headers=tim).status_code == 422


def test_a_pd_officer_reports_its_own_lines_only_and_the_mayor_only_reads(
    client: TestClient, bearer: Callable[..., Headers], session: Session
) -> None:
    own = line(session, "API-010")  # DLH's
    other = line(session, "API-011", pd_kode="pupr")
    dlh = bearer(Role.PETUGAS_PD, "dlh")
    mayor = bearer(Role.WALIKOTA)
    body = {"quarter": 2, "realised": "120000000"}
    assert (
        client.post(f"{API}/lines/{own.id}/realisation", json=body, headers=dlh).status_code == 200
    )
    refused = client.post(f"{API}/lines/{other.id}/realisation", json=body, headers=dlh)
    assert refused.status_code == 403
    assert set(refused.json()) == {"detail", "errors"}
    assert client.post(f"{API}/lines", json=new_line(), headers=dlh).status_code == 403
    assert (
        client.patch(f"{API}/lines/{own.id}", json={"name": "Nama"}, headers=dlh).status_code == 403
    )
    for call in (
        lambda: client.post(f"{API}/lines", json=new_line(), headers=mayor),
        lambda: client.patch(f"{API}/lines/{own.id}", json={"name": "Nama"}, headers=mayor),
        lambda: client.post(f"{API}/lines/{own.id}/realisation", json=body, headers=mayor),
    ):
        assert call().status_code == 403
    assert client.get(f"{API}/lines/{own.id}", headers=mayor).json()["realised"] == "120000000.00"
    assert client.get(f"{API}/totals", params={"year": 2026}, headers=mayor).status_code == 200
    assert client.get(f"{API}/lines", params={"year": 2026}).status_code == 401  # anonymous


def test_totals_by_each_key(client: TestClient, tim: Headers, session: Session) -> None:
    line(session, "API-020", realised=(50_000_000,))  # 1.000.000.000 planned, dlh/apbd/teknologi
    line(session, "API-021", planned=(0, 0, 0, 200_000_000), source="lainnya", category="sdm",
         pd_kode="pupr")  # fmt: skip
    by_source = client.get(f"{API}/totals", params={"year": 2026, "by": "source"}, headers=tim)
    answer = by_source.json()
    assert answer["total"] == {
        "key": "total",
        "label": "Total",
        "planned": "1200000000.00",
        "realised": "50000000.00",
        "rate": pytest.approx(50 / 1200),
    }
    assert [(g["key"], g["planned"], g["realised"]) for g in answer["groups"]] == [
        ("apbd", "1000000000.00", "50000000.00"),
        ("lainnya", "200000000.00", "0.00"),
    ]
    categories = client.get(f"{API}/totals", params={"year": 2026}, headers=tim).json()
    assert len(categories["groups"]) == 7
    assert categories["by"] == "category"
    pds = client.get(f"{API}/totals", params={"year": 2026, "by": "pd"}, headers=tim).json()
    assert [g["key"] for g in pds["groups"]] == ["dlh", "pupr"]
    dims = client.get(f"{API}/totals", params={"year": 2026, "by": "dimension"}, headers=tim)
    assert dims.json()["groups"][-1]["key"] == ""  # both lines are outside any programme
    assert (
        client.get(f"{API}/totals", params={"year": 2026, "by": "x"}, headers=tim).status_code
        == 422
    )


def test_an_import_with_a_bad_row_stores_nothing_then_the_fixed_file_is_stored(
    client: TestClient, tim: Headers
) -> None:
    header = ",".join(importer.COLUMN_NAMES)
    good = "2026,IMP-A,Jaringan kantor,diskominfo,apbd,infrastruktur,,,,,,1.000.000,,,,,,,,,"
    bad = '2026,IMP-B,Pelatihan,bkpsdm,apbd,sdm,,,,,,"1,5 juta",,,,,,,,,'
    data = f"{header}\n{good}\n{bad}\n".encode()
    refused = client.post(f"{API}/import", files={"file": ("a.csv", data, "text/csv")}, headers=tim)
    assert refused.status_code == 422, refused.text
    assert set(refused.json()["errors"]) == {"3:planned_q1"}
    assert client.get(f"{API}/lines", params={"year": 2026}, headers=tim).json() == []
    fixed = data.replace(b'"1,5 juta"', b'"1.500.000"')
    stored = client.post(f"{API}/import", files={"file": ("a.csv", fixed, "text/csv")}, headers=tim)
    assert stored.status_code == 200, stored.text
    assert stored.json()["created"] == 2
    lines = client.get(f"{API}/lines", params={"year": 2026}, headers=tim).json()
    assert [(item["code"], item["planned"]) for item in lines] == [
        ("IMP-A", "1000000.00"),
        ("IMP-B", "1500000.00"),
    ]


def test_the_exports_download_with_their_names(
    client: TestClient, tim: Headers, session: Session
) -> None:
    line(session, "API-030", realised=(1,))
    exported = client.get(f"{API}/export.csv", params={"year": 2026}, headers=tim)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "anggaran-smart-city-2026.csv" in exported.headers["content-disposition"]
    assert exported.text.splitlines()[0] == ",".join(importer.COLUMN_NAMES)
    assert "API-030" in exported.text
    package = client.get(f"{API}/fiscal-data-package.zip", params={"year": 2026}, headers=tim)
    assert package.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(package.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["homepage"].endswith("/console/anggaran")
    assert descriptor["name"] == "pontianak-smart-city-budget-2026"
