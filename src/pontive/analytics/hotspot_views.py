"""Hotspots as others see them: GeoJSON for maps and the API (the staff's every cell, or the
public's significant cells only), rows for the console's table, and the situation room's
short list.

The public form carries only what a cell as a whole says: its name and shape, how many
reports, how many were expected, the ratio, ``q`` and its top categories. No report, no
time of a report, no coordinate finer than the cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from pontive.analytics.hotspot_service import (
    Cell,
    HotspotQuery,
    HotspotResult,
    Unit,
    find_hotspots,
)
from pontive.complaints.page_support import CONSOLE as QUEUE_PATH
from pontive.web.i18n import translate

PUBLIC_PROPERTIES = frozenset(
    {"id", "unit", "name", "count", "expected", "ratio", "q", "significant", "top_categories"}
)
# The situation room's list: the last day and the last week, per kelurahan.
SITUATION_WINDOWS = ("24h", "7d")


def _number(value: float, digits: int) -> float | None:
    return round(value, digits) if math.isfinite(value) else None


def _significant(value: float) -> float:
    """Three significant digits (``p`` and ``q`` span many orders of magnitude)."""
    return float(f"{value:.3g}")


def decimal(value: float, lang: str, digits: int = 1) -> str:
    """A number as each language writes it (``7,5`` in Indonesian, ``7.5`` in English)."""
    text = f"{value:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def queue_url(cell: Cell, category: str | None) -> str | None:
    """The complaint queue filtered to the cell's kelurahan (and the chosen category)."""
    if cell.kelurahan_kode is None:
        return None
    query = {"kelurahan": cell.kelurahan_kode} | ({"category": category} if category else {})
    return f"{QUEUE_PATH}?{urlencode(query)}"


def _properties(cell: Cell, result: HotspotResult, lang: str, *, public: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": cell.key,
        "unit": cell.unit.value,
        "name": cell.name,
        "count": cell.count,
        "expected": _number(cell.expected, 2),
        "ratio": _number(cell.ratio, 2),
        "q": _significant(cell.q),
        "significant": cell.is_hotspot,
        "top_categories": [
            {"code": code, "name": result.category_name(code, lang), "count": count}
            for code, count in cell.top_categories
        ],
    }
    if public:
        return properties
    return properties | {
        "level": cell.level,
        "p": _significant(cell.p),
        "baseline": cell.baseline,
        "kelurahan_kode": cell.kelurahan_kode,
        "members": list(cell.members),
        "first_report_at": cell.first_at.isoformat() if cell.first_at else None,
        "last_report_at": cell.last_at.isoformat() if cell.last_at else None,
        "queue_url": queue_url(cell, result.query.category),
    }


def feature_collection(result: HotspotResult, *, lang: str, public: bool) -> dict[str, Any]:
    """Every cell (staff) or the significant ones (public) as a GeoJSON FeatureCollection."""
    cells = result.hotspots if public else result.cells
    features = [
        {
            "type": "Feature",
            "id": cell.key,
            "geometry": cell.geometry,
            "properties": _properties(cell, result, lang, public=public),
        }
        for cell in cells
    ]
    query = result.query
    return {
        "type": "FeatureCollection",
        "features": features,
        "unit": query.unit.value,
        "window": query.window,
        "category": query.category,
        "ring": query.ring,
        "generated_at": result.now.isoformat(),
        "window_start": result.window_start.isoformat(),
        "baseline_start": result.baseline_start.isoformat(),
        "reports": result.reports,
        "hotspots": len(result.hotspots),
        "cells": len(result.cells),
    }


def _q_label(q: float, lang: str) -> str:
    """``q`` for people: two digits, and "< 0.001" rather than powers of ten."""
    text = "< 0.001" if q < 0.001 else f"{q:.2g}"
    return text if lang == "en" else text.replace(".", ",")


@dataclass(frozen=True, slots=True)
class Row:
    """One hotspot in the console's table, its numbers written for ``lang``."""

    cell: Cell
    name: str
    expected: str
    ratio: str
    q: str
    categories: list[tuple[str, int]]
    first_at: datetime | None
    last_at: datetime | None
    queue_url: str | None


SORTS = {
    "ratio": lambda c: (-c.ratio, c.q),
    "count": lambda c: (-c.count, c.q),
    "q": lambda c: (c.q, -c.ratio),
}


def table_rows(result: HotspotResult, lang: str, sort: str = "ratio") -> list[Row]:
    """The significant cells, sorted by ``ratio`` (default), ``count`` or ``q``."""
    cells = sorted(result.hotspots, key=SORTS.get(sort, SORTS["ratio"]))
    return [
        Row(
            cell=cell,
            name=cell.name if cell.unit is Unit.KELURAHAN else f"{cell.name} · {cell.key}",
            expected=decimal(cell.expected, lang, 1 if cell.expected >= 1 else 2),
            ratio=decimal(cell.ratio, lang),
            q=_q_label(cell.q, lang),
            categories=[(result.category_name(c, lang), n) for c, n in cell.top_categories],
            first_at=cell.first_at,
            last_at=cell.last_at,
            queue_url=queue_url(cell, result.query.category),
        )
        for cell in cells
    ]


@dataclass(frozen=True, slots=True)
class SituationHotspot:
    """One significant kelurahan in the situation room's list."""

    window: str
    kode: str
    name: str
    count: int
    ratio: float
    categories: tuple[tuple[str, str], ...]  # (Indonesian, English) names, most reported first

    def ratio_label(self, lang: str) -> str:
        """The ratio as ``lang`` writes it."""
        return decimal(self.ratio, lang)

    def category_names(self, lang: str) -> list[str]:
        """The top categories' names in ``lang``."""
        return [english if lang == "en" else indonesian for indonesian, english in self.categories]

    def as_json(self) -> dict[str, Any]:
        """For the situation page's data."""
        return {
            "window": self.window,
            "kode": self.kode,
            "name": self.name,
            "count": self.count,
            "ratio": round(self.ratio, 1),
        }


def situation_hotspots(session: Session, now: datetime | None = None) -> list[SituationHotspot]:
    """The significant kelurahan of the last 24 hours and of the last 7 days (public)."""
    found = []
    for window in SITUATION_WINDOWS:
        result = find_hotspots(session, HotspotQuery(Unit.KELURAHAN, window), now)
        found += [
            SituationHotspot(
                window,
                cell.key,
                cell.name,
                cell.count,
                cell.ratio,
                tuple(
                    result.category_names.get(code, (code, code)) for code, _ in cell.top_categories
                ),
            )
            for cell in result.hotspots
        ]
    return found


def home_facts(session: Session, lang: str) -> list[str]:
    """The analytics home card's line: the kelurahan hotspots of the last 7 days."""
    hotspots = find_hotspots(session, HotspotQuery(Unit.KELURAHAN, "7d"), None).hotspots
    if not hotspots:
        return [translate("an.hs.home.none", lang)]
    names = ", ".join(cell.name for cell in hotspots[:3])
    return [f"{translate('an.hs.home.fact', lang, count=len(hotspots))}: {names}"]
