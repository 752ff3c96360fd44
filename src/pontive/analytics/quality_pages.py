"""The sensor data-quality page (``/console/analitik/kualitas-data``): flags per kind and
station, each station's completeness over the last week, and the list of flags (filtered by
kind, status, station and date) with a small chart around each and, for reviewers, buttons to
confirm or dismiss it (posted with the CSRF token, audited by the service)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.analytics import access, console
from pontive.analytics import quality_service as service
from pontive.analytics.quality_chart import flag_chart
from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.core import permissions
from pontive.core.errors import NotFound
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

PAGE_SIZE = 20
COUNT_DAYS = 30
DECISIONS = {"konfirmasi": FlagStatus.CONFIRMED, "tolak": FlagStatus.DISMISSED}
Filter = Annotated[str, Query(max_length=40)]


def _day(raw: str, name: str, lang: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = translate("an.q.err_date", lang)
        return None


def _choice(raw: str, choices: type[FlagKind] | type[FlagStatus]) -> Any:
    return choices(raw) if raw in choices._value2member_map_ else None


def _filters(
    request: Request, values: dict[str, str], lang: str
) -> tuple[service.FlagFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    zone = request.app.state.settings.zone
    since = _day(values["dari"], "dari", lang, errors)
    until = _day(values["sampai"], "sampai", lang, errors)
    if since and until and until < since:
        errors["sampai"] = translate("an.q.err_order", lang)
        until = None
    station = values["stasiun"]
    chosen = service.FlagFilter(
        kind=_choice(values["jenis"], FlagKind),
        status=_choice(values["status"], FlagStatus),
        thing_id=int(station) if station.isdigit() else None,
        since=datetime.combine(since, time(), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
    )
    return chosen, errors


# The numbers a check keeps in ``detail``, in the order a reader wants them.
FACTS = (
    "value", "expected", "threshold", "score", "count", "min", "max", "range", "hours",
    "missing", "interval_s", "shift", "baseline", "recent", "unit",
)  # fmt: skip


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return " \u2013 ".join("-" if v is None else _shown(v, lang) for v in value)  # en dash
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "id" else text
    return str(value)


def facts(detail: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, value) of the numbers that raised a flag, known ones only."""
    return [
        (translate(f"an.q.d.{key}", lang), _shown(detail[key], lang))
        for key in FACTS
        if detail.get(key) is not None
    ]


@router.get(access.QUALITY_PATH, response_class=HTMLResponse)
def quality_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    jenis: Filter = "",
    status: Filter = "",
    stasiun: Filter = "",
    dari: Filter = "",
    sampai: Filter = "",
    halaman: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ok: Filter = "",
) -> Response:
    """Counts, completeness and the filtered list of flags."""
    permissions.require(actor, access.VIEW)
    lang, zone = get_lang(request), request.app.state.settings.zone
    values = {"jenis": jenis, "status": status, "stasiun": stasiun, "dari": dari, "sampai": sampai}
    chosen, errors = _filters(request, values, lang)
    rows, total = service.list_flags(
        session, actor=actor, chosen=chosen, limit=PAGE_SIZE, offset=(halaman - 1) * PAGE_SIZE
    )
    now = utcnow()
    names = dict(service.stations(session))
    counts = service.counts(session, actor=actor, since=now - timedelta(days=COUNT_DAYS))
    query = urlencode({k: v for k, v in values.items() if v})
    context = {
        "values": values,
        "errors": errors,
        "kinds": list(FlagKind),
        "statuses": list(FlagStatus),
        "stations": list(names.items()),
        "count_rows": sorted(
            (
                (names.get(thing_id, str(thing_id)), thing_id, by_kind)
                for thing_id, by_kind in counts.items()
            ),
            key=lambda row: (-sum(row[2].values()), row[0]),
        ),
        "count_days": COUNT_DAYS,
        "completeness": sorted(
            service.completeness(session, now=now), key=lambda c: (c.share or 0, c.name)
        ),
        "completeness_days": service.COMPLETENESS_DAYS,
        "flags": [
            {
                "row": row,
                "chart": flag_chart(session, row.flag, lang=lang, zone=zone),
                "facts": facts(row.flag.detail, lang),
            }
            for row in rows
        ],
        "total": total,
        "page": halaman,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "query": query,
        "can_review": permissions.can(actor, access.REVIEW_QUALITY),
        "flash": translate(f"an.q.ok_{ok}", lang) if ok in DECISIONS else "",
        "overview": service.overview(session),
    }
    status_code = 422 if errors else 200
    return console.page(request, actor, "analytics/quality.html", context, status_code=status_code)


@router.post(access.QUALITY_PATH + "/{flag_id:int}/{decision}", dependencies=[CsrfChecked])
def review(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    flag_id: int,
    decision: str,
    form: FormBody,
) -> Response:
    """Confirm or dismiss one flag; back to the list as it was filtered."""
    status = DECISIONS.get(decision)
    if status is None:
        raise NotFound
    note = form.get("note")
    service.review_flag(
        session,
        actor=actor,
        flag_id=flag_id,
        status=status,
        note=note if isinstance(note, str) else "",
    )
    back = form.get("back")
    query = back if isinstance(back, str) and len(back) < 500 and "//" not in back else ""
    separator = "&" if query else ""
    target = f"{access.QUALITY_PATH}?{query}{separator}ok={decision}#flag-{flag_id}"
    return RedirectResponse(target, status_code=303)
