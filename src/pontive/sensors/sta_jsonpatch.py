"""JSON Patch (RFC 6902) over JSON Pointers (RFC 6901), for SensorThings JSON-Patch updates.

``frost-sta-client``'s ``service.patch(entity, patches)`` sends
``Content-Type: application/json-patch+json`` with a list of operations; SensorThings 1.1
(10.3) allows it as an update format. The patch is applied to the entity's JSON; the
result is then stored like a PATCH of the properties it changed.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pontive.sensors.sta_errors import StaError

APPEND = "-"  # RFC 6901 4: the (nonexistent) member after the last array element
_OPERATIONS = frozenset({"add", "remove", "replace", "move", "copy", "test"})


class PatchConflict(StaError):
    """A ``test`` operation failed (RFC 5789 2.2: conflicting state → 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(409, message)


def _invalid(message: str) -> StaError:
    return StaError(400, f"Invalid JSON Patch: {message}")


def parse_pointer(pointer: Any) -> list[str]:
    """The reference tokens of an RFC 6901 pointer (``~1`` is ``/``, ``~0`` is ``~``)."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise _invalid(f"{pointer!r} is not a JSON Pointer")
    if pointer == "":
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _index(container: list[Any], segment: str, *, for_add: bool) -> int:
    if for_add and segment == APPEND:
        return len(container)
    if not segment.isdigit() or (segment != "0" and segment.startswith("0")):
        raise _invalid(f"{segment!r} is not an array index")
    index = int(segment)
    limit = len(container) if for_add else len(container) - 1
    if index > limit:
        raise _invalid(f"array index {index} out of range")
    return index


def _parent(document: Any, tokens: list[str]) -> Any:
    target = document
    for token in tokens[:-1]:
        if isinstance(target, dict):
            if token not in target:
                raise _invalid(f"path segment {token!r} does not exist")
            target = target[token]
        elif isinstance(target, list):
            target = target[_index(target, token, for_add=False)]
        else:
            raise _invalid(f"cannot descend into a {type(target).__name__} at {token!r}")
    return target


def _get(document: Any, tokens: list[str]) -> Any:
    if not tokens:
        return document
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _invalid(f"member {last!r} does not exist")
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, for_add=False)]
    raise _invalid(f"cannot read {last!r} from a {type(parent).__name__}")


def _add(document: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, for_add=True), value)
    else:
        raise _invalid(f"cannot add {last!r} to a {type(parent).__name__}")
    return document


def _remove(document: Any, tokens: list[str]) -> Any:
    if not tokens:
        raise _invalid("cannot remove the whole document")
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _invalid(f"member {last!r} does not exist")
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(parent, last, for_add=False)]
    else:
        raise _invalid(f"cannot remove {last!r} from a {type(parent).__name__}")
    return document


def _value(operation: dict[str, Any]) -> Any:
    if "value" not in operation:
        raise _invalid(f"operation {operation.get('op')!r} needs a 'value'")
    return copy.deepcopy(operation["value"])


def _apply_one(document: Any, operation: dict[str, Any]) -> Any:
    op = operation.get("op")
    if op not in _OPERATIONS:
        raise _invalid(f"unknown operation {op!r}")
    path = parse_pointer(operation.get("path"))
    if op == "add":
        return _add(document, path, _value(operation))
    if op == "remove":
        return _remove(document, path)
    if op == "replace":
        _get(document, path)  # RFC 6902 4.3: the target location MUST exist
        return _add(_remove(document, path) if path else document, path, _value(operation))
    if op == "test":
        if _get(document, path) != operation.get("value"):
            raise PatchConflict(f"JSON Patch test failed at {operation.get('path')!r}")
        return document
    source = parse_pointer(operation.get("from"))
    if op == "move" and path[: len(source)] == source and path != source:
        raise _invalid("cannot move a value into one of its own children")
    moved = copy.deepcopy(_get(document, source))
    if op == "move":
        document = _remove(document, source)
    return _add(document, path, moved)


def apply_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """``document`` after ``operations``, applied atomically to a copy (RFC 6902 5)."""
    if not isinstance(operations, Sequence) or isinstance(operations, str | bytes):
        raise _invalid("the body must be a JSON array of operations")
    result: Any = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict):
            raise _invalid("each operation must be a JSON object")
        result = _apply_one(result, operation)
    if not isinstance(result, dict):
        raise _invalid("the patched entity must remain a JSON object")
    return result
