"""Personal data of participation (UU 27/2022): ideas' authors, supporters, commenters, the
codes that verify them, and volunteers who adopt a facility.

Erasure decisions: an idea stays (it may have become a programme) but its author's name,
contact and index go and its public name becomes "Anonim"; a support stays counted but its
contact index is replaced by a random value, so it no longer links to the person; a comment's
name and text are replaced by a marker; pending verification codes are deleted; an adoption
keeps the facility and its reports but loses the volunteer's name and contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, update
from sqlalchemy.orm import InstrumentedAttribute

from pontive.participation.choices import AdoptionStatus, IdeaStatus
from pontive.participation.models import Adoption, Comment, Idea, Support, Verification
from pontive.participation.service import contact_index
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Erase,
    EraseContext,
    Finder,
    Lookup,
    NotPersonal,
    Personal,
    Retention,
    Source,
    Subject,
    SubjectQuery,
    declare,
)

PURPOSE = (
    "Menerima, memverifikasi dan menjawab partisipasi warga (Perda 9/2022 Pasal 22)",
    "Receiving, verifying and answering citizens' participation (Perda 9/2022 Art. 22)",
)
CONTACT_RULE = (
    "Dihapus {days} hari setelah selesai ditangani (PONTIVE_PRIVACY_PARTICIPANT_CONTACT_DAYS)",
    "Erased {days} days after it was settled (PONTIVE_PRIVACY_PARTICIPANT_CONTACT_DAYS)",
)
CONTACT_SETTING = "privacy_participant_contact_days"
SETTLED_IDEAS = (IdeaStatus.DITOLAK, IdeaStatus.DIJAWAB, IdeaStatus.DIWUJUDKAN, IdeaStatus.DIGABUNG)


def _anonymous_author(context: EraseContext, ids: Sequence[int]) -> None:
    context.session.execute(
        update(Idea)
        .where(Idea.id.in_(ids))
        .values(display_name="Anonim")
        .execution_options(synchronize_session=False)
    )


def _by_index(column: InstrumentedAttribute[Any]) -> Finder:
    """Rows keyed by the contact's index, normalised as participation indexes it."""

    def find(query: SubjectQuery) -> ColumnElement[bool] | None:
        index = contact_index(query.value) if query.lookup is Lookup.CONTACT else None
        return None if index is None else column == index

    return find


def _idea_settled(cutoff: datetime) -> ColumnElement[bool]:
    return and_(Idea.status.in_(SETTLED_IDEAS), Idea.updated_at < cutoff)


declare(
    Source(
        name="participation.ideas",
        model=Idea,
        label=("Gagasan warga", "Citizens' ideas"),
        subject=Subject.WARGA,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(Idea.author_name, Category.IDENTITAS, ("Nama pengusul", "Author's name")),
            Personal(Idea.author_contact, Category.KONTAK, ("Kontak pengusul", "Author's contact")),
            Personal(Idea.author_index, Category.PENGENAL, ("Indeks kontak", "Contact index")),
            Personal(
                Idea.display_name,
                Category.IDENTITAS,
                ("Nama tampil", "Display name"),
                Erase.REPLACED,
                ("diganti 'Anonim'", "replaced by 'Anonim'"),
            ),
        ),
        retention_rule=CONTACT_RULE,
        retention=Retention(CONTACT_SETTING, _idea_settled),
        find=_by_index(Idea.author_index),
        context=(
            Context(Idea.title, ("Judul", "Title")),
            Context(Idea.status, ("Status", "Status")),
            Context(Idea.created_at, ("Dikirim", "Sent")),
        ),
        not_personal=(
            NotPersonal(Idea.answered_by, "the staff member who answered (accountability)"),
            NotPersonal(Idea.updated_by, "the staff member who last changed it"),
        ),
        on_erase=_anonymous_author,
    )
)

