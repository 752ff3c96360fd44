"""Reading the Solr-style query text CKAN clients send in ``q`` and ``fq``.

Understood: ``field:value``, ``field:"a value"``, ``field:(a OR "b c")``, ``field:[x TO y]``,
a ``+`` (must) or ``-`` (must not) prefix, ``AND`` / ``&&`` between terms; in ``q`` also bare
words and ``"phrases"``. Anything else is a ``SearchQueryError``, never a silent guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pontive.opendata.actions import SearchQueryError

ALL_DOCUMENTS = "*:*"
FIELDS = frozenset(
    {
        "organization",
        "owner_org",
        "groups",
        "tags",
        "res_format",
        "license_id",
        "name",
        "id",
        "frequency",
        "classification",
        "capacity",
        "dataset_type",
        "type",
        "year",
        "metadata_modified",
        "metadata_created",
    }
)
_TERM = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_][\w.]*):
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"
          |(?P<range>\[[^\]]*\])
          |\((?P<group>[^)]*)\)
          |(?P<bare>[^\s"()\[\]]+))""",
    re.VERBOSE,
)
_WORD = re.compile(r'"(?P<phrase>(?:[^"\\]|\\.)*)"|(?P<word>[^\s"]+)')
_GROUP_VALUE = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """``field`` must equal one of ``values`` (or, when ``negate``, none of them)."""

    field: str
    values: tuple[str, ...]
    negate: bool = False


def _fail(message: str) -> SearchQueryError:
    return SearchQueryError(f"Kueri pencarian tidak valid: {message}", message)


def _term(match: re.Match[str]) -> Term:
    name = match["field"]
    if name not in FIELDS:
        raise _fail(f"unknown field {name!r}")
    if match["group"] is not None:
        values = _group_values(match["group"])
    elif match["quoted"] is not None:
        values = (match["quoted"].replace('\\"', '"'),)
    else:
        values = (match["range"] or match["bare"],)
    return Term(name, values, negate=match["sign"] == "-")


def _group_values(text: str) -> tuple[str, ...]:
    values: list[str] = []
    expect_value = True
    for quoted, bare in _GROUP_VALUE.findall(text):
        if not quoted and bare.upper() == "OR" and not expect_value:
            expect_value = True
            continue
        if not expect_value:
            raise _fail("values in ( ) must be joined by OR")
        values.append(quoted or bare)
        expect_value = False
    if not values or expect_value:
        raise _fail("empty or unfinished ( ) group")
    return tuple(values)


def parse_fq(text: str) -> list[Term]:
    """The terms of an ``fq`` (all must match)."""
    terms: list[Term] = []
    position = 0
    text = text.strip()
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        connector = re.match(r"(AND|&&)(?=\s|$)", text[position:])
        if connector:
            position += connector.end()
            continue
        match = _TERM.match(text, position)
        if match is None:
            raise _fail(f"cannot read {text[position : position + 40]!r}")
        terms.append(_term(match))
        position = match.end()
    return terms


def parse_q(text: str) -> tuple[list[str], list[Term]]:
    """The words (each must be found) and the field terms of a ``q``."""
    text = text.strip()
    if text in ("", ALL_DOCUMENTS, "*"):
        return [], []
    words: list[str] = []
    terms: list[Term] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        if text.startswith(ALL_DOCUMENTS, position):
            position += len(ALL_DOCUMENTS)
            continue
        match = _TERM.match(text, position)
        if match is not None:
            terms.append(_term(match))
            position = match.end()
            continue
        word = _WORD.match(text, position)
        if word is None:  # an unmatched quote
            raise _fail(f"cannot read {text[position : position + 40]!r}")
        value = word["phrase"] if word["phrase"] is not None else word["word"]
        if value not in ("AND", "&&", "+") and value.strip():
            words.append(value.lstrip("+"))
        position = word.end()
    return words, terms
