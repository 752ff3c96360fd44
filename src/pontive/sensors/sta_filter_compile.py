"""Compile a parsed ``$filter`` into one SQLAlchemy condition on the root entity's table.

Property paths may cross navigation properties (``Datastream/Thing/name``,
``Locations/location``). Each navigation becomes a sub-query *scope*: ``key IN (SELECT …)``
for one hop, a correlated ``EXISTS`` when several hops open together. Scopes follow
FROST-Server's "any" semantics (18-088 9.3.3.5, example 4): a condition on a to-many path
holds when *some* related entity satisfies it, and conditions joined by ``and`` that go
through the same navigation must hold for the *same* related entity:
``Datastreams/Observations/result gt 5 and Datastreams/Observations/resultTime ge X`` asks
for one observation with both. ``not`` is pushed down to the conditions (De Morgan) first, so
``not (Datastreams/name eq 'x')`` means "some datastream is not named x", as in FROST.
``Datastream/id`` reads the foreign key (``datastream_id``) without any sub-query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, not_, or_, select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors.sta_entities import (
    LinkKind,
    PropertyKind,
    StaEntity,
    StaNavigation,
    StaProperty,
    navigation_join,
    navigation_semijoin,
)
from pontive.sensors.sta_filter_ast import Arith, Call, Compare, Expr, Logical, Negate, Not, Path
from pontive.sensors.sta_filter_eval import Evaluator
from pontive.sensors.sta_filter_geo import (
    GeoFunctions,
    GeometryCache,
    GeometrySource,
    GeometryValue,
)
from pontive.sensors.sta_filter_sql import JsonPath, Sql, SqlDialect
from pontive.sensors.sta_filter_time import TimeValue
from pontive.sensors.sta_filter_values import JsonValue, Kind, ResultValue, SqlValue, Value
from pontive.sensors.sta_query_errors import FilterError

Prefix = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResolvedPath:
    """A path split into navigation hops, the property reached and JSON members inside it."""

    chain: tuple[StaNavigation, ...]
    entity: StaEntity
    prop: StaProperty | None  # None: ``key`` (a foreign key standing for ``Nav/id``)
    key: str | None
    members: JsonPath

    @property
    def names(self) -> Prefix:
        """The navigation names, the scope this path lives in."""
        return tuple(nav.name for nav in self.chain)


def resolve_path(root: StaEntity, path: Path, option: str = "$filter") -> ResolvedPath:
    """Resolve ``path`` from ``root``; ``FilterError`` names the unknown part."""
    entity, chain, segments = root, [], list(path.segments)
    for index, segment in enumerate(segments):
        if isinstance(segment, int):
            raise _path_error(path, option, f"[{segment}]", "index outside a JSON property")
        nav = entity.navigation(segment)
        if nav is not None:
            chain.append(nav)
            entity = nav.target_entity
            continue
        prop = entity.property(segment)
        if prop is None:
            raise _path_error(path, option, segment, f"unknown property of {entity.name}")
        members = tuple(segments[index + 1 :])
        if members and not prop.has_members:
            raise _path_error(path, option, segment, "has no members")
        return _shortcut(ResolvedPath(tuple(chain), entity, prop, None, members))
    raise _path_error(path, option, str(segments[-1]), "is a navigation property, not a value")


def _shortcut(resolved: ResolvedPath) -> ResolvedPath:
    # ``Datastream/id`` is the foreign key column of this table (no sub-query needed).
    if not resolved.chain or resolved.members or resolved.prop is None:
        return resolved
    last = resolved.chain[-1]
    if resolved.prop.kind is not PropertyKind.ID or last.kind is not LinkKind.OWN_KEY:
        return resolved
    return ResolvedPath(resolved.chain[:-1], last.source_entity, None, last.key, ())


def _path_error(path: Path, option: str, token: str, problem_en: str) -> FilterError:
    problem_id = {
        "has no members": "tidak memiliki anggota",
        "is a navigation property, not a value": "adalah properti navigasi, bukan nilai",
        "index outside a JSON property": "indeks di luar properti JSON",
        "gives many values, not one": "memberi banyak nilai, bukan satu",
    }.get(problem_en, "properti tidak dikenal")
    shown = "/".join(str(part) for part in path.segments)
    return FilterError(
        f"'{token}' {problem_id} (jalur '{shown}')", f"'{token}' {problem_en} (path '{shown}')",
        position=path.pos, token=token, option=option,
    )  # fmt: skip


def path_value(resolved: ResolvedPath, column: Callable[[str], Sql]) -> Value:
    """The value of a resolved path, given its entity's columns in the current scope."""
    if resolved.prop is None:
        return SqlValue(Kind.NUMBER, column(str(resolved.key)))
    prop, members = resolved.prop, resolved.members
    cols = [column(key) for key in prop.columns]
    kind = prop.kind
    if kind is PropertyKind.ID:
        return SqlValue(Kind.NUMBER, cols[0])
    if kind is PropertyKind.TEXT:
        return SqlValue(Kind.STRING, cols[0])
    if kind is PropertyKind.INSTANT:
        return TimeValue(cols[0])
    if kind in (PropertyKind.INTERVAL, PropertyKind.TIME):
        return TimeValue(cols[0], cols[1])
    if kind is PropertyKind.RESULT:
        return JsonValue(cols[1], members) if members else ResultValue(cols[0], cols[1])
    if kind is PropertyKind.GEOMETRY and not members:
        table = resolved.entity.table
        return GeometryValue(source=GeometrySource(table, prop.columns[0], column("id"), cols[0]))
    return JsonValue(cols[0], members)


