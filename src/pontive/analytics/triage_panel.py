"""The "Saran triase / Triage suggestion" panel of a report's desk page
(``/console/pengaduan/<tracking>``), for those who triage reports.

The desk (``complaints/console_desk.py``) asks ``desk_panel`` for it; it makes the report's
suggestion on the spot when the report is still being triaged and has none yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pontive.analytics import triage_service, triage_text
from pontive.analytics.triage_choices import Urgency
from pontive.analytics.triage_models import TriageSuggestion
from pontive.complaints import service as complaints
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.reference import service as reference

# While a report is in these states the command center still decides where it goes.
TRIAGE_STATES = frozenset(
    {ComplaintStatus.DITERIMA, ComplaintStatus.DIVERIFIKASI, ComplaintStatus.BUKAN_KEWENANGAN}
)
_PIECES = re.compile(r"([^\W_]+(?:-[^\W_]+)*)")


@dataclass(frozen=True, slots=True)
class Choice:
    """A category (or urgency) with its name and the model's probability, in percent."""

    code: str
    name: str
    percent: int


@dataclass(frozen=True, slots=True)
class TriagePanel:
    """Everything the panel template reads."""

    categories: list[tuple[str, str]]  # (code, name) for the correction form
    urgencies: list[tuple[str, str]]
    is_model_missing: bool = False
    suggestion: TriageSuggestion | None = None
    best: Choice | None = None
    others: list[Choice] = field(default_factory=list)
    pd_name: str | None = None
    urgency: Choice | None = None
    reasons: list[str] = field(default_factory=list)
    segments: list[tuple[str, bool]] = field(default_factory=list)  # reason words marked
    final_category: str | None = None
    final_pd_name: str | None = None
    category_differs: bool = False  # the operator's category is not the report's (yet)
    pd_differs: bool = False


def _percent(probability: float) -> int:
    return round(probability * 100)


def highlight(text: str, reasons: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, those whose normalised words are among the reasons marked."""
    marked = {word for term in reasons for word in term.split()}
    marked |= {triage_text.stem(word) for word in marked}
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _PIECES.finditer(text):
        words = triage_text.tokens(match.group(0))
        is_reason = any(w in marked or triage_text.stem(w) in marked for w in words)
        if not is_reason:
            continue
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def desk_panel(
    session: Session, actor: Actor, complaint: Complaint, *, lang: str
) -> TriagePanel | None:
    """The panel for ``actor`` on this report's desk, or ``None`` when they do not triage."""
    if not permissions.can(actor, complaints.TRIAGE):
        return None
    suggestion = triage_service.find_suggestion(session, complaint.id)
    if suggestion is None and complaint.status in TRIAGE_STATES:
        suggestion = triage_service.ensure_suggestion(session, complaint)
    categories = {c.code: c.name(lang) for c in complaints.list_categories(session)}
    pds = {pd.kode: pd.singkatan for pd in reference.list_perangkat_daerah(session=session)}
    choices = sorted(categories.items(), key=lambda item: item[1])
    urgencies = Urgency.options(lang)
    if suggestion is None:
        is_missing = triage_service.live_version(session) is None
        return TriagePanel(choices, urgencies, is_model_missing=is_missing)
    ranked = [
        Choice(a["code"], categories.get(a["code"], a["code"]), _percent(a["probability"]))
        for a in suggestion.alternatives
    ]
    reasons = [r["term"] for r in suggestion.reasons]
    final = suggestion.final_category_code
    return TriagePanel(
        choices,
        urgencies,
        suggestion=suggestion,
        best=ranked[0] if ranked else None,
        others=ranked[1:],
        pd_name=pds.get(suggestion.pd_kode or "", suggestion.pd_kode),
        urgency=Choice(
            suggestion.urgency.value,
            suggestion.urgency.label(lang),
            _percent(suggestion.urgency_probability),
        ),
        reasons=reasons,
        segments=highlight(complaint.public_description, reasons),
        final_category=categories.get(final, final) if final else None,
        final_pd_name=pds.get(suggestion.final_pd_kode or "", suggestion.final_pd_kode),
        category_differs=final is not None and final != complaint.category.code,
        pd_differs=(
            suggestion.final_pd_kode is not None and suggestion.final_pd_kode != complaint.pd_kode
        ),
    )
