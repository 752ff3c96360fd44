"""Early-warning alert rules on the forecast Datastreams, made through ``alerts.rules_manage``.

One ``forecast`` rule per forecast stream: the forecast at or above the gauge's Siaga level
within six hours opens a draft for the command center to approve (never published on its
own: BPBD practice, a human signs off a public warning). A rule that exists is left as the
operators keep it; only missing ones are made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import AlertRule
from pontive.alerts.rules_manage import create_rule
from pontive.analytics.forecast_data import Gauge, forecast_streams, list_gauges
from pontive.core.identity import Actor
from pontive.sensors.choices import FloodStatus

HORIZON_S = 6 * 3600
_EMERGENCY = "Dalam keadaan darurat hubungi 112."


def rule_code(gauge_id: int) -> str:
    """The code of a gauge's early-warning rule."""
    return f"prakiraan-siaga-ds{gauge_id}"


def rule_data(gauge: Gauge, forecast_stream_id: int, siaga: float) -> dict[str, Any]:
    """The rule for one gauge (``alerts.rules_manage.create_rule`` fields)."""
    return {
        "code": rule_code(gauge.datastream_id),
        "name_id": f"Peringatan dini: prakiraan {gauge.name} mencapai Siaga dalam 6 jam"[:200],
        "name_en": f"Early warning: {gauge.name} forecast to reach Siaga within 6 hours"[:200],
        "kind": "forecast",
        "params": {
            "datastream_id": forecast_stream_id,
            "op": ">=",
            "value": siaga,
            "horizon_s": HORIZON_S,
        },
        "cap_category": "Met",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "response_type": "Prepare",
        "cooldown_s": 3 * 3600,
        "expires_after_s": 12 * 3600,
        "auto_publish": False,
        "event_id": "Peringatan dini banjir",
        "event_en": "Flood early warning",
        "headline_id": "Prakiraan: air di {station} mencapai Siaga sekitar {time}",
        "headline_en": "Forecast: water at {station} reaching Siaga around {time}",
        "description_id": (
            "Model prakiraan Pontive memperkirakan tinggi air di {station} mencapai {value} "
            "{unit} sekitar {time} (dalam {minutes} menit), di atas ambang Siaga. Ini "
            "prakiraan, bukan pengamatan: periksa pos dan keadaan lapangan sebelum menyetujui."
        ),
        "description_en": (
            "Pontive's forecast model expects the water at {station} to reach {value} {unit} "
            "around {time} (in {minutes} minutes), above the Siaga level. This is a forecast, "
            "not an observation: check the gauge and the situation before approving."
        ),
        "instruction_id": (
            "Warga di sekitar aliran sungai diminta bersiap: amankan dokumen penting dan barang "
            "berharga ke tempat yang lebih tinggi dan ikuti arahan BPBD Kota Pontianak. "
            f"{_EMERGENCY}"
        ),
        "instruction_en": (
            "Residents near the river should get ready: move documents and valuables to higher "
            "ground and follow BPBD Kota Pontianak's instructions. In an emergency call 112."
        ),
    }


@dataclass(frozen=True, slots=True)
class SeedOutcome:
    """What seeding did: rules made, gauges skipped (no forecast stream or no Siaga)."""

    created: list[str]
    skipped: list[str]


def seed_forecast_rules(session: Session, *, actor: Actor) -> SeedOutcome:
    """Make the early-warning rule of every forecast stream that has none (alerts checks the
    actor may manage rules)."""
    gauges = list_gauges(session)
    streams = forecast_streams(session, [g.datastream_id for g in gauges])
    existing = set(session.scalars(select(AlertRule.code)))
    created, skipped = [], []
    for gauge in gauges:
        stream_id, siaga = streams.get(gauge.datastream_id), gauge.level(FloodStatus.SIAGA)
        code = rule_code(gauge.datastream_id)
        if code in existing:
            continue
        if stream_id is None or siaga is None:
            skipped.append(gauge.name)
            continue
        create_rule(
            session,
            actor=actor,
            data=rule_data(gauge, stream_id, round(siaga, 4)),
            note="aturan peringatan dini prakiraan / forecast early-warning rule",
        )
        created.append(code)
    return SeedOutcome(created, skipped)
