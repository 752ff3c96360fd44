"""The public incident reports over HTTP (``/insiden``): only published reports appear, a
report's page and its PDF name agencies and never people, cameras or reporters, the pages
are shared with anonymous visitors, and both languages read."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from pontive.cctv import service as cctv
from pontive.complaints import workflow
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import links, meetings, pages_public, reports, service, tasks
from pontive.coordination.choices import EntryKind
from pontive.coordination.models import Incident
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.cctv.support import camera_input
from tests.coordination.support import OPERATOR, PUPR, open_incident

HTML = {"Accept": "text/html"}
CAMERA = "Tepian Kapuas Jl. Gajah Mada"
SIGNER_NAME = "Ir. Ahmad Yani"
SUMMARY = "Genangan surut pukul 23.00 WIB setelah dua pompa portabel dan pembersihan saluran."
LESSONS = "Saluran primer perlu dibersihkan sebelum puncak pasang bulan purnama."


@dataclass(frozen=True)
class Published:
    """A closed incident whose report is public, and what was linked to it."""

    incident: Incident
    tracking: str
    hidden: str  # a linked report hidden from the public since


def pdf_text(document: bytes) -> str:
    """The text of a PDF, its lines joined by single spaces."""
    pages = PdfReader(io.BytesIO(document)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def close(session: Session, media: MediaStore, incident: Incident) -> None:
    """Close ``incident`` with its summary and lessons (its report is generated)."""
    reports.close_incident(
        session, actor=OPERATOR, incident=incident, summary=SUMMARY, lessons=LESSONS, media=media
    )


@pytest.fixture
def published(session: Session, media: MediaStore) -> Published:
    """A flood handled by BPBD and PUPR: a citizen's report and a camera linked, a task done
    by PUPR, a meeting signed off in the chair's name, closed and published."""
    incident = open_incident(session)
    receipt, spam = (
        create_complaint(
            session=session, actor=ANONYMOUS, media=media,
            data=ComplaintCreate(category_code="banjir-genangan", lon=incident.lon + 0.001,
                                 lat=incident.lat, description=description),
        )
        for description in ("Air masuk ke rumah warga di gang.", "Hubungi 0812 untuk promo.")
    )  # fmt: skip
    camera = cctv.register_camera(
        session=session, actor=OPERATOR,
        data=camera_input(name=CAMERA, lon=incident.lon + 0.002, lat=incident.lat),
    )  # fmt: skip
    tracking, hidden = receipt.complaint.tracking_number, spam.complaint.tracking_number
    for item_type, ref in (("complaint", tracking), ("complaint", hidden), ("camera", camera.code)):
        links.link_item(session, actor=OPERATOR, incident=incident, item_type=item_type, ref=ref)
    workflow.moderate(session=session, actor=OPERATOR, tracking_number=hidden, is_public=False)
    service.set_status(session, actor=OPERATOR, incident=incident, status="ditangani")
    service.add_entry(
        session, actor=PUPR, incident=incident, kind=EntryKind.UPDATE,
        text="Dua pompa portabel terpasang di Gang Mawar.",
    )  # fmt: skip
    task = tasks.create_task(
        session, actor=OPERATOR, incident=incident,
        data=tasks.TaskInput("Pasang pompa portabel", "pupr", "mendesak",
                             utcnow() + timedelta(hours=4)),
    )  # fmt: skip
    tasks.move_task(session, actor=PUPR, task=task, status="selesai", note="Pompa terpasang.")
    meeting = meetings.create_meeting(
        session, actor=OPERATOR,
        data=meetings.MeetingInput(
            title="Rapat koordinasi banjir rob", starts_at=utcnow(), incident_code=incident.code,
            attendees=[("bpbd", "Kalaksa BPBD")],
        ),
    )  # fmt: skip
    meetings.record_minutes(
        session, actor=OPERATOR, meeting=meeting, minutes="BPBD melaporkan 120 rumah tergenang."
    )
    meetings.sign_off(
        session, actor=OPERATOR, meeting=meeting, media=media,
        signed_by=f"Kepala Pelaksana BPBD, {SIGNER_NAME}",
    )  # fmt: skip
    close(session, media, incident)
    reports.publish_report(session, actor=OPERATOR, incident=incident, media=media)
    session.commit()
    return Published(incident, tracking, hidden)


