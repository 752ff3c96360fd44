"""Panels that one domain adds to another domain's page, without the page knowing it.

A page names a slot (``"complaints.queue"``, ``"cctv.camera"`` …) and renders what
``panels_for`` returns; a domain registers a provider for the slot when its ``pages`` module
is imported. A provider gets the page's subject (the report, the camera …) and returns the
template to include and its context, or ``None`` when it has nothing for this actor (e.g. the
coordination tasks of a PD officer's agency beside that agency's complaint queue, or "open an
incident from this report" on a report's page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pontive.core.identity import Actor


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel to include: its template and the variables it reads."""

    template: str
    context: dict[str, Any]


# (session, actor, the page's subject: a report, a camera … or None, the page's language)
# → a panel or nothing.
PanelProvider = Callable[[Session, Actor, Any, str], Panel | None]
_PROVIDERS: dict[str, list[PanelProvider]] = {}


def register_panel(slot: str, provider: PanelProvider) -> None:
    """Show what ``provider`` returns in the pages that render ``slot``."""
    providers = _PROVIDERS.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def panels_for(
    slot: str, session: Session, actor: Actor, subject: Any = None, *, lang: str = "id"
) -> list[Panel]:
    """The panels of ``slot`` for ``actor`` (about ``subject``), in registration order."""
    providers = _PROVIDERS.get(slot, ())
    found = (provider(session, actor, subject, lang) for provider in providers)
    return [panel for panel in found if panel is not None]
