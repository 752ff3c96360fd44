"""Emergency numbers shipped with Pontive: the national ones, reachable from any phone.

Only numbers that are certainly public belong here: Indonesia's national emergency lines
(112 is the single number Kota Pontianak's call centre answers too). Local office numbers
(BPBD Kota Pontianak, Damkar, PMI, Polresta, RSUD Sultan Syarif Mohamad Alkadrie) change and
are entered by operators, who can confirm them, rather than shipped from memory. No shelters:
they come from the demo or from operators.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import EmergencyContact
from pontive.core import audit
from pontive.core.identity import system_actor

# (phone, Indonesian name, English name), in the order the public home lists them.
NATIONAL_NUMBERS = (
    ("112", "Layanan Darurat 112", "Emergency line 112"),
    ("110", "Polisi", "Police"),
    ("113", "Pemadam Kebakaran", "Fire brigade"),
    ("119", "Ambulans dan Gawat Darurat Medis (SPGDT)", "Ambulance and medical emergency"),
    ("118", "Ambulans Gawat Darurat", "Emergency ambulance"),
    ("115", "Basarnas (Pencarian dan Pertolongan)", "Search and rescue (Basarnas)"),
)


def seed_emergency_places(session: Session) -> int:
    """Add the national emergency numbers that are missing (by number); returns how many."""
    known = set(session.scalars(select(EmergencyContact.phone)))
    actor = system_actor("seed")
    added = 0
    for position, (phone, name_id, name_en) in enumerate(NATIONAL_NUMBERS, start=1):
        if phone in known:
            continue  # kept as the operators left it (renamed, reordered or deactivated)
        row = EmergencyContact(
            name_id=name_id, name_en=name_en, phone=phone, position=position * 10, active=True
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="alerts.contact.create",
            object_type="emergency_contacts",
            object_id=row.id,
            after={"name_id": name_id, "name_en": name_en, "phone": phone},
        )
        added += 1
    session.commit()
    return added
