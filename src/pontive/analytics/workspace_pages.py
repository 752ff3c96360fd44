"""The analysis workspace (``/console/analitik/ruang-kerja``): a SQL editor over the current
Parquet export, its result (first 1,000 rows, the row count, the time taken), a chart of it,
a CSV download, and the saved queries. Tim Teknis and admins only (``access.WORKSPACE``).

Every run is a POST (it is audited); opening a saved query (``?q=<id>``) only fills the
editor. The export's folder comes from the app's settings at request time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.analytics import access, console, workspace_service, workspace_view
from pontive.analytics.workspace_engine import DEFAULT_LIMITS, NoExport, QueryResult
from pontive.analytics.workspace_manifest import Manifest, current_manifest
from pontive.analytics.workspace_models import SavedQuery
from pontive.analytics.workspace_view import Editor
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody, redirect_ok, refused, text
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
PATH = access.WORKSPACE_PATH
RUN_PATH = f"{PATH}/jalankan"
SAVE_PATH = f"{PATH}/simpan"
FLASHES = frozenset({"saved", "deleted"})


def analytics_dir(request: Request) -> Path:
    """The export's folder, from the running app's settings."""
    folder: Path = request.app.state.settings.analytics_dir
    return folder


def _page(
    request: Request,
    session: DbSession,
    actor: Actor,
    editor: Editor,
    *,
    result: QueryResult | None = None,
    errors: dict[str, list[str]] | None = None,
    flash: str = "",
    status_code: int = 200,
) -> Response:
    lang = get_lang(request)
    manifest: Manifest | None = current_manifest(analytics_dir(request))
    queries = workspace_service.list_queries(session, actor=actor)
    current = next((q for q in queries if q.id == editor.query_id), None)
    title = editor.name or translate("an.ws.chart.default_title", lang)
    context: dict[str, Any] = {
        "manifest": manifest,
        "editor": editor,
        "current": current,
        "can_change_current": current is not None and workspace_service.can_change(actor, current),
        "queries": queries,
        "owners": workspace_view.owner_names(session, queries),
        "changeable": {q.id for q in queries if workspace_service.can_change(actor, q)},
        "shown": workspace_view.shown(result, editor, title=title, lang=lang) if result else None,
        "column_options": workspace_view.column_options(editor, result),
        "errors": errors or {},
        "flash": translate(f"an.ws.flash.{flash}", lang) if flash in FLASHES else "",
        "limits": DEFAULT_LIMITS,
        "run_path": RUN_PATH,
        "save_path": SAVE_PATH,
        "base_path": PATH,
    }
    return console.page(
        request, actor, "analytics/workspace.html", context, status_code=status_code
    )


@router.get(PATH, response_class=HTMLResponse)
def workspace_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    q: Annotated[int | None, Query(ge=1)] = None,
    ok: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The editor, empty or holding the saved query ``q``."""
    permissions.require(actor, access.WORKSPACE)
    editor = Editor()
    if q is not None:
        editor = Editor.from_saved(workspace_service.get_query(session, actor=actor, query_id=q))
    return _page(request, session, actor, editor, flash=ok)


def _run(
    request: Request, session: DbSession, actor: Actor, editor: Editor, saved: SavedQuery | None
) -> Response:
    try:
        result = workspace_service.run_query(
            session, actor=actor, analytics_dir=analytics_dir(request), sql=editor.sql, saved=saved
        )
    except (InvalidInput, NoExport) as error:
        errors = {"sql": [error.message(get_lang(request))]}
        return _page(request, session, actor, editor, errors=errors, status_code=422)
    session.commit()
    return _page(request, session, actor, editor, result=result)


@router.post(RUN_PATH, response_class=HTMLResponse, dependencies=[CsrfChecked])
def run_typed(
    request: Request, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Run what the editor holds, or download its whole result as CSV."""
    permissions.require(actor, access.WORKSPACE)
    editor = Editor.from_form(form)
    if text(form, "action") == "csv":
        return _csv(request, session, actor, editor)
    return _run(request, session, actor, editor, None)


@router.post(
    PATH + "/kueri/{query_id}/jalankan", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def run_saved(request: Request, query_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Run a saved query as saved (with its chart)."""
    query = workspace_service.get_query(session, actor=actor, query_id=query_id)
    return _run(request, session, actor, Editor.from_saved(query), query)


def _csv(request: Request, session: DbSession, actor: Actor, editor: Editor) -> Response:
    try:
        body, truncated = workspace_service.query_csv(
            actor=actor, analytics_dir=analytics_dir(request), sql=editor.sql
        )
    except (InvalidInput, NoExport) as error:
        errors = {"sql": [error.message(get_lang(request))]}
        return _page(request, session, actor, editor, errors=errors, status_code=422)
    name = f"kueri-{utcnow().astimezone(request.app.state.settings.zone):%Y%m%d-%H%M}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
            "X-Pontive-Truncated": "true" if truncated else "false",
        },
    )


@router.post(SAVE_PATH, response_class=HTMLResponse, dependencies=[CsrfChecked])
def save(request: Request, form: FormBody, session: DbSession, actor: CurrentActor) -> Response:
    """Save the editor as a new query, or as the changes of the saved one it holds."""
    permissions.require(actor, access.WORKSPACE)
    lang = get_lang(request)
    editor = Editor.from_form(form)
    manifest = current_manifest(analytics_dir(request))
    tables = [table.name for table in manifest.tables] if manifest else []
    data = workspace_service.QueryInput(
        editor.name, editor.sql, editor.description, editor.chart, editor.is_shared
    )
    try:
        if editor.query_id is not None and text(form, "as_new") != "1":
            query = workspace_service.get_query(session, actor=actor, query_id=editor.query_id)
            workspace_service.update_query(
                session, actor=actor, query=query, data=data, table_names=tables, lang=lang
            )
        else:
            query = workspace_service.create_query(
                session, actor=actor, data=data, table_names=tables, lang=lang
            )
    except InvalidInput as error:
        return _page(request, session, actor, editor, errors=refused(error, lang), status_code=422)
    session.commit()
    return RedirectResponse(f"{PATH}?q={query.id}&ok=saved", status_code=303)


@router.post(PATH + "/kueri/{query_id}/hapus", dependencies=[CsrfChecked])
def delete(query_id: int, session: DbSession, actor: CurrentActor) -> RedirectResponse:
    """Delete a saved query (its owner or an admin)."""
    query = workspace_service.get_query(session, actor=actor, query_id=query_id)
    workspace_service.delete_query(session, actor=actor, query=query)
    session.commit()
    return redirect_ok(PATH, "deleted")
