"""The pages every registry shares, in a real browser over a copy of the demo: filtering,
sorting and bulk editing a list; adding a site with the map picker, changing it and reading
the change in its history; attaching a document; importing a CSV after its preview and after
a refused file; showing a council member's personal data on request; handling a reminder;
the list and a row on a phone.

These tests change the data, so they run on a live server of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

INFRA = "/console/aset/infrastruktur"
SITES = "/console/aset/lokasi"
PARTNERSHIPS = "/console/kelembagaan/kerja-sama"
MEMBERS = "/console/kelembagaan/anggota-dewan"


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "registry")


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def submit(web: Web, button: str) -> None:
    """Press a form's button and wait for the next page."""
    with web.page.expect_navigation():
        web.page.get_by_role("button", name=button, exact=True).click()
    web.settle(shot=False)


def test_a_list_is_filtered_sorted_and_edited_in_bulk(web: Web) -> None:
    page = web.page
    web.login("timteknis", next_path=INFRA)
    everything = page.locator("#rows tbody tr").count()
    page.locator("#flt-kind").select_option("server")
    submit(web, "Terapkan")
    servers = page.locator("#rows tbody tr")
    assert 0 < servers.count() < everything
    assert all("Server" in text for text in servers.all_inner_texts())
    with page.expect_navigation():
        page.locator("#rows thead").get_by_role("link", name="Nama").click()
    web.settle(shot=False)
    names = [row.locator("td").nth(2).inner_text() for row in servers.all()]
    assert names == sorted(names, key=str.lower)
    web.screenshot("list-filtered")
    readable(web)

    running = [row for row in servers.all() if "Pemeliharaan" not in row.inner_text()]
    picked = [running[0].get_attribute("data-id"), running[1].get_attribute("data-id")]
    for row_id in picked:
        page.locator(f'input[name="ids"][value="{row_id}"]').check()
    page.locator("#bulk summary").click()
    page.locator("#bulk-status").select_option("pemeliharaan")
    submit(web, "Terapkan ke baris terpilih")
    assert page.get_by_role("status").inner_text() == "Ubah massal diterapkan."
    assert "kind=server" in page.url
    for row_id in picked:
        assert "Pemeliharaan" in page.locator(f'#rows tr[data-id="{row_id}"]').inner_text()
    web.goto(f"{INFRA}/{picked[0]}")
    history = page.locator("#riwayat")
    assert "ubah massal" in history.inner_text()
    assert "pemeliharaan" in history.locator(".reg-diff").first.inner_text()
    web.screenshot("row-after-bulk")
    readable(web)


def test_a_site_is_placed_on_the_map_changed_and_documented(web: Web, tmp_path: Path) -> None:
    page = web.page
    web.login("timteknis", next_path=f"{SITES}/baru")
    page.get_by_label("Kode").fill("POP-UJI-01")
    page.get_by_label("Nama").fill("POP uji Pontianak Kota")
    page.get_by_label("Jenis").select_option("pop")
    page.get_by_label("Perangkat Daerah").select_option("diskominfo")
    page.locator(".reg-point-map").click()  # the middle of the map: the city centre
    assert page.get_by_label("Bujur").input_value().startswith("109.")
    assert page.get_by_label("Lintang").input_value().startswith("-0.")
    web.screenshot("new-site")
    readable(web)
    submit(web, "Simpan")
    assert page.get_by_role("status").inner_text() == "Data ditambahkan."
    assert page.get_by_role("heading", level=1).inner_text() == "POP uji Pontianak Kota"
    place = page.locator('[data-field="location"] dd').inner_text()
    assert "·" in place, place  # the kelurahan found from the point

    with page.expect_navigation():
        page.get_by_role("link", name="Ubah", exact=True).click()
    web.settle(shot=False)
    page.get_by_label("Nama").fill("POP Pontianak Kota")
    submit(web, "Simpan")
    assert page.get_by_role("status").inner_text() == "Perubahan disimpan."
    diff = page.locator("#riwayat .reg-diff").first.inner_text()
    assert "POP uji Pontianak Kota" in diff
    assert "POP Pontianak Kota" in diff

    pdf = tmp_path / "berita-acara.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% berita acara serah terima\n%%EOF\n")
    page.get_by_label("Judul dokumen").fill("Berita acara serah terima")
    page.get_by_label("Berkas").set_input_files(str(pdf))
    submit(web, "Unggah dokumen")
    assert page.get_by_role("status").inner_text() == "Dokumen diunggah."
    document = page.locator("#dokumen").get_by_role("link", name="Berita acara serah terima")
    with page.expect_download() as download:
        document.click()
    assert download.value.suggested_filename == "berita-acara.pdf"
    web.screenshot("site-documented")
    readable(web)


