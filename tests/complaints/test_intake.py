"""Receiving reports: the cached catalogue, tracking numbers under concurrency, Core writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pontive.complaints import catalogue, intake
from pontive.complaints.choices import ComplaintStatus, UpdateKind
from pontive.complaints.models import Complaint, Notification, ServiceCategory, TrackingCounter
from pontive.complaints.schemas import (
    CategoryAttributeWrite,
    CategoryPatch,
    ComplaintCreate,
)
from pontive.core import audit
from pontive.core.db import Database
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import SESSION_BUS_KEY, Event, MemoryBus
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore
from tests.complaints.conftest import GAJAH_MADA
from tests.conftest import _fresh_database_url, prepare_database

OPERATOR = system_actor("test-operator")


def _data(category: str = "drainase", **extra: Any) -> ComplaintCreate:
    values: dict[str, Any] = {
        "category_code": category,
        "description": "Parit tersumbat sampah di depan toko.",
        "lon": GAJAH_MADA[0],
        "lat": GAJAH_MADA[1],
        **extra,
    }
    return ComplaintCreate.model_validate(values)


# --- the cached catalogue ---------------------------------------------------------------------


def test_a_category_change_is_seen_by_the_next_report_at_once(session: Session) -> None:
    assert intake.find_category(session, "drainase").sla_days != 9
    catalogue.update_category(
        session=session, actor=OPERATOR, code="drainase", changes=CategoryPatch(sla_days=9)
    )
    assert intake.find_category(session, "drainase").sla_days == 9


def test_a_new_required_question_is_asked_of_the_next_report(
    session: Session, media: MediaStore
) -> None:
    intake.create_complaint(session=session, data=_data(), actor=ANONYMOUS, media=media)
    question = CategoryAttributeWrite(
        code="kedalaman",
        datatype="number",
        required=True,
        description_id="Kedalaman genangan (cm)",
        description_en="Water depth (cm)",
    )
    catalogue.update_category(
        session=session,
        actor=OPERATOR,
        code="drainase",
        changes=CategoryPatch(attributes=[question]),
    )
    with pytest.raises(InvalidInput) as refused:
        intake.create_complaint(session=session, data=_data(), actor=ANONYMOUS, media=media)
    assert "attribute[kedalaman]" in refused.value.errors


def test_a_deactivated_category_takes_no_more_reports(session: Session, media: MediaStore) -> None:
    intake.find_category(session, "drainase")  # cached before the change
    catalogue.deactivate_category(session=session, actor=OPERATOR, code="drainase")
    with pytest.raises(NotFound):
        intake.create_complaint(session=session, data=_data(), actor=ANONYMOUS, media=media)


def test_a_category_added_by_another_process_is_found_on_first_use(session: Session) -> None:
    intake.find_category(session, "drainase")  # the catalogue is cached without it
    model = session.scalar(select(ServiceCategory).where(ServiceCategory.code == "drainase"))
    assert model is not None
    # Another process adds a category: no forget_catalogue() is called in this one.
    session.add(
        ServiceCategory(
            code="reklame-liar",
            name_id="Reklame liar",
            name_en="Illegal billboard",
            pd_kode=model.pd_kode,
            sla_days=3,
        )
    )
    session.flush()
    assert intake.find_category(session, "reklame-liar").sla_days == 3


def test_snapshots_are_immutable_and_hold_the_questions(session: Session) -> None:
    category = intake.find_category(session, "pohon-tumbang")
    assert {a.code for a in category.attributes} >= {"menutup_jalan"}
    with pytest.raises(AttributeError):
        category.sla_days = 1  # type: ignore[misc]


# --- numbering --------------------------------------------------------------------------------


def test_tracking_numbers_follow_each_other_within_a_year(session: Session) -> None:
    first = intake.next_tracking_number(session, 2031)
    second = intake.next_tracking_number(session, 2031)
    assert (first, second) == ("PTK-2031-000001", "PTK-2031-000002")
    assert session.get(TrackingCounter, 2031) is not None


def _submit_from_threads(url: str, media: MediaStore, threads: int, each: int) -> list[str]:
    database = Database(url)
    start = threading.Barrier(threads)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def submit(worker: int) -> None:
        try:
            start.wait()
            for number in range(each):
                with database.session() as session:
                    session.info[SESSION_BUS_KEY] = MemoryBus()
                    data = _data(description=f"Parit tersumbat nomor {worker}-{number}.")
                    receipt = intake.create_complaint(
                        session=session, data=data, actor=ANONYMOUS, media=media
                    )
                    numbers.append(receipt.complaint.tracking_number)
        except Exception as error:  # noqa: BLE001 — handed to the test thread, re-raised there
            failures.append(error)

    workers = [threading.Thread(target=submit, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with database.session() as session:
        assert audit.verify_chain(session).is_intact
    database.dispose()
    if failures:
        raise failures[0]
    return numbers


@pytest.fixture(scope="module")
def committed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own (file-backed SQLite or PostgreSQL): these tests commit."""
    for url in _fresh_database_url(tmp_path_factory, "intake"):
        prepare_database(url)
        yield url


