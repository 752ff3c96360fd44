"""Asset demo data: sites and infrastructure (``infra_demo``), the software catalogue and its
integrations (``software_demo``), then the assessment and Wi-Fi parts' own (which may refer
to the systems and assets loaded first)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.assets import assessment_demo, infra_demo, software_demo, wifi_demo
from pontive.core.identity import Actor


def load(session: Session, actor: Actor) -> str:
    """Load every part's demo rows; a one-line summary."""
    sites, assets = infra_demo.load(session, actor)
    systems, links = software_demo.load(session, actor)
    parts = [
        f"{sites} lokasi, {assets} aset infrastruktur, {systems} sistem, {links} integrasi",
        assessment_demo.load(session, actor),
        wifi_demo.load(session, actor),
    ]
    return "; ".join(parts)
