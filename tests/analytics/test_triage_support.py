"""Shared pieces of the triage tests (no tests here): the seed model fitted once per run,
a report factory, and the live model stored in a test's database."""

from __future__ import annotations

from functools import cache

from sqlalchemy.orm import Session

from pontive.analytics import triage_evaluate, triage_training
from pontive.analytics.triage_evaluate import Evaluation
from pontive.analytics.triage_model import TriageModel
from pontive.analytics.triage_models import TriageModelVersion
from pontive.analytics.triage_train import Settings, fit, load_seed
from pontive.complaints.models import Complaint
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore

TRAINER = system_actor("test")
# Jl. Gajah Mada, Benua Melayu Darat (Pontianak Selatan).
GAJAH_MADA = (109.3427, -0.0391)
STREETLIGHT = "Lampu jalan di depan gang kami mati sudah seminggu, malam hari gelap sekali."


@cache
def seed_evaluation() -> Evaluation:
    """The held-out evaluation of the seed set with the default settings (one fit a run)."""
    evaluation, _settings = triage_evaluate.evaluate(load_seed(), settings=Settings())
    return evaluation


@cache
def seed_model() -> TriageModel:
    """The model fitted on the whole seed set with the default settings."""
    return fit(load_seed(), Settings())


def store_seed_model(session: Session) -> TriageModelVersion:
    """Make the seed model the live one in this test's database."""
    return triage_training.store_model(
        session=session, actor=TRAINER, model=seed_model(), evaluation=seed_evaluation()
    )


def file_report(
    session: Session,
    media: MediaStore,
    text: str = STREETLIGHT,
    *,
    category: str = "lampu-jalan",
    spot: tuple[float, float] | None = GAJAH_MADA,
) -> Complaint:
    """An anonymous report through the complaints service (status *diterima*)."""
    lon, lat = spot if spot else (None, None)
    receipt = create_complaint(
        session=session,
        data=ComplaintCreate(category_code=category, description=text, lon=lon, lat=lat),
        actor=ANONYMOUS,
        media=media,
    )
    return receipt.complaint
