"""Bahasa Indonesia first, English second: catalogues agree, templates use known keys."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from pontive.core.choices import LabelledChoice
from pontive.web.i18n import _from_accept_language, catalogue, translate
from pontive.web.templating import templates as jinja


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(catalogue("id")) == set(catalogue("en"))


def test_every_key_used_in_templates_exists() -> None:
    used: set[str] = set()
    templates = resources.files("pontive.web").joinpath("templates")
    pending = [templates]
    while pending:
        folder = pending.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                pending.append(entry)
            elif entry.name.endswith(".html"):
                used |= set(re.findall(r"\bt\('([a-z0-9_.]+)'", entry.read_text("utf-8")))
    assert used, "no translation calls found: the pattern is out of date"
    assert used - set(catalogue("id")) == set()


def test_placeholders_are_filled() -> None:
    assert translate("console.welcome", "id", name="Rina") == "Selamat datang, Rina"
    assert translate("console.welcome", "en", name="Rina") == "Welcome, Rina"


def test_unknown_keys_fall_back_visibly() -> None:
    assert translate("tidak.ada", "en") == "tidak.ada"


def test_accept_language_picks_the_best_supported_language() -> None:
    assert _from_accept_language("fr-FR,en;q=0.8,id;q=0.9") == "id"
    assert _from_accept_language("en-GB") == "en"
    assert _from_accept_language("fr") is None
    assert _from_accept_language("id;q=abc,en;q=0.5") == "en"


def test_every_choice_value_has_labels_in_both_languages() -> None:
    def all_subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *all_subclasses(sub)]
        return found

    for enum_cls in all_subclasses(LabelledChoice):
        for member in enum_cls:  # type: ignore[attr-defined]
            meta = member.meta
            assert meta.label_id
            assert meta.label_en
            assert meta.colour.startswith("#")


@pytest.mark.parametrize(
    ("lang", "shown"), [("id", "1.000.000 baris"), ("en", "1,000,000 baris"), ("id", " baris")]
)
def test_whole_numbers_are_grouped_the_way_each_language_writes_them(lang: str, shown: str) -> None:
    template = jinja.env.from_string("{{ n | whole_number }} baris")
    value = None if shown.startswith(" ") else 1_000_000
    assert template.render(n=value, lang=lang) == shown
