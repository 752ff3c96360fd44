"""Demo reports: every state, every kelurahan, believable histories, no personal data out."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pontive.analytics import hotspot_demo
from pontive.app import create_app
from pontive.complaints import service
from pontive.complaints.choices import ComplaintStatus, DeliveryStatus, UpdateKind
from pontive.complaints.models import Complaint, Notification
from pontive.complaints.open311_format import _media_url, _status_notes
from pontive.core.audit import verify_chain
from pontive.core.db import Database
from pontive.core.timeutil import utcnow
from pontive.reference.models import Kelurahan
from tests.conftest import DemoDatabase, make_settings


def test_demo_reports_look_real_and_leak_no_personal_data(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    session = demo_session
    summary = demo_database.summary["complaints"]
    reports = session.scalars(
        select(Complaint).options(selectinload(Complaint.updates), selectinload(Complaint.category))
    ).all()
    # The Wi-Fi demo files its own, and the analytics demo its cluster of flood reports.
    own = [
        r
        for r in reports
        if r.category.code != "wifi-publik"
        and not (r.idempotency_key or "").startswith(hotspot_demo.KEY_PREFIX)
    ]
    assert summary.startswith(f"{len(own)} laporan")
    assert len(reports) >= 250

    # Every state, and most reports dealt with.
    states = Counter(report.status for report in reports)
    assert set(states) == set(ComplaintStatus), states
    assert states[ComplaintStatus.SELESAI] + states[ComplaintStatus.DITUTUP] > len(reports) / 2

    # Every kelurahan of the city has reports.
    kelurahan = set(session.scalars(select(Kelurahan.kode)))
    assert {report.kelurahan_kode for report in reports} == kelurahan

    # Histories spread over months and run forward in time.
    now = utcnow()
    assert min(r.created_at for r in reports) < now - timedelta(days=150)
    for report in reports:
        times = [entry.created_at for entry in report.updates]
        assert times == sorted(times), report.tracking_number
        assert report.created_at <= times[0] <= now
        for moment in (report.first_response_at, report.resolved_at, report.closed_at):
            assert moment is None or report.created_at <= moment <= now
    assert any(r.resolved_at and r.due_on and r.resolved_at.date() > r.due_on for r in reports)
    rerouted = [
        r
        for r in reports
        if any(u.status_to is ComplaintStatus.BUKAN_KEWENANGAN for u in r.updates)
    ]
    assert len(rerouted) >= 3
    merged = [r for r in reports if r.status is ComplaintStatus.DUPLIKAT]
    assert all(r.duplicate_of_id is not None for r in merged)
    ratings = Counter(r.rating for r in reports if r.rating is not None)
    assert sum(ratings[n] for n in (3, 4, 5)) > 0.7 * sum(ratings.values())
    assert any(u.kind is UpdateKind.REPLY for r in reports for u in r.updates)

    # Nothing is queued for delivery to the made-up addresses.
    pending = select(func.count(Notification.id)).where(
        Notification.status == DeliveryStatus.PENDING
    )
    assert session.scalar(pending) == 0
    assert verify_chain(session).is_intact

    # Personal data stays out of public text and public outputs.
    secrets = {
        value
        for r in reports
        for value in (r.reporter_name, r.reporter_phone, r.reporter_email)
        if value
    }
    assert len(secrets) > 100
    assert any(r.public_description != r.description for r in reports)  # moderated
    public_text = " ".join(
        [r.public_description for r in reports]
        + [u.message for r in reports for u in r.updates if u.is_public]
    )
    outputs = [public_text]
    with TestClient(create_app(make_settings(demo_database.url))) as client:
        for page in (1, 2, 3):
            response = client.get(f"/api/v1/complaints?page={page}&page_size=100")
            assert response.status_code == 200
            outputs.append(response.text)
        response = client.get("/open311/v2/requests.json")
        assert response.status_code == 200
        outputs.append(response.text)
    leaks = [secret for secret in secrets if any(secret in text for text in outputs)]
    assert leaks == []


def test_the_public_list_shows_the_notes_and_photos_the_whole_report_would(
    demo_database: DemoDatabase,
) -> None:
    # list_public loads only public status changes and public photos before the fix; what the
    # feed says of each report must be what its whole timeline and photo set say.
    with Database(demo_database.url) as database:
        with database.session(write=False) as session:
            listed = service.list_public(session, filters=service.ComplaintFilter(), page_size=1000)
            shown = {c.tracking_number: (_status_notes(c), _media_url(c, "")) for c in listed}
        with database.session(write=False) as session:
            whole = session.scalars(
                select(Complaint)
                .where(Complaint.tracking_number.in_(list(shown)))
                .options(selectinload(Complaint.updates), selectinload(Complaint.photos))
            ).all()
            expected = {c.tracking_number: (_status_notes(c), _media_url(c, "")) for c in whole}
    assert len(shown) >= 100
    assert shown == expected
    assert sum(1 for notes, _ in shown.values() if notes) >= 10  # reasons are shown
