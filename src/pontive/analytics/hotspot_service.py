"""Complaint hotspots: where citizens report more than usual, per kelurahan or per hexagon.

``find_hotspots`` counts the reports of a recent window (24 hours, 7 days or 30 days) per
cell, tests each cell against its usual rate from the 12 weeks before the window
(``hotspot_stats``) and describes every cell: its count, expected count, ratio, ``p`` and
``q``, its top categories and its first and last report. Pages, the API, the CLI and the
situation room (``situation_hotspots``, public cells only) all read it from here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from pontive.analytics import hotspot_grid as grid
from pontive.analytics import hotspot_stats as stats
from pontive.analytics.hotspot_data import BASELINE, Place, ReportRow, Snapshot, snapshot
from pontive.complaints import service as complaints
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate


class Unit(StrEnum):
    """The spatial unit hotspots are counted in."""

    KELURAHAN = "kelurahan"
    HEX = "hex"


WINDOWS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
DEFAULT_WINDOW = "7d"
TOP_CATEGORIES = 3
# Worth watching: unusual on its own (before the correction for testing every cell), but not
# a hotspot. Shown on the map, never called a hotspot.
WATCH_P = 0.05


@dataclass(frozen=True, slots=True)
class HotspotQuery:
    """What to look at: the unit, the window, one category (or all), neighbours or not."""

    unit: Unit = Unit.KELURAHAN
    window: str = DEFAULT_WINDOW
    category: str | None = None
    ring: int = 0  # 1: each hexagon is tested with its six neighbours (a small scan)


@dataclass(frozen=True, slots=True)
class Cell:
    """One tested cell (or hexagon with its neighbours) and what was found there."""

    key: str
    unit: Unit
    name: str
    kelurahan_kode: str | None  # the kelurahan (its own, or the one most reports came from)
    members: tuple[str, ...]
    geometry: dict[str, Any] | None
    count: int
    baseline: int
    expected: float
    p: float
    q: float
    is_hotspot: bool
    top_categories: tuple[tuple[str, int], ...]
    first_at: datetime | None
    last_at: datetime | None

    @property
    def ratio(self) -> float:
        """Observed over expected (the expected count is never zero)."""
        return self.count / self.expected

    @property
    def level(self) -> str:
        """``hotspot``, ``elevated``, ``usual`` or ``quiet`` (no report): the map's classes."""
        if self.is_hotspot:
            return "hotspot"
        if self.count == 0:
            return "quiet"
        return "elevated" if self.p <= WATCH_P else "usual"


@dataclass(frozen=True, slots=True)
class HotspotResult:
    """Every cell of one query, with the periods it compared."""

    query: HotspotQuery
    now: datetime
    window_start: datetime
    baseline_start: datetime
    cells: list[Cell]
    reports: int  # in the window (the category's, when one is chosen)
    baseline_reports: int
    unplaced: int  # in the window but without a cell (no pin, on the hexagon grid)
    category_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def hotspots(self) -> list[Cell]:
        """The significant cells, the strongest excess first."""
        return sorted((c for c in self.cells if c.is_hotspot), key=lambda c: (-c.ratio, c.q))

    def category_name(self, code: str, lang: str) -> str:
        """A category's name in ``lang``."""
        names = self.category_names.get(code)
        return (names[1] if lang == "en" else names[0]) if names else code


def parse_query(
    session: Session, *, unit: str, window: str, category: str, ring: str, lang: str
) -> HotspotQuery:
    """A query from request parameters; ``InvalidInput`` naming each bad field."""
    errors: dict[str, list[str]] = {}
    if unit not in Unit._value2member_map_:
        errors["unit"] = [translate("an.hs.err.unit", lang)]
    if window not in WINDOWS:
        errors["window"] = [translate("an.hs.err.window", lang)]
    code = category.strip()
    if code and code not in _category_names(session):
        errors["category"] = [translate("an.hs.err.category", lang)]
    if ring not in ("", "0", "1"):
        errors["ring"] = [translate("an.hs.err.ring", lang)]
    if errors:
        raise InvalidInput(
            "Parameter titik rawan tidak valid.", "Invalid hotspot parameters.", errors=errors
        )
    return HotspotQuery(Unit(unit), window, code or None, 1 if ring == "1" else 0)


def _category_names(session: Session) -> dict[str, tuple[str, str]]:
    return {
        c.code: (c.name_id, c.name_en)
        for c in complaints.list_categories(session, active_only=False)
    }


