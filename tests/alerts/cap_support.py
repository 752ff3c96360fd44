"""Factories for the CAP tests: alert rows written straight into the rolled-back session,
and the kelurahan boundaries loaded when the reference file is present."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)
from pontive.alerts.models import Alert
from pontive.core.identity import system_actor
from pontive.core.timeutil import WIB
from pontive.reference.service import load_boundaries
from tests.conftest import BOUNDARIES

SENT = datetime(2026, 11, 29, 18, 5, 12, 345678, tzinfo=WIB)
# Kelurahan on the Kapuas banks: Benua Melayu Laut, Banjar Serasan, Tanjung Hilir.
KAPUAS_KELURAHAN = ["61.71.01.1002", "61.71.02.1002", "61.71.02.1005"]


def load_city_boundaries(session: Session) -> None:
    """Load the reference kelurahan polygons, or skip the test when the file is absent."""
    if not BOUNDARIES.exists():
        pytest.skip(f"reference boundaries not available at {BOUNDARIES}")
    load_boundaries(session=session, actor=system_actor("test"), path=BOUNDARIES)


def make_alert(session: Session, **fields: Any) -> Alert:
    """A published flood alert (BPBD style), overridable field by field."""
    values: dict[str, Any] = {
        "identifier": "pending",
        "sender": "pusdalops@pontianak.go.id",
        "state": AlertState.PUBLISHED,
        "msg_type": MsgType.ALERT,
        "category": CapCategory.MET,
        "event_id": "Banjir pasang Sungai Kapuas",
        "event_en": "Kapuas River tidal flood",
        "urgency": Urgency.EXPECTED,
        "severity": Severity.SEVERE,
        "certainty": Certainty.OBSERVED,
        "response_type": "Prepare",
        "headline_id": "Siaga banjir: muka air Kapuas 215 cm di Pos Jembatan Kapuas I",
        "headline_en": "Flood alert: Kapuas water level 215 cm at Kapuas I Bridge gauge",
        "description_id": "Muka air mencapai 215 cm pada 18.00 WIB dan masih naik.",
        "description_en": "The water level reached 215 cm at 18:00 WIB and is still rising.",
        "instruction_id": "Amankan barang berharga dan dokumen penting ke tempat tinggi.",
        "instruction_en": "Move valuables and important documents to higher ground.",
        "area_desc_id": "Tepian Sungai Kapuas",
        "area_desc_en": "Kapuas riverbank",
        "kelurahan_kodes": list(KAPUAS_KELURAHAN),
        "created_by": "operator1",
        "sent_at": SENT,
        "effective_at": SENT,
        "expires_at": SENT + timedelta(hours=6),
    }
    values.update(fields)
    alert = Alert(**values)
    session.add(alert)
    session.flush()
    if alert.identifier == "pending":
        alert.identifier = f"ptk-{alert.created_at.astimezone(WIB):%Y%m%d}-{alert.id:06d}"
        session.flush()
    return alert
