"""JSON Patch (RFC 6902) over JSON Pointer (RFC 6901), checked against the RFC's examples."""

from __future__ import annotations

from typing import Any

import pytest

from pontive.sensors.sta_errors import StaError
from pontive.sensors.sta_jsonpatch import PatchConflict, apply_patch, parse_pointer


def test_pointer_escapes() -> None:
    assert parse_pointer("/a~1b/m~0n/0") == ["a/b", "m~n", "0"]
    assert parse_pointer("") == []


@pytest.mark.parametrize(
    ("document", "operations", "expected"),
    [
        # RFC 6902 appendix A.1, A.2, A.3, A.4, A.6, A.7, A.10, A.16
        ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}],
         {"baz": "qux", "foo": "bar"}),
        ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
         {"foo": ["bar", "qux", "baz"]}),
        ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
        ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}],
         {"foo": ["bar", "baz"]}),
        ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
         [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
         {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
        ({"foo": ["all", "grass", "cows", "eat"]},
         [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
         {"foo": ["all", "cows", "eat", "grass"]}),
        ({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
         {"foo": "bar", "child": {"grandchild": {}}}),
        ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
         {"foo": ["bar", ["abc", "def"]]}),
        ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
         {"baz": "boo", "foo": "bar"}),
        ({"a": {"b": 1}}, [{"op": "copy", "from": "/a", "path": "/c"}],
         {"a": {"b": 1}, "c": {"b": 1}}),
    ],
)  # fmt: skip
def test_operations(document: dict[str, Any], operations: list[Any], expected: Any) -> None:
    assert apply_patch(document, operations) == expected


def test_the_patch_is_atomic_and_leaves_the_input_alone() -> None:
    document = {"name": "Pos A", "properties": {"sungai": "Kapuas"}}
    with pytest.raises(StaError):
        apply_patch(
            document,
            [
                {"op": "replace", "path": "/name", "value": "Pos B"},
                {"op": "remove", "path": "/nothing"},
            ],
        )
    assert document == {"name": "Pos A", "properties": {"sungai": "Kapuas"}}


def test_a_failed_test_is_a_conflict() -> None:
    with pytest.raises(PatchConflict) as caught:
        apply_patch({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}])
    assert caught.value.status_code == 409
    assert apply_patch({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "qux"}])


@pytest.mark.parametrize(
    "operations",
    [
        {"op": "add"},
        [{"op": "frobnicate", "path": "/a"}],
        [{"op": "add", "path": "a", "value": 1}],
        [{"op": "add", "path": "/a"}],
        [{"op": "replace", "path": "/missing", "value": 1}],
        [{"op": "add", "path": "/list/7", "value": 1}],
        [{"op": "move", "from": "/obj", "path": "/obj/inner"}],
        [{"op": "add", "path": "", "value": [1]}],
    ],
)
def test_invalid_patches_are_bad_requests(operations: Any) -> None:
    with pytest.raises(StaError) as caught:
        apply_patch({"list": [1], "obj": {}}, operations)
    assert caught.value.status_code == 400
