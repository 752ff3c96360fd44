"""Report spikes (alerts/rules_kinds.py): counted through the complaints service, per
kelurahan, cleared by the periodic check once the window has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.alerts import rules
from pontive.alerts.choices import AlertState, RuleKind
from pontive.alerts.models import Alert
from pontive.complaints import service as complaints
from pontive.complaints.schemas import ComplaintCreate
from pontive.core.events import Event
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.alerts.rules_support import make_rule, messages, quiet_default_rules

# Jl. Gajah Mada, Benua Melayu Darat (Pontianak Selatan); Jl. Khatulistiwa, Pontianak Utara.
GAJAH_MADA = (109.3427, -0.0391)
SIANTAN = (109.3390, -0.0070)
SPIKE = {"category_code": "banjir-genangan", "count": 3, "window_s": 3600}
TEMPLATES = {
    "headline_id": "{count} laporan genangan di Kelurahan {kelurahan}",
    "headline_en": "{count} flooding reports in Kelurahan {kelurahan}",
}


@pytest.fixture(autouse=True)
def _only_this_tests_rules(session: Session) -> None:
    quiet_default_rules(session)


def _report(
    session: Session,
    media: MediaStore,
    category: str,
    where: tuple[float, float],
    *,
    names_category: bool = True,
) -> Event:
    """A new report and its ``complaint.created`` event (as complaints/intake.py emits it;
    without ``names_category``, as events stored before it named the category code)."""
    receipt = complaints.create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code=category,
            description="Air setinggi lutut menggenangi jalan sejak subuh.",
            lon=where[0],
            lat=where[1],
        ),
        actor=ANONYMOUS,
        media=media,
    )
    complaint = receipt.complaint
    data = {
        "tracking_number": complaint.tracking_number,
        "category_id": complaint.category_id,
        "kelurahan_kode": complaint.kelurahan_kode,
        "lon": complaint.lon,
        "lat": complaint.lat,
    }
    if names_category:
        data["category_code"] = category
    return Event("complaint.created", data)


def test_enough_reports_in_one_kelurahan_open_one_alert(
    session: Session, media: MediaStore
) -> None:
    rule = make_rule(session, RuleKind.REPORT_SPIKE, SPIKE, **TEMPLATES)
    opened: list[Alert] = []
    for where in (GAJAH_MADA, GAJAH_MADA, SIANTAN, GAJAH_MADA, GAJAH_MADA):
        opened += rules.evaluate(session, _report(session, media, "banjir-genangan", where))
    other = _report(session, media, "drainase", GAJAH_MADA)
    assert rules.evaluate(session, other) == []
    assert len(opened) == 1  # the fourth and fifth reports keep the same alert up
    (alert,) = messages(session, rule)
    assert alert.headline_id == "3 laporan genangan di Kelurahan Benua Melayu Darat"
    assert alert.kelurahan_kodes == ["61.71.01.1003"]
    assert alert.subject == "kel:61.71.01.1003"


def test_the_spike_clears_when_the_window_has_passed(session: Session, media: MediaStore) -> None:
    rule = make_rule(session, RuleKind.REPORT_SPIKE, SPIKE, **TEMPLATES)
    for _ in range(3):
        rules.evaluate(session, _report(session, media, "banjir-genangan", GAJAH_MADA))
    assert rules.check_periodic(session, now=utcnow() + timedelta(minutes=30)) == []
    (closed,) = rules.check_periodic(session, now=utcnow() + timedelta(minutes=61))
    assert closed.state is AlertState.REJECTED
    assert messages(session, rule) == [closed]


def test_reports_outside_every_rule_open_no_write_transaction(
    session: Session, media: MediaStore
) -> None:
    make_rule(session, RuleKind.REPORT_SPIKE, {**SPIKE, "kelurahan_kodes": ["61.71.01.1003"]})
    assert rules.concerns(session, _report(session, media, "banjir-genangan", GAJAH_MADA))
    assert not rules.concerns(session, _report(session, media, "drainase", GAJAH_MADA))
    assert not rules.concerns(session, _report(session, media, "banjir-genangan", SIANTAN))


def test_events_that_do_not_name_the_category_are_still_counted(
    session: Session, media: MediaStore
) -> None:
    rule = make_rule(session, RuleKind.REPORT_SPIKE, SPIKE, **TEMPLATES)
    other = _report(session, media, "drainase", GAJAH_MADA, names_category=False)
    assert rules.concerns(session, other)  # it cannot tell from the event alone
    assert rules.evaluate(session, other) == []
    opened: list[Alert] = []
    for _ in range(3):
        event = _report(session, media, "banjir-genangan", GAJAH_MADA, names_category=False)
        opened += rules.evaluate(session, event)
    assert len(opened) == 1
    assert messages(session, rule) == opened
