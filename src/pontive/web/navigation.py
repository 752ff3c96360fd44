"""Links that domains add to the public home page and the staff console.

A domain registers its links when its ``pages`` module is imported; the console shows a
link only to roles allowed its ``action``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pontive.core import permissions
from pontive.core.identity import Actor


@dataclass(frozen=True, slots=True)
class NavLink:
    """A card on the home page or console: where it goes and what it is called."""

    href: str
    title_key: str
    description_key: str
    icon: str
    action: str | None = None  # permission needed (console links)
    order: int = 100


_PUBLIC: list[NavLink] = []
_CONSOLE: list[NavLink] = []


def register_public(link: NavLink) -> None:
    """Show ``link`` on the public home page."""
    if link not in _PUBLIC:
        _PUBLIC.append(link)


def register_console(link: NavLink) -> None:
    """Show ``link`` in the staff console to roles allowed ``link.action``."""
    if link.action is None:
        raise ValueError("console links need a permission action")
    if link not in _CONSOLE:
        _CONSOLE.append(link)


def public_links() -> list[NavLink]:
    """Public links in display order."""
    return sorted(_PUBLIC, key=lambda link: link.order)


def console_links(actor: Actor) -> list[NavLink]:
    """Console links ``actor`` may open, in display order."""
    allowed = [link for link in _CONSOLE if link.action and permissions.can(actor, link.action)]
    return sorted(allowed, key=lambda link: link.order)
