"""The workspace's demo: the example saved queries, then the Parquet export of everything the
other demos made (analytics' demo runs this part last)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import workspace_export, workspace_service
from pontive.analytics.workspace_examples import EXAMPLES
from pontive.analytics.workspace_models import SavedQuery
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role

OWNER_USERNAME = "timteknis"  # the demo's Technical Team account (pontive.demo.DEMO_USERS)


def _owner(session: Session, actor: Actor) -> Actor:
    """The demo's Tim Teknis account as the examples' owner (the demo actor otherwise)."""
    user = session.scalar(select(User).where(User.username == OWNER_USERNAME))
    if user is None:
        return actor
    return Actor(kind=ActorKind.USER, role=Role.TIM_TEKNIS, id=user.id, name=user.username)


def seed_examples(session: Session, actor: Actor, table_names: list[str]) -> int:
    """Save the example queries that are not saved yet (by name); how many were added."""
    owner = _owner(session, actor)
    existing = set(session.scalars(select(SavedQuery.name)))
    added = 0
    for example in EXAMPLES:
        if example.name in existing:
            continue
        workspace_service.create_query(session, actor=owner, data=example, table_names=table_names)
        added += 1
    return added


def load(session: Session, actor: Actor, *, analytics_dir: Path | None = None) -> str:
    """Seed the example queries and write the export; a short summary."""
    if analytics_dir is None:
        from pontive.settings import get_settings  # late: the CLI's settings

        analytics_dir = get_settings().analytics_dir
    names = [spec.name for spec in workspace_export.all_tables()]
    added = seed_examples(session, actor, names)
    session.commit()
    manifest = workspace_export.export(session, analytics_dir)
    return (
        f"{added} kueri contoh; ekspor Parquet {len(manifest.tables)} tabel, "
        f"{manifest.total_rows:,} baris dalam {manifest.seconds:.1f} s".replace(",", ".")
    )
