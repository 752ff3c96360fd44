"""The messages people receive about their contributions: the author of an idea about its
moderation and answer, a volunteer about their adoption. Queued inside the caller's
transaction; the worker delivers them (``complaints/delivery.py``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.participation.choices import AdoptionStatus, IdeaStatus
from pontive.participation.messages import bilingual
from pontive.participation.models import Adoption, Idea
from pontive.participation.service import adoption_link, idea_link, tell


def _idea_status_text(
    idea: Idea, programme_name: str | None, target: Idea | None
) -> tuple[str, str]:
    status = idea.status
    if status is IdeaStatus.MENUNGGU:
        return (
            "Terima kasih. Gagasan Anda kami terima dan menunggu moderasi; setelah terbit, "
            "warga lain dapat mendukung dan mengomentarinya. Pantau di tautan pribadi ini: "
            f"{idea_link(idea.id, private=True)}",
            "Thank you. Your idea was received and awaits moderation; once published, others "
            "can support and comment on it. Follow it at this private link.",
        )
    if status is IdeaStatus.TERBIT:
        return (
            f"Gagasan Anda telah terbit: {idea_link(idea.id)}",
            "Your idea is published.",
        )
    if status is IdeaStatus.DITOLAK:
        reason = idea.rejection_reason or "-"
        return (
            f"Mohon maaf, gagasan Anda tidak dapat diterbitkan. Alasan: {reason}",
            f"Sorry, your idea could not be published. Reason: {reason}",
        )
    if status is IdeaStatus.DIWUJUDKAN:
        name = f"{idea.programme_code} {programme_name or ''}".strip()
        return (
            f"Gagasan Anda diwujudkan dalam program Smart City {name}: {idea_link(idea.id)}",
            f"Your idea became part of the Smart City programme {name}.",
        )
    if status is IdeaStatus.DIGABUNG and target is not None:
        return (
            f'Gagasan Anda digabung dengan gagasan serupa "{target.title}"; dukungannya ikut '
            f"dipindahkan: {idea_link(target.id)}",
            f'Your idea was merged with the similar idea "{target.title}"; its supports '
            "moved there.",
        )
    return (
        f"Status gagasan Anda kini: {status.label('id')}. {idea_link(idea.id)}",
        f"Your idea's status is now: {status.label('en')}.",
    )


def tell_idea_author(
    session: Session,
    idea: Idea,
    *,
    status_changed: bool,
    answered: bool,
    programme_name: str | None = None,
    target: Idea | None = None,
) -> bool:
    """Tell the author what changed (the new state, the city's answer, or both)."""
    parts_id: list[str] = []
    parts_en: list[str] = []
    if status_changed and not (answered and idea.status is IdeaStatus.DIJAWAB):
        text_id, text_en = _idea_status_text(idea, programme_name, target)
        parts_id.append(text_id)
        parts_en.append(text_en)
    if answered and idea.answer:
        parts_id.append(f"Jawaban Pemerintah Kota:\n{idea.answer}\n\n{idea_link(idea.id)}")
        parts_en.append("The city answered your idea (see the link above).")
    if not parts_id:
        return False
    subject = f'Gagasan "{idea.title[:80]}": {idea.status.label("id")}'
    body = bilingual("\n\n".join(parts_id), " ".join(parts_en))
    return tell(session, idea.author_contact, subject, body)


def tell_volunteer(session: Session, adoption: Adoption) -> bool:
    """Tell the volunteer where their adoption stands (with the private link once approved)."""
    status = adoption.status
    name = adoption.facility_name
    if status is AdoptionStatus.DIAJUKAN:
        text = (
            f'Permohonan adopsi fasilitas "{name}" kami terima. Petugas akan meninjaunya.',
            f'Your application to adopt "{name}" was received and will be reviewed.',
        )
    elif status is AdoptionStatus.DISETUJUI:
        period = (
            f"{adoption.starts_on:%d-%m-%Y} s.d. {adoption.ends_on:%d-%m-%Y}"
            if adoption.starts_on and adoption.ends_on
            else "-"
        )
        text = (
            f'Adopsi fasilitas "{name}" disetujui ({period}). Terima kasih telah ikut menjaga '
            "fasilitas kota. Kirim laporan kondisi fasilitas melalui tautan pribadi ini (jangan "
            f"dibagikan): {adoption_link(adoption.id)}",
            f'Your adoption of "{name}" is approved ({period}). Send condition reports '
            "through the private link above (do not share it).",
        )
    elif status is AdoptionStatus.DITOLAK:
        note = adoption.decision_note or "-"
        text = (
            f'Mohon maaf, permohonan adopsi "{name}" tidak disetujui. Keterangan: {note}',
            f'Sorry, the application to adopt "{name}" was not approved. Note: {note}',
        )
    else:
        text = (
            f'Masa adopsi fasilitas "{name}" telah berakhir. Terima kasih atas kepedulian Anda.',
            f'The adoption of "{name}" has ended. Thank you for your care.',
        )
    subject = f'Adopsi fasilitas "{name[:80]}": {status.label("id")}'
    return tell(session, adoption.contact, subject, bilingual(*text))
