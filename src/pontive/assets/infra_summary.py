"""The ICT assets summary (``/console/aset/ringkasan``): counts of infrastructure by kind and
status, sites by kind, the software catalogue by category and status, and what needs
attention soon: warranties and contracts ending within ``SOON_DAYS``, assets past their end
of life, monitored endpoints that are unreachable now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets.choices import (
    InfraKind,
    InfraStatus,
    IntegrationStatus,
    SiteKind,
    SoftwareCategory,
    SystemStatus,
)
from pontive.assets.models import InfraAsset, Integration, Site, System
from pontive.assets.service import VIEW
from pontive.core import permissions
from pontive.core.identity import Actor

SOON_DAYS = 60
ATTENTION_LIMIT = 25
LIVE = (InfraStatus.AKTIF, InfraStatus.PEMELIHARAAN, InfraStatus.RUSAK)


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the summary page shows."""

    infra: dict[tuple[InfraKind, InfraStatus], int]
    infra_total: int
    sites: dict[SiteKind, int]
    systems: dict[tuple[SoftwareCategory, SystemStatus], int]
    systems_total: int
    integrations: dict[IntegrationStatus, int]
    warranties: list[InfraAsset]
    contracts: list[InfraAsset]
    past_life: list[InfraAsset]
    unreachable: list[InfraAsset]
    monitored: int
    today: date
    soon: date

    def infra_row(self, kind: InfraKind) -> list[int]:
        """Counts of one kind by status, in the statuses' order."""
        return [self.infra.get((kind, status), 0) for status in InfraStatus]

    def system_row(self, category: SoftwareCategory) -> list[int]:
        """Counts of one category by status."""
        return [self.systems.get((category, status), 0) for status in SystemStatus]


def _pairs(session: Session, first: Any, second: Any) -> dict[Any, int]:
    rows = session.execute(select(first, second, func.count()).group_by(first, second))
    return {(a, b): n for a, b, n in rows}


def _counts(session: Session, column: Any) -> dict[Any, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {value: n for value, n in rows}


def _ending(session: Session, column: Any, today: date, soon: date) -> list[InfraAsset]:
    query = (
        select(InfraAsset)
        .where(column.is_not(None), column >= today, column <= soon, InfraAsset.status.in_(LIVE))
        .order_by(column, InfraAsset.code)
        .limit(ATTENTION_LIMIT)
    )
    return list(session.scalars(query))


def summarise(session: Session, actor: Actor, *, today: date) -> Summary:
    """Count and list what the summary shows, as of ``today``."""
    permissions.require(actor, VIEW)
    soon = today + timedelta(days=SOON_DAYS)
    infra = _pairs(session, InfraAsset.kind, InfraAsset.status)
    systems = _pairs(session, System.category, System.status)
    sites = _counts(session, Site.kind)
    integrations = _counts(session, Integration.status)
    past_life = session.scalars(
        select(InfraAsset)
        .where(InfraAsset.end_of_life_on < today, InfraAsset.status.in_(LIVE))
        .order_by(InfraAsset.end_of_life_on, InfraAsset.code)
        .limit(ATTENTION_LIMIT)
    )
    unreachable = session.scalars(
        select(InfraAsset)
        .where(InfraAsset.last_check_ok.is_(False), InfraAsset.status.in_(LIVE))
        .order_by(InfraAsset.code)
        .limit(ATTENTION_LIMIT)
    )
    monitored = session.scalar(
        select(func.count()).where(
            InfraAsset.monitor_host.is_not(None), InfraAsset.status.in_(LIVE)
        )
    )
    return Summary(
        infra=infra,
        infra_total=sum(infra.values()),
        sites=sites,
        systems=systems,
        systems_total=sum(systems.values()),
        integrations=integrations,
        warranties=_ending(session, InfraAsset.warranty_until, today, soon),
        contracts=_ending(session, InfraAsset.contract_end_on, today, soon),
        past_life=list(past_life),
        unreachable=list(unreachable),
        monitored=monitored or 0,
        today=today,
        soon=soon,
    )
