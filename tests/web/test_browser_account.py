"""Two-step verification in a real browser: a staff member enrols from the console's Account
page, signs out, signs in with password and code, then once with a recovery code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pontive.core import auth, totp
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.web.conftest import LiveServer, Web

pytestmark = pytest.mark.browser

USERNAME = "staf.duafaktor"
PASSWORD = "sungai-kapuas-1771"
STEP = timedelta(seconds=totp.STEP_SECONDS)


@pytest.fixture
def staff_member(live_server: LiveServer) -> str:
    """An operator of our own on the shared live server (the demo accounts stay as they
    are for the other browser tests)."""
    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            auth.create_user(
                session=session,
                actor=system_actor("test"),
                username=USERNAME,
                password=PASSWORD,
                role=Role.OPERATOR,
                full_name="Staf Uji Dua Faktor",
            )
    finally:
        database.dispose()
    return USERNAME


def _sign_in_with_code(web: Web, code: str) -> None:
    web.login(USERNAME, PASSWORD, next_path="/console/akun")
    assert web.page.url.startswith(web.url("/masuk/verifikasi"))
    assert web.page.get_by_role("heading", level=1).inner_text() == "Verifikasi dua langkah"
    web.page.get_by_label("Kode verifikasi").fill(code)
    with web.page.expect_navigation():
        web.page.get_by_role("button", name="Verifikasi").click()
    web.settle()


def _sign_out(web: Web) -> None:
    with web.page.expect_navigation():
        web.page.get_by_role("button", name="Keluar", exact=True).click()
    web.settle(shot=False)


def test_enrol_sign_in_with_a_code_then_with_a_recovery_code(web: Web, staff_member: str) -> None:
    page = web.page
    web.login(staff_member, PASSWORD)
    page.get_by_role("link", name="Akun Saya").click()
    web.settle()
    assert page.get_by_text("Belum aktif").is_visible()
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    web.settle()
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    assert secret
    assert page.locator("#totp-secret").inner_text().replace(" ", "") == secret
    assert page.locator("#totp-uri").input_value().startswith("otpauth://totp/")
    now = utcnow()
    page.get_by_label("Kode dari aplikasi autentikator").fill(totp.code_at(secret, now))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan", exact=True).click()
    web.settle()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == totp.RECOVERY_CODE_COUNT
    page.get_by_role("link", name="Sudah saya simpan").click()
    web.settle()
    assert page.get_by_text("Aktif", exact=True).is_visible()

    _sign_out(web)
    # The next time step's code: accepted (one step of drift) and newer than the enrolment's.
    _sign_in_with_code(web, totp.code_at(secret, now + STEP))
    assert page.url == web.url("/console/akun")
    assert page.locator(".who").inner_text() == staff_member

    _sign_out(web)
    _sign_in_with_code(web, codes[0])
    assert page.url == web.url("/console/akun")
    assert page.get_by_text(f"Kode pemulihan tersisa: {totp.RECOVERY_CODE_COUNT - 1}.").is_visible()

    _sign_out(web)
    web.expected_error_urls.add(web.url("/masuk/verifikasi"))
    _sign_in_with_code(web, codes[0])  # used once already
    assert page.get_by_role("alert").inner_text() == "Kode salah, kedaluwarsa, atau sudah dipakai."
    assert page.url == web.url("/masuk/verifikasi")
