"""What every participation use-case shares: permissions, limits, people's contacts (read,
normalised, masked, indexed), the private links' secrets, and messages to people.

The use-cases themselves live beside it: ``ideas.py`` (submitting and reading ideas),
``verification.py`` (codes, supports, comments), ``moderation.py`` (staff decisions) and
``adoption.py`` (facility care). Registries are declared in ``registries.py``.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from pontive.complaints import service as complaints
from pontive.core import crypto, permissions
from pontive.core.errors import InvalidInput
from pontive.core.permissions import STAFF
from pontive.core.roles import Role
from pontive.participation import messages

VIEW = permissions.register("participation.view", STAFF)
# Moderating citizens' contributions is the Pontive Center's daily work (as triage of
# complaints), with the technical team that answers and links ideas to programmes.
MODERATE = permissions.register(
    "participation.moderate", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)
MODERATORS = (Role.OPERATOR, Role.TIM_TEKNIS)

# Abuse limits (docs/participation.md). Per client address, per process:
IDEAS_PER_HOUR = 5
CODES_PER_IP_PER_HOUR = 10
COMMENTS_PER_IP_PER_HOUR = 20
ADOPTIONS_PER_HOUR = 5
REPORTS_PER_HOUR = 20
# Per contact, counted in the database (every process sees them):
CODES_PER_CONTACT_PER_HOUR = 3
COMMENTS_PER_CONTACT_PER_HOUR = 10
# A code lives 15 minutes and allows 5 tries; a verified browser is remembered 2 hours.
CODE_TTL = timedelta(minutes=15)
CODE_ATTEMPTS = 5
VERIFIED_SECONDS = 2 * 3600

CONSOLE = "/console/partisipasi"
MODERATION = f"{CONSOLE}/moderasi"
BASE_URL = "{base_url}"  # the worker fills in PONTIVE_BASE_URL when it sends

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")
EMAIL_CHANNEL = "email"
PHONE_CHANNEL = "whatsapp"


@dataclass(frozen=True, slots=True)
class Contact:
    """An e-mail address or phone number as we send to it and index it."""

    channel: str  # "email" or "whatsapp"
    address: str  # e-mail in lower case, phone as +62...

    @property
    def index(self) -> str:
        """Its blind index (what supports and comments keep)."""
        return crypto.blind_index(f"contact:{self.address}")

    @property
    def masked(self) -> str:
        """Enough to recognise it, not enough to learn it: ``d***@contoh.id``."""
        if self.channel == EMAIL_CHANNEL:
            local, _, domain = self.address.partition("@")
            return f"{local[:1]}***@{domain}"
        return f"{self.address[:5]}{'*' * max(3, len(self.address) - 8)}{self.address[-3:]}"


def read_contact(raw: str) -> Contact | None:
    """An e-mail address or an Indonesian phone number, normalised; ``None`` if neither."""
    text = raw.strip()
    if "@" in text:
        return (
            Contact(EMAIL_CHANNEL, text.lower())
            if _EMAIL.match(text) and len(text) <= 200
            else None
        )
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return Contact(PHONE_CHANNEL, "+" + digits)


def require_contact(raw: str, lang: str, field: str = "contact") -> Contact:
    """``read_contact`` or ``InvalidInput`` on ``field``."""
    contact = read_contact(raw)
    if contact is None:
        raise InvalidInput(
            *messages.both("contact"), errors=messages.errors("contact", lang, field)
        )
    return contact


def contact_index(raw: str | None) -> str | None:
    """The blind index of a stored contact (``None`` when it is not one)."""
    contact = read_contact(raw or "")
    return contact.index if contact else None


def private_token(kind: str, row_id: int) -> str:
    """The secret of a private link (``idea`` for authors, ``adoption`` for volunteers),
    derived so it never needs storing."""
    return crypto.blind_index(f"participation-{kind}:{row_id}")[:32]


def check_private_token(kind: str, row_id: int, token: str | None) -> bool:
    """Whether ``token`` opens the private link of ``row_id``."""
    return hmac.compare_digest(private_token(kind, row_id), token or "")


def idea_link(idea_id: int, *, private: bool = False) -> str:
    """The idea's page for a message (the author's private link when ``private``)."""
    suffix = f"?k={private_token('idea', idea_id)}" if private else ""
    return f"{BASE_URL}/gagasan/{idea_id}{suffix}"


def adoption_link(adoption_id: int) -> str:
    """The volunteer's private page of an adoption, for a message."""
    return f"{BASE_URL}/adopsi-fasilitas/{adoption_id}?k={private_token('adoption', adoption_id)}"


def tell(session: Session, contact: str | None, subject: str, body: str) -> bool:
    """Queue a message to a stored contact (e-mail or WhatsApp); ``False`` when it is none."""
    found = read_contact(contact or "")
    if found is None:
        return False
    complaints.queue_message(
        session, channel=found.channel, recipient=found.address, subject=subject, body=body
    )
    return True


def tell_moderators(session: Session, subject: str, body: str) -> int:
    """Tell the moderators (in the console and by e-mail)."""
    return complaints.queue_to_staff(
        session, subject=subject, body=body, roles=MODERATORS, pd_kode=None
    )
