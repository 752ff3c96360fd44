"""The masterplan and its versions (Perda 9/2022 Pasal 7-8): a ten-year plan whose text is
revised as versions — drafted and edited by the technical team, reviewed, then adopted by the
mayor's regulation (Perwa), which supersedes the version adopted before — and any two
versions compared section by section.

A version's ``content`` (``MasterplanVersion.content``) is always stored normalised:

- ``background``, ``vision``: text (the vision is required);
- ``missions``: a list of texts;
- ``strategies``: dimension code → text, only the six dimensions of Pasal 9;
- ``roadmap``: ``[{year, phase, items: [text]}]``, years within the masterplan's period;
- ``quick_wins``: ``[{title, year, pd_kode}]`` (year and agency may be ``None``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.masterplan.choices import VersionStatus
from pontive.masterplan.models import Masterplan, MasterplanVersion
from pontive.masterplan.service import ADOPT, MANAGE, READ
from pontive.reference import service as reference

PERIOD_YEARS = 10  # the masterplan covers ten years (Perda 9/2022 Pasal 7-8)
SECTIONS = ("background", "vision", "missions", "strategies", "roadmap", "quick_wins")
EDITABLE = (VersionStatus.DRAFT, VersionStatus.REVIEWED)
MAX_TEXT = 20_000
Errors = dict[str, list[str]]


def create_masterplan(
    session: Session, *, actor: Actor, title: str, start_year: int, end_year: int
) -> Masterplan:
    """A new ten-year masterplan (its first version is drafted with ``draft_version``)."""
    permissions.require(actor, MANAGE)
    errors: Errors = {}
    title = " ".join(title.split())
    if not 5 <= len(title) <= 200:
        errors["title"] = ["Judul 5 sampai 200 huruf."]
    if not 2000 <= start_year <= 2100:
        errors["start_year"] = ["Tahun mulai antara 2000 dan 2100."]
    elif end_year - start_year + 1 != PERIOD_YEARS:
        errors["end_year"] = [f"Rencana induk berlaku {PERIOD_YEARS} tahun."]
    if errors:
        raise InvalidInput("Data rencana induk tidak valid.", "Invalid masterplan.", errors=errors)
    masterplan = Masterplan(title=title, start_year=start_year, end_year=end_year)
    session.add(masterplan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="masterplan.created",
        object_type="mp_masterplan",
        object_id=masterplan.id,
        after={"title": title, "years": [start_year, end_year]},
    )
    return masterplan


def current_masterplan(session: Session) -> Masterplan | None:
    """The masterplan in use: the newest one."""
    query = select(Masterplan).options(selectinload(Masterplan.versions))
    return session.scalars(
        query.order_by(Masterplan.start_year.desc(), Masterplan.id.desc())
    ).first()


def list_versions(session: Session, masterplan: Masterplan) -> list[MasterplanVersion]:
    """The masterplan's versions, the newest first."""
    query = select(MasterplanVersion).where(MasterplanVersion.masterplan_id == masterplan.id)
    return list(session.scalars(query.order_by(MasterplanVersion.number.desc())))


def get_version(session: Session, masterplan: Masterplan, number: int) -> MasterplanVersion:
    """A version by number, or NotFound."""
    version = session.scalar(
        select(MasterplanVersion).where(
            MasterplanVersion.masterplan_id == masterplan.id, MasterplanVersion.number == number
        )
    )
    if version is None:
        raise NotFound("Versi rencana induk tidak ditemukan.", "Masterplan version not found.")
    return version


def adopted_version(session: Session, masterplan: Masterplan) -> MasterplanVersion | None:
    """The version in force (adopted), if any."""
    return session.scalar(
        select(MasterplanVersion).where(
            MasterplanVersion.masterplan_id == masterplan.id,
            MasterplanVersion.status == VersionStatus.ADOPTED,
        )
    )


def _text(value: Any) -> str:  # a browser posts a textarea's lines ending in CR LF
    return "\n".join(value.strip().splitlines()) if isinstance(value, str) else ""


def _lines(value: Any) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else value or []
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def _year(value: Any) -> int | None:
    text = str(value).strip() if isinstance(value, int | str) else ""
    return int(text) if text.isdigit() and not isinstance(value, bool) else None