def test_only_published_reports_are_public(
    client: TestClient, session: Session, media: MediaStore, published: Published
) -> None:
    still_open = open_incident(session, title="Pohon tumbang di Jl. Ahmad Yani")
    closed = open_incident(session, title="Kebakaran lahan di Pontianak Tenggara")
    close(session, media, closed)
    session.commit()
    listed = client.get("/insiden", headers=HTML)
    assert listed.status_code == 200
    assert f'data-code="{published.incident.code}"' in listed.text
    assert published.incident.title in listed.text
    assert "Benua Melayu Darat" in listed.text  # the kelurahan affected, by name
    for hidden in (still_open, closed):
        assert hidden.code not in listed.text
        assert hidden.title not in listed.text
        for path in (f"/insiden/{hidden.code}", f"/insiden/{hidden.code}/laporan.pdf"):
            answer = client.get(path, headers=HTML)
            assert answer.status_code == 404, path
            assert "Laporan insiden tidak ditemukan." in answer.text
    assert client.get("/insiden/INS-1999-0001", headers=HTML).status_code == 404


def test_a_published_report_names_agencies_never_people(
    client: TestClient, published: Published
) -> None:
    incident = published.incident
    page = client.get(f"/insiden/{incident.code.lower()}", headers=HTML)
    assert page.status_code == 200
    text = page.text
    for words in (
        SUMMARY,
        LESSONS,
        "Dua pompa portabel terpasang di Gang Mawar.",
        "Dibuka → Ditangani",
        f'href="/insiden/{incident.code}/laporan.pdf"',
        f'href="/lapor/{published.tracking}"',
        "Pontive Center",
        "Notulen rapat",
    ):
        assert words in text, words  # fmt: skip
    timeline = text.split('id="timeline"', 1)[1].split("</ol>", 1)[0]
    assert '<span class="ir-agency">Dinas PUPR</span>' in timeline  # the officer's agency, not name
    assert "disahkan." in timeline  # the sign-off stays, the signer's name goes
    reports_box = text.split('id="linked-reports"', 1)[1].split("</ul>", 1)[0]
    assert f"<span>{published.hidden}</span>" in reports_box  # its number, no link
    assert f'href="/lapor/{published.hidden}"' not in text
    assert client.get(f"/lapor/{published.tracking}", headers=HTML).status_code == 200
    for private in (OPERATOR.name, PUPR.name, SIGNER_NAME, CAMERA, "ditautkan"):
        assert private not in text, private
    assert page.headers["cache-control"] == (
        f"public, max-age=0, s-maxage={pages_public.PUBLIC_SECONDS}"
    )


def test_the_public_pdf_is_served_without_names(
    client: TestClient, media: MediaStore, session: Session, published: Published
) -> None:
    incident = published.incident
    answer = client.get(f"/insiden/{incident.code}/laporan.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        f'inline; filename="laporan-insiden-{incident.code}.pdf"'
    )
    public = pdf_text(answer.content)
    assert incident.code in public
    assert published.tracking in public
    assert OPERATOR.name not in public
    assert CAMERA not in public
    inside = pdf_text(
        reports.report_document(session, incident=incident, media=media, public=False)
    )
    assert OPERATOR.name in inside
    assert CAMERA in inside


def test_the_reports_read_in_english(client: TestClient, published: Published) -> None:
    listed = client.get("/insiden?lang=en", headers=HTML).text
    assert "<h1>Incident Reports</h1>" in listed
    page = client.get(f"/insiden/{published.incident.code}?lang=en", headers=HTML).text
    assert "Lessons learned" in page
    assert "Flood / tidal flood" in page
    assert "Opened → Being handled" in page


def test_the_list_says_so_when_nothing_is_published(client: TestClient, session: Session) -> None:
    assert not reports.published_incidents(session)
    listed = client.get("/insiden", headers=HTML).text
    assert "Belum ada laporan insiden yang dipublikasikan." in listed


@pytest.mark.parametrize(
    ("seconds", "lang", "shown"),
    [(None, "id", "—"), (45 * 60, "id", "45 menit"), (2 * 3600 + 900, "id", "2 jam 15 menit"),
     (3 * 86400 + 4 * 3600, "id", "3 hari 4 jam"), (2 * 3600 + 900, "en", "2 h 15 min")],
)  # fmt: skip
def test_durations_read_as_people_say_them(seconds: float | None, lang: str, shown: str) -> None:
    assert pages_public.duration_text(seconds, lang) == shown
