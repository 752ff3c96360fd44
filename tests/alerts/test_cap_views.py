"""Public CAP routes (alerts/cap_views.py) and the Atom feed (alerts/atom.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from xml.etree import ElementTree as ET

import capvalidator
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.alerts import cap_views
from pontive.alerts.atom import atom_feed
from pontive.alerts.cap_rules import check_cap
from pontive.alerts.choices import AlertState, MsgType
from pontive.core.timeutil import utcnow
from pontive.settings import Settings
from tests.alerts.cap_support import make_alert

ATOM = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def cap_client(app: FastAPI) -> Iterator[TestClient]:
    """The app with the CAP routes (mounted here until the lead wires them in)."""
    if not any(getattr(r, "path", "") == "/alerts/feed.atom" for r in app.routes):
        app.include_router(cap_views.router)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def test_a_published_message_is_served_as_valid_cap(
    session: Session, cap_client: TestClient
) -> None:
    alert = make_alert(session)

    response = cap_client.get(f"/alerts/{alert.identifier}.xml")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/cap+xml")
    assert "public" in response.headers["cache-control"]
    assert capvalidator.check_schema(response.content).passed
    assert check_cap(response.content) == []
    # Once the micro-cache let the page go, a reader that kept it revalidates for nothing.
    cap_client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    again = cap_client.get(
        f"/alerts/{alert.identifier}.xml", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_drafts_rejected_and_unknown_messages_are_not_found(
    session: Session, cap_client: TestClient
) -> None:
    draft = make_alert(session, state=AlertState.DRAFT, sent_at=None)
    rejected = make_alert(session, state=AlertState.REJECTED, sent_at=None)

    for identifier in (draft.identifier, rejected.identifier, "ptk-20200101-999999"):
        assert cap_client.get(f"/alerts/{identifier}.xml").status_code == 404


def test_replaced_and_ended_messages_stay_readable(
    session: Session, cap_client: TestClient
) -> None:
    for state in (AlertState.SUPERSEDED, AlertState.CANCELLED, AlertState.EXPIRED):
        alert = make_alert(session, state=state)
        assert cap_client.get(f"/alerts/{alert.identifier}.xml").status_code == 200


def test_the_feed_lists_alerts_in_force_newest_first(
    session: Session, cap_client: TestClient, settings: Settings
) -> None:
    now = utcnow().replace(microsecond=0)
    older = make_alert(
        session, sent_at=now - timedelta(hours=2), expires_at=now + timedelta(hours=4)
    )
    newer = make_alert(
        session,
        sent_at=now - timedelta(minutes=10),
        expires_at=now + timedelta(hours=1),
        headline_id="Awas banjir: muka air Kapuas 250 cm",
    )
    make_alert(session, sent_at=now - timedelta(hours=8), expires_at=now - timedelta(hours=2))
    make_alert(session, state=AlertState.DRAFT, sent_at=None)
    make_alert(session, state=AlertState.SUPERSEDED, msg_type=MsgType.ALERT)

    response = cap_client.get("/alerts/feed.atom")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 -- our own output
    entries = feed.findall("a:entry", ATOM)
    base = settings.base_url
    assert [e.findtext("a:id", namespaces=ATOM) for e in entries] == [
        f"{base}/alerts/{newer.identifier}.xml",
        f"{base}/alerts/{older.identifier}.xml",
    ]
    first = entries[0]
    title = first.find("a:title", ATOM)
    assert title is not None
    assert (title.text, title.get(XML_LANG)) == ("Awas banjir: muka air Kapuas 250 cm", "id")
    cap_link = first.find("a:link[@type='application/cap+xml']", ATOM)
    assert cap_link is not None
    assert cap_link.get("href") == f"{base}/alerts/{newer.identifier}.xml"
    assert first.findtext("a:updated", namespaces=ATOM) == (
        (now - timedelta(minutes=10)).astimezone(settings.zone).isoformat()
    )
    # The feed changed last when a sent row was last written (just now, in this test).
    feed_updated = feed.findtext("a:updated", namespaces=ATOM) or ""
    assert feed_updated >= (first.findtext("a:updated", namespaces=ATOM) or "")


def test_an_entry_id_stays_the_same_across_feed_versions(
    settings: Settings, session: Session
) -> None:
    alert = make_alert(session)
    one = atom_feed([alert], settings=settings, updated=utcnow())
    two = atom_feed([alert, make_alert(session)], settings=settings, updated=utcnow())

    def ids(body: bytes) -> set[str]:
        root = ET.fromstring(body)  # noqa: S314 -- our own output
        return {e.findtext("a:id", namespaces=ATOM) or "" for e in root.findall("a:entry", ATOM)}

    assert ids(one) < ids(two)
