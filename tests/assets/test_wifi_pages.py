"""The public Wi-Fi page (the list under the map is the whole page without JavaScript), its
filters and languages, its place on the home page; the console's reports panel and the
staff's "back to aktif"."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus
from pontive.assets.wifi_registries import HOTSPOTS
from pontive.assets.wifi_service import hotspot_panel
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB
from pontive.web.i18n import translate
from pontive.web.templating import templates
from tests.assets.test_wifi_support import MakeUser, actor, file_report, make_hotspot, status_of
from tests.conftest import login

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _item(page: str, code: str) -> str:
    found = re.search(rf'<li class="wifi-item" id="hotspot-{code}".*?</li>', page, re.S)
    assert found, f"{code} is not listed"
    return found.group(0)


def test_the_page_lists_every_existing_hotspot_with_its_report_link(
    session: Session, client: TestClient
) -> None:
    working = make_hotspot(session, name="Taman Alun Kapuas", ssid="PTK-Gratis", hours="24 jam")
    broken = make_hotspot(session, status="gangguan")
    off = make_hotspot(session, status="nonaktif")
    planned = make_hotspot(session, status="direncanakan", name="Taman Rencana Uji")
    page = client.get("/wifi")
    assert page.status_code == 200
    assert page.headers["cache-control"].startswith("public")  # shared with anonymous visitors
    item = _item(page.text, working.code)
    for text in ("Taman Alun Kapuas", "PTK-Gratis", "24 jam", "Aktif", "Pemerintah Kota"):
        assert text in item
    assert f'href="/wifi/{working.code}/lapor"' in item
    assert "Gangguan" in _item(page.text, broken.code)
    assert "/lapor" not in _item(page.text, off.code)  # switched off: nothing to report
    assert planned.code not in page.text
    assert "Taman Rencana Uji" not in page.text
    for secret in ("Rudi Rahasia", "0812-9999-0001", "Catatan internal uji"):
        assert secret not in page.text
    assert 'data-points="/api/v1/assets/wifi.geojson?lang=id"' in page.text
    assert "<noscript>" in page.text


def test_the_page_filters_by_kecamatan_and_provider(session: Session, client: TestClient) -> None:
    city = make_hotspot(session)
    partner = make_hotspot(session, provider_kind="perguruan_tinggi", provider_name="Kampus Uji")
    page = client.get("/wifi?penyedia=perguruan_tinggi")
    assert partner.code in page.text
    assert city.code not in page.text
    assert "penyedia=perguruan_tinggi" in page.text  # the map draws the same selection
    south = client.get("/wifi?kecamatan=61.71.01")  # Pontianak Selatan: Jl. Gajah Mada
    assert city.code in south.text
    north = client.get("/wifi?kecamatan=61.71.04")
    assert city.code not in north.text
    odd = client.get("/wifi?kecamatan=bukan&penyedia=bukan")
    assert odd.status_code == 200
    assert city.code in odd.text


def test_the_page_speaks_english(session: Session, client: TestClient) -> None:
    hotspot = make_hotspot(session)
    page = client.get("/wifi?lang=en")
    assert "Free public Wi-Fi" in page.text
    assert "Not working? Report it" in _item(page.text, hotspot.code)
    assert f'href="/wifi/{hotspot.code}/lapor?lang=en"' in page.text
    form = client.get(f"/wifi/{hotspot.code}/lapor?lang=en")
    assert "Report Wi-Fi not working" in form.text
    assert "No signal" in form.text


def test_the_home_page_links_the_wifi_map_and_the_technology_list(client: TestClient) -> None:
    home = client.get("/")
    assert 'href="/wifi"' in home.text
    assert 'href="/teknologi-mitra"' in home.text


def test_the_panel_lists_reports_and_offers_the_restore(
    session: Session, media: MediaStore
) -> None:
    hotspot = make_hotspot(session, status="gangguan")
    receipt = file_report(session, media, hotspot)
    panel = hotspot_panel(session, actor(Role.TIM_TEKNIS), hotspot)
    assert [r["tracking_number"] for r in panel["reports"]] == [receipt.complaint.tracking_number]
    assert panel["reports"][0]["is_open"] is True
    assert panel["can_restore"] is True
    assert panel["restore_url"] == f"{HOTSPOTS.path}/{hotspot.id}/pulihkan"
    assert hotspot_panel(session, actor(Role.DEWAN), hotspot)["can_restore"] is False
    other_pd = actor(Role.PETUGAS_PD, "dlh")
    assert hotspot_panel(session, other_pd, hotspot)["can_restore"] is False
    html = templates.env.get_template("assets/wifi_panel.html").render(
        panel=panel,
        lang="en",
        t=lambda key, **values: translate(key, "en", **values),
        csrf_token="token-uji",
        zone=WIB,
    )
    assert receipt.complaint.tracking_number in html
    assert "No signal" in html
    assert "Received" in html
    assert f'action="{HOTSPOTS.path}/{hotspot.id}/pulihkan"' in html
    assert "Restore status: aktif" in html
    assert 'value="token-uji"' in html


def test_staff_turn_a_hotspot_back_to_aktif(
    session: Session, client: TestClient, make_user: MakeUser
) -> None:
    hotspot = make_hotspot(session, status="gangguan")
    hotspot.status_by_reports = True
    session.commit()
    user = make_user(Role.DEWAN)
    login(client, user.username)
    token = CSRF.search(client.get("/").text)
    assert token
    path = f"{HOTSPOTS.path}/{hotspot.id}/pulihkan"
    refused = client.post(path, data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert refused.status_code == 403
    assert status_of(hotspot) is HotspotStatus.GANGGUAN
    client.post("/keluar", data={"csrf_token": token.group(1)})
    officer = make_user(Role.PETUGAS_PD, pd_kode="diskominfo")
    login(client, officer.username)
    token = CSRF.search(client.get("/").text)
    assert token
    done = client.post(path, data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"{HOTSPOTS.path}/{hotspot.id}"
    session.refresh(hotspot)
    assert status_of(hotspot) is HotspotStatus.AKTIF
    assert hotspot.status_by_reports is False
