"""The masterplan console over HTTP: the plan in force and its versions; a revision drafted,
edited (a refused form keeps what was typed), reviewed by the technical team and adopted by
the mayor with the Perwa number; the comparison page; the programme tree and the programme,
activity and indicator forms (one from a live metric), and who may do what (a PD officer
only reads, the mayor adopts but does not edit)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import monitoring, service, versions
from pontive.masterplan.choices import VersionStatus
from pontive.masterplan.models import Masterplan
from tests.conftest import login
from tests.masterplan.support import TIM, WALIKOTA, indicator, programme

CONSOLE = "/console/masterplan"
HTML = {"Accept": "text/html"}
VISION = "Pontianak kota cerdas yang nyaman, sehat dan berdaya saing di khatulistiwa."
YEAR = utcnow().astimezone(WIB).year


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    login(client, make_user(role, pd_kode=pd).username)


def csrf(client: TestClient) -> str:
    page = client.get("/console/", headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A console form post with the session's CSRF token."""
    return client.post(
        path, data={"csrf_token": csrf(client), **data}, headers=HTML, follow_redirects=False
    )


@pytest.fixture
def plan(session: Session) -> Masterplan:
    """The 2023-2032 masterplan with version 1 adopted (committed)."""
    masterplan = versions.create_masterplan(
        session, actor=TIM, title="Masterplan Smart City Pontianak 2023-2032",
        start_year=2023, end_year=2032,
    )  # fmt: skip
    content = {
        "background": "Pontianak dilintasi Sungai Kapuas dan Sungai Landak.",
        "vision": VISION,
        "missions": ["Layanan publik digital yang terpadu", "Kota tangguh banjir pasang"],
        "strategies": {"governance": "Satu Data Pontianak.", "environment": "Drainase cerdas."},
        "roadmap": [{"year": 2024, "phase": "Fondasi", "items": ["Pusat data kota"]}],
        "quick_wins": [{"title": "Wi-Fi publik di taman", "year": 2023, "pd_kode": "diskominfo"}],
    }
    first = versions.draft_version(session, actor=TIM, masterplan=masterplan, content=content)
    versions.review(session, actor=TIM, version=first)
    versions.adopt(
        session, actor=WALIKOTA, version=first, regulation_number="Perwa Nomor 45 Tahun 2023"
    )
    session.commit()  # a refused form rolls the request's work back, never the test's setup
    return masterplan


def editor_form(page: str) -> dict[str, str]:
    """The fields of the draft editor as shown (inputs and textareas)."""
    fields = dict(re.findall(r'<input type="text"[^>]*name="([^"]+)" value="([^"]*)"', page))
    fields |= dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    return {
        k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
        for k, v in fields.items()
    }


