"""``pontive sensors simulate``: the demo stations reporting live, over MQTT or HTTP.

The simulator plays the gateways of the demo stations (``demo_stations.json``): every station
reports at its interval, on a simulated clock that runs ``speed`` times faster than the wall
clock, what the city model (``simulate_city``) says it reads. Over MQTT each reading is one
SensorThings Observation published at QoS 1 to ``v1.1/Datastreams(<id>)/Observations``
(SensorThings 1.1, 14.2.1 "Create an Observation via MQTT"); over HTTP the readings of each
tick go in one ``POST /sta/v1.1/CreateObservations`` (14.4, dataArray) with a gateway key.
Battery and signal ride in ``parameters`` once an hour, as the health checks expect.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import DEMO_KEY, Station, demo_stations
from pontive.sensors.models import Datastream, Thing
from pontive.sensors.simulate_city import CityModel, Reading, aligned_times
from pontive.sensors.simulate_noise import key_of

log = logging.getLogger(__name__)


class SimulatorError(Exception):
    """The simulator cannot go on (no targets, the broker or server refused)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A demo Datastream the simulator writes to."""

    station: Station
    quantity: Quantity
    datastream_id: int


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reading on its way to its Datastream."""

    target: Target
    reading: Reading
    parameters: dict[str, Any] | None = None


class Sink(Protocol):
    """Where readings go: an MQTT broker or a SensorThings HTTP endpoint."""

    def send(self, batch: Sequence[Outgoing]) -> int:
        """Deliver ``batch``; returns how many readings were accepted."""

    def close(self) -> None:
        """Release the connection."""


def iso(instant: datetime) -> str:
    """An instant as SensorThings writes it: ISO 8601 in UTC with ``Z``."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def phenomenon_time(reading: Reading) -> str:
    """The reading's phenomenonTime: an instant, or ``start/end`` for an interval (rain)."""
    if reading.phenomenon_time_end is None:
        return iso(reading.phenomenon_time)
    return f"{iso(reading.phenomenon_time)}/{iso(reading.phenomenon_time_end)}"


def observation_json(item: Outgoing) -> dict[str, Any]:
    """The SensorThings Observation entity of one reading (for an MQTT message)."""
    reading = item.reading
    body: dict[str, Any] = {
        "phenomenonTime": phenomenon_time(reading),
        "resultTime": iso(reading.phenomenon_time_end or reading.phenomenon_time),
        "result": reading.result,
    }
    if item.parameters:
        body["parameters"] = item.parameters
    return body


def create_observations_body(batch: Sequence[Outgoing]) -> list[dict[str, Any]]:
    """The ``CreateObservations`` request body (dataArray, one entry per Datastream)."""
    groups: dict[tuple[int, bool], list[Outgoing]] = defaultdict(list)
    for item in batch:
        groups[(item.target.datastream_id, item.parameters is not None)].append(item)
    body = []
    for (stream_id, with_parameters), items in groups.items():
        components = ["phenomenonTime", "resultTime", "result"]
        if with_parameters:
            components.append("parameters")
        rows = [
            [
                phenomenon_time(i.reading),
                iso(i.reading.phenomenon_time_end or i.reading.phenomenon_time),
                i.reading.result,
            ]
            + ([i.parameters] if with_parameters else [])
            for i in items
        ]
        body.append(
            {
                "Datastream": {"@iot.id": stream_id},
                "components": components,
                "dataArray@iot.count": len(rows),
                "dataArray": rows,
            }
        )
    return body


def choose_stations(keys: Iterable[str] = ()) -> list[Station]:
    """The stations to simulate: the named ones, or every demo station still reporting."""
    wanted = {key.strip() for key in keys if key.strip()}
    stations = demo_stations()
    unknown = wanted - {s.key for s in stations}
    if unknown:
        raise SimulatorError(f"unknown stations: {', '.join(sorted(unknown))}")
    if wanted:
        return [s for s in stations if s.key in wanted]
    # A demo device that went silent stays silent unless asked for by name.
    return [s for s in stations if s.silent_minutes == 0]


