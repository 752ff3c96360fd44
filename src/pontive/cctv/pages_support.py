"""What the public and owner CCTV pages show of a camera, and their shared plumbing.

A camera on a public page is a :class:`CameraCard`: its code, name, purpose, place, health
and last check (in WIB), never a stream address or an owner's contact. The owner's pages add
status and sharing; their private links make them ``noindex`` and never cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from pontive.cctv.choices import Health, OwnerType, Purpose
from pontive.cctv.models import Camera
from pontive.core.timeutil import format_local
from pontive.reference import service as reference
from pontive.web.i18n import translate

PUBLIC_SECONDS = 30  # health is checked every minute; half a minute of sharing is safe
SNAPSHOT_URL = "/api/v1/cctv/cameras/{code}/snapshot"
COMPASS = (0, 45, 90, 135, 180, 225, 270, 315)  # the form's view directions


@dataclass(frozen=True, slots=True)
class CameraCard:
    """A camera as the public pages (and the owner's) show it."""

    code: str
    name: str
    description: str
    purpose: Purpose
    owner_type: OwnerType
    health: Health
    lon: float
    lat: float
    direction_deg: int | None
    direction: str  # "menghadap timur laut (45°)" or ""
    kelurahan: str | None
    kecamatan: str | None
    checked: str  # the last check in WIB, or "belum pernah diperiksa"
    last_online: str | None
    snapshot_url: str | None  # versioned by the thumbnail's time; None: no image yet
    snapshot_at: str | None

    @property
    def url(self) -> str:
        """The camera's public page."""
        return f"/cctv/{self.code}"

    @property
    def place(self) -> str:
        """``Kel. X, Kec. Y`` (or whatever of it is known)."""
        return ", ".join(part for part in (self.kelurahan, self.kecamatan) if part)


Places = dict[str, tuple[str, str]]  # kelurahan code → (kelurahan, kecamatan)


def place_names(session: Session) -> Places:
    """Kelurahan and kecamatan names by kelurahan code (the cached reference lists)."""
    return {
        kelurahan.kode: (kelurahan.nama_umum, kecamatan.nama_umum)
        for kecamatan in reference.list_kecamatan(session=session)
        for kelurahan in kecamatan.kelurahan
    }


def direction_text(degrees: int | None, lang: str) -> str:
    """Where the camera looks, in words, e.g. "menghadap timur laut (45°)"."""
    if degrees is None:
        return ""
    nearest = COMPASS[round(degrees / 45) % len(COMPASS)]
    where = translate(f"cctv.pub.dir.{nearest}", lang)
    return translate("cctv.pub.facing", lang, where=where, deg=degrees)


def _when(value: datetime | None, zone: ZoneInfo) -> str | None:
    return format_local(value, zone) if value is not None else None


def camera_card(camera: Camera, *, lang: str, places: Places, zone: ZoneInfo) -> CameraCard:
    """The public facts of ``camera`` (no secrets, no personal data)."""
    kelurahan, kecamatan = places.get(camera.kelurahan_kode or "", (None, None))
    snapshot = None
    if camera.snapshot_key and camera.snapshot_at is not None:
        version = int(camera.snapshot_at.timestamp())
        snapshot = f"{SNAPSHOT_URL.format(code=camera.code)}?v={version}"
    return CameraCard(
        code=camera.code,
        name=camera.name,
        description=camera.description,
        purpose=camera.purpose,
        owner_type=camera.owner_type,
        health=camera.health,
        lon=camera.lon,
        lat=camera.lat,
        direction_deg=camera.direction_deg,
        direction=direction_text(camera.direction_deg, lang),
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        checked=_when(camera.health_checked_at, zone) or translate("cctv.pub.never_checked", lang),
        last_online=_when(camera.last_online_at, zone),
        snapshot_url=snapshot,
        snapshot_at=_when(camera.snapshot_at, zone),
    )


def marker(card: CameraCard, lang: str) -> dict[str, Any]:
    """One camera on the public map (``/cctv/peta.json``)."""
    return {
        "code": card.code,
        "name": card.name,
        "lon": card.lon,
        "lat": card.lat,
        "direction": card.direction_deg,
        "health": card.health.value,
        "health_label": card.health.label(lang),
        "colour": card.health.meta.colour,
        "purpose_label": card.purpose.label(lang),
        "owner_label": card.owner_type.label(lang),
        "place": card.place,
        "checked": translate("cctv.pub.checked", lang, time=card.checked),
        "url": card.url,
    }


# --- private pages and forms -----------------------------------------------------------------


def no_store(response: Response) -> Response:
    """Never cached: the page carries a form or a private link."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def private_page(response: Response) -> Response:
    """An owner's page: never cached, never indexed (its address is the owner's key)."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return no_store(response)


async def _read_form(request: Request) -> FormData:
    # Starlette keeps the parsed form: the CSRF check and the route share one parse.
    return await request.form()


FormBody = Annotated[FormData, Depends(_read_form)]


def form_text(form: FormData, name: str, limit: int = 1000) -> str:
    """A text field, trimmed and cut at ``limit`` ("" when absent)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def localised(errors: dict[str, list[str]], lang: str) -> dict[str, list[str]]:
    """Field errors in ``lang``: the service words them in Bahasa Indonesia; English pages
    take the catalogue's wording of each field's problem."""
    if lang != "en":
        return errors
    out = {}
    for name, messages in errors.items():
        key = f"cctv.pub.err.{name}"
        message = translate(key, lang)
        out[name] = [message] if message != key else messages
    return out
