"""How the two passes of ``.ci/run`` share the engine-independent modules (tests/passes.py)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, cast

import pytest

from tests import passes


class _Item:
    """What the sharing reads of a collected test: its module and its markers."""

    def __init__(self, module: str, name: str, marker: str | None = None, **kwargs: Any) -> None:
        self.module = types.SimpleNamespace(__name__=module)
        self.name = name
        self._marker = None if marker is None else getattr(pytest.mark, marker)(**kwargs).mark

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return self._marker if self._marker is not None and self._marker.name == name else None


def _items(*items: _Item) -> list[pytest.Item]:
    return cast(list[pytest.Item], list(items))


def test_one_pass_modules_go_last_most_expensive_first_then_the_browser_modules_in_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(passes, "CLAIMS", str(tmp_path))
    items = _items(
        _Item("tests.a", "fuzz1", "one_pass", seconds=1),
        _Item("tests.b", "plain1"),
        _Item("tests.c", "page", "browser"),
        _Item("tests.b", "plain2"),
        _Item("tests.e", "form1", "browser"),  # two browser tests: costs more than tests.c
        _Item("tests.e", "form2", "browser"),
        _Item("tests.a", "fuzz2", "one_pass", seconds=1),
        _Item("tests.d", "matrix", "one_pass", seconds=9),
    )
    passes.one_pass_last(items)
    order = [cast(_Item, item).name for item in items]
    # The browser modules last although they cost more than the fuzzing (Playwright's event
    # loop would break a later test's asyncio.run), in the order they came (they share a
    # live server).
    assert order == ["plain1", "plain2", "matrix", "fuzz1", "fuzz2", "page", "form1", "form2"]


def test_without_a_claims_folder_nothing_moves_and_everything_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passes, "CLAIMS", "")
    items = _items(_Item("tests.c", "page", "browser"), _Item("tests.b", "plain"))
    passes.one_pass_last(items)
    assert [cast(_Item, item).name for item in items] == ["page", "plain"]
    passes.skip_unless_claimed(items[0])  # does not skip


def test_a_module_is_claimed_once_and_the_other_pass_skips_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(passes, "CLAIMS", str(tmp_path / "claims"))
    monkeypatch.setattr(passes, "_held", {})
    first, second = _items(
        _Item("tests.c", "page1", "browser"), _Item("tests.c", "page2", "browser")
    )
    passes.skip_unless_claimed(first)  # this pass takes the module...
    passes.skip_unless_claimed(second)  # ...and keeps it for the module's other tests
    assert (tmp_path / "claims" / "tests.c").read_text().strip().isdigit()
    monkeypatch.setattr(passes, "_held", {})  # the other pass, on the same folder
    with pytest.raises(pytest.skip.Exception, match="other pass"):
        passes.skip_unless_claimed(first)
    assert not passes.claim(tmp_path / "claims", "tests.c")
    assert passes.claim(tmp_path / "claims", "tests.d")


def test_every_browser_module_is_marked_so() -> None:
    """An unmarked browser module runs in both passes, in the middle of the others: Playwright's
    event loop then broke every later test calling ``asyncio.run`` (it happened)."""
    folder = Path(__file__).parent / "web"
    unmarked = [
        path.name
        for path in sorted(folder.glob("test_browser_*.py"))
        if "pytest.mark.browser" not in path.read_text(encoding="utf-8")
    ]
    assert not unmarked
