"""The complaint triage model in the console (``/console/analitik/triase``): the live model
and its held-out metrics (macro-F1, top-2 accuracy, per-category F1, confusions), how often
operators accept its suggestions, their latest corrections, the stored versions, a box to try
the model on a text, and "Latih ulang / Retrain" for the Technical Team."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.analytics import access, console, triage_service, triage_stats, triage_training
from pontive.analytics.triage_choices import Urgency
from pontive.analytics.triage_panel import highlight
from pontive.complaints import service as complaints
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang, mark_read_only
from pontive.web.forms import FormBody, pd_names, redirect_ok, text
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
RETRAIN_PATH = f"{access.TRIAGE_PATH}/latih-ulang"
TRY_PATH = f"{access.TRIAGE_PATH}/coba"
TARGET_F1 = 0.80  # issue 11: category macro-F1 on held-out reports
TRY_MAX = 4000


def _names(session: Session, lang: str) -> dict[str, str]:
    return {c.code: c.name(lang) for c in complaints.list_categories(session, active_only=False)}


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    tried: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    permissions.require(actor, access.VIEW)
    lang = get_lang(request)
    live = triage_service.live_version(session)
    metrics = live.metrics if live else {}
    ok = request.query_params.get("ok", "")
    context = {
        "ok": ok if ok == "trained" else "",
        "live": live,
        "seed": metrics.get("seed"),
        "history": metrics.get("history"),
        "settings": metrics.get("settings", {}),
        "target": TARGET_F1,
        "names": _names(session, lang),
        "pd_names": pd_names(session),
        "overview": triage_stats.overview(session),
        "weeks": triage_stats.weekly_acceptance(session),
        "corrections": triage_stats.recent_corrections(session),
        "versions": triage_stats.list_versions(session),
        "can_train": permissions.can(actor, access.TRAIN),
        "retrain_path": RETRAIN_PATH,
        "try_path": TRY_PATH,
        "tried": tried,
        "errors": errors or {},
    }
    return console.page(request, actor, "analytics/triage.html", context, status_code=status_code)


@router.get(access.TRIAGE_PATH, response_class=HTMLResponse)
def triage_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The live model, its metrics and what operators did with its suggestions."""
    return _page(request, session, actor)


@router.post(RETRAIN_PATH, dependencies=[CsrfChecked])
def retrain(session: DbSession, actor: CurrentActor) -> Response:
    """Train a new version on the seed set and the confirmed history; make it live."""
    permissions.require(actor, access.TRAIN)
    triage_training.train(session=session, actor=actor)
    return redirect_ok(access.TRIAGE_PATH, "trained")


@router.post(
    TRY_PATH,
    response_class=HTMLResponse,
    dependencies=[Depends(mark_read_only), CsrfChecked],
)
def try_model(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """What the live model suggests for a text typed here (nothing is stored)."""
    permissions.require(actor, access.VIEW)
    lang = get_lang(request)
    typed = text(form, "text")
    message = ""
    if not typed:
        message = translate("an.tri.try.err_empty", lang)
    elif len(typed) > TRY_MAX:
        message = translate("an.tri.try.err_long", lang, n=TRY_MAX)
    live = triage_service.live_model(session)
    if live is None and not message:
        message = translate("an.tri.no_model", lang)
    if message or live is None:
        error = InvalidInput(errors={"text": [message]})
        return _page(
            request, session, actor, tried={"text": typed}, errors=error.errors, status_code=422
        )
    suggested = triage_service.suggest(
        session, live, text=typed, has_photo=bool(form.get("has_photo")), kelurahan_kode=None
    )
    reasons = [r.term for r in suggested.reasons]
    tried = {
        "text": typed,
        "has_photo": bool(form.get("has_photo")),
        "suggested": suggested,
        "segments": highlight(typed, reasons),
        "urgency_label": Urgency(suggested.urgency.code).label(lang),
    }
    return _page(request, session, actor, tried=tried)
