"""Official incoming feeds in the console (``/console/peringatan/umpan``): the sources the
worker polls (add, switch on or off, remove) with their last poll result, and the latest
messages they brought (``alerts.feed_sources``)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.alerts import feed_sources
from pontive.alerts.choices import FeedKind
from pontive.alerts.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=f"{CONSOLE}/umpan", include_in_schema=False)
FEEDS = f"{CONSOLE}/umpan"
INCOMING_LIMIT = 30


def feeds_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    sent: dict[str, Any] | None = None,
    errors: Errors | None = None,
    ok: str | None = None,
    status_code: int = 200,
) -> Response:
    """The feed sources, the form to add one, and the latest incoming messages."""
    permissions.require(actor, feed_sources.ALERTS_FEEDS_MANAGE)
    lang = get_lang(request)
    context = {
        "sources": feed_sources.list_sources(session),
        "incoming": feed_sources.recent_incoming(session, limit=INCOMING_LIMIT),
        "feed_kinds": [(k.value, k.label(lang)) for k in FeedKind],
        "sent": sent or {"kind": FeedKind.RSS.value, "poll_seconds": "300"},
        "errors": errors or {},
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_feeds.html", context, status_code=status_code)


def _fields(form: FormData, lang: str) -> tuple[feed_sources.SourceFields | None, Errors]:
    kind = text(form, "kind")
    seconds = text(form, "poll_seconds") or "300"
    errors: Errors = {}
    if kind not in FeedKind._value2member_map_:
        errors["kind"] = [translate("alerts.cc.err.choice", lang)]
    if not seconds.isdigit():
        errors["poll_seconds"] = [translate("alerts.cc.err.whole", lang)]
    if errors:
        return None, errors
    fields = feed_sources.SourceFields(
        name=text(form, "name"),
        url=text(form, "url"),
        kind=FeedKind(kind),
        poll_seconds=int(seconds),
        enabled=bool(form.get("enabled")),
    )
    return fields, {}


@router.get("", response_class=HTMLResponse)
def feeds(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Official feeds and what they brought."""
    return feeds_page(request, session, actor, ok=ok)


@router.post("", dependencies=[CsrfChecked])
def create(request: Request, session: DbSession, actor: CurrentActor, form: FormBody) -> Response:
    """Add a feed; the worker polls it at its next turn."""
    permissions.require(actor, feed_sources.ALERTS_FEEDS_MANAGE)
    lang = get_lang(request)
    fields, errors = _fields(form, lang)
    if fields is not None:
        try:
            feed_sources.create_source(session, actor=actor, fields=fields, lang=lang)
        except (InvalidInput, Conflict) as error:
            session.rollback()
            errors = refused(error, lang)
        else:
            return redirect_ok(FEEDS, "feed_saved")
    return feeds_page(request, session, actor, sent=typed(form), errors=errors, status_code=422)


@router.post("/{source_id:int}/aktif", dependencies=[CsrfChecked])
def switch(
    request: Request, source_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Switch a feed's polling on or off (its other fields stay)."""
    permissions.require(actor, feed_sources.ALERTS_FEEDS_MANAGE)
    source = next((s for s in feed_sources.list_sources(session) if s.id == source_id), None)
    if source is not None:
        fields = feed_sources.SourceFields(
            source.name, source.url, source.kind, source.poll_seconds, text(form, "enabled") == "1"
        )
        feed_sources.update_source(
            session, actor=actor, source_id=source_id, fields=fields, lang=get_lang(request)
        )
    return redirect_ok(FEEDS, "feed_saved")


@router.post("/{source_id:int}/hapus", dependencies=[CsrfChecked])
def delete(source_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Remove a feed (the messages it brought stay)."""
    feed_sources.delete_source(session, actor=actor, source_id=source_id)
    return redirect_ok(FEEDS, "feed_deleted")
