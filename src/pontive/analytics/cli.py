"""``pontive analytics …``: train and evaluate the models, export the history."""

from __future__ import annotations

import typer

from pontive.analytics import forecast_cli, hotspot_cli, quality_cli, triage_cli, workspace_cli

app = typer.Typer(help="Analitik dan model / analytics and models.", no_args_is_help=True)
train_app = typer.Typer(help="Latih model / train a model.", no_args_is_help=True)
evaluate_app = typer.Typer(
    help="Ukur model pada data uji / measure a model on held-out data.", no_args_is_help=True
)
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")
for part in (triage_cli, forecast_cli, quality_cli, hotspot_cli, workspace_cli):
    part.register(app, train_app, evaluate_app)
