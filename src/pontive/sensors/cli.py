"""``pontive sensors …``: the demo stations' simulator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from pontive.clitools import load_settings, open_database
from pontive.core.timeutil import as_utc, utcnow
from pontive.sensors.demo_stations import Station
from pontive.sensors.simulate import (
    Simulation,
    SimulatorError,
    Sink,
    Target,
    choose_stations,
    targets_from_database,
)
from pontive.sensors.simulate_city import DEFAULT_SEED, CityModel
from pontive.sensors.simulate_sinks import HttpSink, MqttSink, targets_from_sta

app = typer.Typer(help="Sensor dan IoT / sensors and IoT.", no_args_is_help=True)


@app.callback()
def sensors() -> None:
    """Sensor dan IoT / sensors and IoT: the demo stations' simulator."""


def _targets(stations: list[Station], sta_url: str | None) -> list[Target]:
    if sta_url:
        return targets_from_sta(sta_url, stations)
    with open_database(load_settings()) as database, database.session() as session:
        return targets_from_database(session, stations)


def _check_sink(mqtt_url: str | None, http_url: str | None, api_key: str | None) -> None:
    if bool(mqtt_url) == bool(http_url):
        raise SimulatorError("give exactly one of --mqtt URL or --http BASE_URL")
    if http_url and not api_key:
        raise SimulatorError("--http needs --api-key (a gateway key of the demo Things)")


def _sink(mqtt_url: str | None, http_url: str | None, api_key: str | None) -> Sink:
    if http_url:
        return HttpSink(http_url, api_key or "")
    return MqttSink(mqtt_url or "")


def _station_keys(values: list[str] | None) -> list[str]:
    return [key for value in values or [] for key in value.split(",")]


@app.command()
def simulate(
    mqtt: Annotated[
        str | None, typer.Option("--mqtt", help="Broker URL, e.g. mqtt://127.0.0.1:1883.")
    ] = None,
    http: Annotated[
        str | None, typer.Option("--http", help="Pontive base URL, e.g. http://127.0.0.1:8000.")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="Gateway API key for --http.")
    ] = None,
    speed: Annotated[
        float, typer.Option(help="Simulated seconds per wall-clock second.", min=0.001)
    ] = 1.0,
    duration: Annotated[
        float | None, typer.Option(help="Stop after this many wall-clock seconds.", min=0.0)
    ] = None,
    stations: Annotated[
        list[str] | None,
        typer.Option("--stations", help="Station keys (repeat or comma-separate); default all."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Model seed (the demo history uses the default).")] = (
        DEFAULT_SEED
    ),
    start: Annotated[
        datetime | None,
        typer.Option(
            help="Simulated start, ISO 8601 with a zone (default: now).",
            formats=["%Y-%m-%dT%H:%M:%S%z"],
        ),
    ] = None,
    sta: Annotated[
        str | None,
        typer.Option(
            "--sta",
            help="Find the demo Datastreams through this server's SensorThings API, not the "
            "database (implied by --http).",
        ),
    ] = None,
) -> None:
    """Publish the demo stations' readings live over MQTT (QoS 1) or HTTP (CreateObservations)."""
    try:
        _check_sink(mqtt, http, api_key)
        chosen = choose_stations(_station_keys(stations))
        targets = _targets(chosen, sta or http)
        sink = _sink(mqtt, http, api_key)
        simulation = Simulation(CityModel(seed), targets, sink, speed=speed)
    except SimulatorError as error:
        typer.echo(f"Simulator: {error}", err=True)
        raise typer.Exit(2) from error
    began = as_utc(start) if start else utcnow()
    typer.echo(
        f"Simulating {len(chosen)} stations, {len(targets)} datastreams, x{speed:g} from "
        f"{began.isoformat()} (Ctrl-C stops)",
        err=True,
    )
    try:
        simulation.run(start=began, duration=duration)
    except KeyboardInterrupt:
        pass
    except SimulatorError as error:
        typer.echo(f"Simulator stopped: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        sink.close()
        typer.echo(f"Published {simulation.published} observations ({simulation.rejected} refused)")
