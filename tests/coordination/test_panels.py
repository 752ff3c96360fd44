"""Coordination on other domains' staff pages: a PD's tasks beside its complaint queue, and
the incidents of a report, a camera or an alert with "open an incident from it"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.cctv import service as cctv
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import from_alerts, links
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.alerts.cap_support import make_alert
from tests.cctv.support import camera_input
from tests.conftest import login
from tests.coordination.support import LAT, LON, OPERATOR, make_task, open_incident

HTML = {"Accept": "text/html"}


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    login(client, make_user(role, pd_kode=pd).username)


def test_an_officer_finds_its_agencys_tasks_beside_its_complaint_queue(
    client: TestClient, session: Session, make_user: Any
) -> None:
    mine = make_task(session, pd_kode="pupr", due_at=utcnow() + timedelta(hours=2))
    theirs = make_task(session, pd_kode="bpbd", title="Siagakan perahu karet di posko")
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    page = client.get("/console/pengaduan", headers=HTML)
    assert page.status_code == 200
    assert mine.code in page.text
    assert theirs.code not in page.text
    assert 'id="tugas-pd"' in page.text


def test_the_operators_queue_has_no_agency_panel(
    client: TestClient, session: Session, make_user: Any
) -> None:
    make_task(session, pd_kode="pupr")
    sign_in(client, make_user, Role.OPERATOR)
    assert 'id="tugas-pd"' not in client.get("/console/pengaduan", headers=HTML).text


def test_a_report_page_offers_an_incident_and_then_names_it(
    client: TestClient, session: Session, make_user: Any, media: MediaStore
) -> None:
    report = create_complaint(
        session=session,
        actor=ANONYMOUS,
        media=media,
        data=ComplaintCreate(
            category_code="banjir-genangan",
            lon=LON,
            lat=LAT,
            description="Air masuk rumah setinggi lutut di gang kami.",
        ),
    ).complaint
    sign_in(client, make_user, Role.OPERATOR)
    desk = client.get(f"/console/pengaduan/{report.tracking_number}", headers=HTML).text
    assert f"/console/koordinasi/baru?sumber=complaints&amp;ref={report.tracking_number}" in desk
    incident = open_incident(session)
    links.link_item(
        session,
        actor=OPERATOR,
        incident=incident,
        item_type="complaint",
        ref=report.tracking_number,
    )
    desk = client.get(f"/console/pengaduan/{report.tracking_number}", headers=HTML).text
    assert f'href="/console/koordinasi/{incident.code}"' in desk


def test_camera_and_alert_pages_show_their_incidents(
    client: TestClient, session: Session, make_user: Any
) -> None:
    camera = cctv.register_camera(session=session, actor=OPERATOR, data=camera_input())
    now = utcnow()
    alert = make_alert(session, sent_at=now, expires_at=now + timedelta(hours=2))
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"/console/cctv/{camera.code}", headers=HTML).text
    assert f"sumber=camera&amp;ref={camera.code}" in page
    alert_page = client.get(f"/console/peringatan/{alert.id}", headers=HTML)
    assert alert_page.status_code == 200, alert_page.text[:300]
    assert f"sumber=alert&amp;ref={alert.identifier}" in alert_page.text
    incident = from_alerts.open_from_alert(session, actor=OPERATOR, alert=alert)
    assert incident is not None
    alert_page = client.get(f"/console/peringatan/{alert.id}", headers=HTML).text
    assert f'href="/console/koordinasi/{incident.code}"' in alert_page
    assert "sumber=alert" not in alert_page  # one incident per alert thread
