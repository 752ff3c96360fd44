"""The console pages of every registry, made from its declaration (``core/registry.py``).

For a registry ``R``: ``R.path`` (the list: search, filters, sort, pages, bulk edit),
``R.path/baru`` (new; the query string pre-fills fields), ``R.path/{id}`` (the row: its
fields, rows of child registries, documents, reminders, history, the domain's panels),
``R.path/{id}/ubah`` (edit), ``R.path/{id}/hapus`` (POST), ``R.path/{id}/pribadi`` (POST:
show the personal fields, audited), ``R.path/massal`` (POST: bulk edit). CSV and documents
are in ``pages_files.py``, area homes and reminders in ``pages_area.py``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.core.registry import Kind, Registry, all_registries, pick
from pontive.core.timeutil import WIB
from pontive.registry import display, documents, pages_area, pages_files, reminders, store
from pontive.registry.pages_support import filters_of, int_param, page, page_link
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody, refused
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
HISTORY_ON_PAGE = 15


def _list_context(
    request: Request, session: Any, registry: Registry, actor: Actor, lang: str
) -> dict[str, Any]:
    query = request.query_params
    filters = filters_of(registry, query)
    q, sort = query.get("q", "").strip()[:200], query.get("sort", "")
    result = store.list_rows(
        session,
        registry,
        actor,
        filters=filters,
        q=q,
        sort=sort,
        page=int_param(query.get("page"), 1),
        per_page=int_param(query.get("per_page"), store.PER_PAGE),
    )
    columns = [f for f in registry.fields if f.in_list] or [registry.field(registry.title_field)]
    names = display.names_for(session, registry, result.rows, lang)
    params = {**filters, "q": q, "sort": sort}
    filter_fields = [f for f in registry.fields if f.filter]
    all_controls = {c.name: c for c in display.controls(session, registry, lang)}
    return {
        "result": result,
        "columns": columns,
        "rows": [(row, display.row_cells(registry, columns, row, names)) for row in result.rows],
        "filters": filters,
        "filter_fields": [(f, all_controls.get(f.name)) for f in filter_fields],
        "q": q,
        "sort": sort,
        "params": params,
        "link": lambda **changes: page_link(registry.path, params, **changes),
        "can_edit": store.can_edit(actor, registry),
        "bulk_controls": [all_controls[f.name] for f in registry.fields if f.bulk],
        "is_filtered": bool(filters or q),
        "dates_open": any(name.endswith(("_from", "_to")) for name in filters),
    }


def _form_page(
    request: Request,
    session: Any,
    registry: Registry,
    actor: Actor,
    *,
    row: Any | None,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
) -> Response:
    lang = get_lang(request)
    context = {
        "row": row,
        "controls": display.controls(session, registry, lang),
        "values": values,
        "errors": errors or {},
        "action": f"{registry.path}/{row.id}/ubah" if row is not None else f"{registry.path}/baru",
        "label": display.cell(
            registry,
            registry.field(registry.title_field),
            row,
            display.names_for(session, registry, [row], lang),
        ).text
        if row is not None
        else "",
    }
    return page(
        request,
        actor,
        "registry/form.html",
        context,
        registry=registry,
        status_code=422 if errors else 200,
    )


def _detail(
    request: Request,
    session: Any,
    registry: Registry,
    actor: Actor,
    row: Any,
    *,
    personal: dict[str, Any] | None = None,
    doc_errors: dict[str, list[str]] | None = None,
    problem: str = "",
) -> Response:
    lang = get_lang(request)
    names = display.names_for(session, registry, [row], lang)
    cells = display.row_cells(registry, registry.fields, row, names)
    kids = []
    for child, rows in store.children(session, registry, row):
        child_columns = [f for f in child.fields if f.in_list and f.name != child.parent] or [
            child.field(child.title_field)
        ]
        child_names = display.names_for(session, child, rows, lang)
        kids.append(
            (
                child,
                child_columns,
                [(r, display.row_cells(child, child_columns, r, child_names)) for r in rows],
                store.can_edit(actor, child),
            )
        )
    changes = store.history(session, registry, actor, row.id)
    context = {
        "row": row,
        "label": display.cell(registry, registry.field(registry.title_field), row, names).text,
        "cells": list(zip(registry.fields, cells, strict=True)),
        "children": kids,
        "documents": documents.list_for(session, registry, row.id) if registry.documents else None,
        "doc_errors": doc_errors or {},
        "reminders": reminders.for_object(session, registry, row.id),
        "changes": changes[:HISTORY_ON_PAGE],
        "more_changes": len(changes) > HISTORY_ON_PAGE,
        "personal": personal,
        "has_personal": any(f.personal for f in registry.fields),
        "can_edit": store.can_edit(actor, registry, row),
        "panels": [(p.template, p.context(session, actor, row)) for p in registry.panels],
        "problem": problem,
        "stylesheets": sorted({p.stylesheet for p in registry.panels if p.stylesheet}),
    }
    return page(
        request,
        actor,
        "registry/detail.html",
        context,
        registry=registry,
        status_code=422 if doc_errors else (409 if problem else 200),
    )


def _edit_values(registry: Registry, form: Any, *, editing: bool) -> dict[str, Any]:
    values = display.typed_values(registry, form)
    if editing:  # personal fields left empty keep their value
        for spec in registry.fields:
            if spec.personal and not str(values.get(spec.name, "")).strip():
                values.pop(spec.name, None)
    return values


def mount(registry: Registry) -> PontiveRouter:
    """The pages of ``registry``, in a router of their own (FastAPI prepares an included
    router's routes on its first request: a page of one registry never prepares the
    others')."""
    router = PontiveRouter(include_in_schema=False)
    path = registry.path

    @router.get(path, response_class=HTMLResponse, name=f"{registry.name}.list")
    def list_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
        lang = get_lang(request)
        context = _list_context(request, session, registry, actor, lang)
        return page(request, actor, "registry/list.html", context, registry=registry)

    @router.get(path + "/baru", response_class=HTMLResponse, name=f"{registry.name}.new")
    def new_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
        store.require_edit(actor, registry)
        values = {k: v for k, v in request.query_params.items() if k not in ("ok", "lang")}
        return _form_page(request, session, registry, actor, row=None, values=values)

    @router.post(path + "/baru", dependencies=[CsrfChecked], name=f"{registry.name}.create")
    def create(
        request: Request, form: FormBody, session: DbSession, actor: CurrentActor
    ) -> Response:
        lang = get_lang(request)
        values = _edit_values(registry, form, editing=False)
        try:
            row = store.save_row(session, registry, actor, values, lang=lang)
        except InvalidInput as error:
            session.rollback()
            return _form_page(
                request,
                session,
                registry,
                actor,
                row=None,
                values=values,
                errors=refused(error, lang),
            )
        session.commit()
        return RedirectResponse(f"{path}/{row.id}?ok=created", status_code=303)

    @router.get(path + "/{row_id:int}", response_class=HTMLResponse, name=f"{registry.name}.detail")
    def detail(request: Request, row_id: int, session: DbSession, actor: CurrentActor) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        return _detail(request, session, registry, actor, row)

    @router.post(path + "/{row_id:int}/pribadi", dependencies=[CsrfChecked])
    def reveal(request: Request, row_id: int, session: DbSession, actor: CurrentActor) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        personal = store.read_personal(session, registry, actor, row)
        session.commit()
        return _detail(request, session, registry, actor, row, personal=personal)

    @router.get(path + "/{row_id:int}/ubah", response_class=HTMLResponse)
    def edit_page(
        request: Request, row_id: int, session: DbSession, actor: CurrentActor
    ) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        store.require_edit(actor, registry, row)
        values = display.form_values(registry, row, WIB)
        return _form_page(request, session, registry, actor, row=row, values=values)

    @router.post(path + "/{row_id:int}/ubah", dependencies=[CsrfChecked])
    def update(
        request: Request, row_id: int, form: FormBody, session: DbSession, actor: CurrentActor
    ) -> Response:
        lang = get_lang(request)
        row = store.get_row(session, registry, actor, row_id)
        values = _edit_values(registry, form, editing=True)
        try:
            store.save_row(session, registry, actor, values, row=row, partial=True, lang=lang)
        except InvalidInput as error:
            session.rollback()
            row = store.get_row(session, registry, actor, row_id)
            return _form_page(
                request,
                session,
                registry,
                actor,
                row=row,
                values=values,
                errors=refused(error, lang),
            )
        session.commit()
        return RedirectResponse(f"{path}/{row_id}?ok=saved", status_code=303)

    @router.post(path + "/{row_id:int}/hapus", dependencies=[CsrfChecked])
    def delete(request: Request, row_id: int, session: DbSession, actor: CurrentActor) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        try:
            store.delete_row(session, registry, actor, row)
        except Conflict as error:
            session.rollback()
            row = store.get_row(session, registry, actor, row_id)
            message = error.message(get_lang(request))
            return _detail(request, session, registry, actor, row, problem=message)
        session.commit()
        return RedirectResponse(f"{path}?ok=deleted", status_code=303)

    @router.post(path + "/massal", dependencies=[CsrfChecked])
    def bulk(request: Request, form: FormBody, session: DbSession, actor: CurrentActor) -> Response:
        lang = get_lang(request)
        ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()]
        values: dict[str, Any] = {}
        for spec in registry.fields:
            if not spec.bulk:
                continue
            if spec.kind is Kind.CHOICES:
                chosen = [v for v in form.getlist(spec.name) if isinstance(v, str)]
                if chosen:
                    values[spec.name] = chosen
                continue
            raw = form.get(spec.name)
            if isinstance(raw, str) and raw.strip():
                values[spec.name] = raw.strip()
        try:
            store.bulk_update(session, registry, actor, ids, values, lang=lang)
        except InvalidInput as error:
            session.rollback()
            context = _list_context(request, session, registry, actor, lang)
            context["errors"] = refused(error, lang)
            return page(
                request, actor, "registry/list.html", context, registry=registry, status_code=422
            )
        session.commit()
        back = form.get("back")
        target = back if isinstance(back, str) and back.startswith(path) else path
        joiner = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{joiner}ok=bulk", status_code=303)

    pages_files.mount(router, registry, _detail)
    return router


for _registry in all_registries():
    router.include_router(mount(_registry))
router.include_router(pages_area.router)

__all__ = ["pick", "router"]
