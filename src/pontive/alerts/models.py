"""Alert tables: rules (versioned), rule state, alerts and their timeline, the city's
operating mode, emergency contacts and shelters, distribution (webhooks, e-mail list) and
incoming official feeds.

An alert row is one CAP message. An update or a cancellation is a new row whose
``references_id`` points at the message it replaces (CAP ``references``); ``thread_id`` is the
first message of the chain, so a chain reads in one query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    CapStatus,
    Certainty,
    DeliveryStatus,
    FeedKind,
    MsgType,
    OperatingMode,
    RuleKind,
    Severity,
    Urgency,
)
from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow

# --- rules ---------------------------------------------------------------------------------


class AlertRule(Base):
    """A rule as data: what to watch (``kind`` + ``params``) and the alert it drafts.

    ``params`` by kind (validated by ``alerts/rules.py``):
    threshold ``{"datastream_id", "op": ">="|"<=", "value", "clear_value", "duration_s"}``;
    rate_of_change ``{"datastream_id", "per_s", "rise"|"fall": amount, "window_s"}``;
    index_category ``{"quantity": "flood_status"|"ispu", "at_least", "thing_ids"?}``;
    forecast ``{"datastream_id", "op", "value", "horizon_s"}``;
    missing_data ``{"thing_ids"?, "silent_minutes"}``;
    report_spike ``{"category_code", "count", "window_s", "kelurahan_kodes"?}``;
    incoming ``{"min_severity", "events"?}``.
    """

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RuleKind] = mapped_column(choice_column(RuleKind))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    cooldown_s: Mapped[int] = mapped_column(Integer, default=3600)
    expires_after_s: Mapped[int] = mapped_column(Integer, default=6 * 3600)
    # The alert a firing drafts (text may hold {placeholders} filled from the trigger).
    cap_category: Mapped[CapCategory] = mapped_column(
        choice_column(CapCategory), default=CapCategory.MET
    )
    event_id: Mapped[str] = mapped_column(String(200))
    event_en: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[Urgency] = mapped_column(choice_column(Urgency), default=Urgency.EXPECTED)
    severity: Mapped[Severity] = mapped_column(choice_column(Severity), default=Severity.MODERATE)
    certainty: Mapped[Certainty] = mapped_column(
        choice_column(Certainty), default=Certainty.OBSERVED
    )
    response_type: Mapped[str | None] = mapped_column(String(20))
    headline_id: Mapped[str] = mapped_column(String(300))
    headline_en: Mapped[str] = mapped_column(String(300))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    instruction_id: Mapped[str] = mapped_column(Text, default="")
    instruction_en: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AlertRuleVersion(Base):
    """Every saved version of a rule, as it was (rules are versioned and audited)."""

    __tablename__ = "alert_rule_versions"
    __table_args__ = (UniqueConstraint("rule_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class AlertRuleState(Base):
    """What a rule remembers per subject (a datastream, a station, a kelurahan, a feed
    alert): since when its condition holds, whether it is firing, when it last fired —
    the memory that gives durations, hysteresis and cooldown without rereading history."""

    __tablename__ = "alert_rule_states"
    __table_args__ = (UniqueConstraint("rule_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(80))  # "ds:12", "thing:4", "kel:61.71.01.1001"
    condition_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_firing: Mapped[bool] = mapped_column(Boolean, default=False)
    last_value: Mapped[float | None] = mapped_column(Float)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    window: Mapped[list[Any] | None] = mapped_column(JSON)  # recent (time, value) pairs
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- alerts --------------------------------------------------------------------------------


class Alert(Base):
    """One CAP message: an alert, an update of one or a cancellation, in both languages."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_state_expires", "state", "expires_at"),
        Index("ix_alerts_thread", "thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(120), unique=True)
    sender: Mapped[str] = mapped_column(String(120))
    state: Mapped[AlertState] = mapped_column(choice_column(AlertState), default=AlertState.DRAFT)
    cap_status: Mapped[CapStatus] = mapped_column(
        choice_column(CapStatus), default=CapStatus.ACTUAL
    )
    msg_type: Mapped[MsgType] = mapped_column(choice_column(MsgType), default=MsgType.ALERT)
    references_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("alert_rules.id", ondelete="SET NULL"))
    rule_version: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str | None] = mapped_column(String(80))
    incoming_id: Mapped[int | None] = mapped_column(
        ForeignKey("incoming_alerts.id", ondelete="SET NULL")
    )
    category: Mapped[CapCategory] = mapped_column(choice_column(CapCategory))
    event_id: Mapped[str] = mapped_column(String(200))
    event_en: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[Urgency] = mapped_column(choice_column(Urgency))
    severity: Mapped[Severity] = mapped_column(choice_column(Severity))
    certainty: Mapped[Certainty] = mapped_column(choice_column(Certainty))
    response_type: Mapped[str | None] = mapped_column(String(20))
    headline_id: Mapped[str] = mapped_column(String(300))
    headline_en: Mapped[str] = mapped_column(String(300))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    instruction_id: Mapped[str] = mapped_column(Text, default="")
    instruction_en: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")  # CAP note (required for Exercise)
    # The area: kelurahan (polygons and Kemendagri geocodes come from reference data).
    area_desc_id: Mapped[str] = mapped_column(String(500))
    area_desc_en: Mapped[str] = mapped_column(String(500))
    kelurahan_kodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    trigger: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what fired, with values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set on publication
    effective_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    onset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_reason: Mapped[str | None] = mapped_column(Text)


