"""The assessment's own console pages through the real app: the checklist form saved in
part and the score shown, completion, the report download, copying a template, a system's
history and the follow-up dashboard; who may post what."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import Answer, AssessmentStatus
from pontive.assets.assessment_models import AssessmentTemplate
from pontive.assets.assessment_pages import ASSESSMENT_PATH, TEMPLATE_PATH
from pontive.assets.assessment_panels import FOLLOW_UP_PATH
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    TEMPLATES,
    answers_of,
    complete,
    template_items,
)
from pontive.core.registry import area_of, get
from pontive.core.roles import Role
from tests.assets.assessment_support import (
    TEAM,
    answer_all,
    default_template,
    make_assessment,
    make_finding,
    make_system,
)
from tests.conftest import login

ASSESS = "/console/aset/penilaian"


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the signed-in session, read from a page with a form."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_the_checklist_saves_in_part_shows_the_score_and_offers_findings(
    client: TestClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    ids = {i.code: i.id for i in template_items(session, assessment.template_id)}
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = f"{ASSESS}/{assessment.id}"
    token = csrf(client, page)
    saved = client.post(
        f"{page}/jawaban",
        data={
            "csrf_token": token,
            f"answer_{ids['KR-01']}": "memenuhi",
            f"evidence_{ids['KR-01']}": "Daftar akun 2026",
            f"answer_{ids['KR-02']}": "tidak_memenuhi",
            f"note_{ids['KR-02']}": "Akun sa masih aktif",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{page}?ok=saved#daftar-periksa"
    assert assessment.score == round(100 * 4 / 9, 1)
    assert assessment.status is AssessmentStatus.BERLANGSUNG
    shown = client.get(page)
    assert 'id="asm-score-value">44,4<' in shown.text
    assert "2 dari 35 butir terjawab" in shown.text
    # the unmet item offers a finding, pre-filled for the generic new-row page
    offer = shown.text.split('class="btn btn-light mp-btn-small asm-new-finding" href="', 1)[1]
    href = offer.split('"', 1)[0].replace("&amp;", "&")
    assert href.startswith("/console/aset/temuan-penilaian/baru?")
    assert f"assessment_id={assessment.id}" in href
    assert "item_code=KR-02" in href
    assert "area=kerahasiaan" in href
    assert "owner_pd=diskominfo" in href
    assert "severity=tinggi" in href
    assert "description=Akun+sa+masih+aktif" in href
    assert client.get(href).status_code == 200


def test_an_answer_without_a_choice_is_refused(
    client: TestClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    item = template_items(session, assessment.template_id)[0]
    login(client, make_user(Role.TIM_TEKNIS).username)
    token = csrf(client, f"{ASSESS}/{assessment.id}")
    refused = client.post(
        f"{ASSESS}/{assessment.id}/jawaban",
        data={"csrf_token": token, f"note_{item.id}": "Catatan tanpa jawaban"},
    )
    assert refused.status_code == 422
    assert "pilih jawabannya dulu" in refused.text
    assert answers_of(session, assessment.id) == {}


def test_completing_from_the_page_freezes_the_checklist(
    client: TestClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    answer_all(session, assessment)
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = f"{ASSESS}/{assessment.id}"
    token = csrf(client, page)
    done = client.post(f"{page}/selesaikan", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert assessment.status is AssessmentStatus.SELESAI
    shown = client.get(page)
    assert 'id="asm-frozen"' in shown.text
    assert 'id="asm-save"' not in shown.text
    again = client.post(f"{page}/jawaban", data={"csrf_token": token})
    assert again.status_code == 409


def test_the_report_downloads_as_pdf(client: TestClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_system(session))
    login(client, make_user(Role.DEWAN).username)  # every staff role reads reports
    report = client.get(f"{ASSESS}/{assessment.id}/laporan.pdf")
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")
    assert report.headers["cache-control"] == "private, no-store"


def test_only_the_technical_team_posts_answers(
    client: TestClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    item = template_items(session, assessment.template_id)[0]
    login(client, make_user(Role.PETUGAS_PD, pd_kode="diskominfo").username)
    page = f"{ASSESS}/{assessment.id}"
    token = csrf(client, page)
    shown = client.get(page)
    assert 'id="asm-save"' not in shown.text  # read only for them
    refused = client.post(
        f"{page}/jawaban", data={"csrf_token": token, f"answer_{item.id}": "memenuhi"}
    )
    assert refused.status_code == 403
    assert client.post(f"{page}/selesaikan", data={"csrf_token": token}).status_code == 403
    assert answers_of(session, assessment.id) == {}


def test_a_template_is_copied_as_a_new_version_from_its_page(
    client: TestClient, session: Session, make_user: Any
) -> None:
    template = default_template(session)
    login(client, make_user(Role.TIM_TEKNIS).username)
    form = client.get(f"/console/aset/templat-penilaian/{template.id}/salin")
    assert form.status_code == 200
    assert 'value="PONTIVE-SI-2"' in form.text
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    clash = client.post(
        f"/console/aset/templat-penilaian/{template.id}/salin",
        data={"csrf_token": token, "code": template.code, "version": "2", "name": "Salinan"},
    )
    assert clash.status_code == 422
    assert "Sudah dipakai oleh baris lain." in clash.text
    made = client.post(
        f"/console/aset/templat-penilaian/{template.id}/salin",
        data={"csrf_token": token, "code": "PONTIVE-SI-2", "version": "2", "name": "Versi 2"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    copy = session.scalar(
        select(AssessmentTemplate).where(AssessmentTemplate.code == "PONTIVE-SI-2")
    )
    assert copy is not None
    assert copy.name == "Versi 2"
    assert template.active
    assert made.headers["location"] == f"/console/aset/templat-penilaian/{copy.id}?ok=created"
    assert len(template_items(session, copy.id)) == len(template_items(session, template.id))


def test_a_system_page_lists_its_assessments_and_trend(
    client: TestClient, session: Session, make_user: Any
) -> None:
    system = make_system(session, name="SI Uji Riwayat")
    first = make_assessment(session, system, assessed_on="2025-05-01", title="Penilaian pertama")
    answer_all(session, first, {"KR-02": Answer.TIDAK_MEMENUHI})
    complete(session, TEAM, first)
    second = make_assessment(session, system, assessed_on="2026-10-01", title="Penilaian kedua")
    answer_all(session, second)
    make_finding(session, second, title="Temuan terbuka uji", due_on="2020-01-01")
    login(client, make_user(Role.WALIKOTA).username)
    page = client.get(f"/console/aset/penilaian-sistem/{system.id}")
    assert page.status_code == 200
    assert "Penilaian SI Uji Riwayat" in page.text
    assert page.text.index("Penilaian kedua") < page.text.index("Penilaian pertama")
    assert page.text.count('class="asm-trend-bar"') == 2
    assert "Temuan terbuka uji" in page.text
    assert "lewat tenggat" in page.text
    assert 'id="asm-new-assessment"' not in page.text  # the mayor reads, does not assess
    assert client.get("/console/aset/penilaian-sistem/999999").status_code == 404


def test_the_follow_up_dashboard_puts_overdue_findings_first(
    client: TestClient, session: Session, make_user: Any
) -> None:
    assessed = make_system(session, name="SI Sudah Dinilai")
    never = make_system(session, name="SI Belum Pernah Dinilai")
    assessment = make_assessment(session, assessed)
    later = make_finding(session, assessment, title="Temuan belum jatuh tempo", due_on="2099-01-01")
    late = make_finding(
        session, assessment, title="Temuan lewat tenggat", due_on="2020-01-01", owner_pd="dlh"
    )
    make_finding(
        session, assessment, title="Temuan tuntas", status="selesai", closed_on="2020-02-01"
    )
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = client.get("/console/aset/penilaian-tindak-lanjut")
    assert page.status_code == 200
    text = page.text
    assert f'<tr data-id="{late.id}" class="asm-overdue">' in text
    assert f'<tr data-id="{later.id}">' in text
    assert text.index("Temuan lewat tenggat") < text.index("Temuan belum jatuh tempo")
    assert "Temuan tuntas" not in text
    never_list = text.split('id="asm-never-list"', 1)[1].split("</ul>", 1)[0]
    assert "SI Belum Pernah Dinilai" in never_list
    assert "SI Sudah Dinilai" in never_list  # its assessment is not completed yet
    assert f"/console/aset/penilaian-sistem/{never.id}" in never_list
    owners = text.split('id="asm-by-owner"', 1)[1].split("</table>", 1)[0]
    assert 'data-owner="dlh"' in owners
    english = client.get("/console/aset/penilaian-tindak-lanjut", params={"lang": "en"})
    assert "Assessment follow-up" in english.text


def test_the_pages_need_a_staff_role(client: TestClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_system(session))
    login(client, make_user(Role.WARGA).username)
    for path in (
        f"{ASSESS}/{assessment.id}/laporan.pdf",
        "/console/aset/penilaian-tindak-lanjut",
        f"/console/aset/penilaian-sistem/{assessment.system_id}",
    ):
        assert client.get(path).status_code == 403, path


def test_the_pages_live_beside_the_registries_they_serve() -> None:
    assert get(ASSESSMENTS).path == ASSESSMENT_PATH == ASSESS
    assert get(TEMPLATES).path == TEMPLATE_PATH
    assert FOLLOW_UP_PATH.startswith(area_of(get(ASSESSMENTS)).path)  # type: ignore[union-attr]
