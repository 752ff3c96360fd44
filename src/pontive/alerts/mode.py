"""The city's operating mode (Perda 9/2022 Pasal 16(1)) and the emergency places shown with it.

A mode is declared for the whole city or for one kecamatan and stays open until it is ended
or replaced: a new declaration for the same scope ends the open one, so each scope has at
most one open ``ModeDeclaration`` (if two processes ever raced, the newest wins on reading
and the next change ends both). The *effective* mode of a kecamatan is the stricter of the
city's mode and its own. Reads go through a cache of a few seconds because every public page
shows the mode; this process drops it after its own changes, other web processes see them
within ``MODE_CACHE_SECONDS``.

Emergency contacts and shelters, shown with the mode, are in ``places.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import OperatingMode
from pontive.alerts.models import ModeDeclaration
from pontive.core import audit, permissions
from pontive.core.cache import TimedCache
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.web.i18n import translate

MODE_DECLARE = permissions.register(
    "alerts.mode.declare", {Role.OPERATOR, Role.WALIKOTA, Role.ADMIN}
)

MODE_CACHE_SECONDS = 5.0
REASON_LIMIT = 2000
# Strictness order: the effective mode is the maximum of city and kecamatan.
_RANK = {
    OperatingMode.NORMAL: 0,
    OperatingMode.SIAGA_DARURAT: 1,
    OperatingMode.TANGGAP_DARURAT: 2,
}

_modes = TimedCache(ttl=MODE_CACHE_SECONDS)


def stricter(first: OperatingMode, second: OperatingMode) -> OperatingMode:
    """The stricter of two modes (tanggap darurat > siaga darurat > normal)."""
    return first if _RANK[first] >= _RANK[second] else second


@dataclass(frozen=True, slots=True)
class ModeState:
    """The mode of one scope (the city, or a kecamatan) as declared, or normal."""

    mode: OperatingMode = OperatingMode.NORMAL
    kecamatan_kode: str | None = None
    reason: str = ""
    reason_en: str = ""
    declared_at: datetime | None = None
    declaration_id: int | None = None


@dataclass(frozen=True, slots=True)
class CityModes:
    """The city's mode and every kecamatan's own open mode, read together."""

    city: ModeState = field(default_factory=ModeState)
    kecamatan: tuple[ModeState, ...] = ()  # only kecamatan with an open declaration

    def own(self, kecamatan_kode: str) -> ModeState:
        """The kecamatan's own declared state (normal when none is open)."""
        for state in self.kecamatan:
            if state.kecamatan_kode == kecamatan_kode:
                return state
        return ModeState(kecamatan_kode=kecamatan_kode)

    def effective(self, kecamatan_kode: str | None = None) -> OperatingMode:
        """The mode in force: the city's, or the stricter of the city's and the kecamatan's."""
        if kecamatan_kode is None:
            return self.city.mode
        return stricter(self.city.mode, self.own(kecamatan_kode).mode)

    @property
    def strictest(self) -> OperatingMode:
        """The strictest mode anywhere in the city (what the home page banner shows)."""
        mode = self.city.mode
        for state in self.kecamatan:
            mode = stricter(mode, state.mode)
        return mode

    @property
    def is_emergency(self) -> bool:
        """Whether any part of the city is out of normal mode."""
        return self.strictest is not OperatingMode.NORMAL


def _state(row: ModeDeclaration) -> ModeState:
    return ModeState(
        row.mode, row.kecamatan_kode, row.reason, row.reason_en, row.declared_at, row.id
    )


def _load_modes(session: Session) -> CityModes:
    rows = session.scalars(
        select(ModeDeclaration)
        .where(ModeDeclaration.ended_at.is_(None))
        .order_by(ModeDeclaration.declared_at, ModeDeclaration.id)
    )
    city = ModeState()
    by_kecamatan: dict[str, ModeState] = {}
    for row in rows:  # oldest first: the newest open declaration of a scope wins
        if row.kecamatan_kode is None:
            city = _state(row)
        else:
            by_kecamatan[row.kecamatan_kode] = _state(row)
    return CityModes(city, tuple(by_kecamatan[kode] for kode in sorted(by_kecamatan)))


def current_modes(session: Session) -> CityModes:
    """The open modes of the city and its kecamatan (cached ``MODE_CACHE_SECONDS``)."""
    key = str(session.get_bind().engine.url)
    return _modes.get_or_load(key, lambda: _load_modes(session))


def forget_cached_modes() -> None:
    """Drop the cached modes (after a change, and between tests that roll changes back)."""
    _modes.clear()


# --- declaring and ending -------------------------------------------------------------------


