"""The staff's one Wi-Fi action beside the registry's generic pages: turn a hotspot in
*gangguan* back to *aktif* from its page (the reports panel's button). The change goes
through the registry store, so it is checked, kept in the history and audited like any
edit; the person then owns the status (reconciliation no longer changes it)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from pontive.assets.wifi_choices import HotspotStatus
from pontive.assets.wifi_registries import HOTSPOTS
from pontive.registry import store
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)


@router.post(f"{HOTSPOTS.path}/{{row_id}}/pulihkan", dependencies=[CsrfChecked])
def restore_hotspot(
    request: Request, session: DbSession, actor: CurrentActor, row_id: int
) -> Response:
    """Set the hotspot's status to *aktif* and go back to its page."""
    row = store.get_row(session, HOTSPOTS, actor, row_id)
    store.save_row(
        session,
        HOTSPOTS,
        actor,
        {"status": HotspotStatus.AKTIF.value},
        row=row,
        partial=True,
        lang=get_lang(request),
    )
    session.commit()
    return RedirectResponse(f"{HOTSPOTS.path}/{row_id}", status_code=303)
