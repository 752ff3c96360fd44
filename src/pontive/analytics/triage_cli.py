"""``pontive analytics train complaints`` and ``pontive analytics evaluate complaints``."""

from __future__ import annotations

from typing import Annotated

import typer

from pontive.analytics import triage_training
from pontive.analytics.triage_evaluate import Evaluation, Measured
from pontive.clitools import fail, load_settings, open_database
from pontive.core.errors import DomainError
from pontive.core.identity import system_actor

CrossValidate = Annotated[
    bool,
    typer.Option(
        "--cross-validate",
        help="Pilih C dengan validasi silang 5 lipatan pada bagian latih / choose C by "
        "5-fold cross-validation on the training part (slower).",
    ),
]


def _echo_measured(title: str, measured: Measured) -> None:
    typer.echo(f"{title} (n={measured.n})")
    typer.echo(f"  category macro-F1   {measured.category_macro_f1:.4f}")
    typer.echo(f"  category accuracy   {measured.category_accuracy:.4f}")
    typer.echo(f"  top-2 accuracy      {measured.top2_accuracy:.4f}")
    typer.echo(f"  urgency macro-F1    {measured.urgency_macro_f1:.4f}")
    typer.echo(f"  urgency accuracy    {measured.urgency_accuracy:.4f}")
    typer.echo("  per category        F1      P       R       n")
    for code, row in measured.per_category.items():
        typer.echo(
            f"    {code:24s}  {row['f1']:.3f}   {row['precision']:.3f}   "
            f"{row['recall']:.3f}   {int(row['support'])}"
        )
    if measured.confusions:
        typer.echo("  most frequent confusions (true -> predicted: count)")
        for pair in measured.confusions:
            typer.echo(f"    {pair['true']} -> {pair['predicted']}: {pair['count']}")


def _echo_evaluation(evaluation: Evaluation) -> None:
    settings = evaluation.settings
    trained = ", ".join(f"{k} {v}" for k, v in evaluation.trained_on.items())
    typer.echo(
        f"trained on: {trained}; C category {settings.c_category}, urgency {settings.c_urgency}"
    )
    for head, by_c in evaluation.cross_validation.items():
        scores = "  ".join(f"C={c}: {score:.4f}" for c, score in by_c.items())
        typer.echo(f"cross-validation {head} macro-F1: {scores}")
    _echo_measured("held-out seed reports", evaluation.seed)
    if evaluation.history is not None:
        _echo_measured("held-out platform history", evaluation.history)


def evaluate(cross_validate: CrossValidate = False) -> None:
    """Measure the complaint triage model on held-out reports (same numbers every run)."""
    settings = load_settings()
    with open_database(settings) as database, database.session(write=False) as session:
        evaluation = triage_training.evaluate_platform(session, cross_validate=cross_validate)
    _echo_evaluation(evaluation)


def train(cross_validate: CrossValidate = False) -> None:
    """Train the complaint triage model on the seed set and confirmed history, evaluate it,
    store it as a new version and make it live."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            trained = triage_training.train(
                session=session, actor=system_actor("cli"), cross_validate=cross_validate
            )
        except DomainError as error:
            raise fail(error) from error
        version = trained.row.version
    _echo_evaluation(trained.evaluation)
    typer.echo(f"live model: {version}")


def register(app: typer.Typer, train_app: typer.Typer, evaluate_app: typer.Typer) -> None:
    """Add this part's commands to ``pontive analytics`` and its ``train``/``evaluate``."""
    train_app.command("complaints")(train)
    evaluate_app.command("complaints")(evaluate)
