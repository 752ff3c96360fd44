"""Personal data of the institutions (UU 27/2022): council members, the technical team,
training participants, certified civil servants and outsourced experts.

These are people in public office or under contract, recorded because Perda 9/2022 requires
it (Pasal 5-6, 12-13): their names are kept (the decree or the record names them); council
members' own e-mail and phone are cleared on request and after their term.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_

from pontive.institutions.models import (
    Certification,
    CouncilMember,
    Expert,
    Participant,
    TeamMember,
    TechnologyTransfer,
)
from pontive.privacy.declare import (
    Basis,
    Category,
    ColumnRef,
    Context,
    Erase,
    NotPersonal,
    Personal,
    Retention,
    Source,
    Subject,
    declare,
    not_personal,
)

PUBLIC_OFFICE = ("tercatat karena jabatan (Perda 9/2022)", "recorded for the office held")
RECORD_PURPOSE = (
    "Mencatat kelembagaan dan SDM kota cerdas (Perda 9/2022 Pasal 5-6, 12-13)",
    "Recording the smart city's institutions and staff (Perda 9/2022 Art. 5-6, 12-13)",
)
KEPT = ("Disimpan sebagai arsip kelembagaan", "Kept as the institutional record")


def _term_ended(cutoff: datetime) -> ColumnElement[bool]:
    return and_(CouncilMember.term_ends_on.is_not(None), CouncilMember.term_ends_on < cutoff.date())


def _kept(ref: ColumnRef, label: tuple[str, str]) -> Personal:
    return Personal(ref, Category.IDENTITAS, label, Erase.KEEP, PUBLIC_OFFICE)


declare(
    Source(
        name="institutions.council",
        model=CouncilMember,
        label=("Anggota Dewan Smart City", "Smart City Council members"),
        subject=Subject.PEJABAT,
        purpose=RECORD_PURPOSE,
        basis=Basis.KEWAJIBAN_HUKUM,
        personal=(
            _kept(CouncilMember.name, ("Nama", "Name")),
            Personal(CouncilMember.email, Category.KONTAK, ("E-mail", "E-mail")),
            Personal(CouncilMember.phone, Category.KONTAK, ("Telepon", "Phone")),
        ),
        retention_rule=(
            "Nama disimpan; kontak dihapus {days} hari setelah masa jabatan berakhir "
            "(PONTIVE_PRIVACY_OFFICIAL_CONTACT_DAYS)",
            "Name kept; contact erased {days} days after the term ends "
            "(PONTIVE_PRIVACY_OFFICIAL_CONTACT_DAYS)",
        ),
        retention=Retention("privacy_official_contact_days", _term_ended),
        scan_contact=(CouncilMember.email, CouncilMember.phone),
        context=(
            Context(CouncilMember.position, ("Jabatan", "Position")),
            Context(CouncilMember.term_starts_on, ("Mulai menjabat", "Term starts")),
            Context(CouncilMember.term_ends_on, ("Akhir jabatan", "Term ends")),
        ),
    )
)

for _name, _model, _column, _subject_label in (
    ("institutions.team", TeamMember, TeamMember.person_name, ("Tim teknis", "Technical team")),
    (
        "institutions.certifications",
        Certification,
        Certification.holder_name,
        ("Sertifikasi ASN", "Civil servants' certifications"),
    ),
    ("institutions.experts", Expert, Expert.name, ("Tenaga ahli", "Outsourced experts")),
):
    declare(
        Source(
            name=_name,
            model=_model,
            label=_subject_label,
            subject=Subject.PEJABAT,
            purpose=RECORD_PURPOSE,
            basis=Basis.KEWAJIBAN_HUKUM,
            personal=(_kept(_column, ("Nama", "Name")),),
            retention_rule=KEPT,
        )
    )

declare(
    Source(
        name="institutions.participants",
        model=Participant,
        label=("Peserta peningkatan kapasitas", "Capacity-building participants"),
        subject=Subject.PEJABAT,
        purpose=RECORD_PURPOSE,
        basis=Basis.KEWAJIBAN_HUKUM,
        personal=(
            _kept(Participant.name, ("Nama", "Name")),
            Personal(
                Participant.nip,
                Category.IDENTITAS,
                ("NIP", "Civil-servant number"),
                Erase.KEEP,
                PUBLIC_OFFICE,
            ),
        ),
        retention_rule=KEPT,
    )
)

not_personal(
    NotPersonal(TechnologyTransfer.recipient_pd, "the receiving agency"),
)
