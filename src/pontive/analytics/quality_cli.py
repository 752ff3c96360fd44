"""``pontive analytics …`` commands of the quality part: run the checks now, and measure
them on simulated series with injected faults."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from pontive.analytics.quality_eval import (
    EVAL_SEED,
    FAULT_SEED,
    PERIODS,
    QUICK_PERIODS,
    evaluate,
    percent,
)
from pontive.analytics.quality_run import run_checks
from pontive.clitools import fail, load_settings, open_database
from pontive.core.errors import InvalidInput
from pontive.core.identity import system_actor
from pontive.core.timeutil import WIB, as_utc

quality_app = typer.Typer(help="Kualitas data sensor / sensor data quality.", no_args_is_help=True)


def _since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise fail(
            InvalidInput(
                errors={"--since": ["ISO 8601, e.g. 2026-11-01 or 2026-11-01T07:00+07:00"]}
            )
        ) from None
    return as_utc(value if value.tzinfo else value.replace(tzinfo=WIB))  # naive: WIB


@quality_app.command("check")
def check(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Periksa ulang semua data sejak (ISO 8601) / recheck from."),
    ] = None,
) -> None:
    """Jalankan pemeriksaan sekarang / run the checks now (new data, or all since --since)."""
    start = _since(since) if since else None
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        report = run_checks(session, actor=system_actor("cli"), since=start)
    typer.echo(report.summary())


def evaluate_quality(
    seed: Annotated[int, typer.Option(help="Seed of the simulated city.")] = EVAL_SEED,
    fault_seed: Annotated[int, typer.Option(help="Seed of the injected faults.")] = FAULT_SEED,
    quick: Annotated[bool, typer.Option(help="One 24-day window instead of two.")] = False,
) -> None:
    """Presisi dan recall per jenis pada deret simulasi dengan gangguan / precision and
    recall per kind on simulated series with injected faults (held out)."""
    chosen = QUICK_PERIODS if quick else PERIODS
    periods = ", ".join(f"{a:%Y-%m-%d}..{b:%Y-%m-%d}" for a, b in chosen)
    typer.echo(f"Simulated city seed {seed}, faults seed {fault_seed}, periods {periods}")
    typer.echo(
        f"{'kind':<8}{'flagged':>9}{'right':>7}{'injected':>10}{'found':>7}"
        f"{'precision':>11}{'recall':>9}"
    )
    for score in evaluate(seed=seed, fault_seed=fault_seed, periods=chosen):
        typer.echo(
            f"{score.kind.value:<8}{score.flagged:>9}{score.right:>7}{score.injected:>10}"
            f"{score.found:>7}{percent(score.precision):>11}{percent(score.recall):>9}"
        )


def register(app: typer.Typer, train: typer.Typer, evaluate: typer.Typer) -> None:
    """Add this part's commands to ``pontive analytics`` and its ``train``/``evaluate``."""
    app.add_typer(quality_app, name="quality")
    evaluate.command("quality")(evaluate_quality)
