"""``pontive analytics hotspots`` (the hotspots now) and ``pontive analytics evaluate hotspots``
(how often the test raises a false hotspot, and how often it finds a planted one, on
simulated cities)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from pontive.analytics import hotspot_sim
from pontive.analytics.hotspot_service import find_hotspots, parse_query
from pontive.analytics.hotspot_views import decimal
from pontive.clitools import fail, open_database
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import WIB


def show_hotspots(
    unit: Annotated[str, typer.Option(help="kelurahan or hex.")] = "kelurahan",
    window: Annotated[str, typer.Option(help="24h, 7d or 30d.")] = "7d",
    category: Annotated[str, typer.Option(help="A category code; empty: all.")] = "",
    ring: Annotated[str, typer.Option(help="1: hexagons with their neighbours.")] = "0",
) -> None:
    """Print the significant hotspots now (counts only: no report, no reporter)."""
    database = open_database()
    try:
        with database.session(write=False) as session:
            try:
                query = parse_query(
                    session, unit=unit, window=window, category=category, ring=ring, lang="en"
                )
            except InvalidInput as error:
                raise fail(error) from error
            result = find_hotspots(session, query)
    finally:
        database.dispose()
    since = result.window_start.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")
    typer.echo(
        f"{result.reports} reports since {since} against {result.baseline_reports} in the "
        f"12 weeks before; {len(result.hotspots)} hotspots among {len(result.cells)} cells."
    )
    for cell in result.hotspots:
        categories = ", ".join(f"{code} {n}" for code, n in cell.top_categories)
        typer.echo(
            f"{cell.key}\t{cell.name}\t{cell.count} reports"
            f"\texpected {decimal(cell.expected, 'en')}\tratio {decimal(cell.ratio, 'en')}"
            f"\tq {cell.q:.2g}\t{categories}"
        )


def evaluate_hotspots(
    runs: Annotated[int, typer.Option(help="Simulated cities per scenario.", min=10)] = 200,
    seed: Annotated[int, typer.Option(help="The first seed.")] = 1,
    poisson: Annotated[
        bool, typer.Option("--poisson", help="The plain Poisson tail instead, to compare.")
    ] = False,
) -> None:
    """False hotspots under the null and the power on planted clusters, per scenario."""
    metrics: dict[str, float] = {}
    for scenario in hotspot_sim.SCENARIOS:
        found = hotspot_sim.evaluate(scenario, runs, seed, predictive=not poisson)
        typer.echo(
            f"{scenario.name}: {scenario.cells} cells, {scenario.mean_baseline:g} reports per "
            f"cell in 12 weeks; null: {found.null_runs_with_hotspot}/{runs} cities with a "
            f"false hotspot ({found.null_false_hotspots} in all); planted +{scenario.extra}: "
            f"found {found.detected}/{runs} (power {found.power:.2f}), "
            f"{found.planted_false_hotspots} other cells flagged"
        )
        metrics[f"{scenario.name}_family_error"] = round(found.family_error, 3)
        metrics[f"{scenario.name}_power"] = round(found.power, 3)
    test = "poisson" if poisson else "poisson-gamma"
    summary = {"evaluation": "hotspots", "test": test, "runs": runs, "metrics": metrics}
    typer.echo(json.dumps(summary))


def register(app: typer.Typer, train: typer.Typer, evaluate: typer.Typer) -> None:
    """Add this part's commands to ``pontive analytics`` and its ``evaluate``."""
    app.command("hotspots")(show_hotspots)
    evaluate.command("hotspots")(evaluate_hotspots)
