"""Where an idea leads: the masterplan programme that realised it (its public page is the
dimension's page of ``/smartcity``, which lists the programme), and complaints for a damaged
facility (``/lapor?kategori=``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pontive.core.errors import NotFound
from pontive.masterplan import service as masterplan
from pontive.participation.choices import COMPLAINT_CATEGORY, FacilityKind

SMARTCITY = "/smartcity"  # masterplan/pages_public.py PUBLIC


@dataclass(frozen=True, slots=True)
class ProgrammeLink:
    """A masterplan programme as an idea's page shows it."""

    code: str
    name: str
    dimensi_kode: str

    @property
    def url(self) -> str:
        """Its public page: the programme in its dimension's list."""
        return f"{SMARTCITY}/{self.dimensi_kode}#programme-{self.code}"


def programme_link(session: Session, code: str | None) -> ProgrammeLink | None:
    """The programme ``code`` names, when it exists."""
    if not code:
        return None
    try:
        programme = masterplan.get_programme(session, code)
    except NotFound:
        return None
    return ProgrammeLink(programme.code, programme.name, programme.dimensi_kode)


def programme_links(session: Session) -> dict[str, ProgrammeLink]:
    """Every active programme by code (lists of ideas: one query, not one per idea)."""
    return {
        p.code: ProgrammeLink(p.code, p.name, p.dimensi_kode)
        for p in masterplan.list_programmes(session)
    }


def complaint_url(kind: FacilityKind) -> str:
    """The complaint form for damage to a facility of ``kind``."""
    return f"/lapor?kategori={COMPLAINT_CATEGORY[kind]}"
