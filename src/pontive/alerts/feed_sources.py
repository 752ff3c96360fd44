"""Managing the official feeds the worker polls (``feeds.py``): add, change, switch off,
remove (operators and admins only; every change audited), and read what they brought."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely.geometry import shape
from shapely.ops import unary_union
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pontive.alerts.choices import FeedKind
from pontive.alerts.feeds_parse import is_web_url
from pontive.alerts.models import FeedSource, IncomingAlert
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.web.i18n import translate

ALERTS_FEEDS_MANAGE = permissions.register("alerts.feeds.manage", {Role.OPERATOR, Role.ADMIN})
MIN_POLL_SECONDS = 60  # BMKG asks for no more than 60 requests a minute per address
MAX_POLL_SECONDS = 24 * 3600
OFFICIAL_SHOWN = 10


@dataclass(frozen=True, slots=True)
class SourceFields:
    """What an operator enters for a feed."""

    name: str
    url: str
    kind: FeedKind = FeedKind.RSS
    poll_seconds: int = 300
    enabled: bool = True


def _message(key: str, lang: str, **values: object) -> str:
    return translate(key, lang, **values)


def _check(session: Session, fields: SourceFields, lang: str, source_id: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if not fields.name.strip() or len(fields.name) > 200:
        errors["name"] = [_message("alerts.feeds.err.name", lang)]
    if len(fields.url) > 500 or not is_web_url(fields.url):
        errors["url"] = [_message("alerts.feeds.err.url", lang)]
    if not MIN_POLL_SECONDS <= fields.poll_seconds <= MAX_POLL_SECONDS:
        errors["poll_seconds"] = [
            _message("alerts.feeds.err.poll", lang, low=MIN_POLL_SECONDS, high=MAX_POLL_SECONDS)
        ]
    if errors:
        raise InvalidInput(
            translate("alerts.feeds.err.invalid", "id"),
            translate("alerts.feeds.err.invalid", "en"),
            errors=errors,
        )
    same = session.scalar(select(FeedSource.id).where(FeedSource.url == fields.url))
    if same is not None and same != source_id:
        raise Conflict(
            translate("alerts.feeds.err.duplicate", "id"),
            translate("alerts.feeds.err.duplicate", "en"),
        )


def _state(source: FeedSource) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "kind": source.kind.value,
        "poll_seconds": source.poll_seconds,
        "enabled": source.enabled,
    }


def _source_or_404(session: Session, source_id: int) -> FeedSource:
    source = session.get(FeedSource, source_id)
    if source is None:
        raise NotFound(
            translate("alerts.feeds.err.not_found", "id"),
            translate("alerts.feeds.err.not_found", "en"),
        )
    return source


def list_sources(session: Session) -> list[FeedSource]:
    """Every feed, by name."""
    return list(session.scalars(select(FeedSource).order_by(FeedSource.name, FeedSource.id)))


def create_source(
    session: Session, *, actor: Actor, fields: SourceFields, lang: str = "id"
) -> FeedSource:
    """Add a feed; the worker polls it at its next turn."""
    permissions.require(actor, ALERTS_FEEDS_MANAGE)
    fields = SourceFields(fields.name.strip(), fields.url.strip(), *_rest(fields))
    _check(session, fields, lang, None)
    source = FeedSource(**_values(fields), created_at=utcnow())
    session.add(source)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="alerts.feed.create",
        object_type="alert_feed_source",
        object_id=source.id,
        after=_state(source),
    )
    session.commit()
    return source


def update_source(
    session: Session, *, actor: Actor, source_id: int, fields: SourceFields, lang: str = "id"
) -> FeedSource:
    """Change a feed (a new address is read from scratch: its ETag is forgotten)."""
    permissions.require(actor, ALERTS_FEEDS_MANAGE)
    source = _source_or_404(session, source_id)
    fields = SourceFields(fields.name.strip(), fields.url.strip(), *_rest(fields))
    _check(session, fields, lang, source.id)
    before = _state(source)
    if fields.url != source.url:
        source.etag = None
    for name, value in _values(fields).items():
        setattr(source, name, value)
    audit.record(
        session,
        actor=actor,
        action="alerts.feed.update",
        object_type="alert_feed_source",
        object_id=source.id,
        before=before,
        after=_state(source),
    )
    session.commit()
    return source


def delete_source(session: Session, *, actor: Actor, source_id: int) -> None:
    """Remove a feed; the messages it brought stay (alerts may rest on them)."""
    permissions.require(actor, ALERTS_FEEDS_MANAGE)
    source = _source_or_404(session, source_id)
    audit.record(
        session,
        actor=actor,
        action="alerts.feed.delete",
        object_type="alert_feed_source",
        object_id=source.id,
        before=_state(source),
    )
    session.delete(source)
    session.commit()


def recent_incoming(session: Session, *, limit: int = 50) -> list[IncomingAlert]:
    """The latest messages received from the feeds, newest first."""
    query = select(IncomingAlert).order_by(IncomingAlert.received_at.desc(), IncomingAlert.id)
    return list(session.scalars(query.limit(min(max(limit, 1), 500))))


def official_in_force(session: Session, now: datetime) -> list[IncomingAlert]:
    """Official messages touching Pontianak that are still in force (not cancellations, not
    past their expiry), newest first: what the situation page shows beside the city's own."""
    query = select(IncomingAlert).where(
        IncomingAlert.touches_city.is_(True),
        IncomingAlert.msg_type != "Cancel",
        or_(IncomingAlert.expires_at.is_(None), IncomingAlert.expires_at > now),
    )
    query = query.order_by(IncomingAlert.sent_at.desc(), IncomingAlert.id.desc())
    return list(session.scalars(query.limit(OFFICIAL_SHOWN)))


def kelurahan_touched(session: Session, alerts: Sequence[IncomingAlert]) -> list[str]:
    """The kelurahan whose boundary meets any of ``alerts``' areas (none without boundaries)."""
    shapes = [shape(a.geometry) for a in alerts if a.geometry]
    if not shapes:
        return []
    area = unary_union(shapes)
    features = reference.kelurahan_feature_collection(session=session)["features"]
    return sorted(
        f["properties"]["kode"]
        for f in features
        if f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        and shape(f["geometry"]).intersects(area)
    )


def _rest(fields: SourceFields) -> tuple[FeedKind, int, bool]:
    return fields.kind, fields.poll_seconds, fields.enabled


def _values(fields: SourceFields) -> dict[str, Any]:
    return {
        "name": fields.name,
        "url": fields.url,
        "kind": fields.kind,
        "poll_seconds": fields.poll_seconds,
        "enabled": fields.enabled,
    }