def _check_roadmap(raw: Any, masterplan: Masterplan, errors: Errors) -> list[dict[str, Any]]:
    rows: dict[tuple[int, str], dict[str, Any]] = {}  # rows of one year and phase merge
    for number, row in enumerate(raw or [], start=1):
        if not isinstance(row, Mapping):
            errors.setdefault("roadmap", []).append(f"Baris peta jalan {number} tidak valid.")
            continue
        year, phase, items = (
            _year(row.get("year")),
            _text(row.get("phase")),
            _lines(row.get("items")),
        )
        if year is None and not phase and not items:
            continue  # an empty row of the form
        period = f"{masterplan.start_year}-{masterplan.end_year}"
        if year is None or not masterplan.start_year <= year <= masterplan.end_year:
            errors.setdefault("roadmap", []).append(
                f"Baris {number}: tahun harus di dalam masa rencana induk ({period})."
            )
        elif not phase or not items:
            errors.setdefault("roadmap", []).append(f"Baris {number}: isi tahapan dan kegiatannya.")
        else:
            phase = " ".join(phase.split())
            row = rows.setdefault((year, phase), {"year": year, "phase": phase, "items": []})
            row["items"] += [item for item in items if item not in row["items"]]
    return [rows[key] for key in sorted(rows)]


def _check_quick_wins(
    session: Session, raw: Any, masterplan: Masterplan, errors: Errors
) -> list[dict[str, Any]]:
    wins: list[dict[str, Any]] = []
    for number, item in enumerate(raw or [], start=1):
        win = item if isinstance(item, Mapping) else {"title": item}
        title = " ".join(_text(win.get("title")).split())
        if not title:
            continue
        year, pd_kode = _year(win.get("year")), _text(win.get("pd_kode")) or None
        if win.get("year") not in (None, "") and (
            year is None or not masterplan.start_year <= year <= masterplan.end_year
        ):
            errors.setdefault("quick_wins", []).append(
                f"Quick win {number}: tahun di luar masa rencana induk."
            )
        if pd_kode and reference.get_perangkat_daerah(session=session, kode=pd_kode) is None:
            errors.setdefault("quick_wins", []).append(
                f"Quick win {number}: Perangkat Daerah tidak dikenal ({pd_kode})."
            )
        wins.append({"title": title, "year": year, "pd_kode": pd_kode})
    return wins


def check_content(
    session: Session, masterplan: Masterplan, content: Mapping[str, Any]
) -> dict[str, Any]:
    """``content`` normalised, or InvalidInput with an error per section."""
    errors: Errors = {}
    codes = [d.kode for d in reference.list_dimensi(session=session)]
    vision = _text(content.get("vision"))
    if len(vision) < 10:
        errors["vision"] = ["Visi wajib diisi (paling sedikit 10 huruf)."]
    background = _text(content.get("background"))
    for name, value in (("background", background), ("vision", vision)):
        if len(value) > MAX_TEXT:
            errors[name] = [f"Paling banyak {MAX_TEXT} huruf."]
    raw_strategies = content.get("strategies") or {}
    if not isinstance(raw_strategies, Mapping):
        raw_strategies = {}
        errors["strategies"] = ["Strategi disusun per dimensi."]
    unknown = sorted(str(k) for k in raw_strategies if k not in codes)
    if unknown:
        errors["strategies"] = [
            f"Strategi hanya untuk enam dimensi ({', '.join(codes)}); bukan {', '.join(unknown)}."
        ]
    strategies = {
        code: _text(raw_strategies.get(code)) for code in codes if _text(raw_strategies.get(code))
    }
    normalised = {
        "background": background,
        "vision": vision,
        "missions": _lines(content.get("missions")),
        "strategies": strategies,
        "roadmap": _check_roadmap(content.get("roadmap"), masterplan, errors),
        "quick_wins": _check_quick_wins(session, content.get("quick_wins"), masterplan, errors),
    }
    if errors:
        message = ("Isi rencana induk tidak valid.", "Invalid masterplan content.")
        raise InvalidInput(*message, errors=errors)
    return normalised


def _state(version: MasterplanVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status.value,
        "regulation": version.regulation_number,
        "content": version.content,
    }


def _record(
    session: Session, actor: Actor, action: str, version: MasterplanVersion, before: Any
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"masterplan.version.{action}",
        object_type="mp_version",
        object_id=f"{version.masterplan_id}/{version.number}",
        before=before,
        after=_state(version),
    )