def test_reports_submitted_at_once_get_distinct_consecutive_numbers(
    committed_url: str, media: MediaStore
) -> None:
    numbers = _submit_from_threads(committed_url, media, threads=4, each=5)
    assert len(set(numbers)) == len(numbers) == 20
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 21))


# --- what is stored ---------------------------------------------------------------------------


def test_the_returned_report_is_complete_without_a_reload(
    session: Session, media: MediaStore, bus: MemoryBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[Event] = []
    monkeypatch.setattr(bus, "publish", published.append)
    receipt = intake.create_complaint(session=session, data=_data(), actor=ANONYMOUS, media=media)
    complaint = receipt.complaint
    assert complaint in session
    assert complaint.id is not None
    assert complaint.status is ComplaintStatus.DITERIMA
    assert complaint.category.code == "drainase"
    assert [u.kind for u in complaint.updates] == [UpdateKind.STATUS]
    assert complaint.photos == []
    assert complaint.kelurahan_kode is not None
    assert complaint.due_on is not None
    stored = session.scalar(select(Complaint.tracking_number).where(Complaint.id == complaint.id))
    assert stored == complaint.tracking_number
    assert [(e.type, e.data["tracking_number"]) for e in published] == [
        ("complaint.created", complaint.tracking_number)
    ]
    assert published[0].data["category_code"] == "drainase"  # alert rules filter on it


def test_contact_is_sealed_in_the_row_and_the_receipt_queued(
    session: Session, media: MediaStore
) -> None:
    data = _data(is_anonymous=False, name="Siti Aminah", phone="0812-3456-7890", consent=True)
    receipt = intake.create_complaint(session=session, data=data, actor=ANONYMOUS, media=media)
    raw = session.execute(
        text("SELECT reporter_name, reporter_phone FROM complaints WHERE id = :id"),
        {"id": receipt.complaint.id},
    ).one()
    assert "Siti" not in str(raw)
    assert "3456" not in str(raw)
    assert receipt.complaint.reporter_phone == "0812-3456-7890"
    queued = session.scalars(
        select(Notification).where(Notification.complaint_id == receipt.complaint.id)
    ).all()
    assert [n.channel for n in queued] == ["whatsapp"]


def test_a_report_is_audited_in_the_chain(session: Session, media: MediaStore) -> None:
    receipt = intake.create_complaint(session=session, data=_data(), actor=ANONYMOUS, media=media)
    last = session.scalars(select(audit.AuditEvent).order_by(audit.AuditEvent.id.desc())).first()
    assert last is not None
    assert last.object_id == receipt.complaint.tracking_number
    assert audit.verify_chain(session).is_intact
