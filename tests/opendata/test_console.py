"""The publishing console: a PD officer lists, creates and edits their own PD's datasets, may
not touch another PD's, gets field errors with everything typed kept, and adds files."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.opendata import service_resources
from pontive.opendata.choices import DatasetState
from pontive.opendata.models import Dataset, DatastoreTable
from pontive.settings import Settings
from tests.conftest import login
from tests.opendata.conftest import make_dataset


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def officer(client: TestClient, make_user) -> TestClient:  # type: ignore[no-untyped-def]
    """A client signed in as a DLH officer."""
    make_user(Role.PETUGAS_PD, pd_kode="dlh", username="petugas-dlh")
    login(client, "petugas-dlh")
    return client


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {
        "title": "Timbulan sampah harian",
        "name": "",
        "owner_org": "dlh",
        "notes": "Berat sampah yang masuk ke TPA Batu Layang per hari.",
        "tags": "sampah, tpa",
        "groups": ["environment"],
        "frequency": "harian",
        "license_id": "cc-by-4.0",
        "classification": "publik",
        "state": "active",
        "satuan": "ton",
        "spatial_codes": [],
    }
    return values | changes


def test_an_officer_lists_only_their_pd_datasets(officer: TestClient, session: Session) -> None:
    make_dataset(session, "sampah-dlh", title="Sampah DLH", owner_org="dlh")
    make_dataset(session, "draf-dlh", title="Draf DLH", owner_org="dlh", state=DatasetState.DRAFT)
    make_dataset(session, "jalan-pupr", title="Jalan PUPR", owner_org="pupr")
    page = officer.get("/console/data")
    assert page.status_code == 200
    assert "Sampah DLH" in page.text
    assert "Draf DLH" in page.text
    assert "Jalan PUPR" not in page.text
    assert "Dataset baru" in page.text


def test_citizens_and_anonymous_visitors_cannot_open_the_console(
    client: TestClient, make_user
) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/console/data", follow_redirects=False).status_code in (303, 401)
    make_user(Role.WARGA, username="warga1")
    login(client, "warga1")
    assert client.get("/console/data").status_code == 403


def test_an_officer_creates_a_dataset_and_goes_on_to_add_its_file(
    officer: TestClient, session: Session
) -> None:
    form = officer.get("/console/data/baru")
    assert form.status_code == 200
    assert "Konsep" in form.text  # the completeness box lists what is missing
    response = officer.post(
        "/console/data/baru",
        data={**_form(), "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(
        "/console/data/timbulan-sampah-harian/sumber/baru"
    )
    dataset = session.scalar(select(Dataset).where(Dataset.name == "timbulan-sampah-harian"))
    assert dataset is not None
    assert dataset.owner_org == "dlh"
    assert [t.name for t in dataset.tags] == ["sampah", "tpa"]
    assert [g.dimensi_kode for g in dataset.groups] == ["environment"]


def test_form_errors_show_next_to_the_field_and_keep_what_was_typed(
    officer: TestClient, session: Session
) -> None:
    form = officer.get("/console/data/baru")
    response = officer.post(
        "/console/data/baru",
        data={
            **_form(maintainer_email="bukan-surel", konsep="Sampah padat kota"),
            "csrf_token": _csrf(form.text),
        },
    )
    assert response.status_code == 422
    assert 'id="maintainer_email-error"' in response.text
    assert 'value="bukan-surel"' in response.text
    assert "Sampah padat kota</textarea>" in response.text
    assert 'value="environment" checked' in response.text
    assert session.scalar(select(Dataset).where(Dataset.title == "Timbulan sampah harian")) is None


def test_an_officer_cannot_edit_another_pds_dataset(officer: TestClient, session: Session) -> None:
    make_dataset(session, "jalan-pupr", title="Jalan PUPR", owner_org="pupr")
    assert officer.get("/console/data/jalan-pupr/ubah").status_code == 403
    token = _csrf(officer.get("/console/data").text)
    response = officer.post(
        "/console/data/jalan-pupr/ubah",
        data={**_form(owner_org="pupr", title="Diubah"), "csrf_token": token},
    )
    assert response.status_code in (403, 422)
    assert session.scalar(select(Dataset.title).where(Dataset.name == "jalan-pupr")) == "Jalan PUPR"
    assert officer.get("/console/data/jalan-pupr/sumber/baru").status_code == 403


def test_an_officer_edits_their_dataset(officer: TestClient, session: Session) -> None:
    make_dataset(session, "sampah-dlh", title="Sampah DLH", owner_org="dlh")
    form = officer.get("/console/data/sampah-dlh/ubah")
    assert 'value="Sampah DLH"' in form.text
    response = officer.post(
        "/console/data/sampah-dlh/ubah",
        data={
            **_form(title="Sampah harian DLH", name="sampah-dlh"),
            "csrf_token": _csrf(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    session.expire_all()
    assert session.scalar(select(Dataset.title).where(Dataset.name == "sampah-dlh")) == (
        "Sampah harian DLH"
    )


def test_a_pdf_upload_is_stored_without_a_datastore_load(
    officer: TestClient, session: Session
) -> None:
    dataset = make_dataset(session, "sampah-dlh", title="Sampah DLH", owner_org="dlh")
    form = officer.get("/console/data/sampah-dlh/sumber/baru")
    response = officer.post(
        "/console/data/sampah-dlh/sumber/baru",
        data={"csrf_token": _csrf(form.text), "name": "Laporan tahunan"},
        files={"berkas": ("laporan.pdf", io.BytesIO(b"%PDF-1.4 contoh"), "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    status_page = officer.get(response.headers["location"])
    assert "Berkas disimpan" in status_page.text
    status = officer.get(response.headers["location"] + "/status.json").json()
    assert status["state"] == "none"
    session.refresh(dataset)
    assert [r.name for r in dataset.resources] == ["Laporan tahunan"]
    assert session.scalar(select(DatastoreTable)) is None


def test_a_resource_needs_a_file_or_a_link(officer: TestClient, session: Session) -> None:
    make_dataset(session, "sampah-dlh", title="Sampah DLH", owner_org="dlh")
    form = officer.get("/console/data/sampah-dlh/sumber/baru")
    response = officer.post(
        "/console/data/sampah-dlh/sumber/baru",
        data={"csrf_token": _csrf(form.text), "name": "Kosong", "description": "tanpa berkas"},
    )
    assert response.status_code == 422
    assert "Pilih berkas atau isi tautan." in response.text
    assert "tanpa berkas</textarea>" in response.text


def test_a_file_over_the_limit_is_refused_next_to_the_file_field_and_not_kept(
    officer: TestClient, session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_resources, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    dataset = make_dataset(session, "sampah-dlh", title="Sampah DLH", owner_org="dlh")
    session.commit()  # stored before the page's rollback of the refused upload
    form = officer.get("/console/data/sampah-dlh/sumber/baru")
    big = b"kelurahan,ton\n" + b"Akcaya,12\n" * 300_000  # 3 MB
    response = officer.post(
        "/console/data/sampah-dlh/sumber/baru",
        data={"csrf_token": _csrf(form.text), "name": "Terlalu besar", "description": "besar"},
        files={"berkas": ("sampah.csv", io.BytesIO(big), "text/csv")},
    )
    assert response.status_code == 422
    assert 'id="berkas-error"' in response.text
    assert "Berkas terlalu besar: paling besar 2 MB." in response.text
    assert "besar</textarea>" in response.text  # what was typed is kept
    session.refresh(dataset)
    assert dataset.resources == []
    stored = settings.media_dir / service_resources.MEDIA_FOLDER
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_the_console_speaks_english(officer: TestClient) -> None:
    page = officer.get("/console/data/baru?lang=en")
    assert "New dataset" in page.text
    assert "Licence &amp; access" in page.text
