"""The incidents of the coordination console over HTTP: who may open which page and post
what, opening an incident (by hand, refused with every field error and nothing typed lost,
prefilled from citizens' reports), the timeline (situation reports, decisions, photos),
linking a suggestion in one click, assigning a task, the status steps, closing with the
report as PDF, and publishing it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import links, service, tasks
from pontive.coordination.choices import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    SourceType,
)
from pontive.coordination.models import Incident, Task
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from tests.conftest import login
from tests.coordination.support import LAT, LON, OPERATOR, open_incident

CONSOLE = "/console/koordinasi"
HTML = {"Accept": "text/html"}
STAFF_POST = re.compile(r'<form[^>]*method="post"[^>]*action="/console/koordinasi')
NEW_INCIDENT = {
    "title": "Pohon tumbang menutup Jl. Ahmad Yani",
    "kind": "pohon_tumbang",
    "severity": "tinggi",
    "description": "Pohon angsana tumbang setelah angin kencang, dua lajur tertutup.",
    "lat": "-0,0391",  # a comma, as Indonesian keyboards type it
    "lon": "109.3427",
    "lead_pd_kode": "perkim",
}


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    login(client, make_user(role, pd_kode=pd).username)


def csrf(client: TestClient, path: str = CONSOLE) -> str:
    """The session's CSRF token, read from a console page."""
    page = client.get(path, headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, data: Any = (), **kwargs: Any) -> Any:
    """A console form post with the session's CSRF token (lists for repeated fields)."""
    fields = list(data.items()) if isinstance(data, dict) else list(data)
    body: dict[str, list[str]] = {"csrf_token": [csrf(client)]}
    for name, value in fields:
        body.setdefault(name, []).append(value)
    return client.post(path, data=body, follow_redirects=False, **kwargs)


def report_near(session: Session, media: MediaStore, offset: float = 0.001, **fields: Any) -> str:
    """A citizen's flood report ``offset`` degrees east of the test place; its number."""
    data = ComplaintCreate(
        category_code=fields.pop("category_code", "banjir-genangan"),
        description=fields.pop("description", "Air setinggi lutut menggenang di depan rumah."),
        lon=LON + offset,
        lat=LAT,
    )
    receipt = create_complaint(session=session, data=data, actor=ANONYMOUS, media=media)
    return receipt.complaint.tracking_number


