"""The masterplan's versions in the console (``/console/masterplan/versi/<n>``): one version
rendered with its workflow (edit, review, adopt with the Perwa number), the draft editor, a
new draft copied from the version in force, and the comparison of two versions
(``/console/masterplan/banding?a=<n>&b=<m>``).

The technical team drafts, edits and reviews (``masterplan.manage``); the mayor (or the
team) adopts (``masterplan.adopt``); every staff role reads.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.masterplan import versions
from pontive.masterplan.choices import VersionStatus
from pontive.masterplan.console_plan_content import (
    content_values,
    parse_content,
    phases,
    roadmap_years,
    with_blank_rows,
)
from pontive.masterplan.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    pd_names,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.models import Masterplan, MasterplanVersion
from pontive.masterplan.service import ADOPT, MANAGE, READ
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
VERSIONS = f"{CONSOLE}/versi"
Short = Annotated[str, Query(max_length=40)]


def the_masterplan(session: Session) -> Masterplan:
    """The masterplan in use, or NotFound."""
    masterplan = versions.current_masterplan(session)
    if masterplan is None:
        raise NotFound("Rencana induk belum dibuat.", "No masterplan yet.")
    return masterplan


def content_context(session: Session, content: dict[str, Any]) -> dict[str, Any]:
    """What the rendered text of a version needs (plan_content.html)."""
    return {
        "content": content,
        "dimensions": reference.list_dimensi(session=session),
        "pds": pd_names(session),
        "roadmap": roadmap_years(content),
        "phases": phases(content),
    }


def version_page(
    request: Request,
    session: Session,
    actor: Actor,
    version: MasterplanVersion,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """One version with its workflow's forms (again with errors when a post was refused)."""
    masterplan = version.masterplan
    adopted = versions.adopted_version(session, masterplan)
    context = {
        "masterplan": masterplan,
        "mp_version": version,
        "adopted": adopted,
        "can_edit": permissions.can(actor, MANAGE) and version.status in versions.EDITABLE,
        "can_review": permissions.can(actor, MANAGE) and version.status is VersionStatus.DRAFT,
        "can_adopt": permissions.can(actor, ADOPT) and version.status is VersionStatus.REVIEWED,
        **content_context(session, version.content or {}),
        **(extra or {}),
    }
    return page(request, actor, "masterplan/plan_version.html", context, status_code=status_code)


