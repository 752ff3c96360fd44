"""Incoming official alerts (alerts/feeds.py, feeds_parse.py): parsing untrusted CAP and
RSS/Atom safely, storing once, placing the area against the city, and polling over HTTP."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import FeedKind
from pontive.alerts.feeds import poll_due_sources, poll_source, store_incoming, urllib_fetch
from pontive.alerts.feeds_parse import parse_cap, parse_feed_links
from pontive.alerts.feeds_xml import MAX_XML_BYTES
from pontive.alerts.models import FeedSource, IncomingAlert
from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput
from pontive.core.events import MemoryBus
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext
from tests.alerts.cap_support import load_city_boundaries
from tests.alerts.feeds_support import DATA, feed_server
from tests.bus_support import outcome_and_events

PONTIANAK_CAP = (DATA / "CKB20261129003_alert.xml").read_bytes()
KAPUAS_HULU_CAP = (DATA / "CKB20261129002_alert.xml").read_bytes()
CITY_CAP = (DATA / "bpbd_kalbar_city_cap.xml").read_bytes()
NOWCAST = "/nowcast/bmkg_nowcast_rss.xml"


def make_source(session: Session, url: str, kind: FeedKind = FeedKind.RSS) -> FeedSource:
    source = FeedSource(name="BMKG nowcast Kalimantan Barat", url=url, kind=kind, poll_seconds=300)
    session.add(source)
    session.flush()
    return source


# --- parsing -----------------------------------------------------------------------------


def test_a_bmkg_message_is_read_with_its_polygons() -> None:
    message = parse_cap(PONTIANAK_CAP)

    assert message.identifier == "2.49.0.1.360.0.2026.11.29.14.30.003"
    assert message.sender == "cuaca.ekstrem@bmkg.go.id"
    assert message.sent.isoformat() == "2026-11-29T14:30:00+07:00"
    assert (message.event, message.severity, message.urgency) == (
        "Hujan Lebat disertai Petir dan Angin Kencang",
        "Severe",
        "Immediate",
    )
    assert message.expires is not None
    assert message.expires.hour == 17
    assert message.area_desc == "Kalimantan Barat"
    assert len(message.polygons) == 2
    assert message.polygons[0][0] == (0.0521, 109.2312)  # lat, lon as CAP writes them


def test_the_indonesian_info_is_preferred() -> None:
    message = parse_cap(CITY_CAP)

    assert message.event == "Banjir rob"
    assert message.geocodes == [("KEMENDAGRI", "61.71")]


def test_rss_and_atom_lists_yield_their_cap_links() -> None:
    rss = (DATA / "bmkg_nowcast_rss.xml").read_bytes()
    links = parse_feed_links(rss, "https://www.bmkg.go.id/alerts/nowcast/id/rss.xml")
    assert [(link.url.rsplit("/", 1)[-1], link.guid) for link in links] == [
        ("CKB20261129003_alert.xml", "2.49.0.1.360.0.2026.11.29.14.30.003"),
        ("CKB20261129002_alert.xml", "2.49.0.1.360.0.2026.11.29.13.50.002"),
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>urn:oid:2.49.0.1.360.7</id><title>a</title>
        <link rel="alternate" type="text/html" href="/peringatan/7"/>
        <link rel="alternate" type="application/cap+xml" href="/cap/7.xml"/></entry>
      <entry><id>x</id><link href="javascript:alert(1)"/></entry></feed>"""
    links = parse_feed_links(atom, "https://contoh.go.id/feed.atom")
    assert [(link.url, link.guid) for link in links] == [
        ("https://contoh.go.id/cap/7.xml", "urn:oid:2.49.0.1.360.7")
    ]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;">]><alert>&lol2;</alert>',
            "DTD",
        ),
        (b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.1'/>", "not a CAP 1.2 alert"),
        (b"<alert", "not well-formed"),
        (b" " * (MAX_XML_BYTES + 1), "exceeds the limit"),
        (PONTIANAK_CAP.replace(b"<sent>2026-11-29T14:30:00+07:00</sent>", b""), "required"),
        (PONTIANAK_CAP.replace(b"+07:00</sent>", b"</sent>"), "without an offset"),
    ],
)
def test_unsafe_or_incomplete_documents_are_refused(document: bytes, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_cap(document)
    assert any(problem in p for problems in refused.value.errors.values() for p in problems)


# --- storing -----------------------------------------------------------------------------


def test_a_message_over_the_city_is_stored_once_and_announced(
    session: Session, bus: MemoryBus
) -> None:
    load_city_boundaries(session)

    row, events = outcome_and_events(
        bus, "alerts.incoming.>", lambda: store_incoming(session, None, PONTIANAK_CAP)
    )

    assert row is not None
    assert row.touches_city is True
    assert row.geometry is not None
    assert row.geometry["type"] == "MultiPolygon"
    assert row.raw.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert [e.type for e in events] == ["alerts.incoming.received"]
    assert events[0].data == {
        "id": row.id,
        "identifier": "2.49.0.1.360.0.2026.11.29.14.30.003",
        "sender": "cuaca.ekstrem@bmkg.go.id",
        "event": "Hujan Lebat disertai Petir dan Angin Kencang",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Observed",
        "touches_city": True,
        "expires_at": "2026-11-29T10:30:00+00:00",
    }
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "alerts.incoming.receive"))
    again, events = outcome_and_events(
        bus, "alerts.incoming.>", lambda: store_incoming(session, None, PONTIANAK_CAP)
    )
    assert (again, events) == (None, [])


