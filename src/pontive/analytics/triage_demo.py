"""Demo of the triage part: the first model trained from the seed set, suggestions for the
demo's reports still waiting for triage, and a few weeks of operator decisions on the reports
the command center already routed (accepted where the model guessed the report's category,
corrected to it where not), so the console shows an acceptance rate and corrections.

Fast (one evaluation fit and one final fit, fixed settings) and safe on a database that has a
live model already: then only missing suggestions are made.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pontive.analytics import triage_service, triage_training
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint, ComplaintUpdate
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow

HISTORY_DAYS = 56  # decisions for reports received in the last eight weeks
DECIDED_STATES = frozenset(
    {
        ComplaintStatus.DIDISPOSISIKAN,
        ComplaintStatus.DIKERJAKAN,
        ComplaintStatus.SELESAI,
        ComplaintStatus.DITUTUP,
    }
)


def _routed_reports(session: Session) -> list[Complaint]:
    since = utcnow() - timedelta(days=HISTORY_DAYS)
    query = (
        select(Complaint)
        .where(Complaint.created_at >= since, Complaint.status.in_(DECIDED_STATES))
        .options(selectinload(Complaint.category), selectinload(Complaint.photos))
        .order_by(Complaint.created_at, Complaint.id)
    )
    return list(session.scalars(query))


def _left_triage_at(session: Session, complaint: Complaint) -> ComplaintUpdate | None:
    # The command center's first state change: when the operator decided.
    return session.scalar(
        select(ComplaintUpdate)
        .where(
            ComplaintUpdate.complaint_id == complaint.id,
            ComplaintUpdate.status_from == ComplaintStatus.DITERIMA,
        )
        .order_by(ComplaintUpdate.created_at)
        .limit(1)
    )


def _decide_history(session: Session, actor: Actor, live: triage_service.LiveModel) -> int:
    decided = 0
    for complaint in _routed_reports(session):
        if triage_service.find_suggestion(session, complaint.id) is not None:
            continue
        suggestion = triage_service.suggest_for_complaint(session, complaint, live)
        is_right = suggestion.category_code == complaint.category.code
        triage_service.decide(
            session=session,
            actor=actor,
            tracking_number=complaint.tracking_number,
            accept=is_right,
            category_code=complaint.category.code,
            urgency=suggestion.urgency.value,
        )
        left = _left_triage_at(session, complaint)
        decided_at = left.created_at if left else complaint.created_at + timedelta(hours=2)
        # Back to the simulated moments, as the complaints demo does with its own steps.
        suggestion.created_at = complaint.created_at + timedelta(minutes=1)
        suggestion.decided_at = max(decided_at, suggestion.created_at)
        decided += 1
    session.commit()
    return decided


def load(session: Session, actor: Actor) -> str:
    """Train the first model, suggest for waiting reports, record demo decisions."""
    trained = None
    if triage_service.live_version(session) is None:
        # The demo's model has been live since before the history below.
        since = utcnow() - timedelta(days=HISTORY_DAYS + 1)
        trained = triage_training.train(session=session, actor=actor, at=since)
    live = triage_service.live_model(session)
    if live is None:
        return ""
    decided = _decide_history(session, actor, live)
    waiting = triage_service.suggest_new_reports(session)
    if trained is None:
        return f"saran triase untuk {waiting} laporan baru"
    f1 = trained.evaluation.seed.category_macro_f1
    return (
        f"model triase {live.version} (macro-F1 {f1:.2f} pada data uji), "
        f"saran untuk {waiting} laporan baru, {decided} keputusan operator"
    )
