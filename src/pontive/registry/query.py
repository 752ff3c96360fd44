"""Reading registries: the rows a reader may see, filtered, searched, sorted and paged,
their children and the labels of the rows they refer to. ``store`` re-exports all of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.registry import Field, Kind, Registry, all_registries, get
from pontive.registry.values import label_of

PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list."""

    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


def visible_fields(registry: Registry, *, public: bool) -> tuple[Field, ...]:
    """The fields a reader sees: public readers only public, never personal, fields."""
    if not public:
        return registry.fields
    return tuple(f for f in registry.fields if f.public and not f.personal)


def _base_query(registry: Registry, *, public: bool) -> Select[Any]:
    query: Select[Any] = select(registry.model)
    if public and registry.public_where is not None:
        query = query.where(registry.public_where())
    return query


def _filter_clauses(
    registry: Registry, filters: Mapping[str, str], *, public: bool
) -> list[ColumnElement[bool]]:
    model: Any = registry.model
    clauses: list[ColumnElement[bool]] = []
    for spec in visible_fields(registry, public=public):
        if not spec.filter:
            continue
        if spec.kind in (Kind.DATE, Kind.DATETIME):
            column = getattr(model, spec.name)
            for suffix, compare in (("_from", column.__ge__), ("_to", column.__le__)):
                raw = filters.get(spec.name + suffix, "").strip()
                if raw:
                    try:
                        bound = date.fromisoformat(raw)
                    except ValueError:
                        continue
                    if suffix == "_to" and spec.kind is Kind.DATETIME:
                        clauses.append(column < bound + timedelta(days=1))
                    else:
                        clauses.append(compare(bound))
            continue
        raw = filters.get(spec.name, "").strip()
        if not raw:
            continue
        column = getattr(model, spec.name)
        if spec.kind is Kind.BOOL:
            clauses.append(column.is_(raw.lower() in ("1", "true", "ya")))
        elif spec.kind is Kind.CHOICES:
            clauses.append(column.contains(raw))
        elif spec.kind is Kind.REF:
            if raw.isdigit():
                clauses.append(column == int(raw))
        elif spec.kind in (Kind.TEXT, Kind.LONGTEXT) and not spec.personal:
            clauses.append(func.lower(column).contains(raw.lower()))
        elif spec.kind in (Kind.CHOICE, Kind.PD, Kind.KELURAHAN):
            clauses.append(column == raw)
    return clauses


def _search_clause(registry: Registry, q: str, *, public: bool) -> ColumnElement[bool] | None:
    model: Any = registry.model
    words = q.lower().split()
    shown = {f.name for f in visible_fields(registry, public=public) if not f.personal}
    names = [name for name in registry.search if name in shown]
    if not words or not names:
        return None
    return and_(
        *(
            or_(*(func.lower(getattr(model, name)).contains(word) for name in names))
            for word in words
        )
    )


def _order(registry: Registry, sort: str, *, public: bool = False) -> list[Any]:
    model: Any = registry.model
    sortable = {
        f.name
        for f in visible_fields(registry, public=public)
        if f.kind not in (Kind.POINT, Kind.LINE)
    }
    name = sort.lstrip("-")
    if name in sortable and not registry.field(name).personal:
        column = getattr(model, name)
        if registry.field(name).kind in _WORDS:  # people read "aplikasi" before "SIAK"
            column = func.lower(column)
        return [column.desc() if sort.startswith("-") else column.asc(), model.id]
    return [getattr(model, n) for n in registry.order] + [model.id]


_WORDS = (Kind.TEXT, Kind.LONGTEXT, Kind.URL, Kind.EMAIL)


def list_rows(
    session: Session,
    registry: Registry,
    actor: Actor,
    *,
    filters: Mapping[str, str] | None = None,
    q: str = "",
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    public: bool = False,
) -> Page:
    """A page of rows matching the filters and search, in the asked order."""
    if not public:
        permissions.require(actor, registry.view_action)
    elif not registry.public:
        raise NotFound
    query = _base_query(registry, public=public)
    clauses = _filter_clauses(registry, filters or {}, public=public)
    search = _search_clause(registry, q, public=public)
    if search is not None:
        clauses.append(search)
    if clauses:
        query = query.where(*clauses)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    rows = session.scalars(
        query.order_by(*_order(registry, sort, public=public))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), total, page, per_page)


def all_rows(
    session: Session, registry: Registry, actor: Actor, *, public: bool = False
) -> list[Any]:
    """Every row (CSV export, maps), in the registry's order."""
    if not public:
        permissions.require(actor, registry.view_action)
    elif not registry.public:
        raise NotFound
    query = _base_query(registry, public=public).order_by(*_order(registry, ""))
    return list(session.scalars(query))


def get_row(
    session: Session, registry: Registry, actor: Actor, row_id: int, *, public: bool = False
) -> Any:
    """One row by id; ``NotFound`` when absent or not public to a public reader."""
    if not public:
        permissions.require(actor, registry.view_action)
    elif not registry.public:
        raise NotFound
    query = _base_query(registry, public=public).where(registry.model.id == row_id)  # type: ignore[attr-defined]
    row = session.scalar(query)
    if row is None:
        raise NotFound
    return row


def children(session: Session, registry: Registry, row: Any) -> list[tuple[Registry, list[Any]]]:
    """Rows of other registries whose parent is ``row`` (each child registry, its rows)."""
    found = []
    for child in all_registries():
        if child.parent is None or child.field(child.parent).ref != registry.name:
            continue
        model: Any = child.model
        rows = session.scalars(
            select(model).where(getattr(model, child.parent) == row.id).order_by(*_order(child, ""))
        ).all()
        found.append((child, list(rows)))
    return found


def ref_labels(
    session: Session, registry: Registry, rows: Sequence[Any]
) -> dict[str, dict[int, str]]:
    """For each reference field: referenced id -> label of the rows shown."""
    labels: dict[str, dict[int, str]] = {}
    for spec in registry.fields:
        if spec.kind is not Kind.REF or spec.ref is None:
            continue
        ids = {getattr(r, spec.name) for r in rows} - {None}
        if not ids:
            labels[spec.name] = {}
            continue
        target = get(spec.ref)
        model: Any = target.model
        found = session.scalars(select(model).where(model.id.in_(ids))).all()
        labels[spec.name] = {r.id: label_of(target, r) for r in found}
    return labels


def ref_options(session: Session, registry_name: str) -> list[tuple[int, str]]:
    """``(id, label)`` of every row of a registry, for a select."""
    target = get(registry_name)
    model: Any = target.model
    rows = session.scalars(select(model).order_by(*_order(target, ""))).all()
    return [(r.id, label_of(target, r)) for r in rows]
