"""The council's public page (``/dewan-smart-city``) shows members by element and position,
duties and recommendations with status and outcome, and never a member's contacts or a
meeting's minutes; the console's follow-up and capacity pages are for staff."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.institutions.models import Recommendation
from tests.conftest import login
from tests.institutions.support import (
    certification,
    coordination_meeting,
    day,
    event,
    meeting,
    member,
    participant,
    partnership,
    recommendation,
    save,
)
from tests.masterplan.support import programme

PUBLIC = "/dewan-smart-city"
FOLLOWUP = "/console/kelembagaan/tindak-lanjut-rekomendasi"
CAPACITY = "/console/kelembagaan/ikhtisar-kapasitas"
SECRETS = (
    "ketua.rahasia@contoh.id",
    "+62 812 9999 0001",
    "Notulen rahasia uji",
    "Peserta Rapat Rahasia",
    "anggota.uji@contoh.id",
)


@pytest.fixture
def council(session: Session) -> dict[str, Any]:
    """A chair, a business member, a member whose term has ended, a meeting with three
    recommendations (done, declined, open and overdue), and a decree."""
    save(
        session,
        "decrees",
        {"number": "188.45/9/HK/2026", "title": "Pembentukan Dewan", "signed_on": day(-400),
         "kind": "dewan"},
    )  # fmt: skip
    member(
        session, "Ketua Uji", element="pemerintah", position="ketua",
        email="ketua.rahasia@contoh.id", phone="+62 812 9999 0001",
    )  # fmt: skip
    member(session, "Pengusaha Uji", element="dunia_usaha", organisation="KADIN Pontianak")
    member(session, "Mantan Anggota", term_starts_on=day(-900), term_ends_on=day(-1))
    held = meeting(session)
    recommendation(
        session, held, "REK-A", status="selesai", outcome="Standar data ditetapkan.", due_on=day(-5)
    )
    recommendation(
        session, held, "REK-B", status="ditolak", outcome="Ditunda ke tahun depan.",
        addressed_to="dishub",
    )  # fmt: skip
    recommendation(session, held, "REK-C", due_on=day(-2), addressed_to="pupr")
    save(session, "technical-team", {"pd_kode": "bkpsdm", "team_position": "koordinator"})
    return {"meeting": held}


def test_the_public_page_shows_the_council_by_element(client: TestClient, council: Any) -> None:
    page = client.get(PUBLIC)
    assert page.status_code == 200
    html = page.text
    assert "Dewan Pontianak Smart City" in html
    assert "188.45/9/HK/2026" in html
    pemerintah = html.split('data-element="pemerintah"', 1)[1].split("</section>", 1)[0]
    assert "Ketua Uji" in pemerintah
    assert "Ketua" in pemerintah
    business = html.split('data-element="dunia_usaha"', 1)[1].split("</section>", 1)[0]
    assert "Pengusaha Uji" in business
    assert "KADIN Pontianak" in business
    assert "Mantan Anggota" not in html  # the term has ended
    # The duties the regulation gives (seeded) and the technical team's agencies.
    assert "rencana strategis penyelenggaraan Pontianak Smart City" in html
    assert "BKPSDM" in html


def test_the_public_page_tracks_recommendations_to_their_outcome(
    client: TestClient, council: Any
) -> None:
    html = client.get(PUBLIC).text
    assert "REK-A" in html
    assert "Standar data ditetapkan." in html
    assert "Ditunda ke tahun depan." in html
    assert 'data-status="ditolak"' in html
    overdue = html.split("REK-C", 1)[1].split("</li>", 1)[0]
    assert "Lewat batas waktu" in overdue
    assert "Belum ada hasil." in overdue
    only_open = client.get(PUBLIC, params={"status": "diajukan"}).text
    assert "REK-C" in only_open
    assert "REK-A" not in only_open
    english = client.get(PUBLIC, params={"lang": "en"}).text
    assert "Pontianak Smart City Council" in english
    assert "Overdue" in english


def test_the_public_page_holds_no_personal_data(client: TestClient, council: Any) -> None:
    html = client.get(PUBLIC).text
    for secret in SECRETS:
        assert secret not in html


def test_the_public_page_is_on_the_home_page(client: TestClient) -> None:
    assert f'href="{PUBLIC}"' in client.get("/").text


def test_anonymous_visitors_share_a_cached_copy(client: TestClient) -> None:
    assert "s-maxage=" in client.get(PUBLIC).headers["Cache-Control"]


def test_staff_follow_recommendations_by_agency(
    client: TestClient, make_user: Any, council: Any
) -> None:
    login(client, make_user(Role.PETUGAS_PD, pd_kode="pupr").username)
    page = client.get(FOLLOWUP)
    assert page.status_code == 200
    row = page.text.split('data-pd="pupr"', 1)[1].split("</tr>", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", "<td" + c).strip() for c in row.split("<td")[1:]]
    assert cells == ["1", "1", "0", "0"]  # open, overdue, done, declined
    only = client.get(FOLLOWUP, params={"pd": "dishub"}).text
    assert "REK-B" in only
    assert "REK-C" not in only


def test_the_capacity_overview_counts_the_year(
    client: TestClient, make_user: Any, session: Session
) -> None:
    held = event(session, starts_on=day(0), ends_on=day(0))
    participant(session, held, "Peserta Satu")
    participant(session, held, "Peserta Dua", attended="tidak", passed="tidak")
    certification(session, expires_on=day(20))
    partnership(session)
    login(client, make_user(Role.DEWAN).username)
    html = client.get(CAPACITY).text
    assert 'id="trained">1<' in html
    assert 'id="certifications">1<' in html
    assert 'id="partnerships">1<' in html
    assert "inst_civil_servants_trained" in html
    assert "Wi-Fi publik taman kota" in html  # ends within 90 days


@pytest.mark.parametrize("path", [FOLLOWUP, CAPACITY])
def test_citizens_cannot_open_the_console_pages(
    client: TestClient, make_user: Any, path: str
) -> None:
    assert client.get(path, follow_redirects=False).status_code in (302, 303, 401)
    login(client, make_user(Role.WARGA).username)
    assert client.get(path).status_code == 403


def test_a_meeting_page_shows_its_coordination_meeting_and_follow_up(
    client: TestClient, make_user: Any, session: Session
) -> None:
    held_as = coordination_meeting(session)
    held = meeting(session, coordination_code=held_as.code)
    programme(session, "LIV-01")
    recommendation(session, held, "REK-P", programme_code="LIV-01", due_on=day(-1))
    recommendation(session, held, "REK-Q", status="selesai", outcome="Dipakai lima PD.")
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = client.get(f"/console/kelembagaan/rapat-dewan/{held.id}").text
    panel = page.split('id="council-meeting-panel"', 1)[1].split("</section>", 1)[0]
    assert f'href="/console/koordinasi/rapat/{held_as.code}"' in panel
    counts = re.findall(r'data-status="(\w+)">.*?<strong>(\d+)</strong>', panel)
    assert counts == [
        ("diajukan", "1"),
        ("ditindaklanjuti", "0"),
        ("selesai", "1"),
        ("ditolak", "0"),
    ]
    overdue = panel.split('id="meeting-overdue"', 1)[1]
    assert "REK-P" in overdue
    assert "REK-Q" not in overdue
    # The registry page lists the recommendations under the meeting, outcome included.
    assert "Dipakai lima PD." in page
    made = session.scalar(select(Recommendation).where(Recommendation.number == "REK-P"))
    assert made is not None
    rec = client.get(f"/console/kelembagaan/rekomendasi/{made.id}")
    tracking = rec.text.split('id="recommendation-panel"', 1)[1].split("</section>", 1)[0]
    assert 'href="/console/masterplan/program/LIV-01"' in tracking
    assert "Lewat 1 hari" in tracking


def test_a_coordination_meeting_an_officer_cannot_open_is_named_not_linked(
    client: TestClient, make_user: Any, session: Session
) -> None:
    held_as = coordination_meeting(session)  # Diskominfo attends, DLH does not
    held = meeting(session, coordination_code=held_as.code)
    login(client, make_user(Role.PETUGAS_PD, pd_kode="dlh").username)
    page = client.get(f"/console/kelembagaan/rapat-dewan/{held.id}").text
    line = page.split('id="coordination-link"', 1)[1].split("</p>", 1)[0]
    assert held_as.code in line
    assert "href=" not in line


def test_a_council_member_sees_the_meeting_without_the_add_button(
    client: TestClient, make_user: Any, session: Session
) -> None:
    held = meeting(session)
    login(client, make_user(Role.DEWAN).username)
    page = client.get(f"/console/kelembagaan/rapat-dewan/{held.id}")
    assert page.status_code == 200
    assert "Tambah rekomendasi" not in page.text