def match_targets(
    stations: Sequence[Station], rows: Iterable[tuple[Any, int, Any]]
) -> list[Target]:
    """Targets from (Thing properties, Datastream id, Datastream properties) rows."""
    by_key = {s.key: s for s in stations}
    targets = []
    for thing_properties, stream_id, stream_properties in rows:
        station = by_key.get((thing_properties or {}).get(DEMO_KEY, ""))
        code = (stream_properties or {}).get(DEMO_KEY)
        if station is None or code not in {q.value for q in station.quantities}:
            continue
        targets.append(Target(station, Quantity(code), stream_id))
    return sorted(targets, key=lambda t: t.datastream_id)


def targets_from_database(session: Session, stations: Sequence[Station]) -> list[Target]:
    """The demo Datastreams of ``stations`` as stored in the database."""
    rows = session.execute(
        select(Thing.properties, Datastream.id, Datastream.properties)
        .join(Datastream, Datastream.thing_id == Thing.id)
        .where(Datastream.derived_from_id.is_(None))
    )
    return match_targets(stations, ((props, sid, ds_props) for props, sid, ds_props in rows))


def _vitals(station: Station, at: datetime, seed: int) -> dict[str, Any] | None:
    # Once an hour, like a gateway's status message; battery drains a little, signal wanders.
    if at.minute != 0 or (station.battery_percent is None and station.signal_dbm is None):
        return None
    hour = int(at.timestamp() // 3600)
    wobble = ((key_of(f"{seed}:{station.key}:{hour}") % 1000) / 1000.0 - 0.5) * 6.0
    vitals: dict[str, Any] = {}
    if station.battery_percent is not None:
        vitals["battery"] = round(max(0.0, min(100.0, station.battery_percent)), 1)
    if station.signal_dbm is not None:
        vitals["rssi"] = round(min(0.0, station.signal_dbm + wobble), 1)
    return vitals


@dataclass
class Simulation:
    """Stations reporting on a simulated clock into a sink."""

    model: CityModel
    targets: Sequence[Target]
    sink: Sink
    speed: float = 1.0
    published: int = 0
    rejected: int = 0
    _by_station: dict[str, dict[Quantity, Target]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.targets:
            raise SimulatorError("no demo datastreams found: run `pontive demo load` first")
        if self.speed <= 0:
            raise SimulatorError("speed must be above zero")
        for target in self.targets:
            self._by_station.setdefault(target.station.key, {})[target.quantity] = target

    def due(self, after: datetime, until: datetime) -> list[Outgoing]:
        """Every reading with its time in (after, until], oldest first."""
        batch = []
        for streams in self._by_station.values():
            station = next(iter(streams.values())).station
            times = aligned_times(
                after + timedelta(microseconds=1),
                until + timedelta(microseconds=1),
                station.interval_minutes,
            )
            for at in times:
                parameters = _vitals(station, at, self.model.seed)
                for reading in self.model.readings(station, at):
                    target = streams.get(reading.quantity)
                    if target is not None:
                        batch.append(Outgoing(target, reading, parameters))
        return sorted(batch, key=lambda item: item.reading.phenomenon_time)

    def step(self, after: datetime, until: datetime) -> int:
        """Send what fell due in (after, until]; returns how many readings were accepted."""
        batch = self.due(after, until)
        if not batch:
            return 0
        accepted = self.sink.send(batch)
        self.published += accepted
        self.rejected += len(batch) - accepted
        log.info(
            "simulator sent %d readings (%d accepted) up to %s", len(batch), accepted, iso(until)
        )
        return accepted

    def run(
        self,
        *,
        start: datetime,
        duration: float | None,
        tick: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Run for ``duration`` wall-clock seconds (``None``: until interrupted)."""
        began = clock()
        simulated = start
        while True:
            sleep(tick)
            elapsed = clock() - began
            if duration is not None:
                elapsed = min(elapsed, duration)
            now = start + timedelta(seconds=elapsed * self.speed)
            self.step(simulated, now)
            simulated = now
            if duration is not None and elapsed >= duration:
                return