def _invalid(key: str, errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(translate(key, "id"), translate(key, "en"), errors=errors)


def _check_mode_input(
    session: Session, mode: OperatingMode | str, kecamatan_kode: str | None, reason: str, lang: str
) -> OperatingMode:
    errors: dict[str, list[str]] = {}
    try:
        chosen = OperatingMode(mode)
    except ValueError:
        errors["mode"] = [translate("alerts.mode.unknown_mode", lang)]
        chosen = OperatingMode.NORMAL
    if kecamatan_kode is not None:
        known = {kecamatan.kode for kecamatan in reference.list_kecamatan(session=session)}
        if kecamatan_kode not in known:
            errors["kecamatan_kode"] = [translate("alerts.mode.unknown_kecamatan", lang)]
    _check_reason(reason, "reason", errors, lang)
    if errors:
        raise _invalid("alerts.mode.invalid", errors)
    return chosen


def _check_reason(reason: str, name: str, errors: dict[str, list[str]], lang: str) -> None:
    if not reason.strip():
        errors[name] = [translate("alerts.mode.reason_required", lang)]
    elif len(reason) > REASON_LIMIT:
        errors[name] = [translate("alerts.mode.reason_too_long", lang, limit=REASON_LIMIT)]


def _open_declarations(session: Session, kecamatan_kode: str | None) -> list[ModeDeclaration]:
    scope = (
        ModeDeclaration.kecamatan_kode.is_(None)
        if kecamatan_kode is None
        else ModeDeclaration.kecamatan_kode == kecamatan_kode
    )
    query = select(ModeDeclaration).where(ModeDeclaration.ended_at.is_(None), scope)
    return list(session.scalars(query.with_for_update()))


def _declaration_state(row: ModeDeclaration) -> dict[str, Any]:
    return {
        "mode": row.mode.value,
        "kecamatan_kode": row.kecamatan_kode,
        "reason": row.reason,
        "reason_en": row.reason_en,
        "declared_by": row.declared_by,
        "declared_at": row.declared_at.isoformat() if row.declared_at else None,
        "ended_by": row.ended_by,
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "end_reason": row.end_reason,
    }


def _end_open(
    session: Session, actor: Actor, rows: list[ModeDeclaration], reason: str, now: datetime
) -> None:
    for row in rows:
        before = _declaration_state(row)
        row.ended_at, row.ended_by, row.end_reason = now, actor.label, reason
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="alerts.mode.end",
            object_type="mode_declaration",
            object_id=row.id,
            before=before,
            after=_declaration_state(row),
        )


def _announce(
    session: Session,
    *,
    mode: OperatingMode,
    kecamatan_kode: str | None,
    reason: str,
    reason_en: str,
    at: datetime,
    ended: bool,
) -> None:
    data = {
        "mode": mode.value,
        "kecamatan_kode": kecamatan_kode,
        "reason": reason,
        "reason_en": reason_en,
        "declared_at": at.isoformat(),
        "ended": ended,
    }
    emit(session, Event("alerts.mode.changed", data))


def _commit(session: Session) -> None:
    session.commit()
    forget_cached_modes()  # after the commit: a reload before it would cache the old mode


def declare_mode(
    session: Session,
    *,
    actor: Actor,
    mode: OperatingMode | str,
    reason: str,
    kecamatan_kode: str | None = None,
    reason_en: str = "",
    lang: str = "id",
) -> ModeDeclaration | None:
    """Declare ``mode`` for the city (``kecamatan_kode`` None) or one kecamatan, ending the
    scope's open declaration; declaring ``normal`` is ending it (returns None then)."""
    permissions.require(actor, MODE_DECLARE)
    chosen = _check_mode_input(session, mode, kecamatan_kode, reason, lang)
    if chosen is OperatingMode.NORMAL:
        end_mode(session, actor=actor, kecamatan_kode=kecamatan_kode, reason=reason, lang=lang)
        return None
    now = utcnow()
    _end_open(session, actor, _open_declarations(session, kecamatan_kode), reason.strip(), now)
    row = ModeDeclaration(
        mode=chosen,
        kecamatan_kode=kecamatan_kode,
        reason=reason.strip(),
        reason_en=reason_en.strip(),
        declared_by=actor.label,
        declared_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="alerts.mode.declare",
        object_type="mode_declaration",
        object_id=row.id,
        after=_declaration_state(row),
    )
    _announce(
        session,
        mode=chosen,
        kecamatan_kode=kecamatan_kode,
        reason=row.reason,
        reason_en=row.reason_en,
        at=now,
        ended=False,
    )
    _commit(session)
    return row


def end_mode(
    session: Session,
    *,
    actor: Actor,
    reason: str,
    kecamatan_kode: str | None = None,
    reason_en: str = "",
    lang: str = "id",
) -> None:
    """Return the city (or one kecamatan) to normal; ``Conflict`` when it already is."""
    permissions.require(actor, MODE_DECLARE)
    _check_mode_input(session, OperatingMode.NORMAL, kecamatan_kode, reason, lang)
    rows = _open_declarations(session, kecamatan_kode)
    if not rows:
        key = "alerts.mode.already_normal"
        raise Conflict(translate(key, "id"), translate(key, "en"))
    now = utcnow()
    _end_open(session, actor, rows, reason.strip(), now)
    _announce(
        session,
        mode=OperatingMode.NORMAL,
        kecamatan_kode=kecamatan_kode,
        reason=reason.strip(),
        reason_en=reason_en.strip(),
        at=now,
        ended=True,
    )
    _commit(session)


def mode_history(
    session: Session, *, kecamatan_kode: str | None = None, limit: int = 50
) -> list[ModeDeclaration]:
    """Declarations newest first (all scopes, or one kecamatan's), for the console and docs."""
    query = select(ModeDeclaration).order_by(
        ModeDeclaration.declared_at.desc(), ModeDeclaration.id.desc()
    )
    if kecamatan_kode is not None:
        query = query.where(ModeDeclaration.kecamatan_kode == kecamatan_kode)
    return list(session.scalars(query.limit(min(max(limit, 1), 500))))