def test_a_message_elsewhere_in_the_province_does_not_touch_the_city(session: Session) -> None:
    load_city_boundaries(session)

    row = store_incoming(session, None, KAPUAS_HULU_CAP)

    assert row is not None
    assert row.touches_city is False
    assert row.geometry is not None  # the polygon and the 12 km circle, united


def test_without_boundaries_geocodes_and_names_decide(session: Session) -> None:
    city = store_incoming(session, None, CITY_CAP)
    # A polygon alone cannot be placed without boundaries, and "Kalimantan Barat" names
    # the province, not the city.
    province = store_incoming(session, None, PONTIANAK_CAP)
    mempawah = store_incoming(
        session,
        None,
        CITY_CAP.replace(b"bpbd-kalbar-2026-1129-07", b"bpbd-kalbar-2026-1129-08")
        .replace(b"<value>61.71</value>", b"<value>61.04</value>")
        .replace(b"Kota Pontianak</areaDesc>", b"Kabupaten Pontianak</areaDesc>"),
    )

    assert city is not None
    assert city.touches_city is True
    assert province is not None
    assert province.touches_city is False
    assert mempawah is not None
    assert mempawah.touches_city is False


# --- polling over HTTP ---------------------------------------------------------------------


def test_polling_a_list_stores_new_messages_and_then_asks_for_changes_only(
    session: Session,
) -> None:
    load_city_boundaries(session)
    with feed_server() as server:
        source = make_source(session, server.url(NOWCAST))

        first = poll_source(session, source)

        assert sorted(r.touches_city for r in first.stored) == [False, True]
        assert (first.errors, source.last_error, source.etag) == ([], None, '"nowcast-1"')
        assert source.last_ok_at is not None

        second = poll_source(session, source)
        assert second.unchanged
        assert second.stored == []

        server.rss_etag = '"nowcast-2"'  # the list is rebuilt, with the same items
        third = poll_source(session, source)
        assert (third.stored, third.errors, source.etag) == ([], [], '"nowcast-2"')

        assert server.hits[NOWCAST] == 3
        # Each message was fetched once: known guids are not fetched again.
        assert server.hits["/nowcast/CKB20261129003_alert.xml"] == 1
        assert server.hits["/nowcast/CKB20261129002_alert.xml"] == 1
    assert len(session.scalars(select(IncomingAlert)).all()) == 2


def test_a_failing_item_is_recorded_and_retried_while_the_others_are_kept(
    session: Session,
) -> None:
    with feed_server() as server:
        server.failures["/nowcast/CKB20261129002_alert.xml"] = 500
        source = make_source(session, server.url(NOWCAST))

        result = poll_source(session, source)

        assert len(result.stored) == 1
        assert source.last_error is not None
        assert "HTTP 500" in source.last_error
        assert source.etag is None  # so the next poll reads the whole list again

        del server.failures["/nowcast/CKB20261129002_alert.xml"]
        retried = poll_source(session, source)
        assert len(retried.stored) == 1
        assert (source.last_error, source.etag) == (None, '"nowcast-1"')


def test_a_single_cap_source_is_read_directly(session: Session) -> None:
    with feed_server() as server:
        source = make_source(session, server.url("/bpbd_kalbar_city_cap.xml"), FeedKind.CAP)

        result = poll_source(session, source)

    assert [r.identifier for r in result.stored] == ["bpbd-kalbar-2026-1129-07"]


def test_the_job_polls_due_sources_and_survives_a_dead_one(
    session: Session, bus: MemoryBus
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    with feed_server() as server:
        dead = make_source(session, f"http://127.0.0.1:{dead_port}/rss.xml")
        broken = make_source(session, server.url("/missing-rss.xml"))
        good = make_source(session, server.url(NOWCAST))
        resting = make_source(session, server.url("/bpbd_kalbar_city_cap.xml"), FeedKind.CAP)
        resting.last_polled_at = utcnow() - timedelta(seconds=60)  # polled a minute ago

        poll_due_sources(JobContext(session=session, bus=bus), urllib_fetch)

        assert dead.last_error is not None
        assert dead.last_ok_at is None
        assert broken.last_error is not None
        assert "HTTP 404" in broken.last_error
        assert good.last_error is None
        assert good.last_ok_at is not None
        assert server.hits["/bpbd_kalbar_city_cap.xml"] == 0
        assert len(session.scalars(select(IncomingAlert)).all()) == 2
