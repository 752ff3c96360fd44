"""Demo for ``pontive demo load`` (after every domain's own): raise the reminders the demo's
agreements, certificates, warranties and findings call for today, so that the console's
reminders page and area homes show them as a worker would; then every message the demos
queued to their made-up addresses counts as sent, so the worker never tries them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.complaints import service as complaints
from pontive.core.identity import Actor
from pontive.registry import jobs, reminders


def load(session: Session, actor: Actor) -> str:
    """Raise today's reminders (messages queued as the worker would)."""
    raised = reminders.raise_due(session, today=jobs.today_local())
    for reminder in raised:
        jobs.tell(session, reminder)
    settled = complaints.settle_demo_messages(session)  # the demos' made-up addresses
    session.commit()  # each domain's demo commits its own
    return f"{len(raised)} reminders raised; {settled} demo messages marked sent"