def find_hotspots(
    session: Session, query: HotspotQuery, now: datetime | None = None
) -> HotspotResult:
    """Test every cell of ``query.unit`` for an excess of reports in the window."""
    now = now or utcnow()
    taken = snapshot(session, now)
    window_start = now - WINDOWS[query.window]
    baseline_start = window_start - BASELINE
    rows = [r for r in taken.rows if baseline_start <= r.created_at < now]
    chosen = [r for r in rows if query.category in (None, r.category)]
    recent = [r for r in chosen if r.created_at >= window_start]
    older = [r for r in chosen if r.created_at < window_start]
    if query.unit is Unit.KELURAHAN:
        cells, groups = sorted(taken.places), None
        place_of = _kelurahan_of
    else:
        cells, groups = _hex_family(rows, query.ring)
        place_of = _hex_of
    window_counts = Counter(key for r in recent if (key := place_of(r)) is not None)
    baseline_counts = Counter(key for r in older if (key := place_of(r)) is not None)
    scale = WINDOWS[query.window] / BASELINE
    verdicts = stats.assess(window_counts, baseline_counts, cells, scale=scale, groups=groups)
    by_cell: dict[str, list[ReportRow]] = {}
    for row in recent:
        key = place_of(row)
        if key is not None:
            by_cell.setdefault(key, []).append(row)
    described = [_describe(v, query.unit, by_cell, taken) for v in verdicts]
    return HotspotResult(
        query=query,
        now=now,
        window_start=window_start,
        baseline_start=baseline_start,
        cells=described,
        reports=len(recent),
        baseline_reports=len(older),
        unplaced=sum(1 for r in recent if place_of(r) is None),
        category_names=_category_names(session),
    )


def _kelurahan_of(row: ReportRow) -> str | None:
    return row.kelurahan


def _hex_of(row: ReportRow) -> str | None:
    if row.lon is None or row.lat is None:
        return None
    return grid.cell_id(grid.cell_of(row.lon, row.lat))


def _hex_family(
    rows: Iterable[ReportRow], ring: int
) -> tuple[list[str], dict[str, list[str]] | None]:
    """The hexagons tested: every one with a report of any category in the window or its
    baseline (and, with ``ring``, their neighbours), and each one's group."""
    seen = {grid.cell_of(r.lon, r.lat) for r in rows if r.lon is not None and r.lat is not None}
    if ring:
        seen |= {n for cell in seen for n in grid.ring(cell)}
    cells = sorted(seen)
    names = [grid.cell_id(c) for c in cells]
    if not ring:
        return names, None
    groups = {
        grid.cell_id(c): [grid.cell_id(c)] + [grid.cell_id(n) for n in grid.ring(c) if n in seen]
        for c in cells
    }
    return names, groups


def _describe(
    verdict: stats.Assessment, unit: Unit, by_cell: dict[str, list[ReportRow]], taken: Snapshot
) -> Cell:
    reports = [r for member in verdict.cells for r in by_cell.get(member, ())]
    kelurahan = Counter(r.kelurahan for r in reports).most_common(1)
    if unit is Unit.KELURAHAN:
        place: Place | None = taken.places.get(verdict.key)
        kode: str | None = verdict.key
        geometry = _kelurahan_geometry(place)
    else:
        cells = [c for m in verdict.cells if (c := grid.parse_cell_id(m)) is not None]
        kode = kelurahan[0][0] if kelurahan else _nearest_kelurahan(cells[0], taken)
        place = taken.places.get(kode) if kode else None
        geometry = _hex_geometry(cells)
    return Cell(
        key=verdict.key,
        unit=unit,
        name=place.name if place else "—",
        kelurahan_kode=kode,
        members=verdict.cells,
        geometry=geometry,
        count=verdict.count,
        baseline=verdict.baseline,
        expected=verdict.expected,
        p=verdict.p,
        q=verdict.q,
        is_hotspot=verdict.is_hotspot,
        top_categories=tuple(Counter(r.category for r in reports).most_common(TOP_CATEGORIES)),
        first_at=min((r.created_at for r in reports), default=None),
        last_at=max((r.created_at for r in reports), default=None),
    )


def _kelurahan_geometry(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    if place.geometry is not None:
        return place.geometry
    if place.centroid is not None:
        return {"type": "Point", "coordinates": [*place.centroid]}
    return None


def _hex_geometry(cells: Sequence[grid.Axial]) -> dict[str, Any]:
    if len(cells) == 1:
        return grid.polygon(cells[0])
    return {
        "type": "MultiPolygon",
        "coordinates": [grid.polygon(c)["coordinates"] for c in cells],
    }


def _nearest_kelurahan(cell: grid.Axial, taken: Snapshot) -> str | None:
    """The kelurahan whose centre is nearest the hexagon's (names a cell without reports)."""
    lon, lat = grid.centre_lon_lat(cell)
    centres = [(p.kode, p.centroid) for p in taken.places.values() if p.centroid is not None]
    if not centres:
        return None
    return min(centres, key=lambda kc: (kc[1][0] - lon) ** 2 + (kc[1][1] - lat) ** 2)[0]
