"""Catalogue search (CKAN ``package_search``): words, filters, sort, paging and facet counts,
all in SQL over indexed columns so that it stays fast on SQLite and PostgreSQL alike.

``q`` words must each appear in a dataset's title, name, description, tags or its
organisation's name (``*:*`` or nothing: every dataset); ``field:value`` terms in ``q`` or
``fq`` filter. ``SearchQuery.filters`` maps a field to values of which any may match; ``fq``
terms (Solr syntax: ``field:value``, ``field:"a value"``, ``+`` / ``-`` prefixes, ``AND``,
``field:(a OR b)``, ``metadata_modified:[2024-01-01T00:00:00Z TO *]``) must all match.
Facets are counted with ``GROUP BY`` over the matching set. What the actor may not see is never
matched (see ``opendata.access``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from pontive.core import permissions
from pontive.core.choices import Classification
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.opendata.access import VIEW_UNPUBLISHED
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.choices import DatasetState
from pontive.opendata.models import Dataset, DatasetGroup, DatasetTag, Resource
from pontive.opendata.search_terms import ALL_DOCUMENTS, Term, parse_fq, parse_q
from pontive.reference import service as reference

DEFAULT_SORT = "score desc, metadata_modified desc"
MAX_ROWS = 1000
FACET_FIELDS = (
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "frequency",
    "year",
)
_SORT_COLUMNS: dict[str, Any] = {
    "metadata_modified": Dataset.modified_at,
    "metadata_created": Dataset.created_at,
    "name": Dataset.name,
    "title_string": func.lower(Dataset.title),
    "title": func.lower(Dataset.title),
}


@dataclass(frozen=True)
class SearchQuery:
    """One catalogue search (CKAN ``package_search`` parameters)."""

    q: str = ALL_DOCUMENTS
    fq: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    rows: int = 10
    start: int = 0
    facet_fields: Sequence[str] = ()
    facet_limit: int = 50  # negative: no limit
    facet_mincount: int = 1
    include_private: bool = False
    include_drafts: bool = False
    include_deleted: bool = False


@dataclass(frozen=True)
class SearchResult:
    """The matching count, one page of datasets, and each facet's ``value → count`` (most
    frequent first)."""

    count: int
    datasets: list[Dataset]
    facets: dict[str, dict[str, int]]
    sort: str


# Up to this many matches the page and facets select by id (SQLite allows 32,766 bound
# values); beyond it they repeat the conditions.
MAX_MATCHED_IDS = 20_000


def search_datasets(session: Session, *, actor: Actor, query: SearchQuery) -> SearchResult:
    """Run ``query`` as ``actor``; ``SearchQueryError`` for what cannot be understood."""
    if not 0 <= query.rows <= MAX_ROWS:
        query_error(f"rows must be between 0 and {MAX_ROWS}")
    if query.start < 0:
        query_error("start must not be negative")
    words, q_terms = parse_q(query.q or ALL_DOCUMENTS)
    terms = [*q_terms, *parse_fq(query.fq or "")]
    terms += [Term(name, tuple(values)) for name, values in query.filters.items() if values]
    conditions = [
        visibility(
            actor, query.include_private, query.include_drafts, deleted=query.include_deleted
        )
    ]
    conditions += [_term_condition(term) for term in terms]
    org_matches = _organisations_matching(session, words)
    conditions += [_word_condition(word, org_matches.get(word, [])) for word in words]
    where = and_(*conditions)
    order = _order_by(query.sort or DEFAULT_SORT, words)
    if words:
        # Words are matched with LIKE over several columns: the matching ids are found once,
        # and the page and every facet read them instead of matching the words again.
        matched = list(session.scalars(select(Dataset.id).where(where)))
        count = len(matched)
        if count <= MAX_MATCHED_IDS:
            where = Dataset.id.in_(matched)
    else:
        count = session.scalar(select(func.count()).select_from(Dataset).where(where)) or 0
    datasets: list[Dataset] = []
    if query.rows:
        page = (
            select(Dataset)
            .where(where)
            .order_by(*order)
            .offset(query.start)
            .limit(query.rows)
            .options(
                selectinload(Dataset.tags),
                selectinload(Dataset.groups),
                selectinload(Dataset.resources),
            )
        )
        datasets = list(session.scalars(page))
    facets = {
        name: _facet(session, name, where, query.facet_limit, query.facet_mincount)
        for name in dict.fromkeys(query.facet_fields)
    }
    return SearchResult(count, datasets, facets, query.sort or DEFAULT_SORT)


def query_error(message: str) -> Any:
    """Raise the ``SearchQueryError`` CKAN clients expect, with ``message``."""
    raise SearchQueryError(f"Kueri pencarian tidak valid: {message}", message)


def visibility(
    actor: Actor, include_private: bool, include_drafts: bool, *, deleted: bool = False
) -> ColumnElement[bool]:
    """What ``actor`` may find: the SQL twin of ``access.visible`` (without deleted ones),
    narrowed to public datasets unless ``include_private`` and to published ones unless
    ``include_drafts`` (CKAN's defaults); with ``deleted``, also the deleted datasets the
    actor may see unpublished (CKAN's ``include_deleted``)."""
    active = Dataset.state == DatasetState.ACTIVE
    allowed = [and_(active, Dataset.classification == Classification.PUBLIK)]
    unpublished = _unpublished_scope(actor)
    if include_private and actor.role is not None and actor.role.is_staff:
        allowed.append(and_(active, Dataset.classification == Classification.TERBATAS))
    if include_private and unpublished is not None:
        allowed.append(and_(active, unpublished))
    if include_drafts and unpublished is not None:
        allowed.append(and_(Dataset.state == DatasetState.DRAFT, unpublished))
    if deleted and unpublished is not None:
        allowed.append(and_(Dataset.state == DatasetState.DELETED, unpublished))
    return or_(*allowed)


def _unpublished_scope(actor: Actor) -> ColumnElement[bool] | None:
    if permissions.can(actor, VIEW_UNPUBLISHED, owner_pd=None):
        return true()
    if actor.pd_kode and permissions.can(actor, VIEW_UNPUBLISHED, owner_pd=actor.pd_kode):
        return Dataset.owner_org == actor.pd_kode
    return None


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_tag(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(DatasetTag.dataset_id == Dataset.id, condition)


def _word_condition(word: str, organisations: list[str]) -> ColumnElement[bool]:
    pattern = _like(word)
    found = [
        func.lower(Dataset.title).like(pattern, escape="\\"),
        func.lower(Dataset.name).like(pattern, escape="\\"),
        func.lower(Dataset.notes).like(pattern, escape="\\"),
        _has_tag(func.lower(DatasetTag.name).like(pattern, escape="\\")),
    ]
    if organisations:
        found.append(Dataset.owner_org.in_(organisations))
    return or_(*found)


def _organisations_matching(session: Session, words: list[str]) -> dict[str, list[str]]:
    if not words:
        return {}
    organisations = reference.list_perangkat_daerah(session=session, active_only=False)
    return {
        word: [
            pd.kode
            for pd in organisations
            if word.lower() in f"{pd.kode} {pd.singkatan} {pd.nama}".lower()
        ]
        for word in words
    }


def _score(words: list[str]) -> Any:
    points: list[Any] = []
    for word in words:
        pattern = _like(word)
        points.append(case((func.lower(Dataset.title).like(pattern, escape="\\"), 4), else_=0))
        points.append(case((_has_tag(func.lower(DatasetTag.name) == word.lower()), 3), else_=0))
        points.append(case((func.lower(Dataset.name).like(pattern, escape="\\"), 2), else_=0))
        points.append(case((func.lower(Dataset.notes).like(pattern, escape="\\"), 1), else_=0))
    total = points[0]
    for point in points[1:]:
        total = total + point
    return total


def _order_by(sort: str, words: list[str]) -> list[Any]:
    order: list[Any] = []
    for part in sort.split(","):
        pieces = part.split()
        if not pieces:
            continue
        if len(pieces) != 2 or pieces[1].lower() not in ("asc", "desc"):
            query_error(f"cannot sort by {part.strip()!r}")
        name, direction = pieces[0], pieces[1].lower()
        if name == "score":
            if not words:
                continue  # every document scores alike
            column = _score(words)
        elif name in _SORT_COLUMNS:
            column = _SORT_COLUMNS[name]
        else:
            query_error(f"cannot sort by {name!r}")
        order.append(column.desc() if direction == "desc" else column.asc())
    return [*order, Dataset.name.asc()]  # a stable order for paging


def _term_condition(term: Term) -> ColumnElement[bool]:
    matches = [_value_condition(term.field, value) for value in term.values]
    condition = or_(*matches) if matches else false()
    return ~condition if term.negate else condition


def _value_condition(name: str, value: str) -> ColumnElement[bool]:
    if name in ("organization", "owner_org"):
        return Dataset.owner_org == value
    if name == "groups":
        return exists().where(
            DatasetGroup.dataset_id == Dataset.id, DatasetGroup.dimensi_kode == value
        )
    if name == "tags":
        return _has_tag(DatasetTag.name == value)
    if name == "res_format":
        return exists().where(
            Resource.dataset_id == Dataset.id,
            Resource.state == DatasetState.ACTIVE,
            func.upper(Resource.format) == value.upper(),
        )
    if name in ("license_id", "name", "id"):
        return getattr(Dataset, name) == value  # type: ignore[no-any-return]
    if name == "frequency":
        return Dataset.frequency == value
    if name == "classification":
        return Dataset.classification == value
    if name == "capacity":  # CKAN's public/private
        public = Dataset.classification == Classification.PUBLIK
        return public if value == "public" else ~public
    if name in ("dataset_type", "type"):
        return true() if value == "dataset" else false()
    if name == "year":
        return _year_condition(value)
    if name in ("metadata_modified", "metadata_created"):
        return _range_condition(name, value)
    query_error(f"unknown field {name!r}")
    return false()


def _year_columns() -> tuple[Any, Any]:
    """A dataset's first and last year: its temporal coverage (open end: this year), or the
    year its metadata was last modified when it has none."""
    modified = func.cast(func.extract("year", Dataset.modified_at), Integer())
    start = func.cast(func.extract("year", Dataset.temporal_start), Integer())
    end = func.cast(func.extract("year", Dataset.temporal_end), Integer())
    first = case((Dataset.temporal_start.is_(None), modified), else_=start)
    last = case(
        (Dataset.temporal_start.is_(None), modified),
        (Dataset.temporal_end.is_(None), literal(utcnow().year)),
        else_=end,
    )
    return first, last


def _year_condition(value: str) -> ColumnElement[bool]:
    if not re.fullmatch(r"\d{4}", value):
        query_error(f"year must be four digits, not {value!r}")
    first, last = _year_columns()
    return and_(first <= int(value), last >= int(value))


def _range_condition(name: str, value: str) -> ColumnElement[bool]:
    column = Dataset.modified_at if name == "metadata_modified" else Dataset.created_at
    if not value.startswith("["):
        query_error(f"{name} takes a range [from TO to]")
    low, _, high = value.strip("[]").partition(" TO ")
    conditions: list[ColumnElement[bool]] = [true()]
    if low.strip() not in ("", "*"):
        conditions.append(column >= _instant(low.strip()))
    if high.strip() not in ("", "*"):
        conditions.append(column <= _instant(high.strip()))
    return and_(*conditions)


def _instant(text: str) -> datetime:
    if text.upper().startswith("NOW"):
        return utcnow()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            return query_error(f"not a date: {text!r}")  # type: ignore[no-any-return]
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _facet(
    session: Session, name: str, where: ColumnElement[bool], limit: int, mincount: int
) -> dict[str, int]:
    matching = select(Dataset.id).where(where)
    counted: Select[Any, int]
    if name in ("organization", "license_id", "frequency"):
        column = Dataset.owner_org if name == "organization" else getattr(Dataset, name)
        counted = select(column, func.count()).where(where).group_by(column)
    elif name == "groups":
        column = DatasetGroup.dimensi_kode
        counted = (
            select(column, func.count())
            .where(DatasetGroup.dataset_id.in_(matching))
            .group_by(column)
        )
    elif name == "tags":
        column = DatasetTag.name
        counted = (
            select(column, func.count()).where(DatasetTag.dataset_id.in_(matching)).group_by(column)
        )
    elif name == "res_format":
        column = Resource.format
        counted = (
            select(column, func.count(func.distinct(Resource.dataset_id)))
            .where(
                Resource.dataset_id.in_(matching),
                Resource.state == DatasetState.ACTIVE,
                Resource.format != "",
            )
            .group_by(column)
        )
    elif name == "year":
        return _year_facet(session, where, limit, mincount)
    else:
        return {}  # Solr counts nothing for a field it does not index
    counted = counted.having(func.count() >= max(mincount, 1))
    rows = session.execute(counted.order_by(func.count().desc(), column.asc()))
    pairs = [(str(value), int(total)) for value, total in rows if value is not None]
    return dict(pairs if limit < 0 else pairs[:limit])


def _year_facet(
    session: Session, where: ColumnElement[bool], limit: int, mincount: int
) -> dict[str, int]:
    first, last = _year_columns()
    low, high = session.execute(select(func.min(first), func.max(last)).where(where)).one()
    if low is None or high is None:
        return {}
    low, high = max(int(low), int(high) - 99), int(high)  # a century is plenty for a facet
    years = union_all(*(select(literal(year).label("year")) for year in range(low, high + 1)))
    span = years.subquery()
    counted = (
        select(span.c.year, func.count())
        .select_from(span)
        .join(Dataset, and_(first <= span.c.year, last >= span.c.year))
        .where(where)
        .group_by(span.c.year)
        .having(func.count() >= max(mincount, 1))
        .order_by(func.count().desc(), span.c.year.desc())
    )
    pairs = [(str(year), int(total)) for year, total in session.execute(counted)]
    return dict(pairs if limit < 0 else pairs[:limit])
