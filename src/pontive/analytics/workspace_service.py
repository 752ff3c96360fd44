"""Use-cases of the analysis workspace: run a query over the current export, and keep saved
queries (create, change, delete: the owner or an admin; run: anyone who sees it). Every
change and every run is audited; runs record the query's digest, never its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pontive.analytics import access, workspace_engine, workspace_guard
from pontive.analytics.workspace_chart import KINDS, ChartSpec
from pontive.analytics.workspace_engine import DEFAULT_LIMITS, Limits, QueryResult
from pontive.analytics.workspace_manifest import current_manifest
from pontive.analytics.workspace_models import SavedQuery
from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

NAME_CHARS = 200
DESCRIPTION_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class QueryInput:
    """A saved query as typed."""

    name: str
    sql: str
    description: str = ""
    chart: ChartSpec | None = None
    is_shared: bool = True


def _state(query: SavedQuery) -> dict[str, object]:
    return {
        "name": query.name,
        "description": query.description,
        "sql": query.sql,
        "chart": query.chart,
        "owner_id": query.owner_id,
        "is_shared": query.is_shared,
    }


def run_query(
    session: Session,
    *,
    actor: Actor,
    analytics_dir: Path,
    sql: str,
    saved: SavedQuery | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> QueryResult:
    """Run ``sql`` over the current export (refusals explain themselves); audited."""
    permissions.require(actor, access.WORKSPACE)
    manifest = workspace_engine.require_manifest(analytics_dir)
    result = workspace_engine.run(manifest, sql, limits)
    audit.record(
        session,
        actor=actor,
        action="analytics.workspace.query_run",
        object_type="an_saved_query" if saved is not None else "an_query",
        object_id=saved.id if saved is not None else "-",
        after={"sql": sql, "export": manifest.generated_at, "rows": result.row_count},
    )
    return result


def query_csv(
    *, actor: Actor, analytics_dir: Path, sql: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[bytes, bool]:
    """The whole result of ``sql`` as CSV (capped); whether it was cut."""
    permissions.require(actor, access.WORKSPACE)
    manifest = workspace_engine.require_manifest(analytics_dir)
    return workspace_engine.csv_bytes(manifest, sql, limits)


def list_queries(session: Session, *, actor: Actor) -> list[SavedQuery]:
    """The saved queries ``actor`` sees: shared ones and their own, by name."""
    permissions.require(actor, access.WORKSPACE)
    mine = SavedQuery.owner_id == actor.id if actor.id is not None else SavedQuery.id.is_(None)
    statement = select(SavedQuery).where(or_(SavedQuery.is_shared.is_(True), mine))
    return list(session.scalars(statement.order_by(SavedQuery.name, SavedQuery.id)))


def get_query(session: Session, *, actor: Actor, query_id: int) -> SavedQuery:
    """One saved query ``actor`` may see (``NotFound`` otherwise)."""
    permissions.require(actor, access.WORKSPACE)
    query = session.get(SavedQuery, query_id)
    if query is None or not (query.is_shared or query.owner_id == actor.id):
        raise NotFound("Kueri tersimpan tidak ditemukan.", "Saved query not found.")
    return query


def can_change(actor: Actor, query: SavedQuery) -> bool:
    """Whether ``actor`` may change or delete ``query``: its owner, or an admin."""
    if not permissions.can(actor, access.WORKSPACE):
        return False
    return actor.role is Role.ADMIN or (actor.id is not None and query.owner_id == actor.id)


def _require_change(actor: Actor, query: SavedQuery) -> None:
    if not can_change(actor, query):
        raise PermissionDenied(
            "Hanya pemilik kueri atau admin yang dapat mengubahnya.",
            "Only the query's owner or an admin may change it.",
        )


def _validated(data: QueryInput, table_names: list[str], lang: str) -> QueryInput:
    def say(text_id: str, text_en: str) -> list[str]:
        return [text_en if lang == "en" else text_id]

    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = say("Beri nama kueri.", "Give the query a name.")
    elif len(name) > NAME_CHARS:
        errors["name"] = say(
            f"Paling banyak {NAME_CHARS} karakter.", f"At most {NAME_CHARS} characters."
        )
    if len(data.description) > DESCRIPTION_CHARS:
        errors["description"] = say(
            f"Paling banyak {DESCRIPTION_CHARS} karakter.",
            f"At most {DESCRIPTION_CHARS} characters.",
        )
    try:
        sql = workspace_guard.check(data.sql, table_names)
    except workspace_guard.QueryRefused as refusal:
        sql = data.sql
        errors["sql"] = [refusal.message(lang)]
    chart = data.chart
    if chart is not None and (chart.kind not in KINDS or not chart.x or not chart.y):
        errors["chart"] = say(
            "Grafik perlu jenis, kolom x dan kolom y.", "A chart needs a kind, an x and a y column."
        )
    if errors:
        raise InvalidInput(errors=errors)
    return QueryInput(name, sql, data.description.strip(), chart, data.is_shared)


def create_query(
    session: Session, *, actor: Actor, data: QueryInput, table_names: list[str], lang: str = "id"
) -> SavedQuery:
    """Save a new query owned by ``actor`` (field errors in ``lang``)."""
    permissions.require(actor, access.WORKSPACE)
    clean = _validated(data, table_names, lang)
    now = utcnow()
    query = SavedQuery(
        name=clean.name,
        description=clean.description,
        sql=clean.sql,
        chart=clean.chart.to_json() if clean.chart else None,
        owner_id=actor.id,
        is_shared=clean.is_shared,
        created_at=now,
        updated_at=now,
    )
    session.add(query)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="analytics.workspace.query_created",
        object_type="an_saved_query",
        object_id=query.id,
        after=_state(query),
    )
    return query


def update_query(
    session: Session,
    *,
    actor: Actor,
    query: SavedQuery,
    data: QueryInput,
    table_names: list[str],
    lang: str = "id",
) -> SavedQuery:
    """Change a saved query (its owner or an admin; field errors in ``lang``)."""
    _require_change(actor, query)
    clean = _validated(data, table_names, lang)
    before = _state(query)
    query.name, query.description, query.sql = clean.name, clean.description, clean.sql
    query.chart = clean.chart.to_json() if clean.chart else None
    query.is_shared, query.updated_at = clean.is_shared, utcnow()
    audit.record(
        session,
        actor=actor,
        action="analytics.workspace.query_updated",
        object_type="an_saved_query",
        object_id=query.id,
        before=before,
        after=_state(query),
    )
    return query


def delete_query(session: Session, *, actor: Actor, query: SavedQuery) -> None:
    """Delete a saved query (its owner or an admin)."""
    _require_change(actor, query)
    before = _state(query)
    query_id = query.id
    session.delete(query)
    audit.record(
        session,
        actor=actor,
        action="analytics.workspace.query_deleted",
        object_type="an_saved_query",
        object_id=query_id,
        before=before,
    )


@dataclass(frozen=True, slots=True)
class WorkspaceOverview:
    """The workspace's state in one line: the current export and the saved queries."""

    generated_at: datetime | None
    tables: int
    rows: int
    saved_queries: int


def overview(session: Session, analytics_dir: Path) -> WorkspaceOverview:
    """The current export's time, tables and rows, and how many queries are saved."""
    manifest = current_manifest(analytics_dir)
    saved = session.scalar(select(func.count(SavedQuery.id))) or 0
    if manifest is None:
        return WorkspaceOverview(None, 0, 0, saved)
    return WorkspaceOverview(manifest.generated, len(manifest.tables), manifest.total_rows, saved)
