"""Tasks in the coordination console over HTTP: a PD officer sees and moves only its own
agency's tasks, the command center filters and reassigns, overdue tasks come first and are
marked, refused moves keep what was typed, the mayor and the council only read, and the
panel of a PD's open tasks that sits beside its complaint queue; and the badges' colours of
the console's shared style sheet."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.coordination import tasks
from pontive.coordination.choices import TaskStatus
from pontive.coordination.console_tasks import PANEL_SIZE, pd_tasks_panel
from pontive.coordination.models import Task
from pontive.core.choices import LabelledChoice
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate
from pontive.web.templating import templates
from tests.coordination.support import (
    BPBD,
    DEWAN,
    OPERATOR,
    PUPR,
    WALIKOTA,
    actor,
    make_task,
    open_incident,
)
from tests.coordination.test_console_incidents import CONSOLE, HTML, STAFF_POST, post, sign_in

TASKS = f"{CONSOLE}/tugas"
CSS = Path(__file__).resolve().parents[2] / "src/pontive/web/static/coordination/console.css"


def late_task(session: Session, pd_kode: str = "pupr", title: str = "Perbaiki pintu air") -> Task:
    """A task that was due an hour ago (created three hours ago)."""
    now = utcnow()
    data = tasks.TaskInput(title, pd_kode, "normal", now - timedelta(hours=1))
    return tasks.create_task(session, actor=OPERATOR, data=data, now=now - timedelta(hours=3))


@pytest.fixture
def work(session: Session) -> dict[str, Task]:
    """Tasks of an incident for PUPR and BPBD, one of PUPR's overdue, one done."""
    incident = open_incident(session)
    done = make_task(session, incident, title="Tutup lubang jalan", priority="rendah")
    tasks.move_task(session, actor=PUPR, task=done, status="selesai", note="Sudah ditambal.")
    return {
        "pupr": make_task(session, incident),
        "bpbd": make_task(session, incident, title="Siagakan perahu karet", pd_kode="bpbd"),
        "late": late_task(session),
        "done": done,
    }


def codes_in(page: str) -> list[str]:
    """The task codes of the list's rows, in order."""
    return [part.split('"', 1)[0] for part in page.split('<tr data-code="')[1:]]


