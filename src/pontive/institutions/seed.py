"""Rows the institutions domain ships, added by ``pontive db upgrade``: the duties that
Perda 9/2022 itself gives the Smart City Council (Pasal 5 ayat 3) and the Technical Team
(Pasal 6 ayat 1, Pasal 23 ayat 3).

They are the regulation's own text, true in every installation, so they are reference rows
rather than demo data. A body's duties are added only while it has none: once the city has
entered or edited its own (the team's are detailed by mayor's decree, Pasal 6 ayat 2),
nothing is added back. Written through the registry store, so they have a history.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.identity import system_actor
from pontive.core.registry import get
from pontive.institutions.choices import Body
from pontive.institutions.models import Duty
from pontive.registry import store

SEED_ACTOR = system_actor("institutions-seed")

# (body, article, text) in the order the regulation gives them.
DUTIES: tuple[tuple[Body, str, str], ...] = (
    (
        Body.DEWAN,
        "Pasal 5 ayat (3) huruf a",
        "Menyusun, membahas, menyempurnakan rencana strategis penyelenggaraan Pontianak "
        "Smart City.",
    ),
    (
        Body.DEWAN,
        "Pasal 5 ayat (3) huruf b",
        "Melakukan monitoring dan evaluasi pencapaian penyelenggaraan Pontianak Smart City.",
    ),
    (
        Body.DEWAN,
        "Pasal 5 ayat (3) huruf c",
        "Memberikan saran kepada pihak pemerintah dan pihak-pihak lainnya dalam rangka "
        "meningkatkan kualitas penyelenggaraan Pontianak Smart City.",
    ),
    (
        Body.TIM_TEKNIS,
        "Pasal 6 ayat (1)",
        "Melaksanakan program Smart City sebagai Perangkat Daerah yang ditunjuk oleh Wali Kota.",
    ),
    (
        Body.TIM_TEKNIS,
        "Pasal 23 ayat (1)-(3)",
        "Melaksanakan monitoring secara berkelanjutan dan evaluasi paling sedikit 1 (satu) kali "
        "dalam setahun atas penyelenggaraan Pontianak Smart City.",
    ),
    (
        Body.TIM_TEKNIS,
        "Pasal 23 ayat (4)",
        "Menyampaikan laporan hasil monitoring dan evaluasi kepada Wali Kota dengan tembusan "
        "kepada kementerian yang membidangi urusan komunikasi dan informatika.",
    ),
)


def seed(*, session: Session) -> int:
    """Add the regulation's duties of each body that has none; how many rows were added."""
    registry = get("institutions.duties")
    added = 0
    for body in Body:
        if session.scalar(select(func.count(Duty.id)).where(Duty.body == body)):
            continue
        for order, (owner, pasal, text) in enumerate(DUTIES, start=1):
            if owner is not body:
                continue
            values = {"body": body.value, "pasal": pasal, "text": text, "sort_order": order * 10}
            store.save_row(session, registry, SEED_ACTOR, values, via="system")
            added += 1
    session.commit()
    return added
