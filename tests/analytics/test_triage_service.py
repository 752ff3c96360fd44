"""Suggestions for real reports and the operator's decisions: made by the worker job or on
demand, routed by the complaints catalogue, recorded with an audit event, and learnt from by
the next training."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import triage_jobs, triage_service, triage_stats, triage_training
from pontive.analytics.triage_choices import Decision, Urgency
from pontive.analytics.triage_train import HISTORY_SOURCE
from pontive.complaints import service as complaints
from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.worker import JobContext
from tests.analytics.test_triage_support import (
    TRAINER,
    file_report,
    seed_model,
    store_seed_model,
)

S = ComplaintStatus
OPERATOR = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=901, name="operator-uji")
ADMINISTRATION = (
    "Mau urus KTP dan KK di kantor kecamatan, antre dari pagi tapi petugasnya tidak ada."
)
# The lamp of a neighbourhood watch post (a public facility): the seed model reads
# "lampu ... mati ... gelap" as a street light.
PARK_LAMP = "Lampu di pos ronda RT kami mati, malam gelap dan warga takut ronda."


def run_job(session: Session, bus: MemoryBus) -> None:
    triage_jobs.suggest_for_new_reports(JobContext(session=session, bus=bus))


def test_job_suggests_once_for_each_received_report(
    session: Session, media: MediaStore, bus: MemoryBus
) -> None:
    live = store_seed_model(session)
    waiting = file_report(session, media)
    checked = file_report(session, media)
    workflow.transition(
        session=session, actor=TRAINER, tracking_number=checked.tracking_number,
        to=ComplaintStatus.DIVERIFIKASI, message="ok",
    )  # fmt: skip
    run_job(session, bus)
    made = triage_service.find_suggestion(session, waiting.id)
    assert made is not None
    assert made.model_version == live.version
    assert made.category_code == "lampu-jalan"
    assert made.pd_kode == "dishub"  # the catalogue's PD for street lights
    assert next(a["code"] for a in made.alternatives) == "lampu-jalan"
    assert len(made.alternatives) == 3
    assert made.category_probability == made.alternatives[0]["probability"]
    assert "lampu" in [r["term"] for r in made.reasons]
    assert made.decision is None
    assert triage_service.find_suggestion(session, checked.id) is None  # past triage
    assert triage_service.suggest_new_reports(session) == 0  # once per report


def test_without_a_trained_model_nothing_is_suggested(
    session: Session, media: MediaStore, bus: MemoryBus
) -> None:
    report = file_report(session, media)
    run_job(session, bus)
    assert triage_service.find_suggestion(session, report.id) is None
    assert triage_service.ensure_suggestion(session, report) is None


def test_suggested_pd_is_the_catalogue_routing_at_the_reports_kecamatan(
    session: Session, media: MediaStore
) -> None:
    store_seed_model(session)
    report = file_report(session, media, ADMINISTRATION)  # filed as a street light
    suggestion = triage_service.ensure_suggestion(session, report)
    assert suggestion is not None
    assert suggestion.category_code == "pelayanan-administrasi"
    # Administrative services go to the kecamatan office where the report is.
    assert report.kecamatan_kode == "61.71.01"
    assert suggestion.pd_kode == "kec-selatan"
    assert triage_service.ensure_suggestion(session, report) is suggestion


def test_accepting_records_the_decision_and_an_audit_event(
    session: Session, media: MediaStore
) -> None:
    store_seed_model(session)
    report = file_report(session, media)
    decided = triage_service.decide(
        session=session, actor=OPERATOR, tracking_number=report.tracking_number, accept=True
    )
    assert decided.decision is Decision.ACCEPTED
    assert decided.final_category_code == decided.category_code == "lampu-jalan"
    assert decided.final_urgency is decided.urgency
    assert decided.final_pd_kode == "dishub"
    assert decided.decided_by == OPERATOR.label
    assert decided.decided_at is not None
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "analytics.triage.decide",
            AuditEvent.object_id == report.tracking_number,
        )
    )
    assert event is not None
    assert event.actor == OPERATOR.label


def test_correcting_records_the_operators_category_urgency_and_its_pd(
    session: Session, media: MediaStore
) -> None:
    store_seed_model(session)
    report = file_report(session, media, PARK_LAMP)
    decided = triage_service.decide(
        session=session, actor=OPERATOR, tracking_number=report.tracking_number,
        accept=False, category_code="fasilitas-umum", urgency="tinggi",
    )  # fmt: skip
    assert decided.decision is Decision.CORRECTED
    assert decided.category_code != "fasilitas-umum"  # what the model said stays
    assert (decided.final_category_code, decided.final_urgency) == (
        "fasilitas-umum",
        Urgency.TINGGI,
    )
    assert decided.final_pd_kode == "perkim"
    moved = complaints.get_by_tracking(session, report.tracking_number)
    assert (moved.category.code, moved.pd_kode) == ("fasilitas-umum", "perkim")
    corrections = triage_stats.recent_corrections(session)
    assert corrections[0].tracking_number == report.tracking_number
    assert triage_stats.overview(session).acceptance_rate == 0.0


def test_a_report_already_being_worked_keeps_its_category(
    session: Session, media: MediaStore
) -> None:
    store_seed_model(session)
    report = file_report(session, media, PARK_LAMP)
    for status in (S.DIVERIFIKASI, S.DIDISPOSISIKAN):
        workflow.transition(
            session=session, actor=OPERATOR, tracking_number=report.tracking_number, to=status
        )
    officer = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=903, name="p", pd_kode="dishub")
    workflow.transition(
        session=session, actor=officer, tracking_number=report.tracking_number, to=S.DIKERJAKAN
    )
    with pytest.raises(Conflict):
        triage_service.decide(
            session=session, actor=OPERATOR, tracking_number=report.tracking_number,
            accept=False, category_code="fasilitas-umum", urgency="sedang",
        )  # fmt: skip
    assert triage_service.find_suggestion(session, report.id).decision is None


def test_a_correction_that_names_no_known_category_or_urgency_is_refused(
    session: Session, media: MediaStore
) -> None:
    store_seed_model(session)
    report = file_report(session, media)
    with pytest.raises(InvalidInput) as refused:
        triage_service.decide(
            session=session, actor=OPERATOR, tracking_number=report.tracking_number,
            accept=False, category_code="tidak-ada", urgency="segera",
        )  # fmt: skip
    assert set(refused.value.errors) == {"category_code", "urgency"}


@pytest.mark.parametrize(("role", "pd_kode"), [(Role.WARGA, None), (Role.PETUGAS_PD, "dishub")])
def test_citizens_and_agency_officers_may_not_decide(
    session: Session, media: MediaStore, role: Role, pd_kode: str | None
) -> None:
    store_seed_model(session)
    report = file_report(session, media)
    actor = Actor(kind=ActorKind.USER, role=role, id=902, name="uji", pd_kode=pd_kode)
    with pytest.raises(PermissionDenied):
        triage_service.decide(
            session=session, actor=actor, tracking_number=report.tracking_number, accept=True
        )


def test_a_corrected_report_changes_what_the_next_model_learns(
    session: Session, media: MediaStore
) -> None:
    before = seed_model().predict(PARK_LAMP, has_photo=False)
    assert before.categories[0].code == "lampu-jalan"
    store_seed_model(session)
    for _ in range(3):
        report = file_report(session, media, PARK_LAMP)
        triage_service.decide(
            session=session, actor=OPERATOR, tracking_number=report.tracking_number,
            accept=False, category_code="fasilitas-umum", urgency="sedang",
        )  # fmt: skip
    history = triage_training.history_examples(session)
    assert [(e.category, e.source, e.text) for e in history] == [
        ("fasilitas-umum", HISTORY_SOURCE, PARK_LAMP)
    ] * 3
    trained = triage_training.train(session=session, actor=TRAINER)
    assert trained.row.counts["history"] == 3
    assert trained.row.is_live
    after = trained.model.predict(PARK_LAMP, has_photo=False)
    probability = {r.code: r.probability for r in after.categories}
    old = {r.code: r.probability for r in before.categories}
    assert probability["fasilitas-umum"] > old["fasilitas-umum"] + 0.1
    assert triage_service.live_model(session).version == trained.row.version  # type: ignore[union-attr]
