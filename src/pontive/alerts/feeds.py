"""Incoming official alerts: BMKG nowcasts and other CAP feeds, polled by the worker.

A source is one CAP message URL or an RSS 2.0 / Atom list linking CAP messages (BMKG's
nowcast RSS is the model). Each message is stored once per (sender, identifier), kept as
received, mapped to GeoJSON, and marked ``touches_city`` when its area meets Pontianak's
kelurahan boundaries; ``alerts.incoming.received`` then lets rules react. A feed that fails
is recorded on its source and retried at its next turn; it never stops the others.
"""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import Point, mapping, shape
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive import __version__
from pontive.alerts.choices import FeedKind
from pontive.alerts.feeds_parse import IncomingCap, is_web_url, parse_cap, parse_feed_links
from pontive.alerts.feeds_xml import MAX_XML_BYTES
from pontive.alerts.models import FeedSource, IncomingAlert
from pontive.core import audit
from pontive.core.errors import InvalidInput
from pontive.core.events import Event, emit
from pontive.core.geo import METRES_PER_DEGREE
from pontive.core.identity import system_actor
from pontive.core.timeutil import as_utc, utcnow
from pontive.core.worker import Job, JobContext
from pontive.reference.service import CITY_KODE, kelurahan_feature_collection

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 15.0
POLL_JOB_SECONDS = 30.0  # how often the job looks for sources whose turn has come
CIRCLE_SEGMENTS = 16
# Names that place an area in the city when no boundaries are loaded. "Kabupaten Pontianak"
# is the former name of Mempawah, not the city.
_CITY_NAME = re.compile(r"(?<!kabupaten )(?<!kab\. )\bpontianak\b", re.IGNORECASE)
_CITY_CODES = (CITY_KODE, CITY_KODE.replace(".", ""))  # Kemendagri 61.71, BPS 6171
ACTOR = system_actor("alerts.feeds")


class FeedUnavailable(Exception):
    """A feed or message could not be fetched (network, HTTP status, size)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: HTTP status (200, or 304 when unchanged), body and ETag."""

    status: int
    body: bytes
    etag: str | None = None


Fetch = Callable[[str, str | None], Fetched]


