"""SensorThings Observation JSON → ``ObservationIn`` (18-088 clause 8.2.7 and 10.2, 14.2).

One parser for every way an observation arrives: an HTTP POST body, a ``CreateObservations``
row, an MQTT message (A.7). Times are ISO 8601 with a zone (``Z`` or ``+07:00``), converted to
UTC; a time without a zone is refused rather than guessed, since a gauge's local clock and the
server's differ by seven hours in Pontianak. ``phenomenonTime`` may be an instant or an interval
``start/end`` and may be omitted (the server then stamps it, 18-088 Table 16); ``resultTime``
is an instant or null; ``validTime`` an interval (an instant is taken as a zero-length one).
Errors are ``InvalidInput`` naming the field, with English texts for machine clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from pontive.core.errors import InvalidInput

# What an Observation may carry besides control annotations (18-088 Table 16 and 17).
PROPERTIES = frozenset(
    {"phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"}
)
NAVIGATION = frozenset({"Datastream", "FeatureOfInterest", "MultiDatastream"})
# What most gauges and gateways send: a time, a result, perhaps the Datastream's link.
_PLAIN = frozenset({"phenomenonTime", "result", "resultTime", "Datastream"})
FEATURE_KEYS = frozenset({"name", "description", "encodingType", "feature", "properties"})


class ObservationIn(NamedTuple):
    """One observation to store, as parsed from SensorThings JSON or built by a service.

    A named tuple rather than a frozen dataclass: one is made per observation on the hot
    path, and a tuple is made in a quarter of the time (measured: 0.3 against 1.2 µs).
    """

    datastream_id: int
    phenomenon_time: datetime | None  # None: stamped with the time it is stored
    phenomenon_time_end: datetime | None  # set when phenomenonTime is an interval
    result: Any
    result_time: datetime | None = None
    result_quality: Any = None
    valid_time_start: datetime | None = None
    valid_time_end: datetime | None = None
    parameters: dict[str, Any] | None = None
    feature_of_interest_id: int | None = None
    feature_of_interest: dict[str, Any] | None = None  # deep-inserted FeatureOfInterest JSON


def invalid(field: str, message: str) -> InvalidInput:
    """An ``InvalidInput`` about one field of an observation."""
    return InvalidInput(
        f"Observasi tidak valid ({field}).",
        f"Invalid observation ({field}).",
        errors={field: [message]},
    )


def parse_instant(value: Any, field: str) -> datetime:
    """An aware UTC instant from ISO 8601 text that names its zone."""
    if not isinstance(value, str):
        raise invalid(field, "must be an ISO 8601 time string")
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid(field, f"{value!r} is not an ISO 8601 time") from None
    if instant.tzinfo is UTC:  # "…Z": the common case, already UTC
        return instant
    if instant.tzinfo is None:
        raise invalid(field, f"{value!r} has no time zone (add Z or an offset such as +07:00)")
    return instant.astimezone(UTC)


def parse_period(value: Any, field: str) -> tuple[datetime | None, datetime | None]:
    """``(start, end)`` of an instant (end ``None``) or an interval ``start/end``."""
    if value is None:
        return None, None
    if isinstance(value, str) and "/" in value:
        parts = value.split("/")
        if len(parts) != 2:
            raise invalid(field, f"{value!r} is not an ISO 8601 interval 'start/end'")
        start, end = parse_instant(parts[0], field), parse_instant(parts[1], field)
        if end < start:
            raise invalid(field, "the interval ends before it starts")
        return start, end
    return parse_instant(value, field), None


def parse_link(value: Any, field: str) -> int:
    """The id of a link ``{"@iot.id": 7}``."""
    if not isinstance(value, Mapping):
        raise invalid(field, 'must be a link {"@iot.id": <id>}')
    raw = value.get("@iot.id")
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise invalid(field, 'must be a link {"@iot.id": <id>}')
    try:
        return int(raw)
    except ValueError:
        raise invalid(field, f"@iot.id must be an integer id, not {raw!r}") from None


def _is_annotation(name: str) -> bool:
    return name.startswith("@iot.") or "@iot." in name


def _check_keys(payload: Mapping[str, Any]) -> None:
    if "result" in payload and payload.keys() <= PROPERTIES:  # the usual gauge payload
        return
    for name in payload:
        if not isinstance(name, str):
            raise invalid("observation", "property names must be strings")
        if name in PROPERTIES or name in NAVIGATION or _is_annotation(name):
            continue
        raise invalid(name, f"an Observation has no property {name!r}")
    if "MultiDatastream" in payload:
        raise invalid("MultiDatastream", "MultiDatastreams are not supported; use a Datastream")
    if "result" not in payload:
        raise invalid("result", "required")


def _datastream(payload: Mapping[str, Any], given: int | None) -> int:
    linked = payload.get("Datastream")
    if linked is None:
        if given is None:
            raise invalid("Datastream", 'required: a link {"@iot.id": <id>} or a topic/path')
        return given
    stream = parse_link(linked, "Datastream")
    if given is not None and stream != given:
        raise invalid("Datastream", f"links Datastream {stream}, the path names {given}")
    return stream


def feature_document(value: Mapping[str, Any]) -> dict[str, Any]:
    """A deep-inserted FeatureOfInterest, checked for its mandatory properties (8.2.8)."""
    for name in value:
        if name not in FEATURE_KEYS and not _is_annotation(str(name)):
            raise invalid(f"FeatureOfInterest.{name}", "not a FeatureOfInterest property")
    for name in ("name", "encodingType"):
        if not isinstance(value.get(name), str) or not value[name].strip():
            raise invalid(f"FeatureOfInterest.{name}", "required text")
    if not isinstance(value.get("description", ""), str):
        raise invalid("FeatureOfInterest.description", "must be text")
    if not isinstance(value.get("feature"), Mapping):
        raise invalid("FeatureOfInterest.feature", "required: a GeoJSON geometry or feature")
    properties = value.get("properties")
    if properties is not None and not isinstance(properties, Mapping):
        raise invalid("FeatureOfInterest.properties", "must be a JSON object")
    return {name: value[name] for name in FEATURE_KEYS if name in value}


def _feature(payload: Mapping[str, Any], given: int | None) -> tuple[int | None, Any]:
    body = payload.get("FeatureOfInterest")
    if body is None:
        return given, None
    if not isinstance(body, Mapping):
        raise invalid("FeatureOfInterest", "must be a link or a FeatureOfInterest object")
    if "@iot.id" in body:
        linked = parse_link(body, "FeatureOfInterest")
        if given is not None and linked != given:
            raise invalid("FeatureOfInterest", f"links {linked}, the path names {given}")
        return linked, None
    if given is not None:
        raise invalid("FeatureOfInterest", f"the path already names FeatureOfInterest {given}")
    return None, feature_document(body)


def _is_plain(payload: dict[str, Any]) -> bool:
    return "result" in payload and payload.keys() <= _PLAIN


def _plain_stream(link: Any, given: int | None) -> int | None:
    """The Datastream of a plain payload; ``None``: let the general path judge the link."""
    if link is None:
        return given
    if type(link) is dict and len(link) == 1 and type(link.get("@iot.id")) is int:
        linked: int = link["@iot.id"]
        return linked if given is None or given == linked else None
    return None


def _plain(payload: dict[str, Any], datastream_id: int, feature_id: int | None) -> ObservationIn:
    """The usual payload, a time and a result on a Datastream's topic or path, parsed with
    fewer steps (this runs once per observation; the general path gives the same answer)."""
    start, end = parse_period(payload.get("phenomenonTime"), "phenomenonTime")
    result_time = payload.get("resultTime")
    if result_time is not None:
        result_time = parse_instant(result_time, "resultTime")
    return ObservationIn(
        datastream_id,
        start,
        end,
        payload["result"],
        result_time,
        None,
        None,
        None,
        None,
        feature_id,
    )


def parse_observation_json(
    payload: Mapping[str, Any], *, datastream_id: int | None, feature_of_interest_id: int | None
) -> ObservationIn:
    """SensorThings JSON → ``ObservationIn``; ``InvalidInput`` names the offending field.

    ``datastream_id`` / ``feature_of_interest_id`` come from the path or MQTT topic
    (``Datastreams(1)/Observations``); the body may repeat them but not contradict them.
    """
    if type(payload) is dict and _is_plain(payload):
        stream = _plain_stream(payload.get("Datastream"), datastream_id)
        if stream is not None:
            return _plain(payload, stream, feature_of_interest_id)
    if not isinstance(payload, dict | Mapping):  # dict first: the ABC check costs more
        raise invalid("observation", "must be a JSON object")
    _check_keys(payload)
    start, end = parse_period(payload.get("phenomenonTime"), "phenomenonTime")
    valid_start, valid_end = parse_period(payload.get("validTime"), "validTime")
    if valid_start is not None and valid_end is None:
        valid_end = valid_start  # an instant is a period of no length
    result_time = payload.get("resultTime")
    parameters = payload.get("parameters")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise invalid("parameters", "must be a JSON object")
    feature_id, feature = _feature(payload, feature_of_interest_id)
    return ObservationIn(
        datastream_id=_datastream(payload, datastream_id),
        phenomenon_time=start,
        phenomenon_time_end=end,
        result=payload["result"],
        result_time=None if result_time is None else parse_instant(result_time, "resultTime"),
        result_quality=payload.get("resultQuality"),
        valid_time_start=valid_start,
        valid_time_end=valid_end,
        parameters=dict(parameters) if parameters is not None else None,
        feature_of_interest_id=feature_id,
        feature_of_interest=feature,
    )
