"""Signing in as each role through the real form, and what the staff console then allows."""

from __future__ import annotations

import pytest

from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.web.navigation import console_links
from tests.web.conftest import Web

pytestmark = pytest.mark.browser

AUDIT, USERS, REFERENCE = "/console/audit", "/console/pengguna", "/console/referensi"
# (demo username, role, the foundation cards it must see) — permissions.py: AUDIT_VIEW and
# USERS_VIEW for admin and tim_teknis; CONSOLE_VIEW (reference) for every staff role.
STAFF = [
    ("admin", Role.ADMIN, {AUDIT, USERS, REFERENCE}),
    ("timteknis", Role.TIM_TEKNIS, {AUDIT, USERS, REFERENCE}),
    ("operator", Role.OPERATOR, {REFERENCE}),
    ("petugas.pupr", Role.PETUGAS_PD, {REFERENCE}),
    ("dewan", Role.DEWAN, {REFERENCE}),
    ("walikota", Role.WALIKOTA, {REFERENCE}),
]
FOUNDATION = {AUDIT, USERS, REFERENCE}


@pytest.mark.parametrize(("username", "role", "cards"), STAFF, ids=[s[0] for s in STAFF])
def test_staff_sign_in_lands_on_the_console_with_their_role_cards(
    web: Web, username: str, role: Role, cards: set[str]
) -> None:
    web.login(username)
    page = web.page
    assert page.url == web.url("/console/")
    badge = page.locator(".console-bar .role-badge")
    assert badge.is_visible()
    assert badge.get_attribute("data-role") == role.value
    assert badge.inner_text().startswith(role.label("id"))
    shown = {
        href
        for href in page.locator(".card-grid .card-link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    }
    assert shown & FOUNDATION == cards
    # Cards that domains add later follow the same permission table.
    assert shown == {link.href for link in console_links(Actor(ActorKind.USER, role))}
    assert page.get_by_role("navigation").get_by_role("link", name="Konsol Staf").is_visible()


@pytest.mark.parametrize(("username", "role", "cards"), STAFF, ids=[s[0] for s in STAFF])
def test_every_console_card_opens_its_page(
    web: Web, username: str, role: Role, cards: set[str]
) -> None:
    web.login(username)
    for href in sorted(cards):
        web.goto(href)
        assert web.page.locator(".console-bar .role-badge").get_attribute("data-role") == (
            role.value
        )
        assert web.page.get_by_role("heading", level=1).is_visible()


def test_citizen_is_refused_the_console_in_bahasa_indonesia(web: Web) -> None:
    web.login("warga")
    assert web.page.url == web.url("/")
    assert web.page.get_by_role("link", name="Konsol Staf").count() == 0
    web.goto("/console/", status=403)
    assert web.page.locator("html").get_attribute("lang") == "id"
    assert web.page.get_by_role("heading", level=1).inner_text().startswith("Anda tidak berwenang")
    assert web.page.locator(".error-code").inner_text() == "403"


@pytest.mark.parametrize("username", ["petugas.pupr", "operator"])
@pytest.mark.parametrize("path", [AUDIT, USERS])
def test_officers_are_refused_audit_and_user_pages(web: Web, username: str, path: str) -> None:
    web.login(username)
    web.goto(path, status=403)
    assert web.page.get_by_role("heading", level=1).inner_text().startswith("Anda tidak berwenang")
    assert web.page.locator(".error-code").inner_text() == "403"


def test_anonymous_visitor_is_sent_to_sign_in_and_then_back_to_the_console(web: Web) -> None:
    web.goto("/console/")
    page = web.page
    assert page.url == web.url("/masuk?next=/console/")
    page.get_by_label("Nama pengguna").fill("operator")
    page.get_by_label("Kata sandi").fill("pontive-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk", exact=True).click()
    web.settle()
    assert page.url == web.url("/console/")


def test_wrong_password_shows_the_error_and_keeps_the_username(web: Web) -> None:
    web.expect_error_status("/masuk")
    web.login("dewan", "bukan-kata-sandinya")
    page = web.page
    assert page.url == web.url("/masuk")
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    assert page.get_by_label("Nama pengguna").input_value() == "dewan"
    assert page.get_by_label("Kata sandi").input_value() == ""


def test_logout_closes_the_console(web: Web) -> None:
    web.login("admin")
    page = web.page
    assert page.locator("form.logout-form input[name=csrf_token]").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").click()
    web.settle()
    assert page.url == web.url("/")
    assert page.get_by_role("link", name="Masuk", exact=True).is_visible()
    web.goto("/console/")
    assert page.url == web.url("/masuk?next=/console/")


def test_audit_chain_verification_reports_an_intact_chain(web: Web) -> None:
    web.login("admin")
    web.goto(AUDIT)
    page = web.page
    assert page.locator(".data-table tbody tr").count() >= 1
    with page.expect_navigation():
        page.get_by_role("button", name="Verifikasi rantai").click()
    web.settle()
    status = page.get_by_role("status")
    assert status.inner_text().startswith("Rantai audit utuh:")
    assert "catatan diperiksa" in status.inner_text()


def test_reference_page_draws_the_map_for_staff(web: Web) -> None:
    web.login("dewan")
    web.goto(REFERENCE)
    page = web.page
    page.wait_for_selector("#reference-map[data-ready]")
    assert page.locator("#reference-map").get_attribute("data-ready") == "true"
    assert page.locator("#reference-map").get_attribute("data-features") == "29"
    web.screenshot("reference-map")
