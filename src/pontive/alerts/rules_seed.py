"""Default alert rules the platform ships, needing no demo ids (any station, any kelurahan).

Seeded once by code: an operator's later changes to a seeded rule are kept, and a rule the
operators deleted is not brought back while another with its code exists. None publishes on
its own: every firing is a draft for the command center to approve (BPBD practice: a human
signs off a public warning).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import AlertRule
from pontive.alerts.rules_manage import create_rule
from pontive.core.identity import system_actor

_EMERGENCY = "Dalam keadaan darurat hubungi 112."
DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "code": "banjir-siaga",
        "name_id": "Status banjir Siaga atau lebih tinggi di pos pemantau mana pun",
        "name_en": "Flood status Warning or higher at any gauge",
        "kind": "index_category",
        "params": {"quantity": "flood_status", "at_least": "siaga"},
        "cap_category": "Met",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Observed",
        "response_type": "Prepare",
        "cooldown_s": 3600,
        "expires_after_s": 6 * 3600,
        "event_id": "Banjir",
        "event_en": "Flood",
        "headline_id": "Status banjir {category} di {station}",
        "headline_en": "Flood status {category} at {station}",
        "description_id": (
            "Pos pemantau {station} mencatat status banjir {category} pada {time}. "
            "Air sungai dapat meluap ke permukiman dan jalan di sekitarnya."
        ),
        "description_en": (
            "The {station} gauge reported flood status {category} at {time}. "
            "The river may overflow into nearby homes and roads."
        ),
        "instruction_id": (
            "Warga di sekitar aliran sungai diminta siaga: amankan dokumen penting dan barang "
            "berharga ke tempat yang lebih tinggi, matikan listrik bila air masuk rumah, dan "
            f"ikuti arahan BPBD Kota Pontianak. {_EMERGENCY}"
        ),
        "instruction_en": (
            "Residents near the river should get ready: move documents and valuables to higher "
            "ground, switch off the power if water enters the house, and follow BPBD Kota "
            "Pontianak's instructions. In an emergency call 112."
        ),
    },
    {
        "code": "ispu-tidak-sehat",
        "name_id": "ISPU Tidak Sehat atau lebih buruk di stasiun mana pun",
        "name_en": "Air quality (ISPU) Unhealthy or worse at any station",
        "kind": "index_category",
        "params": {"quantity": "ispu", "at_least": "tidak_sehat"},
        "cap_category": "Health",
        "urgency": "Immediate",
        "severity": "Moderate",
        "certainty": "Observed",
        "response_type": "Avoid",
        "cooldown_s": 3 * 3600,
        "expires_after_s": 6 * 3600,
        "event_id": "Kualitas udara tidak sehat",
        "event_en": "Unhealthy air quality",
        "headline_id": "Kualitas udara {category} di sekitar {station}",
        "headline_en": "Air quality {category} around {station}",
        "description_id": (
            "Indeks Standar Pencemar Udara (ISPU) di stasiun {station} mencapai {value} "
            "(kategori {category}) pada {time}."
        ),
        "description_en": (
            "The air quality index (ISPU) at the {station} station reached {value} "
            "({category}) at {time}."
        ),
        "instruction_id": (
            "Kurangi kegiatan di luar ruangan, terutama anak-anak, lansia, ibu hamil dan "
            "penderita penyakit pernapasan atau jantung. Tutup jendela dan pakai masker bila "
            "harus keluar rumah. Segera ke fasilitas kesehatan bila sesak napas."
        ),
        "instruction_en": (
            "Limit outdoor activity, especially children, older people, pregnant women and "
            "people with respiratory or heart conditions. Keep windows closed and wear a mask "
            "outdoors. Seek medical care if short of breath."
        ),
    },
    {
        "code": "stasiun-senyap-60",
        "name_id": "Stasiun pemantau tidak mengirim data selama 60 menit",
        "name_en": "Monitoring station silent for 60 minutes",
        "kind": "missing_data",
        "params": {"silent_minutes": 60},
        "cap_category": "Infra",
        "urgency": "Expected",
        "severity": "Minor",
        "certainty": "Observed",
        "response_type": "Monitor",
        "cooldown_s": 6 * 3600,
        "expires_after_s": 12 * 3600,
        "event_id": "Gangguan stasiun pemantau",
        "event_en": "Monitoring station outage",
        "headline_id": "{station} tidak mengirim data sejak {last_seen}",
        "headline_en": "{station} silent since {last_seen}",
        "description_id": (
            "Tidak ada data dari {station} selama lebih dari {minutes} menit. Peringatan dini "
            "dari stasiun ini tidak dapat diandalkan sampai data kembali masuk."
        ),
        "description_en": (
            "No data from {station} for more than {minutes} minutes. Early warnings from this "
            "station cannot be relied on until data arrives again."
        ),
        "instruction_id": "Tim teknis memeriksa catu daya, jaringan dan perangkat stasiun.",
        "instruction_en": "The technical team checks the station's power, network and device.",
    },
    {
        "code": "lonjakan-laporan-banjir",
        "name_id": "Lima laporan banjir/genangan atau lebih di satu kelurahan dalam satu jam",
        "name_en": "Five or more flooding reports in one kelurahan within an hour",
        "kind": "report_spike",
        "params": {"category_code": "banjir-genangan", "count": 5, "window_s": 3600},
        "cap_category": "Met",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "response_type": "Avoid",
        "cooldown_s": 3 * 3600,
        "expires_after_s": 3 * 3600,
        "event_id": "Genangan dilaporkan warga",
        "event_en": "Flooding reported by residents",
        "headline_id": "{count} laporan banjir/genangan di Kelurahan {kelurahan}",
        "headline_en": "{count} flooding reports in Kelurahan {kelurahan}",
        "description_id": (
            "Dalam {minutes} menit terakhir warga mengirim {count} laporan banjir atau genangan "
            "dari Kelurahan {kelurahan}. Petugas sedang memverifikasi keadaan di lapangan."
        ),
        "description_en": (
            "In the last {minutes} minutes residents sent {count} reports of flooding from "
            "Kelurahan {kelurahan}. Officers are verifying the situation on the ground."
        ),
        "instruction_id": (
            "Hindari ruas jalan yang tergenang, jauhkan anak-anak dari parit dan saluran air, "
            f"dan laporkan genangan baru melalui Pontive. {_EMERGENCY}"
        ),
        "instruction_en": (
            "Avoid flooded roads, keep children away from ditches and drains, and report new "
            "flooding through Pontive. In an emergency call 112."
        ),
    },
)


def seed_rules(session: Session) -> int:
    """Create the default rules whose codes are absent; how many were created."""
    existing = set(session.scalars(select(AlertRule.code)))
    actor = system_actor("alerts.seed")
    created = 0
    for data in DEFAULT_RULES:
        if data["code"] in existing:
            continue
        create_rule(session, actor=actor, data=data, note="aturan bawaan / default rule")
        created += 1
    return created
