"""Bahasa Indonesia first, English second: message catalogues and language choice.

Catalogues are flat JSON files in ``web/locale``; a key missing from English falls back to
Indonesian, and ``tests/web/test_i18n.py`` fails when the two catalogues' keys differ.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from starlette.requests import Request

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANG_COOKIE = "pontive_lang"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang``."""
    path = resources.files("pontive.web").joinpath("locale", f"{lang}.json")
    with path.open(encoding="utf-8") as handle:
        messages: dict[str, str] = json.load(handle)
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