def urllib_fetch(url: str, etag: str | None) -> Fetched:
    """GET ``url`` (conditional on ``etag``) with a timeout and a size limit."""
    if not is_web_url(url):
        raise FeedUnavailable(f"not an http(s) URL: {url}")
    headers = {
        "User-Agent": f"Pontive/{__version__} (alert feed reader)",
        "Accept": "application/cap+xml, application/rss+xml, application/atom+xml, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 -- scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_XML_BYTES + 1)
            new_etag = response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(304, b"", etag)
        raise FeedUnavailable(f"{url}: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FeedUnavailable(f"{url}: {error}") from error
    if len(body) > MAX_XML_BYTES:
        raise FeedUnavailable(f"{url}: larger than {MAX_XML_BYTES} bytes")
    return Fetched(200, body, new_etag)


# --- geometry ------------------------------------------------------------------------------


def _circle(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    # Degrees are nearly square at the equator, where Pontianak and BMKG's areas lie.
    degrees = radius_km * 1000 / METRES_PER_DEGREE
    return Point(lon, lat).buffer(degrees, quad_segs=CIRCLE_SEGMENTS // 4)


def message_geometry(message: IncomingCap) -> BaseGeometry | None:
    """The union of the message's polygons and circles (``None`` when it has neither)."""
    shapes: list[BaseGeometry] = []
    for polygon in message.polygons:
        ring = ShapelyPolygon([(lon, lat) for lat, lon in polygon])
        shapes.append(ring if ring.is_valid else ring.buffer(0))
    shapes += [_circle(lat, lon, km) for lat, lon, km in message.circles]
    shapes = [s for s in shapes if not s.is_empty]
    return unary_union(shapes) if shapes else None


def _city_shape(session: Session) -> BaseGeometry | None:
    features = kelurahan_feature_collection(session=session)["features"]
    polygons = [
        shape(f["geometry"])
        for f in features
        if f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ]
    return unary_union(polygons) if polygons else None


def _names_city(message: IncomingCap) -> bool:
    if any(value.replace(".", "").startswith(_CITY_CODES[1]) for _, value in message.geocodes):
        return True
    return bool(_CITY_NAME.search(message.area_desc))


def touches_city(session: Session, message: IncomingCap, geometry: BaseGeometry | None) -> bool:
    """Whether the message's area meets the city: by boundaries when both shapes are known,
    otherwise by a Kemendagri/BPS geocode or an area description naming Pontianak."""
    city = _city_shape(session) if geometry is not None else None
    if city is not None and geometry is not None:
        return bool(geometry.intersects(city))
    return _names_city(message)


# --- storing ------------------------------------------------------------------------------


def _event_data(row: IncomingAlert) -> dict[str, Any]:
    return {
        "id": row.id,
        "identifier": row.identifier,
        "sender": row.sender,
        "event": row.event,
        "severity": row.severity,
        "urgency": row.urgency,
        "certainty": row.certainty,
        "touches_city": row.touches_city,
        "expires_at": as_utc(row.expires_at).isoformat() if row.expires_at else None,
    }


def store_incoming(session: Session, source: FeedSource | None, xml: bytes) -> IncomingAlert | None:
    """Keep one received CAP message (``None`` when it was already kept); emits
    ``alerts.incoming.received``. Raises ``InvalidInput`` when ``xml`` is not CAP 1.2."""
    message = parse_cap(xml)
    known = session.scalar(
        select(IncomingAlert.id).where(
            IncomingAlert.sender == message.sender,
            IncomingAlert.identifier == message.identifier,
        )
    )
    if known is not None:
        return None
    geometry = message_geometry(message)
    row = IncomingAlert(
        source_id=source.id if source is not None else None,
        identifier=message.identifier,
        sender=message.sender,
        sent_at=message.sent,
        msg_type=message.msg_type,
        references=message.references,
        event=message.event,
        headline=message.headline,
        description=message.description,
        sender_name=message.sender_name,
        severity=message.severity,
        urgency=message.urgency,
        certainty=message.certainty,
        effective_at=message.effective,
        expires_at=message.expires,
        area_desc=message.area_desc,
        geometry=mapping(geometry) if geometry is not None else None,
        touches_city=touches_city(session, message, geometry),
        web=message.web,
        raw=xml.decode("utf-8", errors="replace"),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=ACTOR,
        action="alerts.incoming.receive",
        object_type="incoming_alert",
        object_id=row.id,
        after={"identifier": row.identifier, "sender": row.sender, "source_id": row.source_id},
    )
    emit(session, Event("alerts.incoming.received", _event_data(row)))
    session.commit()
    return row


# --- polling ------------------------------------------------------------------------------


@dataclass
class PollResult:
    """What one poll of a source did."""

    stored: list[IncomingAlert] = field(default_factory=list)
    unchanged: bool = False
    errors: list[str] = field(default_factory=list)


def _describe(error: InvalidInput) -> str:
    return "; ".join(p for problems in error.errors.values() for p in problems) or str(error)


def _known_identifiers(session: Session, source: FeedSource, guids: list[str]) -> set[str]:
    if not guids:
        return set()
    return set(
        session.scalars(
            select(IncomingAlert.identifier).where(
                IncomingAlert.source_id == source.id, IncomingAlert.identifier.in_(guids)
            )
        )
    )


def _store(session: Session, source: FeedSource, url: str, body: bytes, result: PollResult) -> None:
    try:
        row = store_incoming(session, source, body)
    except InvalidInput as error:  # refused before anything was written
        result.errors.append(f"{url}: {_describe(error)}")
        return
    if row is not None:
        result.stored.append(row)


def _poll_list(
    session: Session, source: FeedSource, body: bytes, fetch: Fetch, result: PollResult
) -> None:
    links = parse_feed_links(body, source.url)
    # BMKG's guid is the CAP identifier: a message already kept is not fetched again.
    known = _known_identifiers(session, source, [link.guid for link in links if link.guid])
    for link in links:
        if link.guid in known:
            continue
        try:
            fetched = fetch(link.url, None)
        except FeedUnavailable as error:
            result.errors.append(str(error))
            continue
        _store(session, source, link.url, fetched.body, result)


def poll_source(session: Session, source: FeedSource, fetch: Fetch = urllib_fetch) -> PollResult:
    """Read ``source`` once: new messages are stored, failures recorded on the source."""
    result = PollResult()
    source.last_polled_at = utcnow()
    try:
        fetched = fetch(source.url, source.etag)
        if fetched.status == 304:
            result.unchanged = True
        elif source.kind == FeedKind.CAP:
            _store(session, source, source.url, fetched.body, result)
        else:
            _poll_list(session, source, fetched.body, fetch, result)
    except FeedUnavailable as error:
        result.errors.append(str(error))
    except InvalidInput as error:
        result.errors.append(f"{source.url}: {_describe(error)}")
    else:
        source.last_ok_at = utcnow()
        # A list whose items failed is read again in full next time, not answered 304.
        if not result.errors and not result.unchanged:
            source.etag = (fetched.etag or "")[:200] or None
    source.last_error = "\n".join(result.errors)[:2000] or None
    if result.errors:
        log.warning("feed %s failed: %s", source.id, result.errors[0])
    session.commit()
    return result


def due_sources(session: Session, now: datetime) -> list[FeedSource]:
    """Enabled sources whose ``poll_seconds`` have passed since their last poll."""
    sources = session.scalars(select(FeedSource).where(FeedSource.enabled.is_(True)))
    return [
        s
        for s in sources
        if s.last_polled_at is None or s.last_polled_at + timedelta(seconds=s.poll_seconds) <= now
    ]


def poll_due_sources(context: JobContext, fetch: Fetch = urllib_fetch) -> None:
    """Worker job: poll every source whose turn has come."""
    for source in due_sources(context.session, utcnow()):
        poll_source(context.session, source, fetch)


JOBS: tuple[Job, ...] = (Job("alerts.feeds.poll", POLL_JOB_SECONDS, poll_due_sources),)
