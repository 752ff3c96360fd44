"""``pontive analytics …`` commands of the forecast part: ``evaluate forecast`` prints each
gauge's backtest, ``train forecast`` fits and stores every gauge's model and issues its
forecast, ``forecast issue`` issues from the stored models (what the hourly job does) and
``forecast rules`` makes the missing early-warning rules."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from pontive.analytics.forecast_backtest import BacktestResult
from pontive.analytics.forecast_data import hour_start, list_gauges
from pontive.analytics.forecast_rules import seed_forecast_rules
from pontive.analytics.forecast_service import (
    Evaluation,
    evaluate,
    issue_forecasts,
    train,
)
from pontive.clitools import fail, load_settings, open_database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, create_bus
from pontive.core.identity import system_actor
from pontive.core.timeutil import format_local

ACTOR = system_actor("cli")
TARGET = 30.0  # percent: the issue's 6-hour target against persistence
Station = Annotated[
    str | None,
    typer.Option("--station", help="Datastream id or part of the gauge's name."),
]


def _chosen(session: Session, station: str | None) -> list[int] | None:
    if station is None:
        return None
    gauges = list_gauges(session)
    chosen = [
        g.datastream_id
        for g in gauges
        if str(g.datastream_id) == station or station.lower() in g.name.lower()
    ]
    if not chosen:
        typer.echo(f"Pos tidak ditemukan / no gauge matches {station!r}", err=True)
        raise typer.Exit(1)
    return chosen


def _number(value: float | None, width: int) -> str:
    return ("-" if value is None else f"{value:.2f}").rjust(width)


def _print_backtest(result: BacktestResult, unit: str) -> None:
    typer.echo(
        f"  fit {format_local(hour_start(result.fit_start))} - "
        f"{format_local(hour_start(result.fit_end))}, test to "
        f"{format_local(hour_start(result.test_end))}, {result.origins} origins, "
        f"constituents {' '.join(result.constituents)}"
    )
    head = ("horizon", "MAE", "persist", "better", "cover90", "n")
    widths = (7, 8, 8, 7, 7, 5)
    typer.echo(
        "  " + "  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)) + f"  ({unit})"
    )
    for s in result.scores:
        coverage = "-" if s.coverage is None else f"{100 * s.coverage:.0f}%"
        typer.echo(
            f"  {s.hours:>5} h  {_number(s.mae, 8)}  {_number(s.persistence_mae, 8)}  "
            f"{s.improvement:>6.1f}%  {coverage:>7}  {s.count:>5}"
        )


def _print_evaluations(evaluations: list[Evaluation]) -> None:
    met = 0
    scored = 0
    for item in evaluations:
        gauge = item.gauge
        typer.echo(
            f"{gauge.name} (datastream {gauge.datastream_id}, {gauge.unit}): "
            f"{item.record_hours} h of hourly means"
        )
        if item.backtest is None:
            typer.echo(f"  no backtest: {item.problem}")
            continue
        _print_backtest(item.backtest, gauge.unit)
        six = next((s for s in item.backtest.scores if s.hours == 6), None)
        if six is not None:
            scored += 1
            met += six.improvement >= TARGET
    typer.echo(
        f"6 h MAE at least {TARGET:.0f}% below persistence: {met} of {scored} gauges "
        f"/ target met: {'yes' if scored and met == scored else 'no'}"
    )


def register(app: typer.Typer, train_app: typer.Typer, evaluate_app: typer.Typer) -> None:
    """Add this part's commands to ``pontive analytics`` and its ``train``/``evaluate``."""
    forecast_app = typer.Typer(
        help="Prakiraan muka air / water-level forecast.", no_args_is_help=True
    )
    app.add_typer(forecast_app, name="forecast")

    @evaluate_app.command("forecast")
    def evaluate_forecast(station: Station = None) -> None:
        """Backtest every water gauge (fit on the first two thirds, forecast from every later
        hour) and print MAE by horizon against persistence and the 90% interval's coverage."""
        with open_database(load_settings()) as database, database.session(write=False) as session:
            _print_evaluations(evaluate(session, datastream_ids=_chosen(session, station)))

    @train_app.command("forecast")
    def train_forecast(station: Station = None) -> None:
        """Fit and store a new model version of every water gauge and issue its forecast."""
        settings = load_settings()
        bus = create_bus(settings.bus_url)
        bus.start()
        try:
            with open_database(settings) as database, database.session() as session:
                session.info[SESSION_BUS_KEY] = bus
                outcomes = train(session, actor=ACTOR, datastream_ids=_chosen(session, station))
        except DomainError as error:
            raise fail(error) from error
        finally:
            bus.stop()
        _print_evaluations([o.evaluation for o in outcomes])
        for outcome in outcomes:
            if outcome.model is not None:
                issued = outcome.issue.status.value if outcome.issue else "-"
                typer.echo(
                    f"stored {outcome.evaluation.gauge.name}: model v{outcome.model.version}, "
                    f"forecast {issued}"
                )

    @forecast_app.command("issue")
    def issue() -> None:
        """Issue a forecast for every gauge from its newest model (what the hourly job does)."""
        settings = load_settings()
        bus = create_bus(settings.bus_url)
        bus.start()
        try:
            with open_database(settings) as database, database.session() as session:
                session.info[SESSION_BUS_KEY] = bus
                outcomes = issue_forecasts(session)
        finally:
            bus.stop()
        for outcome in outcomes:
            typer.echo(f"{outcome.gauge.name}: {outcome.status.value} ({outcome.points} points)")

    @forecast_app.command("rules")
    def rules() -> None:
        """Make the early-warning rule (Siaga within 6 hours, a draft to approve) of every
        forecast stream that has none."""
        with open_database(load_settings()) as database, database.session() as session:
            try:
                outcome = seed_forecast_rules(session, actor=ACTOR)
            except DomainError as error:
                raise fail(error) from error
        typer.echo(f"Aturan dibuat / rules made: {len(outcome.created)}")
        for code in outcome.created:
            typer.echo(f"  {code}")
        for name in outcome.skipped:
            typer.echo(f"  skipped (no forecast stream or no Siaga level): {name}")
