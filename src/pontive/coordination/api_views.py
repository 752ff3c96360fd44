"""What is watched, not changed, in the coordination API: the situation room's walls with
their snapshot, and the executive figures for the mayor and the council."""

from __future__ import annotations

from fastapi import Request

from pontive.coordination import executive, walls
from pontive.coordination.schemas_views import ExecutiveRead, WallRead, WallSnapshotRead
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter()


@router.get("/walls", response_model=list[WallRead])
def read_walls(session: DbSession, actor: CurrentActor) -> list[WallRead]:
    """Every wall of the situation room, by name."""
    return [WallRead.model_validate(wall) for wall in walls.list_walls(session, actor=actor)]


@router.get("/walls/{code}/snapshot", response_model=WallSnapshotRead)
def read_snapshot(
    code: str, request: Request, session: DbSession, actor: CurrentActor
) -> WallSnapshotRead:
    """Everything the wall shows now (the wall page redraws from it on each event); labels
    in Bahasa Indonesia, in English with ``?lang=en`` or ``Accept-Language: en``."""
    wall = walls.get_wall(session, actor=actor, code=code)
    body = walls.snapshot(session, actor=actor, wall=wall, lang=get_lang(request))
    return WallSnapshotRead.model_validate(body)


@router.get("/executive", response_model=ExecutiveRead)
def read_executive(session: DbSession, actor: CurrentActor) -> ExecutiveRead:
    """Today's situation, this week's trends and the agencies' performance (read-only)."""
    view = executive.read_executive(session, actor=actor)
    return ExecutiveRead.model_validate(view.as_json())
