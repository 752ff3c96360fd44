"""Rows the masterplan domain ships, added by ``pontive db upgrade`` when missing: the default
evaluation frameworks (the Smart City evaluation's five aspects and the SPBE
self-assessment, ``evaluation_frameworks.py``). A framework of that kind already there —
as shipped or as the technical team changed it — is kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.masterplan.evaluation_frameworks import DEFAULTS
from pontive.masterplan.models import EvaluationFramework


def seed(*, session: Session) -> int:
    """Add each default framework whose kind has none yet; how many rows were added."""
    have = set(session.scalars(select(EvaluationFramework.kind)))
    added = 0
    for kind, (version, name, make_config) in DEFAULTS.items():
        if kind in have:
            continue
        session.add(
            EvaluationFramework(
                kind=kind, version=version, name=name, config=make_config(), updated_by="seed"
            )
        )
        added += 1
    session.commit()
    return added