class AlertEvent(Base):
    """The timeline of an alert: drafted, edited, approved, published, rejected, updated,
    cancelled, expired — who, when and why."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- the city's operating mode ---------------------------------------------------------------


class ModeDeclaration(Base):
    """A declared operating mode for the city or one kecamatan; open until ``ended_at``."""

    __tablename__ = "mode_declarations"
    __table_args__ = (Index("ix_mode_declarations_open", "ended_at", "kecamatan_kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[OperatingMode] = mapped_column(choice_column(OperatingMode, 30))
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))  # None: city
    reason: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text, default="")
    declared_by: Mapped[str] = mapped_column(String(200))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_by: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(Text)


class EmergencyContact(Base):
    """A number the public home shows in emergency modes (BPBD, Damkar, PMI, …)."""

    __tablename__ = "emergency_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))  # an office's public number, not personal
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Shelter(Base):
    """An evacuation shelter or assembly point, with the route note to reach it."""

    __tablename__ = "shelters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"))
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    route_id: Mapped[str] = mapped_column(Text, default="")
    route_en: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# --- distribution --------------------------------------------------------------------------


class WebhookSubscription(Base):
    """A partner endpoint that receives alert events, signed with its own secret (HMAC)."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(EncryptedText)  # sealed: needed to sign, never shown
    event_types: Mapped[str] = mapped_column(String(200), default="alerts.>")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event to one subscriber: every attempt counted, retried with back-off."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)  # the exact bytes signed and sent
    status: Mapped[DeliveryStatus] = mapped_column(
        choice_column(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Every attempt: {"at", "status_code", "error"} (the delivery log partners are shown).
    attempt_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertSubscriber(Base):
    """A person on the alert e-mail list (personal data: sealed, found by a blind index)."""

    __tablename__ = "alert_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(EncryptedText)
    email_index: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(2), default="id")
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))  # None: all
    token_hash: Mapped[str] = mapped_column(String(64), index=True)  # confirm / unsubscribe
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- incoming official alerts --------------------------------------------------------------


class FeedSource(Base):
    """An official CAP or RSS feed polled by the worker (BMKG nowcasts are the model)."""

    __tablename__ = "alert_feed_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[FeedKind] = mapped_column(choice_column(FeedKind), default=FeedKind.RSS)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_seconds: Mapped[int] = mapped_column(Integer, default=300)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IncomingAlert(Base):
    """An official CAP message received from a feed, kept as received."""

    __tablename__ = "incoming_alerts"
    __table_args__ = (UniqueConstraint("sender", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_feed_sources.id", ondelete="SET NULL")
    )
    identifier: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    msg_type: Mapped[str] = mapped_column(String(20))
    references: Mapped[str | None] = mapped_column(Text)
    event: Mapped[str] = mapped_column(String(300))
    headline: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    sender_name: Mapped[str] = mapped_column(String(300), default="")
    severity: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(20))
    certainty: Mapped[str] = mapped_column(String(20))
    effective_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    area_desc: Mapped[str] = mapped_column(Text, default="")
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON of the areas
    touches_city: Mapped[bool] = mapped_column(Boolean, default=False)
    web: Mapped[str | None] = mapped_column(String(500))
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
