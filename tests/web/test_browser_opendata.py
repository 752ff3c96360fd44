"""The open data portal in a real browser on the live server over the demo: a visitor searches,
opens a dataset, previews its table, filters it and downloads it; a DLH officer publishes a
dataset through the guided form, uploads a CSV, watches the load reach "Siap" and sees the
preview. Phones (360 px) get the same pages without sideways scrolling."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.opendata.choices import DatasetState
from pontive.opendata.models import Dataset, DatastoreTable, Resource
from tests.web.conftest import PHONE, LiveServer, Web

pytestmark = pytest.mark.browser

WASTE_CSV = (
    "tanggal,tps,kecamatan,berat_ton,lon,lat\n"
    "2026-11-01,TPS Jl. Tanjungpura,Pontianak Selatan,12.5,109.341,-0.036\n"
    "2026-11-01,TPS Pasar Flamboyan,Pontianak Kota,9.8,109.330,-0.032\n"
    "2026-11-02,TPS Jl. Tanjungpura,Pontianak Selatan,11.2,109.341,-0.036\n"
    "2026-11-02,TPS Siantan,Pontianak Utara,7.4,109.337,0.005\n"
)


def _table_dataset(live_server: LiveServer) -> tuple[str, str, str, str]:
    """A public dataset of the demo with a datastore table: (name, title, resource id, a text
    column of its table)."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            rows = session.execute(
                select(Dataset.name, Dataset.title, Resource.id, DatastoreTable.fields)
                .join(Resource, Resource.dataset_id == Dataset.id)
                .join(DatastoreTable, DatastoreTable.resource_id == Resource.id)
                .where(
                    Resource.datastore_active.is_(True),
                    Dataset.state == DatasetState.ACTIVE,
                    Dataset.classification == Classification.PUBLIK,
                    DatastoreTable.row_count > 1,
                )
                .order_by(Dataset.name)
            ).all()
    finally:
        database.dispose()
    for name, title, resource_id, fields in rows:
        text = [f["id"] for f in fields if f["type"] == "text" and not f["id"].startswith("_")]
        if text:
            return name, title, resource_id, text[0]
    pytest.fail("the demo has no public datastore table with a text column")


def _fits_the_phone(web: Web) -> None:
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"


def _total(web: Web) -> int:
    return int(re.sub(r"\D", "", web.page.locator(".od-total").inner_text()))


def test_search_dataset_preview_filter_and_download(web: Web, live_server: LiveServer) -> None:
    name, title, resource_id, column = _table_dataset(live_server)
    page = web.page
    web.goto("/data")
    assert page.locator(".od-card").count() >= 5
    page.get_by_label("Cari dataset").fill(title.split()[0])
    with page.expect_navigation():
        page.get_by_role("button", name="Cari", exact=True).click()
    web.settle()
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).click()
    web.settle()
    assert page.url.endswith(f"/data/{name}")
    assert page.get_by_role("heading", name="Akses lewat API").is_visible()
    assert "package_show" in page.locator("#api").inner_text()

    with page.expect_navigation():
        page.locator(f"a[href='/data/{name}/sumber/{resource_id}']").first.click()
    web.settle()
    everything = _total(web)
    assert everything > 1
    first_row = page.locator("table.od-table tbody tr").first
    value = first_row.locator(f"td[data-column='{column}']").inner_text()
    page.locator("summary", has_text="Saring per kolom").click()
    page.locator(f"input[data-column='{column}']").fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Terapkan").click()
    web.settle()
    assert "f." in page.url
    filtered = _total(web)
    assert 1 <= filtered <= everything
    cells = page.locator(f"table.od-table tbody td[data-column='{column}']").all_inner_texts()
    assert cells
    assert set(cells) == {value}

    with page.expect_download() as info:
        page.locator(".od-dl[data-format='csv']").click()
    path = Path(info.value.path())
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert column in rows[0]
    assert len(rows) - 1 == everything


def test_the_portal_and_a_dataset_fit_a_phone(phone: Web, live_server: LiveServer) -> None:
    name, _title, resource_id, _column = _table_dataset(live_server)
    phone.goto("/data")
    _fits_the_phone(phone)
    phone.goto(f"/data/{name}")
    _fits_the_phone(phone)
    phone.goto(f"/data/{name}/sumber/{resource_id}")
    phone.goto(f"/data/{name}/sumber/{resource_id}?tab=grafik")
    _fits_the_phone(phone)


def test_a_dlh_officer_publishes_a_dataset_with_a_csv(
    web: Web, live_server: LiveServer, tmp_path: Path
) -> None:
    page = web.page
    web.login("petugas.dlh")
    web.goto("/console/data")
    with page.expect_navigation():
        page.get_by_role("link", name="Dataset baru").first.click()
    web.settle()
    assert page.get_by_role("heading", name="Kelengkapan metadata").is_visible()
    page.get_by_label("Judul").fill("Timbulan sampah harian per TPS (uji)")
    page.locator("input[name='groups'][value='environment']").check()
    page.get_by_label("Tag").fill("sampah, tps")
    page.get_by_label("Uraian").fill("Berat sampah yang diangkut dari setiap TPS per hari.")
    page.get_by_label("Konsep").fill("Timbulan sampah")
    page.get_by_label("Satuan").fill("ton")
    page.get_by_label("Status").select_option("active")
    web.screenshot("form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Buat dataset").click()
    web.settle()
    assert "/sumber/baru" in page.url

    upload = tmp_path / "sampah-tps.csv"
    upload.write_text(WASTE_CSV, encoding="utf-8")
    page.locator("#f-berkas").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah").click()
    page.locator(".odc-ready").wait_for(timeout=30_000)
    web.settle()
    assert "4 baris dimuat" in page.locator("#load").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Lihat pratinjau").click()
    web.settle()
    assert _total(web) == 4
    assert page.locator("table.od-table tbody tr").count() == 4
    with page.expect_navigation():
        page.locator(".od-tabs").get_by_role("link", name="Peta", exact=True).click()
    page.wait_for_selector("#od-map[data-ready='true']")
    web.screenshot("map-ready")
    assert page.locator("#od-map").get_attribute("data-markers") == "4"
