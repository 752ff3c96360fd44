"""The alert console in a real browser on the live server: an operator drafts a manual alert,
approves it, sees it on the public alert page, then withdraws it; an operator on a phone
declares siaga darurat for a kecamatan, sees the banner on the public pages, and ends it.
Everything is created through the pages themselves (the demo need not hold alerts)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

HEADLINE = "Genangan 40 cm di Jl. Tanjungpura (uji konsol)"


def _contrast_ok(web: Web) -> None:
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def test_an_operator_drafts_approves_and_withdraws_a_manual_alert(web: Web) -> None:
    page = web.page
    web.login("operator", next_path="/console/peringatan")
    assert page.url.endswith("/console/peringatan")
    _contrast_ok(web)
    with page.expect_navigation():
        page.get_by_role("link", name="Buat peringatan").click()
    web.settle()
    page.get_by_label("Kejadian", exact=True).fill("Banjir")
    page.get_by_label("Kejadian (bahasa Inggris)").fill("Flood")
    page.get_by_label("Judul", exact=True).fill(HEADLINE)
    page.get_by_label("Judul (bahasa Inggris)").fill("40 cm of water on Jl. Tanjungpura")
    page.get_by_label("Petunjuk bagi warga", exact=False).first.fill(
        "Hindari Jl. Tanjungpura; gunakan Jl. Gajah Mada."
    )
    page.get_by_label("Tingkat keparahan").select_option("Severe")
    page.get_by_label("Urgensi").select_option("Immediate")
    boxes = page.locator("input[name=kelurahan_kodes]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    web.screenshot("draft-form")
    _contrast_ok(web)
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan sebagai draf").click()
    web.settle()
    match = re.search(r"/console/peringatan/(\d+)\?ok=drafted$", page.url)
    assert match, page.url
    alert_path = f"/console/peringatan/{match.group(1)}"
    assert page.get_by_text("Draf tersimpan").is_visible()
    assert page.locator(".ac-alert-head .ac-state").inner_text() == "Draf"
    _contrast_ok(web)

    with page.expect_navigation():
        page.get_by_role("button", name="Setujui dan terbitkan").click()
    web.settle()
    assert page.url.endswith(f"{alert_path}?ok=approved")
    assert page.locator(".ac-alert-head .ac-state").inner_text() == "Diterbitkan"
    identifier = page.locator(".ac-alert-head .code").inner_text()
    assert re.fullmatch(r"ptk-\d{8}-\d{6}", identifier)

    web.goto("/peringatan")
    assert page.get_by_role("link", name=HEADLINE).first.is_visible()
    web.goto(f"/peringatan/{identifier}")
    assert page.get_by_role("heading", name=HEADLINE).first.is_visible()

    web.goto("/console/peringatan")
    in_force = page.locator("#daftar-berlaku")
    assert in_force.get_by_role("link", name=HEADLINE).is_visible()
    with page.expect_navigation():
        in_force.get_by_role("link", name=HEADLINE).click()
    web.settle()
    page.get_by_label("Alasan pencabutan", exact=True).fill("Air sudah surut pukul 14.00 WIB.")
    page.get_by_label("Alasan pencabutan (bahasa Inggris)").fill("The water receded at 2 pm.")
    with page.expect_navigation():
        page.get_by_role("button", name="Cabut peringatan").click()
    web.settle()
    assert re.search(r"/console/peringatan/\d+\?ok=cancelled$", page.url), page.url
    assert page.get_by_text("Peringatan dicabut").is_visible()
    chain = page.locator(".ac-chain")
    assert chain.get_by_text(identifier).is_visible()
    assert "Dibatalkan" in chain.inner_text()

    web.goto("/console/peringatan")
    assert page.locator("#daftar-berlaku").get_by_role("link", name=HEADLINE).count() == 0
    assert page.locator("#daftar-aman").get_by_role("link", name=HEADLINE).is_visible()
    assert page.locator("#riwayat").get_by_role("link", name=HEADLINE).is_visible()


# What of the console's own content reaches past the screen's right edge (wide tables scroll
# inside their ``.table-wrap``). The site-wide banner above it is the layout's business.
_SPILLS = """() => {
  const edge = document.documentElement.clientWidth;
  const content = document.querySelector('.console-bar + .container.section');
  return [...content.querySelectorAll('*')]
    .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > edge + 0.5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.getBoundingClientRect().right}`);
}"""


def _fits_the_phone(web: Web) -> None:
    spills = web.page.evaluate(_SPILLS)
    assert spills == [], "the console is wider than the phone:\n" + "\n".join(spills)


def test_an_operator_on_a_phone_declares_siaga_darurat_for_a_kecamatan_and_ends_it(
    phone: Web,
) -> None:
    page = phone.page
    phone.login("operator", next_path="/console/peringatan/status")
    assert page.url.endswith("/console/peringatan/status")
    _fits_the_phone(phone)
    page.get_by_label("Status", exact=True).select_option("siaga_darurat")
    scope = page.get_by_label("Wilayah", exact=True)
    scope.select_option(index=2)
    kecamatan = scope.evaluate("s => s.options[s.selectedIndex].text")
    kode = scope.input_value()
    page.get_by_label("Alasan dan dasar keputusan").fill(
        "Keputusan Wali Kota: pasang tinggi dan hujan lebat (uji konsol)."
    )
    phone.screenshot("declare-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Nyatakan status").click()
    phone.settle()
    assert page.url.endswith("/console/peringatan/status?ok=declared")
    card = page.locator(f'[id="scope-{kode}"]')
    assert card.locator(".ac-mode").inner_text() == "Siaga darurat"
    assert "pasang tinggi" in card.inner_text()
    _fits_the_phone(phone)

    phone.goto("/")
    banner = page.locator(".city-banner")
    assert banner.is_visible()
    assert "Siaga darurat" in banner.inner_text()
    assert kecamatan.removeprefix("Kec. ") in banner.inner_text()
    # The banner and its emergency numbers fit the phone too.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    phone.goto("/console/peringatan/status")
    card = page.locator(f'[id="scope-{kode}"]')
    card.get_by_text("Akhiri status", exact=True).click()
    card.get_by_label(f"Alasan mengakhiri status {kecamatan}").fill("Air sudah surut.")
    phone.screenshot("end-form")
    with page.expect_navigation():
        card.get_by_role("button", name=f"Akhiri status {kecamatan}").click()
    phone.settle()
    assert page.url.endswith("/console/peringatan/status?ok=ended")
    card = page.locator(f'[id="scope-{kode}"]')
    assert card.locator(".ac-mode").inner_text() == "Normal"
    history = page.locator("#riwayat")
    assert "Air sudah surut." in history.inner_text()
    _fits_the_phone(phone)


def test_the_alert_console_pages_meet_the_contrast_minimum(web: Web) -> None:
    web.login("operator", next_path="/console/peringatan/aturan")
    for path in [
        "/console/peringatan/aturan",
        "/console/peringatan/aturan/baru?jenis=threshold",
        "/console/peringatan/aturan/baru?jenis=index_category",
        "/console/peringatan/aturan/baru?jenis=report_spike",
        "/console/peringatan/status",
        "/console/peringatan/webhook",
        "/console/peringatan/umpan",
        "/console/peringatan/baru?lang=en",
    ]:
        web.goto(path)
        _contrast_ok(web)
