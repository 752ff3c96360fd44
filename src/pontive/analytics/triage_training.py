"""Training the triage model from the seed set and the platform's confirmed history, measuring
it on held-out reports, and storing the new version as the live one.

Confirmed history = reports whose suggestion an operator accepted or corrected: the text is
the report's moderated ``public_description`` (never its contact fields), the labels are the
operator's final category and urgency.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.analytics import access
from pontive.analytics.triage_evaluate import Evaluation, evaluate
from pontive.analytics.triage_model import FORMAT, TriageModel
from pontive.analytics.triage_models import TriageModelVersion, TriageSuggestion
from pontive.analytics.triage_train import (
    HISTORY_SOURCE,
    Example,
    Settings,
    fit,
    load_seed,
)
from pontive.complaints.models import Complaint, ComplaintPhoto
from pontive.core import audit, permissions
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow

VERSION_PREFIX = "tri-"


def history_examples(session: Session) -> list[Example]:
    """Reports an operator accepted or corrected, labelled with the operator's decision."""
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.public_description,
            Complaint.kelurahan_kode,
            TriageSuggestion.final_category_code,
            TriageSuggestion.final_urgency,
        )
        .join(TriageSuggestion, TriageSuggestion.complaint_id == Complaint.id)
        .where(
            TriageSuggestion.decision.is_not(None),
            TriageSuggestion.final_category_code.is_not(None),
            TriageSuggestion.final_urgency.is_not(None),
        )
        .order_by(TriageSuggestion.id)
    ).all()
    ids = [row.id for row in rows]
    with_photo = (
        set(
            session.scalars(
                select(ComplaintPhoto.complaint_id)
                .where(ComplaintPhoto.complaint_id.in_(ids), ComplaintPhoto.is_fix.is_(False))
                .distinct()
            )
        )
        if ids
        else set()
    )
    return [
        Example(
            text=row.public_description,
            category=row.final_category_code,
            urgency=row.final_urgency.value,
            has_photo=row.id in with_photo,
            kelurahan_kode=row.kelurahan_kode,
            source=HISTORY_SOURCE,
        )
        for row in rows
    ]


def _settings(cross_validate: bool) -> Settings | None:
    # None: ``evaluate`` chooses C by cross-validation on the training part.
    return None if cross_validate else Settings()


def evaluate_platform(session: Session, *, cross_validate: bool = False) -> Evaluation:
    """The held-out evaluation of a model trained on the seed and the confirmed history,
    with the default ``C`` or the one cross-validation on the training part chooses."""
    seed, history = load_seed(), history_examples(session)
    evaluation, _chosen = evaluate(seed, history, settings=_settings(cross_validate))
    return evaluation


def next_version(session: Session, at: datetime) -> str:
    """``tri-<WIB date>-<n>``: the day's next model version."""
    prefix = f"{VERSION_PREFIX}{at.astimezone(WIB):%Y.%m.%d}-"
    taken = session.scalars(
        select(TriageModelVersion.version).where(TriageModelVersion.version.startswith(prefix))
    )
    numbers = [int(v.removeprefix(prefix)) for v in taken if v.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


@dataclass(frozen=True)
class Trained:
    """A newly stored live model version and its evaluation."""

    row: TriageModelVersion
    model: TriageModel
    evaluation: Evaluation


def store_model(
    *,
    session: Session,
    actor: Actor,
    model: TriageModel,
    evaluation: Evaluation,
    at: datetime | None = None,
) -> TriageModelVersion:
    """Store ``model`` as a new version and make it the live one (audited, committed)."""
    permissions.require(actor, access.TRAIN)
    params = model.to_bytes()
    at = at or utcnow()
    row = TriageModelVersion(
        version=next_version(session, at),
        created_at=at,
        created_by=actor.label,
        is_live=True,
        counts=dict(model.config.get("examples", {})),
        metrics=evaluation.as_dict(),
        params_format=FORMAT,
        params=params,
        params_sha256=hashlib.sha256(params).hexdigest(),
    )
    session.execute(
        update(TriageModelVersion).where(TriageModelVersion.is_live.is_(True)).values(is_live=False)
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="analytics.triage.train",
        object_type="an_triage_model",
        object_id=row.version,
        after={
            "counts": row.counts,
            "category_macro_f1": evaluation.seed.category_macro_f1,
            "sha256": row.params_sha256,
        },
    )
    session.commit()
    return row


def train(
    *,
    session: Session,
    actor: Actor,
    cross_validate: bool = False,
    at: datetime | None = None,
) -> Trained:
    """Evaluate on held-out reports, then fit on all of the seed and confirmed history with
    the same settings, store the new version and make it live. ``cross_validate`` chooses
    ``C`` on the training part first (forty more fits: a command-line option, not a click);
    ``at`` is the moment recorded (now; the demo's history starts earlier)."""
    permissions.require(actor, access.TRAIN)
    seed, history = load_seed(), history_examples(session)
    evaluation, chosen = evaluate(seed, history, settings=_settings(cross_validate))
    model = fit([*seed, *history], chosen)
    row = store_model(session=session, actor=actor, model=model, evaluation=evaluation, at=at)
    return Trained(row, model, evaluation)