def test_the_plan_in_force_is_shown_to_every_staff_role(
    client: TestClient, make_user: Any, plan: Masterplan
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    page = client.get(CONSOLE, headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert VISION in text
    assert "Perwa Nomor 45 Tahun 2023" in text
    assert "Satu Data Pontianak." in text
    assert 'data-year="2024"' in text
    assert "Pusat data kota" in text
    assert "Wi-Fi publik di taman" in text
    assert 'fill="#1d4e89"' in text  # Smart Governance's colour from the reference list
    assert 'id="new-draft"' not in text  # a PD officer reads only
    assert post(client, f"{CONSOLE}/versi", {}).status_code == 403
    english = client.get(f"{CONSOLE}?lang=en", headers=HTML)
    assert "Strategy per dimension" in english.text


def test_a_revision_is_drafted_reviewed_and_adopted_by_the_mayor(
    client: TestClient, make_user: Any, session: Session, plan: Masterplan
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    assert 'id="new-draft"' in client.get(CONSOLE, headers=HTML).text
    drafted = post(client, f"{CONSOLE}/versi", {"change_note": "Revisi paruh waktu"})
    assert drafted.status_code == 303
    assert drafted.headers["location"] == f"{CONSOLE}/versi/2/ubah?ok=drafted"
    editor = client.get(f"{CONSOLE}/versi/2/ubah", headers=HTML).text
    fields = editor_form(editor)
    assert fields["vision"] == VISION  # a copy of the version in force
    assert fields["rm_year_0"] == "2024"
    assert fields["rm_year_1"] == ""
    fields |= {
        "vision": VISION.replace("nyaman", "hijau"),
        "rm_year_1": "2026",
        "rm_phase_1": "Akselerasi",
        "rm_items_1": "Kota 15 menit\nBus listrik",
        "quick_wins": "Wi-Fi publik di taman | 2023 | Diskominfo\nSensor banjir | 2024 | bpbd",
    }
    saved = post(client, f"{CONSOLE}/versi/2/ubah", fields)
    assert saved.status_code == 303, saved.text
    assert post(client, f"{CONSOLE}/versi/2/telaah", {}).status_code == 303
    version = versions.get_version(session, plan, 2)
    session.refresh(version)
    assert version.status is VersionStatus.REVIEWED
    assert version.content["quick_wins"][0]["pd_kode"] == "diskominfo"  # by abbreviation
    assert [r["year"] for r in version.content["roadmap"]] == [2024, 2026]

    client.cookies.clear()
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(f"{CONSOLE}/versi/2", headers=HTML).text
    assert 'id="adopt-form"' in page
    assert 'id="edit-link"' not in page
    assert post(client, f"{CONSOLE}/versi/2/telaah", {}).status_code == 403
    assert client.get(f"{CONSOLE}/versi/2/ubah", headers=HTML).status_code == 403
    refused = post(client, f"{CONSOLE}/versi/2/tetapkan", {"regulation_number": ""})
    assert refused.status_code == 422
    assert 'id="f-regulation_number-error"' in refused.text
    adopted = post(
        client,
        f"{CONSOLE}/versi/2/tetapkan",
        {"regulation_number": "Peraturan Wali Kota Pontianak Nomor 12 Tahun 2026"},
    )
    assert adopted.status_code == 303
    assert adopted.headers["location"] == f"{CONSOLE}?ok=adopted"
    overview = client.get(f"{CONSOLE}?ok=adopted", headers=HTML).text
    assert VISION.replace("nyaman", "hijau") in overview
    assert "Nomor 12 Tahun 2026" in overview
    assert "Kota 15 menit" in overview
    session.refresh(version)
    assert version.adopted_by is not None
    assert "walikota" in version.adopted_by
    assert versions.get_version(session, plan, 1).status is VersionStatus.SUPERSEDED

    compared = client.get(f"{CONSOLE}/banding?a=1&b=2", headers=HTML).text
    assert "<del>nyaman,</del>" in compared
    assert "<ins>hijau,</ins>" in compared
    assert 'data-kind="added"' in compared
    assert "Bus listrik" in compared
    assert 'id="banding-background" data-changed="no"' in compared


def test_the_editor_refuses_bad_input_and_keeps_what_was_typed(
    client: TestClient, make_user: Any, session: Session, plan: Masterplan
) -> None:
    versions.draft_version(session, actor=TIM, masterplan=plan)
    session.commit()
    sign_in(client, make_user, Role.TIM_TEKNIS)
    fields = editor_form(client.get(f"{CONSOLE}/versi/2/ubah", headers=HTML).text)
    fields |= {"vision": "", "missions": "Misi baru yang diketik", "rm_year_1": "2040",
               "rm_phase_1": "Lanjutan", "rm_items_1": "Kota pintar"}  # fmt: skip
    refused = post(client, f"{CONSOLE}/versi/2/ubah", fields)
    assert refused.status_code == 422
    assert 'id="f-vision-error"' in refused.text
    assert "2023-2032" in refused.text  # the roadmap row's year outside the period
    assert "Misi baru yang diketik" in refused.text
    assert 'value="2040"' in refused.text
    assert versions.get_version(session, plan, 2).content["vision"] == VISION


def test_the_first_masterplan_is_created_for_ten_years(
    client: TestClient, make_user: Any, session: Session
) -> None:
    if versions.current_masterplan(session) is not None:
        pytest.skip("the run's database already holds a masterplan")
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(CONSOLE, headers=HTML)
    assert 'action="/console/masterplan/rencana"' in page.text
    refused = post(client, f"{CONSOLE}/rencana", {"title": "Masterplan", "start_year": "dua"})
    assert refused.status_code == 422
    made = post(
        client,
        f"{CONSOLE}/rencana",
        {"title": "Masterplan Smart City 2025-2034", "start_year": "2025"},
    )
    assert made.status_code == 303
    masterplan = versions.current_masterplan(session)
    assert masterplan is not None
    assert (masterplan.start_year, masterplan.end_year) == (2025, 2034)


def test_the_programme_tree_shows_progress_and_status(
    client: TestClient, make_user: Any, session: Session
) -> None:
    owner = programme(session, "LIV-91", prioritas_kode="living.b", start_year=YEAR - 1)
    measure = indicator(session, "LIV-91.I1", owner=owner, targets={YEAR: 80.0})
    entry = monitoring.report_value(
        session, actor=TIM, indicator=measure, period_date=date(YEAR, 1, 1), value=60.0
    )
    monitoring.review(session, actor=TIM, entry=entry, approve=True)
    session.commit()
    sign_in(client, make_user, Role.PETUGAS_PD, "dishub")
    page = client.get(f"{CONSOLE}/program?tahun={YEAR}", headers=HTML)
    assert page.status_code == 200
    text = page.text
    for code in ("governance", "branding", "economy", "living", "society", "environment"):
        assert f'id="dimensi-{code}"' in text
    row = text.split('data-indicator="LIV-91.I1"', 1)[1].split("</tr>", 1)[0]
    assert "60" in row
    assert "80" in row
    assert 'data-rag="red"' in row  # 60 of 80 = 75 %, below amber at 80 %
    assert 'id="new-programme"' not in text
    assert client.get(f"{CONSOLE}/program/baru", headers=HTML).status_code == 403
    assert post(client, f"{CONSOLE}/program/baru", {"code": "X"}).status_code == 403
    shown = client.get(f"{CONSOLE}/program/LIV-91", headers=HTML)
    assert shown.status_code == 200
    assert "LIV-91.I1" in shown.text
    assert client.get(f"{CONSOLE}/indikator/LIV-91.I1", headers=HTML).status_code == 200


def programme_fields(**overrides: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": "ENV-91",
        "name": "Drainase cerdas kawasan rawan banjir pasang",
        "dimensi_kode": "environment",
        "prioritas_kode": "environment.a",
        "pd_kode": "pupr",
        "start_year": "2024",
        "end_year": "2028",
        "weight": "1,5",
        "kelurahan_kodes": ["61.71.02.1001"],
        "dataset_names": "titik-genangan\nmuka-air-sungai",
        "idea_refs": "Musrenbang 2024/017",
        "is_quick_win": "1",
    }
    values.update(overrides)
    return values


def test_programmes_activities_and_indicators_are_created_through_forms(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    kelurahan = re.findall(
        r'name="kelurahan_kodes" value="([^"]+)"',
        client.get(f"{CONSOLE}/program/baru", headers=HTML).text,
    )
    assert kelurahan
    wrong = programme_fields(
        prioritas_kode="governance.a", start_year="20x4", kelurahan_kodes=[kelurahan[0]]
    )
    refused = post(client, f"{CONSOLE}/program/baru", wrong)
    assert refused.status_code == 422
    assert 'id="f-prioritas_kode-error"' in refused.text
    assert 'id="f-start_year-error"' in refused.text
    assert "Drainase cerdas kawasan rawan banjir pasang" in refused.text  # kept
    assert f'value="{kelurahan[0]}" checked' in refused.text
    made = post(client, f"{CONSOLE}/program/baru", programme_fields(kelurahan_kodes=[kelurahan[0]]))
    assert made.status_code == 303
    assert made.headers["location"] == f"{CONSOLE}/program/ENV-91?ok=programme_saved"
    saved = service.get_programme(session, "ENV-91")
    assert (saved.weight, saved.is_quick_win, saved.kelurahan_kodes) == (1.5, True, [kelurahan[0]])
    assert saved.dataset_names == ["titik-genangan", "muka-air-sungai"]

    activity = {"code": "ENV-91.01", "name": "Pompa dan pintu air otomatis", "pd_kode": "pupr",
                "start_year": "2024", "end_year": "2026", "weight": "2"}  # fmt: skip
    assert post(client, f"{CONSOLE}/program/ENV-91/kegiatan/baru", activity).status_code == 303

    # An indicator of the activity from a live metric: prefilled, then saved.
    form = client.get(
        f"{CONSOLE}/program/ENV-91/indikator/baru?kegiatan=ENV-91.01&metrik=sensor_uptime",
        headers=HTML,
    ).text
    assert 'value="Stasiun sensor yang aktif"' in form
    assert '<option value="live" selected>' in form
    assert '<option value="sensor_uptime" selected>' in form
    fields = {
        "kegiatan": "ENV-91.01", "code": "ENV-91.01.I1", "name_id": "Stasiun sensor yang aktif",
        "unit": "%", "direction": "higher", "pd_kode": "bpbd", "weight": "1",
        "green_at": "100", "amber_at": "80", "source_kind": "live", "live_metric": "sensor_uptime",
        "target_2024": "90", "target_2025": "92,5", "target_2026": "abc", "frekuensi": "harian",
    }  # fmt: skip
    refused = post(client, f"{CONSOLE}/program/ENV-91/indikator/baru", fields)
    assert refused.status_code == 422
    assert 'id="f-target_2026-error"' in refused.text
    made = post(client, f"{CONSOLE}/program/ENV-91/indikator/baru", fields | {"target_2026": "95"})
    assert made.status_code == 303, made.text
    saved_indicator = service.get_indicator(session, "ENV-91.01.I1")
    assert saved_indicator.activity_id is not None
    assert {t.year: t.value for t in saved_indicator.targets} == {
        2024: 90.0,
        2025: 92.5,
        2026: 95.0,
    }
    assert (saved_indicator.green_at, saved_indicator.amber_at) == (1.0, 0.8)
    page = client.get(f"{CONSOLE}/indikator/ENV-91.01.I1", headers=HTML).text
    assert "Stasiun sensor yang aktif" in page
    assert "Pontive: SensorThings" in page

    # A dataset source needs its resource and column.
    dataset = fields | {
        "code": "ENV-91.I2",
        "source_kind": "dataset",
        "target_2026": "95",
        "kegiatan": "",
    }
    refused = post(client, f"{CONSOLE}/program/ENV-91/indikator/baru", dataset)
    assert refused.status_code == 422
    assert 'id="f-source_params-error"' in refused.text
    dataset |= {"resource_id": "b5c1", "column": "luas_genangan", "aggregate": "sum"}
    assert post(client, f"{CONSOLE}/program/ENV-91/indikator/baru", dataset).status_code == 303
    assert service.get_indicator(session, "ENV-91.I2").source_params == {
        "resource_id": "b5c1", "column": "luas_genangan", "aggregate": "sum"
    }  # fmt: skip
