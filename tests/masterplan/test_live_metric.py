"""A live metric indicator updates from real complaint data: citizens' reports filed and fixed
through the complaints services, some by their due day and some after it, give the SLA
compliance the indicator shows; the daily job records it once a day; more fixes change it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus, Source
from pontive.complaints.models import Complaint
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.core.errors import Conflict
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext, registered_jobs
from pontive.masterplan import jobs, metrics, monitoring, progress, service
from pontive.masterplan.choices import EntrySource, Rag, RealisationStatus
from pontive.masterplan.console_monitoring_support import this_year, today
from pontive.masterplan.models import Indicator, Realisation
from tests.masterplan.support import TIM, programme

GAJAH_MADA = (109.3427, -0.0391)  # Jl. Gajah Mada, inside the city on any index
STAFF = system_actor("test")
WORK = (
    ComplaintStatus.DIVERIFIKASI,
    ComplaintStatus.DIDISPOSISIKAN,
    ComplaintStatus.DIKERJAKAN,
    ComplaintStatus.SELESAI,
)


def fixed_report(session: Session, media: MediaStore, *, filed_days_ago: int) -> Complaint:
    """A drainage report filed ``filed_days_ago`` days ago (an older one arrives through the
    import, which keeps its time; its due day follows from it) and fixed now."""
    created = utcnow() - timedelta(days=filed_days_ago) if filed_days_ago else None
    receipt = create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code="drainase",
            description="Parit di depan rumah tersumbat sampah, air meluap ke jalan.",
            lon=GAJAH_MADA[0],
            lat=GAJAH_MADA[1],
            source=Source.IMPORT if created else Source.WEB,
            created_at=created,
        ),
        actor=ANONYMOUS,
        media=media,
    )
    for step in WORK:
        workflow.transition(
            session=session,
            actor=STAFF,
            tracking_number=receipt.complaint.tracking_number,
            to=step,
            message="Saluran dibersihkan." if step is ComplaintStatus.SELESAI else "ok",
        )
    return receipt.complaint


@pytest.fixture
def sla_indicator(session: Session) -> Indicator:
    """Smart Governance's 'citizens' report SLA compliance', live, target 90 % this year."""
    owner = programme(session, "GOV-01", dimensi_kode="governance", pd_kode="diskominfo")
    data = service.indicator_from_metric("complaint_sla_compliance")
    data.code, data.targets = "GOV-01.L1", {this_year(): 90.0}
    made = service.save_indicator(session, actor=TIM, data=data, programme=owner)
    session.commit()
    return made


def test_complaint_sla_compliance_updates_from_real_complaints(
    client: TestClient, session: Session, media: MediaStore, sla_indicator: Indicator
) -> None:
    year = this_year()
    # Fewer than five fixes: too few to say (complaints.stats withholds the rate).
    for _ in range(4):
        fixed_report(session, media, filed_days_ago=0)
    assert metrics.compute(session, "complaint_sla_compliance") is None
    assert progress.statuses(session, year)[sla_indicator.id].rag is Rag.NONE

    # Two fixed weeks after their due day: 4 of 6 on time.
    late = [fixed_report(session, media, filed_days_ago=40) for _ in range(2)]
    assert all(c.due_on is not None and c.due_on < today() for c in late)
    status = progress.statuses(session, year)[sla_indicator.id]
    assert (status.value, status.is_live) == (66.7, True)  # round(100 * 4 / 6, 1)
    assert status.achievement == pytest.approx(66.7 / 90)
    assert status.rag is Rag.RED  # 0.74 of the target, below amber's 0.8
    page = client.get("/smartcity/governance").text
    row = page.split('data-indicator="GOV-01.L1"', 1)[1].split("</li>", 1)[0]
    assert "66,7&nbsp;%" in row
    assert "dihitung langsung" in row

    # The daily job records today's value once, as a verified live entry.
    context = JobContext(session=session, bus=MemoryBus())
    (job,) = [j for j in registered_jobs() if j.name == "masterplan.live_metrics"]
    assert job in jobs.JOBS
    assert job.interval_seconds == 24 * 3600
    job.run(context)
    job.run(context)  # the same day again: nothing new
    (entry,) = session.scalars(
        select(Realisation).where(Realisation.indicator_id == sla_indicator.id)
    ).all()
    assert (entry.value, entry.period_date, entry.status, entry.source) == (
        66.7,
        today(),
        RealisationStatus.VERIFIED,
        EntrySource.LIVE,
    )
    recorded = progress.statuses(session, year)[sla_indicator.id]
    assert (recorded.value, recorded.is_live) == (66.7, False)

    # Six more fixed on time: 10 of 12 on time now; tomorrow's record says so.
    for _ in range(6):
        fixed_report(session, media, filed_days_ago=0)
    assert metrics.compute(session, "complaint_sla_compliance") == 83.3
    assert monitoring.record_live(session, day=today() + timedelta(days=1)) == 1
    values = session.scalars(
        select(Realisation.value)
        .where(Realisation.indicator_id == sla_indicator.id)
        .order_by(Realisation.period_date)
    ).all()
    assert values == [66.7, 83.3]


def test_a_live_indicator_is_not_reported_by_hand(
    session: Session, sla_indicator: Indicator
) -> None:
    with pytest.raises(Conflict):
        monitoring.report_value(
            session, actor=TIM, indicator=sla_indicator, period_date=today(), value=99.0
        )
