"""A masterplan version's text in the console: the draft editor's fields read into a
version's content and back, and the content arranged for display (the roadmap by year with a
colour per phase).

The editor works without JavaScript: missions and quick wins one per line (a quick win as
``title | year | agency``), the roadmap as rows of year, phase and items (one per line) with
three empty rows to add more; each save shows the rows again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from pontive.web.forms import text

BLANK_ROWS = 3  # empty roadmap rows offered below the filled ones
MAX_ROWS = 60
PHASE_COLOURS = 5  # mp-phase-0 … mp-phase-4 in console.css


def roadmap_count(values: Mapping[str, str]) -> int:
    """How many roadmap rows the form holds (filled or not)."""
    numbers = [
        int(k.rsplit("_", 1)[1]) for k in values if k.startswith("rm_year_") and k[8:].isdigit()
    ]
    return min(max(numbers, default=-1) + 1, MAX_ROWS)


def _pd_code(raw: str, agencies: Mapping[str, str]) -> str:
    """An agency typed as its code or its abbreviation (``Diskominfo``) → its code."""
    by_name = {name.lower(): code for code, name in agencies.items()}
    return by_name.get(raw.lower(), raw.lower())


def parse_quick_wins(raw: str, agencies: Mapping[str, str]) -> list[dict[str, Any]]:
    """``title | year | agency`` lines (year and agency optional) → quick wins."""
    wins = []
    for line in raw.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        year = parts[1] if len(parts) > 1 and parts[1] else None
        agency = _pd_code(parts[2], agencies) if len(parts) > 2 and parts[2] else None
        wins.append({"title": parts[0], "year": year, "pd_kode": agency})
    return wins


def parse_content(
    form: FormData, dimensions: Sequence[str], agencies: Mapping[str, str]
) -> dict[str, Any]:
    """The editor's fields as a version's content (the service checks and normalises it)."""
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    roadmap = [
        {
            "year": text(form, f"rm_year_{n}"),
            "phase": text(form, f"rm_phase_{n}"),
            "items": text(form, f"rm_items_{n}"),
        }
        for n in range(roadmap_count(values))
    ]
    return {
        "background": text(form, "background"),
        "vision": text(form, "vision"),
        "missions": text(form, "missions"),
        "strategies": {code: text(form, f"strategy_{code}") for code in dimensions},
        "roadmap": roadmap,
        "quick_wins": parse_quick_wins(text(form, "quick_wins"), agencies),
    }


def content_values(content: Mapping[str, Any], change_note: str = "") -> dict[str, str]:
    """A version's content as the editor's fields, with empty roadmap rows to fill."""
    values = {
        "change_note": change_note,
        "background": content.get("background") or "",
        "vision": content.get("vision") or "",
        "missions": "\n".join(content.get("missions") or []),
        "quick_wins": "\n".join(
            " | ".join([win["title"], str(win.get("year") or ""), win.get("pd_kode") or ""]).rstrip(
                " |"
            )
            for win in content.get("quick_wins") or []
        ),
    }
    for code, strategy in (content.get("strategies") or {}).items():
        values[f"strategy_{code}"] = strategy
    rows = content.get("roadmap") or []
    for n, row in enumerate(rows):
        values[f"rm_year_{n}"] = str(row.get("year") or "")
        values[f"rm_phase_{n}"] = row.get("phase") or ""
        values[f"rm_items_{n}"] = "\n".join(row.get("items") or [])
    for n in range(len(rows), len(rows) + BLANK_ROWS):
        values[f"rm_year_{n}"] = values[f"rm_phase_{n}"] = values[f"rm_items_{n}"] = ""
    return values


def with_blank_rows(values: dict[str, str]) -> dict[str, str]:
    """What was typed, with empty roadmap rows after the last one that has anything."""
    count = roadmap_count(values)
    filled = [
        n
        for n in range(count)
        if any(values.get(f"rm_{part}_{n}") for part in ("year", "phase", "items"))
    ]
    last = max(filled, default=-1)
    for n in range(last + 1, last + 1 + BLANK_ROWS):
        for part in ("year", "phase", "items"):
            values.setdefault(f"rm_{part}_{n}", "")
    return values


@dataclass(frozen=True, slots=True)
class RoadmapYear:
    """One year of the roadmap: its phases with their items."""

    year: int
    rows: list[tuple[str, int, list[str]]]  # phase, colour number, items


def roadmap_years(content: Mapping[str, Any]) -> list[RoadmapYear]:
    """The roadmap grouped by year, each phase with a colour of its own (in order of first
    appearance)."""
    colours: dict[str, int] = {}
    years: dict[int, RoadmapYear] = {}
    for row in content.get("roadmap") or []:
        colour = colours.setdefault(row["phase"], len(colours) % PHASE_COLOURS)
        years.setdefault(row["year"], RoadmapYear(row["year"], []))
        years[row["year"]].rows.append((row["phase"], colour, list(row.get("items") or [])))
    return [years[year] for year in sorted(years)]


def phases(content: Mapping[str, Any]) -> list[tuple[str, int, int, int]]:
    """Each phase with its colour and its first and last year (the timeline's legend)."""
    spans: dict[str, list[int]] = {}
    for row in content.get("roadmap") or []:
        spans.setdefault(row["phase"], []).append(row["year"])
    return [
        (phase, n % PHASE_COLOURS, min(years), max(years))
        for n, (phase, years) in enumerate(spans.items())
    ]