# --- normal form: and/or over atoms, ``not`` only on atoms ---------------------------------


@dataclass(frozen=True, slots=True)
class Atom:
    """A condition that is not and/or/not, possibly negated."""

    expr: Expr
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Junction:
    """``and`` (``is_and``) or ``or`` of several forms."""

    is_and: bool
    items: tuple[Form, ...]


Form = Atom | Junction


def normal_form(node: Expr, negated: bool = False) -> Form:
    """Push ``not`` to the atoms and flatten nested and/or."""
    if isinstance(node, Not):
        return normal_form(node.operand, not negated)
    if not isinstance(node, Logical):
        return Atom(node, negated)
    is_and = (node.op == "and") != negated
    items: list[Form] = []
    for child in (normal_form(node.left, negated), normal_form(node.right, negated)):
        same = isinstance(child, Junction) and child.is_and == is_and
        items.extend(child.items if isinstance(child, Junction) and same else (child,))
    return Junction(is_and, tuple(items))


def paths_of(node: Expr) -> Iterator[Path]:
    """Every property path in an expression."""
    if isinstance(node, Path):
        yield node
    elif isinstance(node, Compare | Arith | Logical):
        yield from paths_of(node.left)
        yield from paths_of(node.right)
    elif isinstance(node, Not | Negate):
        yield from paths_of(node.operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from paths_of(arg)


def _atoms(form: Form) -> Iterator[Atom]:
    if isinstance(form, Atom):
        yield form
    else:
        for item in form.items:
            yield from _atoms(item)


@dataclass(frozen=True, slots=True)
class Scope:
    """An entity in the query: the root table, or an alias opened for a navigation."""

    entity: StaEntity
    alias: FromClause


Bound = dict[Prefix, Scope]


class FilterCompiler:
    """Compiles filter expressions against one root entity (and its table or alias)."""

    def __init__(
        self, *, entity: StaEntity, session: Session, root: FromClause | None = None,
        option: str = "$filter", now: datetime | None = None,
    ) -> None:  # fmt: skip
        self.entity = entity
        self.root = root if root is not None else entity.table
        self.option = option
        self.sql = SqlDialect(session.get_bind().dialect.name)
        self.geo = GeoFunctions(GeometryCache(session))
        self.now = now or utcnow()
        self._resolved: dict[Path, ResolvedPath] = {}

    def condition(self, expr: Expr) -> ColumnElement[bool]:
        """The SQL condition of a whole ``$filter``."""
        return self._bool(normal_form(expr), {(): Scope(self.entity, self.root)})

    def value(self, expr: Expr) -> Value:
        """The value of an expression on the root row (``$orderby``): to-one paths only."""
        return self._evaluator({(): Scope(self.entity, self.root)}).value(expr)

    def resolve(self, path: Path) -> ResolvedPath:
        """``path`` resolved from the root entity (memoised)."""
        if path not in self._resolved:
            self._resolved[path] = resolve_path(self.entity, path, self.option)
        return self._resolved[path]

    def _needed(self, form: Form, bound: Bound) -> frozenset[Prefix]:
        """The scopes to open (one hop beyond those bound) for the paths of ``form``."""
        needed = set()
        for atom in _atoms(form):
            for path in paths_of(atom.expr):
                names = self.resolve(path).names
                depth = max(k for k in range(len(names) + 1) if names[:k] in bound)
                if depth < len(names):
                    needed.add(names[: depth + 1])
        return frozenset(needed)

    def _bool(self, form: Form, bound: Bound) -> ColumnElement[bool]:
        if isinstance(form, Atom):
            needed = self._needed(form, bound)
            if needed:
                return self._open(needed, form, bound)
            condition = self._evaluator(bound).condition(form.expr)
            return not_(condition) if form.negated else condition
        if not form.is_and:
            return or_(*(self._bool(item, bound) for item in form.items))
        parts = []
        for needed, members in self._groups(form.items, bound):
            body = members[0] if len(members) == 1 else Junction(True, tuple(members))
            parts.append(self._open(needed, body, bound) if needed else self._bool(body, bound))
        return and_(*parts)

    def _groups(
        self, items: tuple[Form, ...], bound: Bound
    ) -> list[tuple[frozenset[Prefix], list[Form]]]:
        """Conjuncts that share a navigation go into one scope (the same related row)."""
        groups: list[tuple[frozenset[Prefix], list[Form]]] = []
        for item in items:
            need, members = set(self._needed(item, bound)), [item]
            if need:
                kept = []
                for other_need, other_members in groups:
                    if other_need & need:
                        need |= other_need
                        members = other_members + members
                    else:
                        kept.append((other_need, other_members))
                groups = kept
            groups.append((frozenset(need), members))
        return groups

    def _open(self, needed: frozenset[Prefix], body: Form, bound: Bound) -> ColumnElement[bool]:
        opened: Bound = {}
        hops: list[tuple[StaNavigation, FromClause, FromClause]] = []
        for prefix in sorted(needed):
            parent = bound[prefix[:-1]]
            nav = parent.entity.navigation(prefix[-1])
            if nav is None:  # pragma: no cover - prefixes come from resolved paths
                raise LookupError(prefix)
            alias = nav.target_entity.table.alias()
            opened[prefix] = Scope(nav.target_entity, alias)
            hops.append((nav, parent.alias, alias))
        where = self._bool(body, {**bound, **opened})
        outer = [scope.alias for scope in bound.values()]
        # Several navigations (a Thing's Locations and its Datastreams): one semi-join inside
        # the other, each inner one correlated to the rows opened around it.
        for index in range(len(hops) - 1, -1, -1):
            nav, source, target = hops[index]
            around = outer + [opened_target for _, _, opened_target in hops[:index]]
            where = navigation_semijoin(
                nav, source=source, target=target, where=where, correlate=around
            )
        return where

    def _evaluator(self, bound: Bound) -> Evaluator:
        def resolve(path: Path) -> Value:
            resolved = self.resolve(path)
            scope = bound.get(resolved.names)
            if scope is not None:
                alias = scope.alias
                return path_value(resolved, lambda key: alias.c[key])
            return self._scalar(resolved, path, bound)

        return Evaluator(sql=self.sql, geo=self.geo, now=self.now, resolve=resolve)

    def _scalar(self, resolved: ResolvedPath, path: Path, bound: Bound) -> Value:
        """A to-one path read through correlated scalar sub-queries (``$orderby``)."""
        names = resolved.names
        depth = max(k for k in range(len(names) + 1) if names[:k] in bound)
        scope = bound[names[:depth]]
        hops: list[Any] = []
        source = scope.alias
        for nav in resolved.chain[depth:]:
            if nav.is_to_many:
                raise _path_error(path, self.option, nav.name, "gives many values, not one")
            target = nav.target_entity.table.alias()
            hops.append((target, navigation_join(nav, source=source, target=target)))
            source = target
        outer = [item.alias for item in bound.values()]
        conditions = [condition for _target, condition in hops]

        def column(key: str) -> Sql:
            query = select(source.c[key]).where(*conditions).correlate(*outer)
            return query.scalar_subquery()

        return path_value(resolved, column)