declare(
    Source(
        name="participation.supports",
        model=Support,
        label=("Dukungan gagasan", "Supports of ideas"),
        subject=Subject.WARGA,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                Support.contact_index,
                Category.PENGENAL,
                ("Indeks kontak", "Contact index"),
                Erase.RANDOM,
            ),
        ),
        retention_rule=(
            "Selama gagasan ada; saat dihapus, indeks diganti nilai acak (dukungan tetap dihitung)",
            "As long as the idea; on erasure the index becomes random (the support still counts)",
        ),
        find=_by_index(Support.contact_index),
        context=(
            Context(Support.idea_id, ("Gagasan", "Idea")),
            Context(Support.created_at, ("Waktu", "Time")),
        ),
    )
)

declare(
    Source(
        name="participation.comments",
        model=Comment,
        label=("Komentar gagasan", "Comments on ideas"),
        subject=Subject.WARGA,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(Comment.display_name, Category.IDENTITAS, ("Nama", "Name"), Erase.MARKER),
            Personal(Comment.body, Category.TEKS, ("Komentar", "Comment"), Erase.MARKER),
            Personal(Comment.contact_index, Category.PENGENAL, ("Indeks kontak", "Contact index")),
        ),
        retention_rule=(
            "Selama gagasan ada, kecuali dihapus atas permintaan",
            "As long as the idea, unless erased on request",
        ),
        find=_by_index(Comment.contact_index),
        context=(
            Context(Comment.idea_id, ("Gagasan", "Idea")),
            Context(Comment.created_at, ("Waktu", "Time")),
        ),
    )
)

declare(
    Source(
        name="participation.verifications",
        model=Verification,
        label=("Kode verifikasi", "Verification codes"),
        subject=Subject.WARGA,
        purpose=(
            "Memastikan pendukung dan komentator memegang kontaknya",
            "Checking supporters and commenters hold their contact",
        ),
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                Verification.contact_index,
                Category.PENGENAL,
                ("Indeks kontak", "Contact index"),
                Erase.DELETE_ROW,
            ),
            Personal(
                Verification.masked_contact,
                Category.KONTAK,
                ("Kontak tersamar", "Masked contact"),
                Erase.DELETE_ROW,
            ),
            Personal(
                Verification.payload,
                Category.TEKS,
                ("Komentar yang menunggu", "Pending comment"),
                Erase.DELETE_ROW,
            ),
        ),
        retention_rule=(
            "Dihapus {days} hari setelah dibuat (PONTIVE_PRIVACY_VERIFICATION_DAYS)",
            "Deleted {days} days after it was made (PONTIVE_PRIVACY_VERIFICATION_DAYS)",
        ),
        retention=Retention(
            "privacy_verification_days", lambda cutoff: Verification.created_at < cutoff
        ),
        find=_by_index(Verification.contact_index),
        context=(
            Context(Verification.purpose, ("Keperluan", "Purpose")),
            Context(Verification.created_at, ("Dibuat", "Made")),
        ),
    )
)

declare(
    Source(
        name="participation.adoptions",
        model=Adoption,
        label=("Adopsi fasilitas", "Facility adoptions"),
        subject=Subject.WARGA,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                Adoption.volunteer_name, Category.IDENTITAS, ("Nama relawan", "Volunteer's name")
            ),
            Personal(Adoption.contact, Category.KONTAK, ("Kontak relawan", "Volunteer's contact")),
        ),
        retention_rule=CONTACT_RULE,
        retention=Retention(
            CONTACT_SETTING,
            lambda cutoff: and_(
                Adoption.status.in_((AdoptionStatus.BERAKHIR, AdoptionStatus.DITOLAK)),
                Adoption.updated_at < cutoff,
            ),
        ),
        scan_contact=(Adoption.contact,),
        context=(
            Context(Adoption.facility_name, ("Fasilitas", "Facility")),
            Context(Adoption.status, ("Status", "Status")),
            Context(Adoption.created_at, ("Diajukan", "Applied")),
        ),
        not_personal=(
            NotPersonal(Adoption.facility_name, "a public facility"),
            NotPersonal(Adoption.group_name, "a community group's name, not a person's"),
            NotPersonal(Adoption.updated_by, "the staff member who last changed it"),
        ),
    )
)
