"""SensorThings resource paths (18-088, 9.2 "Resource Path", usages 1 to 8) parsed into steps.

``Datastreams(1)/Observations(5)/FeatureOfInterest/name/$value`` becomes three steps
(entity set with key, collection navigation with key, to-one navigation), a property with
an optional sub-path into a JSON property, and the ``$value`` flag. Navigation may nest to
any depth; ``$ref`` follows a collection or a to-one navigation. Ids are integers:
``Things(abc)`` or ``Things('1')`` is a 400, an unknown name is a 404 (the path names no
resource), as FROST-Server answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_errors import StaError, bad_request
from pontive.sensors.sta_meta import navigation, property_names, target_set

CREATE_OBSERVATIONS = "CreateObservations"
_SEGMENT = re.compile(r"^(?P<name>[A-Za-z$][A-Za-z0-9_$]*)(?:\((?P<key>[^()]*)\))?$")
_MAX_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Step:
    """One hop: the first names an entity set, later ones a navigation property."""

    entity_set: EntitySet
    navigation: str | None  # None for the first step
    key: int | None
    to_many: bool

    @property
    def is_collection(self) -> bool:
        """Whether this step addresses a collection (a to-many hop without a key)."""
        return self.to_many and self.key is None


@dataclass(frozen=True, slots=True)
class ResourcePath:
    """A parsed resource path; empty ``steps`` is the service root."""

    steps: tuple[Step, ...] = ()
    property_name: str | None = None
    sub_path: tuple[str, ...] = ()  # members inside a JSON property (properties/owner)
    raw_value: bool = False  # $value
    ref: bool = False  # $ref

    @property
    def target(self) -> Step:
        """The last step (the addressed entity or collection)."""
        return self.steps[-1]

    @property
    def is_collection(self) -> bool:
        """Whether the path addresses a collection of entities."""
        return bool(self.steps) and self.property_name is None and self.target.is_collection


def _parse_key(raw: str, segment: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"-?\d{1,19}", text):
        raise bad_request(f"Invalid id in {segment!r}: ids are integers, e.g. Things(1).")
    value = int(text)
    if value > _MAX_ID or value < -_MAX_ID:
        raise bad_request(f"Invalid id in {segment!r}: out of range.")
    return value


def _split(path: str) -> list[str]:
    segments = path.strip("/").split("/") if path.strip("/") else []
    if any(segment == "" for segment in segments):
        raise bad_request(f"Invalid path {path!r}: empty segment.")
    return segments


def _match(segment: str) -> tuple[str, str | None]:
    match = _SEGMENT.match(segment)
    if match is None:
        raise StaError(404, f"Not a valid path segment: {segment!r}.")
    return match.group("name"), match.group("key")


def _first_step(segment: str) -> Step:
    name, key = _match(segment)
    try:
        entity_set = EntitySet(name)
    except ValueError:
        raise StaError(404, f"No entity set named {name!r}.") from None
    return Step(entity_set, None, None if key is None else _parse_key(key, segment), True)


def parse_path(path: str) -> ResourcePath:
    """Parse the part of the URL after ``/v1.1``."""
    segments = _split(path)
    if not segments:
        return ResourcePath()
    steps = [_first_step(segments[0])]
    rest = segments[1:]
    while rest:
        current = steps[-1]
        segment = rest[0]
        if segment == "$ref":
            return _finish_ref(steps, rest)
        if current.is_collection:
            raise bad_request(
                f"{segment!r} cannot follow a collection: address one entity first, e.g. "
                f"{current.navigation or current.entity_set.value}(1)/{segment}."
            )
        name, key = _match(segment)
        link = navigation(current.entity_set).get(name)
        if link is None:
            return _finish_property(steps, current, name, key, rest)
        if key is not None and not link.is_to_many:
            raise bad_request(f"{name!r} is a single entity: no id may follow it.")
        parsed_key = None if key is None else _parse_key(key, segment)
        steps.append(Step(target_set(link), name, parsed_key, link.is_to_many))
        rest = rest[1:]
    return ResourcePath(tuple(steps))


def _finish_ref(steps: list[Step], rest: list[str]) -> ResourcePath:
    if len(rest) > 1:
        raise bad_request("Nothing may follow $ref.")
    return ResourcePath(tuple(steps), ref=True)


def _finish_property(
    steps: list[Step], current: Step, name: str, key: str | None, rest: list[str]
) -> ResourcePath:
    if key is not None or name not in property_names(current.entity_set):
        raise StaError(
            404, f"{current.entity_set.value} has no property or navigation named {name!r}."
        )
    tail = rest[1:]
    raw_value = bool(tail) and tail[-1] == "$value"
    sub_path = tuple(tail[:-1] if raw_value else tail)
    if any(part.startswith("$") for part in sub_path):
        raise bad_request(f"Invalid path after property {name!r}: {'/'.join(tail)!r}.")
    return ResourcePath(tuple(steps), property_name=name, sub_path=sub_path, raw_value=raw_value)