@router.get(VERSIONS + "/{number}", response_class=HTMLResponse)
def show_version(
    request: Request, number: int, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """One version: its state, text and the next step of its workflow."""
    permissions.require(actor, READ)
    version = versions.get_version(session, the_masterplan(session), number)
    return version_page(request, session, actor, version, extra={"flash": flash(ok)})


@router.post(VERSIONS, dependencies=[CsrfChecked])
def new_draft(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """A new draft, a copy of the version in force; its editor next."""
    version = versions.draft_version(
        session,
        actor=actor,
        masterplan=the_masterplan(session),
        change_note=text(form, "change_note"),
    )
    session.commit()
    return redirect_ok(f"{VERSIONS}/{version.number}/ubah", "drafted")


def editor_page(
    request: Request,
    session: Session,
    actor: Actor,
    version: MasterplanVersion,
    *,
    values: dict[str, str],
    errors: Errors | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    """The draft editor (again with what was typed and its errors)."""
    permissions.require(actor, MANAGE)
    context = {
        "masterplan": version.masterplan,
        "mp_version": version,
        "values": values,
        "errors": errors or {},
        "rows": sorted({int(k.rsplit("_", 1)[1]) for k in values if k.startswith("rm_year_")}),
        "dimensions": reference.list_dimensi(session=session),
        "flash": flash(ok),
    }
    return page(request, actor, "masterplan/plan_editor.html", context, status_code=status_code)


@router.get(VERSIONS + "/{number}/ubah", response_class=HTMLResponse)
def edit_version(
    request: Request, number: int, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """The editor of a version not yet adopted."""
    permissions.require(actor, MANAGE)  # before anything about the version is told
    version = versions.get_version(session, the_masterplan(session), number)
    if version.status not in versions.EDITABLE:
        return RedirectResponse(f"{VERSIONS}/{number}", status_code=303)
    values = content_values(version.content or {}, version.change_note)
    return editor_page(request, session, actor, version, values=values, ok=ok)


@router.post(VERSIONS + "/{number}/ubah", dependencies=[CsrfChecked])
def save_version(
    request: Request, number: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the draft; its page next (a reviewed version goes back to draft)."""
    permissions.require(actor, MANAGE)
    version = versions.get_version(session, the_masterplan(session), number)
    codes = [d.kode for d in reference.list_dimensi(session=session)]
    content = parse_content(form, codes, pd_names(session))
    try:
        versions.update_draft(
            session,
            actor=actor,
            version=version,
            content=content,
            change_note=text(form, "change_note"),
        )
    except InvalidInput as error:
        session.rollback()
        values = with_blank_rows(typed(form))
        errors = refused(error, get_lang(request))
        return editor_page(
            request, session, actor, version, values=values, errors=errors, status_code=422
        )
    session.commit()
    return redirect_ok(f"{VERSIONS}/{number}", "saved")


@router.post(VERSIONS + "/{number}/telaah", dependencies=[CsrfChecked])
def review_version(
    request: Request, number: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Mark the draft reviewed: ready for adoption."""
    version = versions.get_version(session, the_masterplan(session), number)
    try:
        versions.review(session, actor=actor, version=version)
    except InvalidInput as error:
        session.rollback()
        extra = {"errors": refused(error, get_lang(request))}
        return version_page(request, session, actor, version, extra=extra, status_code=422)
    session.commit()
    return redirect_ok(f"{VERSIONS}/{number}", "reviewed")


@router.post(VERSIONS + "/{number}/tetapkan", dependencies=[CsrfChecked])
def adopt_version(
    request: Request, number: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Adopt the reviewed version by the Perwa typed; the masterplan page next."""
    version = versions.get_version(session, the_masterplan(session), number)
    try:
        versions.adopt(
            session,
            actor=actor,
            version=version,
            regulation_number=text(form, "regulation_number"),
        )
    except InvalidInput as error:
        session.rollback()
        extra = {"errors": refused(error, get_lang(request)), "values": typed(form)}
        return version_page(request, session, actor, version, extra=extra, status_code=422)
    session.commit()
    return redirect_ok(CONSOLE, "adopted")


def _version_or_none(
    session: Session, masterplan: Masterplan, number: int | None
) -> MasterplanVersion | None:
    if number is None:
        return None
    try:
        return versions.get_version(session, masterplan, number)
    except NotFound:
        return None


@router.get(f"{CONSOLE}/banding", response_class=HTMLResponse)
def compare_versions(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    a: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    b: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> Response:
    """Two versions side by side, additions and removals marked (by default the version in
    force against the newest)."""
    permissions.require(actor, READ)
    masterplan = the_masterplan(session)
    listed = versions.list_versions(session, masterplan)
    adopted = versions.adopted_version(session, masterplan)
    if a is None and b is None and listed:
        a = adopted.number if adopted else listed[-1].number
        b = listed[0].number
    older, newer = (
        _version_or_none(session, masterplan, a),
        _version_or_none(session, masterplan, b),
    )
    diff = (
        versions.compare(session, actor=actor, a=older, b=newer)
        if older is not None and newer is not None
        else None
    )
    context = {
        "masterplan": masterplan,
        "listed": listed,
        "older": older,
        "newer": newer,
        "chosen": {"a": a, "b": b},
        "diff": diff,
        "dimensions": {d.kode: d for d in reference.list_dimensi(session=session)},
        "missing": (a is not None and older is None) or (b is not None and newer is None),
    }
    return page(request, actor, "masterplan/plan_compare.html", context, section=CONSOLE)
