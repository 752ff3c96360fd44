"""The situation room's walls (``/console/koordinasi/dinding``).

- ``GET /dinding``: every wall, each opened full screen from here; operators change a wall's
  layers, panels and view, or set up a new wall (``walls.save_wall``; a refused form comes
  back with its field errors, status 422, nothing typed lost).
- ``GET /dinding/<code>``: the wall itself, for a 1920x1080 or 4K screen that nobody touches:
  a page of its own without the console's header and footer. ``static/coordination/wall.js``
  draws the snapshot on the map and the panels, and follows the event stream.
- ``GET /dinding/<code>/data.json``: the snapshot (``walls.snapshot``), serialised once with
  orjson, never cached.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.coordination import console_wall_screen as screen
from pontive.coordination import walls
from pontive.coordination.choices import WallLayer, WallPanel
from pontive.coordination.console_support import (
    CONSOLE,
    FormBody,
    flash,
    page,
    redirect_ok,
    zone_of,
)
from pontive.coordination.console_wall_forms import (
    NEW,
    new_values,
    parse_wall,
    refusal,
    values_of,
    values_typed,
)
from pontive.coordination.service import MANAGE_WALLS
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

WALLS = f"{CONSOLE}/dinding"
GEOJSON = "/api/v1/reference/kelurahan.geojson"


def _list_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    failed: str | None = None,
    errors: dict[str, list[str]] | None = None,
    typed: dict[str, object] | None = None,
) -> Response:
    lang = get_lang(request)
    listed = walls.list_walls(session, actor=actor)
    forms = {wall.code: values_of(wall) for wall in listed} | {NEW: new_values()}
    if failed is not None and typed is not None:
        forms[failed] = typed | ({"code": failed} if failed != NEW else {})
    context: dict[str, Any] = {
        "walls": listed,
        "forms": forms,
        "failed": failed,
        "errors": errors or {},
        "flash": flash(ok),
        "can_manage": permissions.can(actor, MANAGE_WALLS),
        "layer_options": WallLayer.options(lang),
        "panel_options": WallPanel.options(lang),
        "new": NEW,
        "walls_path": WALLS,
    }
    status = 422 if errors else 200
    return page(request, actor, "coordination/walls.html", context, status_code=status)


@router.get("/dinding", response_class=HTMLResponse)
def list_walls(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Every wall of the situation room, with its settings."""
    return _list_page(request, session, actor, ok=ok)


@router.post("/dinding", dependencies=[CsrfChecked])
def create_wall(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Set up a new wall."""
    return _save(request, session, actor, form, code=None)


@router.post("/dinding/{code}/atur", dependencies=[CsrfChecked])
def save_wall(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Change a wall's name, layers, panels and view."""
    return _save(request, session, actor, form, code=code)


def _save(
    request: Request, session: Session, actor: Actor, form: FormData, *, code: str | None
) -> Response:
    permissions.require(actor, MANAGE_WALLS)
    lang = get_lang(request)
    wall = None if code is None else walls.get_wall(session, actor=actor, code=code)
    parsed = parse_wall(form, lang)
    failed = NEW if wall is None else wall.code
    errors = parsed.errors
    if not errors:
        try:
            walls.save_wall(session, actor=actor, data=parsed.data, wall=wall)
        except InvalidInput as error:
            errors = refusal(error, lang)
        except Conflict as error:
            errors = refusal(error, lang, is_conflict=True)
    if errors:
        session.rollback()  # a new wall refused half-way is not kept
        errors.setdefault("form", [translate("coord.wall.fix_errors", lang)])
        return _list_page(
            request, session, actor, failed=failed, errors=errors, typed=values_typed(form)
        )
    session.commit()
    return redirect_ok(WALLS, "wall_saved")


@router.get("/dinding/{code}", response_class=HTMLResponse)
def show_wall(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """The wall, full screen: map, key figures, incidents, ticker; live."""
    wall = walls.get_wall(session, actor=actor, code=code)
    lang = get_lang(request)
    zone = zone_of(request)
    now = utcnow().astimezone(zone)
    context = {
        "wall": wall,
        "legend": screen.legend(wall, lang),
        "panels": screen.panels(wall),
        "vocabulary": screen.vocabulary(session, lang),
        "texts": screen.texts(lang),
        "events": screen.EVENT_TYPES,
        "stream_types": screen.STREAM_TYPES,
        "data_url": f"{WALLS}/{wall.code}/data.json",
        "geojson": GEOJSON,
        "zone_key": zone.key,
        "zone_abbr": now.tzname() or "",
        "now_text": now.strftime("%H:%M:%S"),
        "walls_path": WALLS,
    }
    response = render(request, "coordination/wall.html", context)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/dinding/{code}/data.json")
def wall_data(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """Everything the wall shows now (``walls.snapshot``)."""
    wall = walls.get_wall(session, actor=actor, code=code)
    body = walls.snapshot(session, actor=actor, wall=wall, lang=get_lang(request))
    return Response(
        orjson.dumps(body),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )
