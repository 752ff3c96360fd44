"""Demo alerts for ``pontive demo load``, made through the services as an operator would:
shelters, a threshold rule on the Kapuas Indah gauge, last week's tidal flood (an alert, its
escalation to Awas and the all-clear), an expired haze alert from the dry season, a draft
awaiting approval, and BMKG's nowcast feed registered but switched off (no internet here).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import feed_sources, places, service
from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    Certainty,
    FeedKind,
    ResponseType,
    Severity,
    Urgency,
)
from pontive.alerts.models import Alert
from pontive.alerts.rules_manage import create_rule
from pontive.alerts.service import AlertContent
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import DEMO_KEY
from pontive.sensors.models import Datastream, Thing

# (name, lon, lat, address, capacity, route)
SHELTERS = (
    (
        "GOR Pangsuma",
        109.3339,
        -0.0538,
        "Jl. Jenderal Ahmad Yani, Pontianak Selatan",
        600,
        "Dari Jl. Tanjungpura lewat Jl. Jenderal Urip, lalu Jl. Jenderal Ahmad Yani.",
        "From Jl. Tanjungpura via Jl. Jenderal Urip, then Jl. Jenderal Ahmad Yani.",
    ),
    (
        "Aula Kantor Camat Pontianak Timur",
        109.3577,
        -0.0335,
        "Jl. Tanjung Raya 1, Pontianak Timur",
        150,
        "Warga Tanjung Hulu dan Banjar Serasan lewat Jl. Tanjung Raya 2 ke arah barat.",
        "Tanjung Hulu and Banjar Serasan residents via Jl. Tanjung Raya 2 westwards.",
    ),
    (
        "Aula Kantor Camat Pontianak Utara",
        109.3379,
        -0.0065,
        "Jl. Khatulistiwa, Pontianak Utara",
        200,
        "Warga Siantan Hilir lewat Jl. Khatulistiwa, hindari Jl. Selat Panjang yang rendah.",
        "Siantan Hilir residents via Jl. Khatulistiwa; avoid low-lying Jl. Selat Panjang.",
    ),
)
BMKG_NOWCAST = "https://www.bmkg.go.id/alerts/nowcast/id/rss.xml"
# The kelurahan the Landak and Kapuas flood first (Tanjung Hulu, Banjar Serasan, Parit Mayor).
RIVERSIDE = ("61.71.02.1004", "61.71.02.1002", "61.71.02.1001")
HAZE_AREA = ("61.71.03.1004", "61.71.03.1001", "61.71.05.1001")

FLOOD = AlertContent(
    event_id="Banjir pasang",
    event_en="Tidal flood",
    headline_id="Banjir pasang Sungai Landak: status Siaga di Tanjung Hulu",
    headline_en="Landak tidal flood: Warning status at Tanjung Hulu",
    category=CapCategory.MET,
    urgency=Urgency.EXPECTED,
    severity=Severity.SEVERE,
    certainty=Certainty.OBSERVED,
    response_type=ResponseType.PREPARE,
    description_id=(
        "Pos Duga Air Sungai Landak Tanjung Hulu mencatat 258 cm pukul 19.40 WIB dan air "
        "masih naik bersama pasang malam. Jalan dan rumah di tepi sungai dapat tergenang "
        "sampai dini hari."
    ),
    description_en=(
        "The Landak gauge at Tanjung Hulu read 258 cm at 19:40 WIB and the water is still "
        "rising with the evening tide. Riverside roads and homes may flood until early "
        "morning."
    ),
    instruction_id=(
        "Amankan dokumen dan barang berharga ke tempat tinggi, matikan listrik bila air masuk "
        "rumah, jauhkan anak dari parit. Dalam keadaan darurat hubungi 112."
    ),
    instruction_en=(
        "Move documents and valuables to higher ground, switch off the power if water enters "
        "the house, keep children away from ditches. In an emergency call 112."
    ),
    kelurahan_kodes=RIVERSIDE,
)
HAZE = AlertContent(
    event_id="Kabut asap",
    event_en="Haze",
    headline_id="Kualitas udara Tidak Sehat di Pontianak Barat dan Kota",
    headline_en="Unhealthy air in Pontianak Barat and Pontianak Kota",
    category=CapCategory.HEALTH,
    urgency=Urgency.IMMEDIATE,
    severity=Severity.MODERATE,
    certainty=Certainty.OBSERVED,
    response_type=ResponseType.AVOID,
    description_id="ISPU stasiun Pontianak Barat mencapai 168 (Tidak Sehat): asap karhutla.",
    description_en="The ISPU at the Pontianak Barat station reached 168 (Unhealthy): fire smoke.",
    instruction_id="Kurangi kegiatan di luar ruangan, pakai masker, tutup jendela malam hari.",
    instruction_en="Limit time outdoors, wear a mask, close windows at night.",
    kelurahan_kodes=HAZE_AREA,
)
ROB = AlertContent(
    event_id="Banjir pasang (rob)",
    event_en="Tidal flooding",
    headline_id="Waspada banjir rob saat pasang tertinggi 1-3 Desember",
    headline_en="Tidal flooding likely at the highest tides, 1-3 December",
    category=CapCategory.MET,
    urgency=Urgency.FUTURE,
    severity=Severity.MINOR,
    certainty=Certainty.LIKELY,
    response_type=ResponseType.MONITOR,
    description_id=(
        "Pasang purnama diperkirakan membuat muka air Kapuas naik sekitar pukul 18.00-22.00 "
        "WIB. Genangan di jalan tepi sungai mungkin terjadi."
    ),
    description_en=(
        "The spring tide is expected to raise the Kapuas around 18:00-22:00 WIB. Riverside "
        "roads may flood."
    ),
    instruction_id="Pantau informasi Pusat Komando dan hindari jalan tepi sungai saat pasang.",
    instruction_en="Follow the Command Center's updates and avoid riverside roads at high tide.",
    kelurahan_kodes=RIVERSIDE,
)


def _kapuas_indah_stream(session: Session) -> int | None:
    things = session.scalars(select(Thing)).all()
    thing_id = next(
        (t.id for t in things if (t.properties or {}).get(DEMO_KEY) == "kapuas-indah"), None
    )
    if thing_id is None:
        return None
    return session.scalar(
        select(Datastream.id).where(
            Datastream.thing_id == thing_id,
            Datastream.quantity == Quantity.WATER_LEVEL,
            Datastream.derived_from_id.is_(None),
        )
    )


def _shelters(session: Session, actor: Actor) -> int:
    for name, lon, lat, address, capacity, route_id, route_en in SHELTERS:
        fields = places.ShelterFields(name, lon, lat, address, capacity, route_id, route_en)
        places.create_shelter(session, actor=actor, fields=fields)
    return len(SHELTERS)


def _rule(session: Session, actor: Actor) -> int:
    stream_id = _kapuas_indah_stream(session)
    if stream_id is None:
        return 0
    create_rule(
        session,
        actor=actor,
        data={
            "code": "kapuas-indah-250",
            "name_id": "Kapuas Indah ≥ 250 cm selama 15 menit",
            "name_en": "Kapuas Indah ≥ 250 cm for 15 minutes",
            "kind": "threshold",
            "params": {
                "datastream_id": stream_id,
                "op": ">=",
                "value": 250,
                "clear_value": 240,
                "duration_s": 900,
            },
            "cooldown_s": 3 * 3600,
            "severity": "Severe",
            "response_type": "Prepare",
            "event_id": "Banjir pasang",
            "event_en": "Tidal flood",
            "headline_id": "Muka air Kapuas {value} {unit} di {station}",
            "headline_en": "The Kapuas at {value} {unit} at {station}",
            "description_id": "Pos {station} mencatat {value} {unit} pada {time}; air bisa meluap.",
            "description_en": "The {station} gauge read {value} {unit} at {time}; it may overflow.",
            "instruction_id": "Warga tepi sungai bersiap; ikuti arahan BPBD. Darurat: 112.",
            "instruction_en": "Riverside residents get ready; follow BPBD. Emergency: 112.",
        },
        note="demo",
    )
    session.commit()
    return 1


def _history(session: Session, actor: Actor, now: datetime) -> dict[str, int]:
    # Last week's flood: drafted by the rule's operators, escalated to Awas, cleared.
    start = now - timedelta(days=6, hours=4)
    flood = service.draft_alert(session, actor=actor, content=FLOOD, now=start)
    service.approve(session, actor=actor, alert_id=flood.id, now=start + timedelta(minutes=8))
    awas = service.issue_update(
        session,
        actor=actor,
        alert_id=flood.id,
        changes={
            "headline_id": "Banjir pasang Sungai Landak: status Awas di Tanjung Hulu",
            "headline_en": "Landak tidal flood: Danger status at Tanjung Hulu",
            "severity": Severity.EXTREME,
            "urgency": Urgency.IMMEDIATE,
            "response_type": ResponseType.EVACUATE,
            "instruction_id": (
                "Warga Tanjung Hulu di tepi sungai mengungsi ke Aula Kantor Camat Pontianak "
                "Timur. Bawa obat-obatan dan dokumen. Darurat: 112."
            ),
            "instruction_en": (
                "Riverside residents of Tanjung Hulu go to the Pontianak Timur district "
                "office hall. Take medicines and documents. Emergency: 112."
            ),
        },
        now=start + timedelta(hours=2),
    )
    service.cancel(
        session,
        actor=actor,
        alert_id=awas.id,
        reason="Air surut di bawah status Waspada sejak pukul 04.10 WIB.",
        reason_en="The water fell below Alert status at 04:10 WIB.",
        now=start + timedelta(hours=9),
    )
    # The dry season's haze: published, then expired.
    haze_start = now - timedelta(days=68)
    haze = service.draft_alert(
        session,
        actor=actor,
        content=dataclasses.replace(HAZE, expires_at=haze_start + timedelta(hours=8)),
        now=haze_start,
    )
    service.approve(session, actor=actor, alert_id=haze.id, now=haze_start + timedelta(minutes=5))
    service.expire_due(session, now=haze_start + timedelta(hours=9))
    session.commit()
    service.expire_due(session, now=now)  # what the worker's job would have done since
    session.commit()
    # Awaiting approval now: next week's spring tides.
    service.draft_alert(
        session,
        actor=actor,
        content=dataclasses.replace(
            ROB, onset_at=now + timedelta(days=2), expires_at=now + timedelta(days=5)
        ),
        now=now - timedelta(minutes=35),
    )
    states = session.scalars(select(Alert.state)).all()
    return {state.value: sum(1 for s in states if s is state) for state in AlertState}


def load(session: Session, actor: Actor) -> str:
    """Load the demo; a one-line summary for ``pontive demo load``."""
    now = utcnow().replace(second=0, microsecond=0)
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        shelters = _shelters(session, actor)
        rules = _rule(session, actor)
        states = _history(session, actor, now)
        feed_sources.create_source(
            session,
            actor=actor,
            fields=feed_sources.SourceFields(
                "BMKG — peringatan dini cuaca (nowcast)", BMKG_NOWCAST, FeedKind.RSS, 300, False
            ),
        )
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    counts = ", ".join(f"{n} {state}" for state, n in states.items() if n)
    total = sum(states.values())
    return f"{total} pesan CAP ({counts}), {shelters} tempat pengungsian, {rules} aturan demo"