def test_a_pd_officer_sees_only_its_own_agencys_tasks(
    client: TestClient, make_user: Any, work: dict[str, Task]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    page = client.get(TASKS, headers=HTML).text
    assert codes_in(page) == [work["late"].code, work["pupr"].code]  # overdue first
    assert (
        'data-late="true"'
        in page.split(work["late"].code, 1)[0]
        + page.split(work["late"].code, 1)[1].split("</tr>", 1)[0]
    )
    assert 'id="filter-pd"' not in page  # an officer's list is its own agency's
    assert codes_in(client.get(f"{TASKS}?pd=bpbd", headers=HTML).text) == codes_in(page)
    done = client.get(f"{TASKS}?status=done", headers=HTML).text
    assert codes_in(done) == [work["done"].code]
    assert 'href="/console/pengaduan"' in page
    assert "Antrean laporan warga" in page
    assert 'id="count-open">2<' in page
    assert 'id="count-late">1<' in page


def test_a_pd_officer_cannot_open_or_move_another_agencys_task(
    client: TestClient, make_user: Any, work: dict[str, Task]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    other = f"{TASKS}/{work['bpbd'].code}"
    assert client.get(other, headers=HTML).status_code == 404
    assert post(client, f"{other}/status", {"status": "dikerjakan"}).status_code == 404
    assert post(client, f"{other}/ubah", {"title": "Diambil alih"}).status_code == 404
    assert work["bpbd"].status is TaskStatus.BARU


def test_a_pd_officer_starts_and_completes_its_task_with_a_note(
    client: TestClient, make_user: Any, work: dict[str, Task]
) -> None:
    task = work["pupr"]
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    path = f"{TASKS}/{task.code}"
    page = client.get(path, headers=HTML).text
    assert 'value="dikerjakan"' in page
    assert 'value="selesai"' in page
    assert f'action="{path}/ubah"' not in page  # reassigning is the command center's
    started = post(client, f"{path}/status", {"status": "dikerjakan"})
    assert started.status_code == 303
    assert started.headers["location"] == f"{path}?ok=task_moved"
    assert task.status is TaskStatus.DIKERJAKAN
    refused = post(client, f"{path}/status", {"status": "selesai", "note": "ok"})
    assert refused.status_code == 422
    assert 'id="m2-note-error"' in refused.text or "-note-error" in refused.text
    assert ">ok</textarea>" in refused.text
    assert post(client, f"{path}/status", {"status": "baru"}).status_code == 409
    done = post(client, f"{path}/status", {"status": "selesai", "note": "Pompa terpasang."})
    assert done.status_code == 303
    assert task.status is TaskStatus.SELESAI
    assert task.result == "Pompa terpasang."
    page = client.get(f"{path}?ok=task_moved", headers=HTML).text
    assert "Status tugas diperbarui." in page
    assert "Pompa terpasang." in page
    assert "Buka kembali" in page
    reopened = post(client, f"{path}/status", {"status": "dikerjakan"})
    assert reopened.status_code == 303
    assert task.status is TaskStatus.DIKERJAKAN


def test_the_command_center_filters_by_agency_and_lateness(
    client: TestClient, make_user: Any, work: dict[str, Task]
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    everything = codes_in(client.get(TASKS, headers=HTML).text)
    assert everything[0] == work["late"].code
    assert {work["pupr"].code, work["bpbd"].code} <= set(everything)
    assert work["done"].code not in everything
    bpbd = client.get(f"{TASKS}?pd=bpbd", headers=HTML).text
    assert codes_in(bpbd) == [work["bpbd"].code]
    assert 'href="/console/pengaduan?pd=bpbd"' in bpbd  # back to that agency's queue
    late = codes_in(client.get(f"{TASKS}?overdue=1", headers=HTML).text)
    assert late == [work["late"].code]
    both = client.get(f"{TASKS}?status=all&pd=pupr", headers=HTML).text
    assert set(codes_in(both)) == {work["late"].code, work["pupr"].code, work["done"].code}
    assert f"{CONSOLE}/{work['pupr'].incident.code}" in both  # type: ignore[union-attr]
    unknown = codes_in(client.get(f"{TASKS}?pd=tidak-ada&status=bogus", headers=HTML).text)
    assert set(unknown) == set(everything)


def test_the_command_center_reassigns_a_task(
    client: TestClient, make_user: Any, work: dict[str, Task]
) -> None:
    task = work["pupr"]
    sign_in(client, make_user, Role.OPERATOR)
    path = f"{TASKS}/{task.code}"
    form = {"title": "Pompa air di simpang Gajah Mada", "pd_kode": "bpbd", "priority": "mendesak",
            "due_at": "2099-01-02T08:00", "description": "Dialihkan ke BPBD."}  # fmt: skip
    response = post(client, f"{path}/ubah", form)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?ok=task_saved"
    assert task.pd_kode == "bpbd"
    assert task.priority.value == "mendesak"
    assert task.due_at == datetime(2099, 1, 2, 1, 0, tzinfo=UTC)  # typed in WIB
    refused = post(client, f"{path}/ubah", {**form, "title": "", "due_at": "besok pagi"})
    assert refused.status_code == 422
    assert 'id="e-title-error"' in refused.text
    assert 'id="e-due_at-error"' in refused.text
    assert 'value="besok pagi"' in refused.text
    assert task.title == "Pompa air di simpang Gajah Mada"


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.DEWAN], ids=lambda role: role.value)
def test_the_mayor_and_the_council_read_tasks_without_forms(
    client: TestClient, make_user: Any, work: dict[str, Task], role: Role
) -> None:
    sign_in(client, make_user, role)
    task = work["pupr"]
    for target in (TASKS, f"{TASKS}/{task.code}"):
        page = client.get(target, headers=HTML)
        assert page.status_code == 200
        assert not STAFF_POST.search(page.text), target
    for form in ("status", "ubah"):
        response = post(client, f"{TASKS}/{task.code}/{form}", {"status": "dikerjakan"})
        assert response.status_code == 403, form
    assert task.status is TaskStatus.BARU


def test_the_panel_beside_the_queue_holds_the_agencys_open_tasks_overdue_first(
    session: Session, work: dict[str, Task]
) -> None:
    for number in range(PANEL_SIZE):
        make_task(session, title=f"Cek saluran {number + 1}")
    panel = pd_tasks_panel(session, PUPR)
    assert panel["show"]
    assert panel["pd_kode"] == "pupr"
    shown = [row["task"] for row in panel["rows"]]
    assert len(shown) == PANEL_SIZE
    assert shown[0] == work["late"]
    assert all(task.pd_kode == "pupr" for task in shown)
    assert panel["total"] == PANEL_SIZE + 2
    assert panel["more"] == 2
    assert panel["late"] == 1
    assert panel["link"] == TASKS
    city = pd_tasks_panel(session, OPERATOR, pd_kode="bpbd", lang="en")
    assert [row["task"] for row in city["rows"]] == [work["bpbd"]]
    assert city["link"] == f"{TASKS}?pd=bpbd"
    assert city["rows"][0]["due"].startswith("in ")
    assert pd_tasks_panel(session, BPBD)["total"] == 1
    assert pd_tasks_panel(session, actor(Role.WARGA))["show"] is False
    assert pd_tasks_panel(session, WALIKOTA)["show"]
    assert pd_tasks_panel(session, DEWAN)["show"]


def test_the_panel_renders_as_an_include(session: Session, work: dict[str, Task]) -> None:
    panel = pd_tasks_panel(session, PUPR)
    html = templates.env.get_template("coordination/_pd_tasks_panel.html").render(
        pd_tasks=panel, lang="id", version="t", t=lambda key, **v: translate(key, "id", **v)
    )
    assert "Tugas koordinasi" in html
    assert "1 terlambat" in html
    assert f'href="{TASKS}/{work["late"].code}"' in html
    assert 'class="co-row-late"' in html
    assert "/static/coordination/console.css" in html


# --- the badges' colours (of every coordination page) ---------------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_badge_is_readable_white_on_its_choice_colour() -> None:
    from pontive.coordination import choices

    css = CSS.read_text(encoding="utf-8")
    families: dict[str, type[LabelledChoice]] = {
        "kind": choices.IncidentKind, "sev": choices.Severity, "ist": choices.IncidentStatus,
        "link": choices.LinkType, "entry": choices.EntryKind, "pri": choices.TaskPriority,
        "tst": choices.TaskStatus, "mst": choices.MeetingStatus,
    }  # fmt: skip
    for family, choice in families.items():
        for value in choice:
            rule = re.search(
                rf"\.co-{family}-{value.value} \{{ background: (#[0-9a-f]{{6}}); \}}", css
            )
            assert rule, f".co-{family}-{value.value}"
            # Used for the badge alone: another rule on the class would repaint the badge.
            uses = re.findall(rf"\.co-{family}-{value.value}(?![\w-])", css)
            assert len(uses) == 1, f".co-{family}-{value.value} is styled twice"
            colour = rule.group(1)
            ratio = 1.05 / (_luminance(colour) + 0.05)
            assert ratio >= 4.5, f"{family}-{value.value}: {ratio:.2f}"
            # The choice's own colour, or a darker shade of it where white would not read.
            assert colour == value.meta.colour or _luminance(colour) < _luminance(
                value.meta.colour
            ), f"{family}-{value.value}"
