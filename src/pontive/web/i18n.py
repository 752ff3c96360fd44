"""Bahasa Indonesia first, English second: message catalogues and language choice.

Catalogues are flat JSON files in ``web/locale``; a key missing from English falls back to
Indonesian, and ``tests/web/test_i18n.py`` fails when the two catalogues' keys differ.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from starlette.requests import Request

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANG_COOKIE = "pontive_lang"


def _catalogue_files(lang: str) -> list[Traversable]:
    # The shell's catalogue plus each domain's (``<domain>/locale/<lang>.json`` and
    # ``<lang>.<part>.json``), so domains never edit a shared file.
    from pontive.domains import DOMAINS

    files = []
    for package in ("pontive.web", *(f"pontive.{domain}" for domain in DOMAINS)):
        folder = resources.files(package).joinpath("locale")
        if not folder.is_dir():
            continue
        files += sorted(
            (
                entry
                for entry in folder.iterdir()
                if entry.name == f"{lang}.json"
                or (entry.name.startswith(f"{lang}.") and entry.name.endswith(".json"))
            ),
            key=lambda entry: entry.name,
        )
    return files


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang``; a key defined in two files is a programming error."""
    messages: dict[str, str] = {}
    for path in _catalogue_files(lang):
        with path.open(encoding="utf-8") as handle:
            part: dict[str, str] = json.load(handle)
        clash = set(part) & set(messages)
        if clash:
            raise ValueError(f"{path.name}: keys already defined elsewhere: {sorted(clash)}")
        messages.update(part)
    return messages


def translate(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (falling back to Indonesian, then to the key)."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def _from_accept_language(header: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in header.split(","):
        pieces = part.strip().split(";q=")
        tag = pieces[0].strip().lower().split("-")[0]
        try:
            quality = float(pieces[1]) if len(pieces) > 1 else 1.0
        except ValueError:
            continue
        if tag in LANGUAGES and (best is None or quality > best[0]):
            best = (quality, tag)
    return best[1] if best else None


def pick_language(asked: str | None, remembered: str | None, accept_language: str) -> str:
    """``?lang=`` first, then the remembered choice, then the browser, then Indonesian."""
    if asked in LANGUAGES:
        return asked
    if remembered in LANGUAGES:
        return remembered
    return _from_accept_language(accept_language) or DEFAULT_LANGUAGE


def choose_language(request: Request) -> str:
    """The language of this request (see ``pick_language``)."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language", ""),
    )
