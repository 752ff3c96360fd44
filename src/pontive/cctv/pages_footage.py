"""A footage request as its camera's owner reads it: the window in WIB, the reason, what it
is linked to, whether (and until when) an answer is awaited."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pontive.cctv.choices import FootageStatus
from pontive.cctv.models import FootageRequest
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import format_local, to_local, utcnow

DASH = "\u2013"  # an en dash between the window's two ends
ANSWERS = {"setuju": True, "tolak": False}  # the two buttons of the answer form


@dataclass(frozen=True, slots=True)
class FootageView:
    """One request on the owner's pages."""

    id: int
    status: FootageStatus
    window: str  # "28-11-2026 14:00 - 17:00 WIB", with an en dash
    reason: str
    complaint_tracking: str
    incident_ref: str
    requested: str
    expires: str
    decided: str | None
    owner_note: str
    is_waiting: bool  # still open for an answer


def window_text(item: FootageRequest, zone: ZoneInfo) -> str:
    """The requested window, the end's date left out when it is the same day."""
    start, end = to_local(item.window_start, zone), to_local(item.window_end, zone)
    if start.date() == end.date():
        return f"{start:%d-%m-%Y %H:%M} {DASH} {end:%H:%M} {end.tzname()}"
    first = format_local(item.window_start, zone, with_zone=False)
    return f"{first} {DASH} {format_local(item.window_end, zone)}"


def footage_view(item: FootageRequest, zone: ZoneInfo) -> FootageView:
    """What the owner reads of ``item``."""
    return FootageView(
        id=item.id,
        status=item.status,
        window=window_text(item, zone),
        reason=item.reason,
        complaint_tracking=item.complaint_tracking,
        incident_ref=item.incident_ref,
        requested=format_local(item.created_at, zone),
        expires=format_local(item.expires_at, zone),
        decided=format_local(item.decided_at, zone) if item.decided_at else None,
        owner_note=item.owner_note,
        is_waiting=item.status is FootageStatus.MENUNGGU and item.expires_at > utcnow(),
    )


def is_approval(answer: str) -> bool:
    """Whether the owner pressed "agree" (``setuju``) or "decline" (``tolak``)."""
    if answer not in ANSWERS:
        raise InvalidInput(
            "Pilih setuju atau tolak.",
            "Choose agree or decline.",
            errors={"answer": ["Pilih setuju atau tolak."]},
        )
    return ANSWERS[answer]
