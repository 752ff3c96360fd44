"""Correcting a report's category: the operator's fix for a citizen's (or a model's) wrong pick.

A report filed under the wrong category goes to the wrong agency with the wrong SLA, the
boundary problem FixMyStreet's users complain about. Before an agency has started work the
operator may move it to the right category: the agency follows the new category's routing (the
category's PD, or the kecamatan office), the due date is counted again from the day it was
received with the new category's working days, the reporter sees a public line saying so, and
the change is audited. Once work has started, the agency answers *bukan kewenangan* first
(which brings the report back here).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus, UpdateKind
from pontive.complaints.intake import complaint_event, find_category, route
from pontive.complaints.models import Complaint, ComplaintUpdate
from pontive.complaints.service import TRIAGE, get_by_tracking
from pontive.complaints.sla import add_working_days, load_holidays
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import emit
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow

# Before an agency works the report (or after it handed it back).
CHANGEABLE = frozenset(
    {
        ComplaintStatus.DITERIMA,
        ComplaintStatus.DIVERIFIKASI,
        ComplaintStatus.DIDISPOSISIKAN,
        ComplaintStatus.BUKAN_KEWENANGAN,
    }
)


def change_category(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    category_code: str,
    reason: str = "",
) -> Complaint:
    """Move a report to another category (and the agency and SLA that come with it)."""
    permissions.require(actor, TRIAGE)
    complaint = get_by_tracking(session, tracking_number)
    if complaint.status not in CHANGEABLE:
        raise Conflict(
            f"Kategori laporan berstatus '{complaint.status.label('id')}' tidak dapat diubah.",
            f"The category of a report that is '{complaint.status.label('en')}' cannot change.",
        )
    try:
        category = find_category(session, category_code)
    except NotFound as error:
        raise InvalidInput(
            errors={"category": [f"Kategori '{category_code}' tidak dikenal atau tidak aktif."]}
        ) from error
    if category.id == complaint.category_id:
        return complaint
    before = {
        "category": complaint.category.code,
        "pd": complaint.pd_kode,
        "due_on": complaint.due_on.isoformat() if complaint.due_on else None,
    }
    now = utcnow()
    received = complaint.created_at.astimezone(WIB).date()
    complaint.category_id = category.id
    complaint.pd_kode = route(session, category, complaint.kecamatan_kode)
    complaint.due_on = add_working_days(
        received, category.sla_days, load_holidays(session, around=received)
    )
    complaint.updated_at = now
    note = reason.strip()
    complaint.updates.append(
        ComplaintUpdate(
            kind=UpdateKind.REPLY,
            is_public=True,
            message=(
                f"Kategori laporan diperbaiki menjadi '{category.name_id}'"
                + (f": {note}" if note else ".")
            ),
            actor=actor.label,
            actor_pd_kode=actor.pd_kode,
            created_at=now,
        )
    )
    session.flush()
    session.expire(complaint, ["category"])
    audit.record(
        session,
        actor=actor,
        action="complaint.category_changed",
        object_type="complaint",
        object_id=complaint.tracking_number,
        before=before,
        after={
            "category": category.code,
            "pd": complaint.pd_kode,
            "due_on": complaint.due_on.isoformat(),
            "reason": note,
        },
    )
    emit(
        session,
        complaint_event(
            "complaint.category_changed", complaint, previous_category=before["category"]
        ),
    )
    session.commit()
    return complaint