def jpeg() -> bytes:
    """A small photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 140)).save(buffer, format="JPEG")
    return buffer.getvalue()


# --- who may open and post what ------------------------------------------------------------

ACCESS = {
    Role.OPERATOR: (200, 200, 200),
    Role.ADMIN: (200, 200, 200),
    Role.TIM_TEKNIS: (200, 403, 200),
    Role.PETUGAS_PD: (200, 403, 200),  # BPBD leads the test incident
    Role.WALIKOTA: (200, 403, 200),
    Role.DEWAN: (200, 403, 200),
    Role.WARGA: (403, 403, 403),
}


@pytest.mark.parametrize("role", list(ACCESS), ids=lambda role: role.value)
def test_pages_by_role(client: TestClient, make_user: Any, session: Session, role: Role) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, role, "bpbd" if role is Role.PETUGAS_PD else None)
    paths = (CONSOLE, f"{CONSOLE}/baru", f"{CONSOLE}/{incident.code}")
    statuses = tuple(client.get(path, headers=HTML).status_code for path in paths)
    assert statuses == ACCESS[role]


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get(CONSOLE, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/masuk?next={CONSOLE}"


def test_the_list_counts_maps_and_filters_incidents(
    client: TestClient, make_user: Any, session: Session
) -> None:
    flood = open_incident(session)
    fire = open_incident(session, title="Kebakaran lahan gambut Jl. Parit Haji Husin",
                         kind="kebakaran", severity="kritis")  # fmt: skip
    tasks.create_task(
        session, actor=OPERATOR, incident=fire,
        data=tasks.TaskInput("Padamkan titik api", "bpbd", "mendesak"),
    )  # fmt: skip
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(CONSOLE, headers=HTML).text
    for text in ('id="count-kritis">1<', 'id="count-tinggi">1<', f'data-code="{flood.code}"',
                 f'data-code="{fire.code}"', "Buka insiden"):  # fmt: skip
        assert text in page, text
    items = re.search(r'data-incidents="([^"]*)"', page)
    assert items is not None
    assert fire.code in items.group(1)
    row = page.split(f'<tr data-code="{fire.code}">', 1)[1].split("</tr>", 1)[0]
    for text in ("Kritis", "BPBD", '#tugas">1</a>'):  # one open task
        assert text in row, text
    filtered = client.get(f"{CONSOLE}?severity=kritis&kind=kebakaran", headers=HTML).text
    assert f'data-code="{fire.code}"' in filtered
    assert f'data-code="{flood.code}"' not in filtered
    closed = client.get(f"{CONSOLE}?status=closed", headers=HTML).text
    assert "Tidak ada insiden yang cocok" in closed
    english = client.get(f"{CONSOLE}?lang=en", headers=HTML).text
    assert "<h1>City Incidents</h1>" in english
    assert "Open an incident" in english


# --- opening an incident -------------------------------------------------------------------


def test_an_operator_opens_an_incident(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    form = [*NEW_INCIDENT.items(), ("agencies", "dishub"), ("agencies", "pupr"),
            ("affected_kelurahan", "61.71.01.1004")]  # fmt: skip
    response = post(client, f"{CONSOLE}/baru", form)
    assert response.status_code == 303, response.text
    code = response.headers["location"].split("/")[-1].split("?")[0]
    assert response.headers["location"] == f"{CONSOLE}/{code}?ok=opened"
    incident = session.scalar(select(Incident).where(Incident.code == code))
    assert incident is not None
    assert incident.kind is IncidentKind.POHON_TUMBANG
    assert incident.lat == pytest.approx(LAT)
    assert incident.lead_pd_kode == "perkim"
    assert incident.agency_codes == ["perkim", "dishub", "pupr"]
    page = client.get(response.headers["location"], headers=HTML).text
    assert "Insiden dibuka." in page
    assert NEW_INCIDENT["title"] in page
    assert 'data-kind="opened"' in page


def test_a_refused_incident_comes_back_with_every_error_and_what_was_typed(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    count = len(service.list_incidents(session, actor=OPERATOR))
    form = [("title", "Api"), ("kind", "kebakaran"), ("severity", "gawat"), ("lat", "utara"),
            ("lon", ""), ("description", "Asap tebal terlihat dari Jl. Sungai Raya Dalam."),
            ("agencies", "bpbd"), ("agencies", "dinkes"),
            ("affected_kelurahan", "61.71.01.1004")]  # fmt: skip
    response = post(client, f"{CONSOLE}/baru", form)
    assert response.status_code == 422
    page = response.text
    for name in ("title", "severity", "location"):
        assert f'id="f-{name}-error"' in page, name
    assert 'id="f-lat-error"' in page  # "utara" is not a number
    assert "Lintang harus berupa angka" in page
    typed = ['value="Api"', "Asap tebal terlihat dari Jl. Sungai Raya Dalam.", 'value="utara"',
             'value="kebakaran" selected', 'value="bpbd" checked', 'value="dinkes" checked',
             'value="61.71.01.1004" checked']  # fmt: skip
    for text in typed:
        assert text in page, text
    assert len(service.list_incidents(session, actor=OPERATOR)) == count


def test_an_incident_is_prefilled_from_citizens_reports_and_links_them(
    client: TestClient, make_user: Any, session: Session, media: MediaStore
) -> None:
    numbers = [report_near(session, media, 0.001), report_near(session, media, -0.001)]
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/baru?sumber=complaints&ref={','.join(numbers)}"
    page = client.get(path, headers=HTML).text
    assert "2 laporan warga berdekatan" in page
    assert 'name="sumber" value="complaints"' in page
    assert 'value="banjir" selected' in page
    title = re.search(r'id="f-title" name="title" maxlength="200" value="([^"]*)"', page)
    lat = re.search(r'name="lat"[^>]*value="([^"]*)"', page)
    lon = re.search(r'name="lon"[^>]*value="([^"]*)"', page)
    assert title
    assert lat
    assert lon
    assert lat.group(1)
    form = [("sumber", "complaints"), ("ref", ",".join(numbers)), ("title", title.group(1)),
            ("kind", "banjir"), ("severity", "sedang"), ("lat", lat.group(1)),
            ("lon", lon.group(1)), ("description", "Dua laporan genangan berdekatan.")]  # fmt: skip
    response = post(client, f"{CONSOLE}/baru", form)
    assert response.status_code == 303, response.text
    code = response.headers["location"].split("/")[-1].split("?")[0]
    incident = service.get_incident(session, actor=OPERATOR, code=code)
    assert incident.source_type is SourceType.COMPLAINTS
    linked = [(link.item_type, link.item_ref) for link in links.links(session, incident)]
    assert linked == [(LinkType.COMPLAINT, number) for number in numbers]


def test_an_unknown_source_is_said_so(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    response = client.get(f"{CONSOLE}/baru?sumber=complaints&ref=PTK-2020-000000", headers=HTML)
    assert response.status_code == 422
    assert 'id="f-source_ref-error"' in response.text


# --- one incident --------------------------------------------------------------------------


def test_updates_decisions_and_photos_go_into_the_timeline(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    update = post(client, f"{path}/catatan", {"kind": "update", "text": "Air naik 10 cm."})
    assert update.status_code == 303
    assert update.headers["location"] == f"{path}?ok=noted#kronologi"
    decision = post(client, f"{path}/catatan", {"kind": "decision", "text": "Tutup jalan."})
    assert decision.status_code == 303
    empty = post(client, f"{path}/catatan", {"kind": "update", "text": " "})
    assert empty.status_code == 422
    assert 'id="n-text-error"' in empty.text
    photo = post(client, f"{path}/foto", {"caption": "Genangan di simpang"},
                 files={"photo": ("simpang.jpg", jpeg(), "image/jpeg")})  # fmt: skip
    assert photo.status_code == 303, photo.text
    broken = post(
        client, f"{path}/foto", {}, files={"photo": ("x.jpg", b"not a photo", "image/jpeg")}
    )
    assert broken.status_code == 422
    assert 'id="p-photo-error"' in broken.text
    kinds = [entry.kind for entry in service.entries(session, incident)]
    assert kinds[-3:] == [EntryKind.UPDATE, EntryKind.DECISION, EntryKind.PHOTO]
    entry = service.entries(session, incident)[-1]
    page = client.get(path, headers=HTML).text
    assert f"{path}/foto/{entry.id}" in page
    assert "Tutup jalan." in page
    served = client.get(f"{path}/foto/{entry.id}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.content[:2] == b"\xff\xd8"


def test_an_officer_of_an_involved_agency_reports_but_does_not_manage(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)  # BPBD leads, PUPR involved
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    path = f"{CONSOLE}/{incident.code}"
    page = client.get(path, headers=HTML).text
    assert f'action="{path}/catatan"' in page
    assert f'action="{path}/foto"' in page
    for form in ("status", "tutup", "tautan", "pd", "tugas", "ubah"):
        assert f'action="{path}/{form}"' not in page, form
    assert 'value="decision"' not in page
    response = post(client, f"{path}/catatan", {"kind": "update", "text": "Pompa 2 menyala."})
    assert response.status_code == 303
    assert (
        post(client, f"{path}/catatan", {"kind": "decision", "text": "Tutup."}).status_code == 403
    )
    assert post(client, f"{path}/status", {"status": "ditangani"}).status_code == 403
    last = service.entries(session, incident)[-1]
    assert last.kind is EntryKind.UPDATE
    assert last.actor_pd_kode == "pupr"


def test_an_officer_of_an_agency_not_involved_finds_nothing(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.PETUGAS_PD, "dishub")
    path = f"{CONSOLE}/{incident.code}"
    for target in (path, f"{path}/laporan.pdf", f"{path}/foto/1"):
        assert client.get(target, headers=HTML).status_code == 404, target
    assert post(client, f"{path}/catatan", {"text": "Halo"}).status_code == 404
    assert incident.code not in client.get(CONSOLE, headers=HTML).text


def test_a_suggestion_is_linked_in_one_click_and_unlinked(
    client: TestClient, make_user: Any, session: Session, media: MediaStore
) -> None:
    incident = open_incident(session)
    near = report_near(session, media, 0.002)
    far = report_near(session, media, 0.05)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    page = client.get(path, headers=HTML).text
    suggestions = page.split('id="saran"', 1)[1].split("</section>", 1)[0]
    assert f'data-ref="{near}"' in suggestions
    assert far not in suggestions
    wider = client.get(f"{path}?radius=2000", headers=HTML).text
    assert 'aria-current="true">2 km' in wider
    response = post(client, f"{path}/tautan", {"item_type": "complaint", "ref": near})
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?ok=linked#saran"
    page = client.get(path, headers=HTML).text
    linked = page.split('id="tautan"', 1)[1].split("</section>", 1)[0]
    assert f'data-ref="{near}"' in linked
    assert f'data-ref="{near}"' not in page.split('id="saran"', 1)[1].split("</section>", 1)[0]
    again = post(client, f"{path}/tautan", {"item_type": "complaint", "ref": near})
    assert again.status_code == 409
    assert "Sudah ditautkan" in again.text
    unknown = post(client, f"{path}/tautan", {"item_type": "camera", "ref": "CAM-XX"})
    assert unknown.status_code == 422
    assert 'id="l-ref-error"' in unknown.text
    (link,) = links.links(session, incident)
    assert post(client, f"{path}/tautan/{link.id}/lepas").status_code == 303
    assert links.links(session, incident) == []


def test_a_task_is_assigned_from_the_incident(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    form = {"title": "Pasang rambu", "pd_kode": "", "priority": "tinggi",
            "due_at": "2020-01-01T10:00"}  # fmt: skip
    refused = post(client, f"{path}/tugas", form)
    assert refused.status_code == 422
    assert 'id="t-pd_kode-error"' in refused.text
    assert 'id="t-due_at-error"' in refused.text
    assert 'value="Pasang rambu"' in refused.text
    form = {"title": "Pasang rambu pengalihan arus", "pd_kode": "dishub", "priority": "tinggi",
            "due_at": "2099-05-01T18:30", "description": "Di simpang Gajah Mada."}  # fmt: skip
    response = post(client, f"{path}/tugas", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?ok=task_created#tugas"
    task = session.scalar(select(Task).where(Task.incident_id == incident.id))
    assert task is not None
    assert task.pd_kode == "dishub"
    assert task.due_at == datetime(2099, 5, 1, 11, 30, tzinfo=UTC)  # typed in WIB
    assert "dishub" in incident.agency_codes
    page = client.get(path, headers=HTML).text
    assert f'data-task="{task.code}"' in page
    assert f'href="{CONSOLE}/rapat/baru?insiden={incident.code}"' in page
    assert "Tugas dibuat" in client.get(f"{path}?ok=task_created", headers=HTML).text


def test_status_steps_closing_the_report_and_publishing(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    interim = client.get(f"{path}/laporan.pdf")
    assert interim.status_code == 200
    assert interim.headers["content-type"] == "application/pdf"
    assert interim.content.startswith(b"%PDF")
    assert (
        post(client, f"{path}/status", {"status": "ditangani", "note": "Tim tiba."}).status_code
        == 303
    )
    assert post(client, f"{path}/status", {"status": "selesai"}).status_code == 422
    assert post(client, f"{path}/status", {"status": "terkendali"}).status_code == 303
    assert incident.status is IncidentStatus.TERKENDALI
    page = client.get(path, headers=HTML).text
    assert 'id="penutupan" open' in page  # under control: the closing form is offered open
    short = post(client, f"{path}/tutup", {"summary": "Selesai.", "lessons": ""})
    assert short.status_code == 422
    assert 'id="c-summary-error"' in short.text
    assert 'id="c-lessons-error"' in short.text
    assert ">Selesai.</textarea>" in short.text
    closed = post(client, f"{path}/tutup", {
        "summary": "Genangan surut pukul 23.00 WIB setelah dua pompa bekerja.",
        "lessons": "Pompa cadangan disiagakan sebelum pasang purnama.",
    })  # fmt: skip
    assert closed.status_code == 303
    assert closed.headers["location"].endswith("?ok=closed#laporan")
    assert incident.status is IncidentStatus.SELESAI
    assert incident.report_key
    report = client.get(f"{path}/laporan.pdf")
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")
    page = client.get(path, headers=HTML).text
    assert "Pompa cadangan disiagakan" in page
    assert f'action="{path}/publikasi"' in page
    assert f'action="{path}/catatan"' not in page  # a closed timeline takes nothing more
    assert post(client, f"{path}/publikasi").status_code == 303
    assert incident.published_at is not None
    page = client.get(path, headers=HTML).text
    assert f'href="/insiden/{incident.code}"' in page
    assert f'action="{path}/publikasi"' not in page


def test_a_stored_report_missing_from_the_media_folder_is_not_found(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    post(client, f"{path}/tutup", {"summary": "Genangan surut setelah pompa bekerja.",
                                   "lessons": "Pompa cadangan perlu."})  # fmt: skip
    assert incident.report_key
    client.app.state.media.delete(incident.report_key)  # type: ignore[attr-defined]
    answer = client.get(f"{path}/laporan.pdf")
    assert answer.status_code == 404


def test_a_closed_incident_refuses_more_with_a_conflict(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    post(client, f"{path}/tutup", {"summary": "Genangan surut setelah pompa bekerja.",
                                   "lessons": "Pompa cadangan perlu."})  # fmt: skip
    response = post(client, f"{path}/catatan", {"kind": "update", "text": "Terlambat."})
    assert response.status_code == 409
    assert "Insiden sudah ditutup." in response.text


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.DEWAN], ids=lambda role: role.value)
def test_the_mayor_and_the_council_read_without_forms(
    client: TestClient, make_user: Any, session: Session, role: Role
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, role)
    path = f"{CONSOLE}/{incident.code}"
    for target in (CONSOLE, path):
        page = client.get(target, headers=HTML)
        assert page.status_code == 200
        assert not STAFF_POST.search(page.text), target
        assert "/rapat/baru" not in page.text
    assert client.get(f"{path}/laporan.pdf").status_code == 200
    posts = ("/baru", f"/{incident.code}/status", f"/{incident.code}/tutup",
             f"/{incident.code}/catatan", f"/{incident.code}/foto", f"/{incident.code}/pd",
             f"/{incident.code}/tautan", f"/{incident.code}/tugas", f"/{incident.code}/ubah",
             f"/{incident.code}/publikasi", f"/{incident.code}/tautan/1/lepas")  # fmt: skip
    for target in posts:
        response = post(client, CONSOLE + target, {"text": "x", "status": "ditangani"})
        assert response.status_code == 403, target


def test_an_operator_corrects_an_incident(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{CONSOLE}/{incident.code}"
    form = [*NEW_INCIDENT.items(), ("agencies", "pupr"), ("agencies", "dinsos")]
    response = post(client, f"{path}/ubah", form)
    assert response.status_code == 303
    assert incident.title == NEW_INCIDENT["title"]
    assert "dinsos" in incident.agency_codes
    refused = post(client, f"{path}/ubah", [*NEW_INCIDENT.items(), ("title", "")])
    assert refused.status_code == 422
    assert 'id="e-title-error"' in refused.text
    assert 'id="ubah"' in refused.text
    assert 'co-edit" open' in refused.text