def draft_version(
    session: Session,
    *,
    actor: Actor,
    masterplan: Masterplan,
    content: Mapping[str, Any] | None = None,
    change_note: str = "",
    now: datetime | None = None,
) -> MasterplanVersion:
    """A new draft: ``content`` as given, or a copy of the adopted version's (of the newest
    version when none is adopted yet) to be revised."""
    permissions.require(actor, MANAGE)
    if content is None:
        listed = list_versions(session, masterplan)
        source = adopted_version(session, masterplan) or (listed[0] if listed else None)
        content = source.content if source is not None else None
    # The first version of a new masterplan may start empty, to be filled in the editor.
    checked = check_content(session, masterplan, content) if content is not None else {}
    number = (
        session.scalar(
            select(func.max(MasterplanVersion.number)).where(
                MasterplanVersion.masterplan_id == masterplan.id
            )
        )
        or 0
    ) + 1
    version = MasterplanVersion(
        masterplan_id=masterplan.id,
        number=number,
        status=VersionStatus.DRAFT,
        content=checked,
        change_note=change_note.strip(),
        drafted_by=actor.label,
        drafted_at=now or utcnow(),
    )
    session.add(version)
    session.flush()
    _record(session, actor, "drafted", version, None)
    return version


def update_draft(
    session: Session,
    *,
    actor: Actor,
    version: MasterplanVersion,
    content: Mapping[str, Any],
    change_note: str | None = None,
) -> MasterplanVersion:
    """Change a version not yet adopted; a reviewed one goes back to draft (to be reviewed
    again)."""
    permissions.require(actor, MANAGE)
    if version.status not in EDITABLE:
        raise Conflict(
            "Versi yang sudah ditetapkan atau digantikan tidak dapat diubah; buat draf baru.",
            "An adopted or superseded version cannot be changed; draft a new one.",
        )
    before = _state(version)
    version.content = check_content(session, version.masterplan, content)
    if change_note is not None:
        version.change_note = change_note.strip()
    version.status, version.reviewed_by, version.reviewed_at = VersionStatus.DRAFT, None, None
    session.flush()
    _record(session, actor, "updated", version, before)
    return version


def review(
    session: Session, *, actor: Actor, version: MasterplanVersion, now: datetime | None = None
) -> MasterplanVersion:
    """The technical team marks a draft reviewed: ready for the mayor to adopt."""
    permissions.require(actor, MANAGE)
    if version.status is not VersionStatus.DRAFT:
        raise Conflict("Hanya draf yang dapat ditelaah.", "Only a draft can be reviewed.")
    check_content(session, version.masterplan, version.content)  # e.g. an empty copy
    before = _state(version)
    version.status = VersionStatus.REVIEWED
    version.reviewed_by, version.reviewed_at = actor.label, now or utcnow()
    session.flush()
    _record(session, actor, "reviewed", version, before)
    return version


def adopt(
    session: Session,
    *,
    actor: Actor,
    version: MasterplanVersion,
    regulation_number: str,
    now: datetime | None = None,
) -> MasterplanVersion:
    """Adopt a reviewed version by the mayor's regulation; the version in force before it is
    superseded."""
    permissions.require(actor, ADOPT)
    if version.status is not VersionStatus.REVIEWED:
        raise Conflict(
            "Versi harus ditelaah Tim Teknis sebelum ditetapkan.",
            "The version must be reviewed by the technical team before adoption.",
        )
    regulation = " ".join(regulation_number.split())
    if not 5 <= len(regulation) <= 120:
        raise InvalidInput(
            "Nomor peraturan wajib diisi.",
            "The regulation number is required.",
            errors={"regulation_number": ["Tulis nomor Peraturan Wali Kota (5-120 huruf)."]},
        )
    previous = adopted_version(session, version.masterplan)
    if previous is not None:
        before = _state(previous)
        previous.status = VersionStatus.SUPERSEDED
        session.flush()
        _record(session, actor, "superseded", previous, before)
    before = _state(version)
    version.status, version.regulation_number = VersionStatus.ADOPTED, regulation
    version.adopted_by, version.adopted_at = actor.label, now or utcnow()
    session.flush()
    _record(session, actor, "adopted", version, before)
    return version


