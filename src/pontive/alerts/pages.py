"""Alert pages: the public list (``/peringatan``), one alert (``/peringatan/<identifier>``),
the e-mail list, the live situation page (``/situasi``) and the banner on every page; the
CAP feed (``cap_views``) and the staff console (``console_pages``) are included here.

Phone first and readable without JavaScript; the situation page redraws itself when the
event stream (``/api/v1/events/stream``) reports an alert, a mode change or a new flood or
ISPU status. Public copies are shared with anonymous visitors briefly and dropped at once by
any ``alerts.>`` event.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from pontive.alerts import cap_views, console_pages, places, service, subscribers
from pontive.alerts.choices import AlertState, MsgType
from pontive.alerts.layout import layout_context
from pontive.alerts.situation import read_situation
from pontive.core.errors import InvalidInput
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.navigation import NavLink, register_public
from pontive.web.pagecache import clear_on_events, share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import register_layout_context, render

router = PontiveRouter(include_in_schema=False)
router.include_router(cap_views.router)
router.include_router(console_pages.router)

register_public(NavLink("/peringatan", "alerts.pub.nav", "alerts.pub.nav_desc", "alert", order=30))
register_public(NavLink("/situasi", "alerts.sit.nav", "alerts.sit.nav_desc", "map", order=35))
register_layout_context(layout_context)
# Alerts and the operating mode change what every public page says (the banner); a new flood
# or ISPU status changes the situation page.
clear_on_events("alerts.>")
clear_on_events("sensors.flood_status_changed")
clear_on_events("sensors.ispu_category_changed")

PUBLIC_SECONDS = 10  # short: an emergency must not wait on a cached copy in a browser
RECENT_LIMIT = 20
# What the situation page listens to on the event stream.
SITUATION_EVENTS = "alerts.>,sensors.flood_status_changed,sensors.ispu_category_changed"


def _list_context(
    session: DbSession,
    *,
    subscribed: bool = False,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """What ``/peringatan`` shows (also when the e-mail form comes back with errors)."""
    in_force = service.active_alerts(session)  # all-clears among them stay visible an hour
    recent = service.list_alerts(
        session, states=[AlertState.CANCELLED, AlertState.EXPIRED], limit=RECENT_LIMIT
    )
    return {
        "active": [a for a in in_force if a.msg_type is not MsgType.CANCEL],
        "clears": [a for a in in_force if a.msg_type is MsgType.CANCEL],
        "recent": [a for a in recent if a.msg_type is not MsgType.CANCEL],
        "shelters": places.list_shelters(session),
        "contacts": places.list_contacts(session),
        "kecamatan": reference.list_kecamatan(session=session),
        "subscribed": subscribed,
        "form": form or {},
        "errors": errors or {},
    }


@router.get("/peringatan")
def alert_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    terdaftar: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """Alerts in force, the city's mode, shelters and contacts, recent alerts, the e-mail list."""
    context = _list_context(session, subscribed=terdaftar == "ya")
    response = render(request, "alerts/public_list.html", context)
    return response if terdaftar else share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.post("/peringatan/langganan", dependencies=[CsrfChecked])
def subscribe(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    email: Annotated[str, Form(max_length=320)] = "",
    kecamatan: Annotated[str, Form(max_length=20)] = "",
    bahasa: Annotated[str, Form(max_length=2)] = "id",
) -> Response:
    """Ask for alert e-mails: a confirmation link is sent; the answer is the same whether or
    not the address was already on the list."""
    lang = get_lang(request)
    try:
        subscribers.subscribe(
            session,
            email=email,
            lang=bahasa if bahasa in ("id", "en") else lang,
            kecamatan_kode=kecamatan or None,
            actor=actor,
            ui_lang=lang,
        )
    except InvalidInput as error:
        session.rollback()
        form = {"email": email, "kecamatan": kecamatan, "bahasa": bahasa}
        context = _list_context(session, form=form, errors=error.errors)
        return render(request, "alerts/public_list.html", context, status_code=422)
    return RedirectResponse("/peringatan?terdaftar=ya#langganan", status_code=303)


SUBSCRIPTION_ACTIONS = ("konfirmasi", "berhenti")  # confirm, leave


@router.get("/peringatan/langganan/{action}")
def subscription_link(
    request: Request, action: str, token: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The page an e-mail's link opens: one button to confirm or to leave the list. The
    change waits for the button (a POST): mail scanners open links on their own."""
    if action not in SUBSCRIPTION_ACTIONS:
        return RedirectResponse("/peringatan", status_code=303)
    response = render(
        request,
        "alerts/public_subscription.html",
        {"action": action, "token": token, "done": False},
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.post("/peringatan/langganan/{action}", dependencies=[CsrfChecked])
def subscription_change(
    request: Request,
    action: str,
    session: DbSession,
    actor: CurrentActor,
    token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Confirm the address, or take it off the list (nothing personal is kept then)."""
    if action == "konfirmasi":
        subscribers.confirm(session, token=token, actor=actor)
    elif action == "berhenti":
        subscribers.unsubscribe(session, token=token, actor=actor)
    else:
        return RedirectResponse("/peringatan", status_code=303)
    response = render(
        request, "alerts/public_subscription.html", {"action": action, "token": "", "done": True}
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/peringatan/{identifier}")
def alert_page(
    request: Request, identifier: str, session: DbSession, actor: CurrentActor
) -> Response:
    """One message with its chain (the first alert, its updates and its all-clear)."""
    alert = service.get_alert(session, identifier, actor=actor)
    chain = service.thread(session, alert)
    names = service.kelurahan_names(session)
    context = {
        "alert": alert,
        "chain": chain,
        "latest": chain[-1] if chain else alert,
        "areas": [names.get(k, k) for k in alert.kelurahan_kodes or ()],
        "cap_url": service.alert_url(alert.identifier),
    }
    response = render(request, "alerts/public_alert.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/situasi")
def situation_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    bagian: Annotated[str | None, Query(max_length=10)] = None,
    v: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The live situation: mode, alerts on the map, flood and air per kecamatan, reports,
    complaint hotspots. ``?bagian=isi`` answers only the part the page's script swaps in
    (``v``: the event that asked, so no copy cached before the news answers)."""
    situation = read_situation(session, with_hotspots=True)
    template = "alerts/_situation_live.html" if bagian == "isi" else "alerts/situation.html"
    context = {"situation": situation, "events": SITUATION_EVENTS}
    response = render(request, template, context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/situasi/data.json")
def situation_data(
    session: DbSession, actor: CurrentActor, v: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    """The situation's map data (alert areas, hotspots) for the page's script."""
    response = JSONResponse(read_situation(session, with_hotspots=True).as_json())
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
