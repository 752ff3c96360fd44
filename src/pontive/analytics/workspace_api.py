"""JSON routes of the analysis workspace (``access.WORKSPACE``: Tim Teknis, admins).

- ``POST /api/v1/analytics/workspace/query`` ``{"sql": "..."}`` → the first 1,000 rows, the
  row count, whether it was cut, the time taken; a refused query answers 422 with the reason
  (``{"detail": ..., "errors": {"sql": [...]}}``), no export yet answers 409.
- ``GET /api/v1/analytics/workspace/manifest`` → the current export's manifest.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from pontive.analytics import access, workspace_engine, workspace_service
from pontive.analytics.workspace_manifest import manifest_json
from pontive.analytics.workspace_pages import analytics_dir
from pontive.core import permissions
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/analytics", tags=["analytics"])


class QueryBody(BaseModel):
    """One read-only query over the export."""

    sql: str = Field(min_length=1, max_length=20_000, examples=["SELECT count(*) FROM complaints"])


class ResultColumnRead(BaseModel):
    """A column of the result."""

    name: str
    type: str


class QueryResultRead(BaseModel):
    """The first rows of a result (times in WIB, ISO 8601 with offset)."""

    columns: list[ResultColumnRead]
    rows: list[list[Any]]
    row_count: int
    truncated: bool
    elapsed_ms: float
    export_generated_at: str


@router.post("/workspace/query", response_model=QueryResultRead)
def run_query(
    body: QueryBody, request: Request, session: DbSession, actor: CurrentActor
) -> QueryResultRead:
    """Run one read-only SELECT over the current Parquet export."""
    result = workspace_service.run_query(
        session, actor=actor, analytics_dir=analytics_dir(request), sql=body.sql
    )
    session.commit()
    return QueryResultRead(
        columns=[ResultColumnRead(name=c.name, type=c.type) for c in result.columns],
        rows=[list(row) for row in result.rows],
        row_count=result.row_count,
        truncated=result.truncated,
        elapsed_ms=result.elapsed_ms,
        export_generated_at=result.export_generated_at,
    )


@router.get("/workspace/manifest")
def read_manifest(request: Request, actor: CurrentActor) -> dict[str, Any]:
    """The current export's manifest: tables, columns with types and descriptions, rows."""
    permissions.require(actor, access.WORKSPACE)
    manifest = workspace_engine.require_manifest(analytics_dir(request))
    return manifest_json(manifest)