class ChangeKind(StrEnum):
    """What happened to one item between two versions."""

    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of words of a changed text, marked when it is what changed."""

    text: str
    is_changed: bool


@dataclass(frozen=True, slots=True)
class Change:
    """One item of a section in the older version and the newer one."""

    kind: ChangeKind
    key: str  # "" for a whole-text section; mission number, dimension code, "2024 · phase"…
    old: str | None
    new: str | None

    def pieces(self) -> tuple[list[Piece], list[Piece]]:
        """The old and the new text word by word, the words only in one of them marked."""
        return word_diff(self.old or "", self.new or "")


@dataclass(frozen=True, slots=True)
class SectionDiff:
    """One section of the masterplan compared."""

    section: str  # one of SECTIONS
    changes: list[Change]

    @property
    def is_changed(self) -> bool:
        """Whether anything in the section differs."""
        return any(c.kind is not ChangeKind.SAME for c in self.changes)

    def count(self, kind: ChangeKind) -> int:
        """How many items changed this way."""
        return sum(1 for c in self.changes if c.kind == kind)


def word_diff(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """Two texts split into runs of words, the runs only in one of them marked."""
    a, b = re.findall(r"\S+|\n", old), re.findall(r"\S+|\n", new)  # lines stay lines
    left: list[Piece] = []
    right: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(Piece(" ".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(Piece(" ".join(b[j1:j2]), tag != "equal"))
    return left, right


def _pair(key: str, old: str | None, new: str | None) -> Change:
    if not old and not new:
        return Change(ChangeKind.SAME, key, old, new)
    if not old:
        return Change(ChangeKind.ADDED, key, None, new)
    if not new:
        return Change(ChangeKind.REMOVED, key, old, None)
    return Change(ChangeKind.SAME if old == new else ChangeKind.CHANGED, key, old, new)


def _list_diff(old: Sequence[str], new: Sequence[str]) -> list[Change]:
    """Items of two lists aligned: kept, replaced (changed), added, removed."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old[i1:i2], new[j1:j2]
        for offset in range(max(len(olds), len(news))):
            before = olds[offset] if offset < len(olds) else None
            after = news[offset] if offset < len(news) else None
            number = j1 + offset + 1 if after is not None else i1 + offset + 1
            change = _pair(str(number), before, after)
            if tag == "equal":
                change = Change(ChangeKind.SAME, str(number), before, after)
            changes.append(change)
    return changes


def _keyed_diff(
    old: Mapping[str, str], new: Mapping[str, str], order: Sequence[str]
) -> list[Change]:
    keys = list(dict.fromkeys(k for k in order if k in old or k in new))
    keys += sorted(k for k in {*old, *new} if k not in keys)
    return [_pair(key, old.get(key), new.get(key)) for key in keys]


def _roadmap(content: Mapping[str, Any]) -> dict[str, str]:
    return {
        f"{row['year']} · {row['phase']}": "\n".join(row.get("items") or [])
        for row in content.get("roadmap") or []
    }


def _quick_wins(content: Mapping[str, Any]) -> dict[str, str]:
    found = {}
    for win in content.get("quick_wins") or []:
        details = [str(win[k]) for k in ("year", "pd_kode") if win.get(k)]
        found[win["title"]] = win["title"] + (f" ({', '.join(details)})" if details else "")
    return found


def compare_content(
    old: Mapping[str, Any], new: Mapping[str, Any], dimensions: Sequence[str] = ()
) -> list[SectionDiff]:
    """Two contents compared section by section (``dimensions``: the order of strategies)."""
    old_roadmap, new_roadmap = _roadmap(old), _roadmap(new)
    old_wins, new_wins = _quick_wins(old), _quick_wins(new)
    return [
        SectionDiff("background", [_pair("", old.get("background"), new.get("background"))]),
        SectionDiff("vision", [_pair("", old.get("vision"), new.get("vision"))]),
        SectionDiff("missions", _list_diff(old.get("missions") or [], new.get("missions") or [])),
        SectionDiff(
            "strategies",
            _keyed_diff(old.get("strategies") or {}, new.get("strategies") or {}, dimensions),
        ),
        SectionDiff(
            "roadmap", _keyed_diff(old_roadmap, new_roadmap, sorted({*old_roadmap, *new_roadmap}))
        ),
        SectionDiff("quick_wins", _keyed_diff(old_wins, new_wins, [*new_wins, *old_wins])),
    ]


def compare(
    session: Session, *, actor: Actor, a: MasterplanVersion, b: MasterplanVersion
) -> list[SectionDiff]:
    """Version ``a`` (the older side) against version ``b``, section by section."""
    permissions.require(actor, READ)
    codes = [d.kode for d in reference.list_dimensi(session=session)]
    return compare_content(a.content or {}, b.content or {}, codes)
