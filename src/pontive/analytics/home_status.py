"""The cards of the analytics home: each part's path, words and current state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from pontive.analytics import (
    access,
    forecast_read,
    hotspot_views,
    quality_service,
    triage_stats,
    workspace_service,
)
from pontive.core.timeutil import format_local
from pontive.web.i18n import translate


@dataclass(frozen=True, slots=True)
class Card:
    """One part of analytics on the home page."""

    path: str
    title_key: str
    description_key: str
    icon: str
    action: str
    facts: list[str] = field(default_factory=list)  # the part's state, one short line each


def workspace_facts(session: Session, lang: str, analytics_dir: Path) -> list[str]:
    """The current export and the saved queries, in one line."""
    state = workspace_service.overview(session, analytics_dir)
    if state.generated_at is None:
        return [translate("an.home.ws_none", lang, queries=state.saved_queries)]
    rows = f"{state.rows:,}".replace(",", "." if lang == "id" else ",")
    return [
        translate(
            "an.home.ws_export",
            lang,
            time=format_local(state.generated_at),
            tables=state.tables,
            rows=rows,
            queries=state.saved_queries,
        )
    ]


def _decimal(value: float, lang: str, digits: int = 2) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def triage_facts(session: Session, lang: str) -> list[str]:
    """The live model with its held-out metric, and what operators did with its suggestions."""
    state = triage_stats.overview(session)
    if state.version is None or state.category_macro_f1 is None:
        return [translate("an.home.tri_none", lang)]
    lines = [
        translate(
            "an.home.tri_model",
            lang,
            version=state.version,
            f1=_decimal(state.category_macro_f1, lang),
            top2=_decimal(state.top2_accuracy or 0.0, lang),
        )
    ]
    rate = state.acceptance_rate
    lines.append(
        translate(
            "an.home.tri_use",
            lang,
            suggestions=state.suggestions,
            pending=state.pending,
            accepted="-" if rate is None else f"{rate:.0%}",
        )
    )
    return lines


def quality_facts(session: Session, lang: str) -> list[str]:
    """Open data-quality flags and the stations they concern."""
    state = quality_service.overview(session)
    return [
        translate("an.q.home_fact", lang, n=state.open_flags, stations=state.stations_with_open)
    ]


def cards(session: Session, lang: str, analytics_dir: Path) -> list[Card]:
    """Every part's card, in the order of the tab bar."""
    return [
        Card(
            access.TRIAGE_PATH,
            "an.tab.triage",
            "an.home.triage",
            "report",
            access.VIEW,
            triage_facts(session, lang),
        ),
        Card(
            access.FORECAST_PATH,
            "an.tab.forecast",
            "an.home.forecast",
            "sensor",
            access.VIEW,
            forecast_read.overview(session).facts(lang),
        ),
        Card(
            access.QUALITY_PATH,
            "an.tab.quality",
            "an.home.quality",
            "shield",
            access.VIEW,
            quality_facts(session, lang),
        ),
        Card(
            access.HOTSPOT_PATH,
            "an.tab.hotspots",
            "an.home.hotspots",
            "map",
            access.VIEW,
            hotspot_views.home_facts(session, lang),
        ),
        Card(
            access.WORKSPACE_PATH,
            "an.tab.workspace",
            "an.home.workspace",
            "data",
            access.WORKSPACE,
            workspace_facts(session, lang, analytics_dir),
        ),
    ]
