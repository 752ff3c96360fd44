"""The data array extension (18-088 clause 13, conformance class A.6).

``POST CreateObservations`` takes ``[{"Datastream": {"@iot.id": 1}, "components": [...],
"dataArray": [[...], ...]}, ...]``; ``components`` must name ``phenomenonTime`` and
``result`` and may name ``resultTime``, ``resultQuality``, ``validTime``, ``parameters``
and ``FeatureOfInterest/id``. Each row becomes one Observation through ingest's parser;
a row that fails (wrong length, bad value, unknown Datastream or FeatureOfInterest) is
answered ``"error"`` in its place while the others are stored, all in one ingest batch
(ingest itself refuses the rows of an unknown Datastream, as it checks every row's).
A malformed document (not the shape above) is refused as a whole with 400.

Reading with ``$resultFormat=dataArray`` groups the Observations of a page by Datastream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput
from pontive.sensors import ingest
from pontive.sensors.ingest_parse import parse_instant, parse_period
from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_body import link_id
from pontive.sensors.sta_errors import bad_request
from pontive.sensors.sta_meta import table
from pontive.sensors.sta_serialize import Row, property_value

FOI_COMPONENT = "FeatureOfInterest/id"
CREATE_COMPONENTS = frozenset(
    {"id", "phenomenonTime", "resultTime", "result", "resultQuality", "validTime",
     "parameters", FOI_COMPONENT}
)  # fmt: skip
# Rows of only these are parsed straight from the array (``_plain_rows``).
PLAIN_COMPONENTS = frozenset({"id", "phenomenonTime", "result", "resultTime"})
READ_COMPONENTS = ("id", "phenomenonTime", "resultTime", "result")  # FROST's default order


@dataclass(frozen=True, slots=True)
class Block:
    """One element of the CreateObservations body: a Datastream and its rows."""

    datastream_id: int
    components: tuple[str, ...]
    rows: tuple[Any, ...]


def _components(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request(f"{where}.components must be an array of property names.")
    unknown = sorted(set(value) - CREATE_COMPONENTS)
    if unknown:
        raise bad_request(f"{where}.components: unknown component(s) {unknown}.")
    if "phenomenonTime" not in value or "result" not in value:
        raise bad_request(f"{where}.components must include phenomenonTime and result.")
    if len(set(value)) != len(value):
        raise bad_request(f"{where}.components names a property twice.")
    return tuple(value)


def parse_blocks(body: Any) -> list[Block]:
    """The blocks of a CreateObservations body (shape checked, rows not yet)."""
    if not isinstance(body, list):
        raise bad_request("CreateObservations takes a JSON array of data array documents.")
    blocks = []
    for index, item in enumerate(body):
        where = f"[{index}]"
        if not isinstance(item, Mapping):
            raise bad_request(f"{where} must be a JSON object.")
        if "MultiDatastream" in item:
            raise bad_request(f"{where}: MultiDatastreams are not served here.")
        stream = item.get("Datastream")
        stream_id = link_id(stream, f"{where}.Datastream") if isinstance(stream, Mapping) else None
        if stream_id is None:
            raise bad_request(f'{where}.Datastream must be {{"@iot.id": <id>}}.')
        rows = item.get("dataArray")
        if not isinstance(rows, list):
            raise bad_request(f"{where}.dataArray must be an array of rows.")
        blocks.append(Block(stream_id, _components(item.get("components"), where), tuple(rows)))
    return blocks


def _existing(session: Session, entity_set: EntitySet, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    column = table(entity_set).c.id
    return set(session.scalars(select(column).where(column.in_(ids))))


def _row_payload(block: Block, row: Any) -> tuple[dict[str, Any], int | None]:
    if not isinstance(row, list) or len(row) != len(block.components):
        raise InvalidInput(errors={"dataArray": ["row length differs from components"]})
    payload = dict(zip(block.components, row, strict=True))
    payload.pop("id", None)  # computed by the server (18-088 10.2)
    feature = payload.pop(FOI_COMPONENT, None)
    if feature is not None and (isinstance(feature, bool) or not isinstance(feature, int)):
        raise InvalidInput(errors={FOI_COMPONENT: ["must be an integer id"]})
    return payload, feature


def _plain_rows(block: Block) -> list[ingest.ObservationIn | None]:
    """The rows of a block of times and results (the usual kind), parsed without making a
    JSON object of each: the answer ``parse_observation_json`` gives for the same object."""
    components = block.components
    width, stream = len(components), block.datastream_id
    at, result = components.index("phenomenonTime"), components.index("result")
    stamped = components.index("resultTime") if "resultTime" in components else None
    items: list[ingest.ObservationIn | None] = []
    for row in block.rows:
        if type(row) is not list or len(row) != width:
            items.append(None)
            continue
        start = end = None
        text = row[at]
        if type(text) is str and "/" not in text:  # an instant; the usual one ends in Z
            try:
                start = datetime.fromisoformat(text)
            except ValueError:
                start = None  # parse_period says why
            if start is not None and start.tzinfo is not UTC:
                start = None  # an offset, or no zone: parse_period converts or refuses it
        try:
            if start is None:
                start, end = parse_period(text, "phenomenonTime")
            result_time = None if stamped is None else row[stamped]
            if result_time is not None:
                result_time = parse_instant(result_time, "resultTime")
        except InvalidInput:
            items.append(None)
            continue
        items.append(ingest.ObservationIn(stream, start, end, row[result], result_time))
    return items


def parse_rows(session: Session, blocks: Sequence[Block]) -> list[ingest.ObservationIn | None]:
    """Every row as an ObservationIn, or ``None`` where the row is not acceptable (rows of
    an unknown Datastream are left to ingest, which refuses them)."""
    features: set[int] = set()
    parsed: list[tuple[dict[str, Any], int | None, int] | list[ingest.ObservationIn | None] | None]
    parsed = []
    for block in blocks:
        if PLAIN_COMPONENTS.issuperset(block.components):
            parsed.append(_plain_rows(block))
            continue
        for row in block.rows:
            try:
                payload, feature = _row_payload(block, row)
            except InvalidInput:
                parsed.append(None)
                continue
            features |= {feature} if feature is not None else set()
            parsed.append((payload, feature, block.datastream_id))
    known = _existing(session, EntitySet.FEATURES_OF_INTEREST, features)
    items: list[ingest.ObservationIn | None] = []
    for entry in parsed:
        if isinstance(entry, list):  # a whole block, parsed already
            items.extend(entry)
        else:
            items.append(_to_item(entry, known))
    return items


def _to_item(
    entry: tuple[dict[str, Any], int | None, int] | None, features: set[int]
) -> ingest.ObservationIn | None:
    if entry is None:
        return None
    payload, feature, stream = entry
    if feature is not None and feature not in features:
        return None
    try:
        return ingest.parse_observation_json(
            payload, datastream_id=stream, feature_of_interest_id=feature
        )
    except InvalidInput:
        return None


def data_array_value(
    root: str, rows: Sequence[Row], components: Sequence[str]
) -> list[dict[str, Any]]:
    """Observations grouped by Datastream in the dataArray result format (clause 13)."""
    groups: dict[int, list[list[Any]]] = {}
    for row in rows:
        values = [property_value(EntitySet.OBSERVATIONS, name, row) for name in components]
        groups.setdefault(row["datastream_id"], []).append(values)
    return [
        {
            "Datastream@iot.navigationLink": f"{root}/Datastreams({stream})",
            "components": list(components),
            "dataArray@iot.count": len(values),
            "dataArray": values,
        }
        for stream, values in groups.items()
    ]