def test_a_csv_is_checked_refused_then_imported(web: Web, tmp_path: Path) -> None:
    page = web.page
    web.login("timteknis", next_path=f"{PARTNERSHIPS}/impor")
    header = "number,title,kind,parties,starts_on,ends_on,status,pd_kode"
    good = (
        '"PKS/UJI/2026/01","Uji konektivitas kampus",perguruan_tinggi,'
        '"Universitas Tanjungpura",2026-01-05,2027-01-04,aktif,diskominfo'
    )
    bad = good.replace("2026-01-05", "31-31-2026").replace("UJI/2026/01", "UJI/2026/02")
    refused = tmp_path / "kerja-sama-salah.csv"
    refused.write_text(f"{header}\n{good}\n{bad}\n", encoding="utf-8")
    page.get_by_label("Berkas CSV").set_input_files(str(refused))
    web.expect_error_status(f"{PARTNERSHIPS}/impor")
    submit(web, "Kirim")
    errors = page.locator("#import-errors").inner_text()
    assert "baris 3, kolom starts_on" in errors
    web.screenshot("import-refused")
    readable(web)

    fixed = tmp_path / "kerja-sama.csv"
    fixed.write_text(f"{header}\n{good}\n", encoding="utf-8")
    page.get_by_label("Berkas CSV").set_input_files(str(fixed))
    submit(web, "Kirim")
    assert "1 baris baru, 0 diubah, 0 tetap." in page.locator("#preview").inner_text()
    page.get_by_label("Berkas CSV").set_input_files(str(fixed))
    page.get_by_label("Impor sekarang").check()
    submit(web, "Kirim")
    assert page.get_by_role("status").inner_text() == "Impor selesai."
    page.get_by_label("Cari").fill("konektivitas kampus")
    submit(web, "Terapkan")
    assert page.locator("#rows tbody tr").count() == 1
    assert "PKS/UJI/2026/01" in page.locator("#rows tbody tr").inner_text()


def test_personal_data_is_shown_only_on_request(web: Web) -> None:
    page = web.page
    web.login("timteknis", next_path=MEMBERS)
    with page.expect_navigation():
        page.locator("#rows tbody tr").first.locator("a").first.click()
    web.settle(shot=False)
    email = page.locator('[data-field="email"] dd')
    assert email.inner_text() == "•••"
    submit(web, "Tampilkan data pribadi")
    assert "@" in email.inner_text()
    web.screenshot("personal-shown")


def test_a_reminder_is_handled(web: Web) -> None:
    page = web.page
    web.login("timteknis", next_path="/console/pengingat")
    count = int(page.locator("#open-count").inner_text())
    assert count > 0  # the demo's agreements, certificates and findings
    web.screenshot("reminders")
    readable(web)
    first = page.locator("#open-reminders tbody tr").first
    subject = first.locator("td").first.inner_text()
    with page.expect_navigation():
        first.get_by_role("button", name="Tandai selesai").click()
    web.settle(shot=False)
    assert page.get_by_role("status").inner_text() == "Pengingat ditandai selesai."
    assert int(page.locator("#open-count").inner_text()) == count - 1
    assert subject in page.locator(".reg-done").first.inner_text()


def test_the_list_and_a_row_fit_a_phone(phone: Web) -> None:
    page = phone.page
    phone.login("timteknis", next_path=INFRA)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the list scrolls sideways"
    readable(phone)
    with page.expect_navigation():
        page.locator("#rows tbody tr").first.locator("a").first.click()
    phone.settle(shot=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the row's page scrolls sideways"
    phone.screenshot("phone-row")
