"""The duties Perda 9/2022 gives the council (Pasal 5(3)) and the technical team (Pasal 6(1),
23) ship with Pontive; the city's own duties are never overwritten."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pontive.institutions import seed
from pontive.institutions.choices import Body
from pontive.institutions.models import Duty
from pontive.registry.models import RegistryChange


def duties(session: Session, body: Body) -> list[str]:
    query = select(Duty.pasal).where(Duty.body == body).order_by(Duty.sort_order)
    return list(session.scalars(query))


def test_the_regulations_duties_are_there_after_the_upgrade(session: Session) -> None:
    assert duties(session, Body.DEWAN) == [
        "Pasal 5 ayat (3) huruf a",
        "Pasal 5 ayat (3) huruf b",
        "Pasal 5 ayat (3) huruf c",
    ]
    assert duties(session, Body.TIM_TEKNIS)[0] == "Pasal 6 ayat (1)"
    assert seed.seed(session=session) == 0  # nothing twice


def test_a_body_without_duties_gets_them_back_with_a_history(session: Session) -> None:
    session.execute(delete(Duty).where(Duty.body == Body.DEWAN))
    own = Duty(body=Body.TIM_TEKNIS, pasal="SK 1/2026", text="Tugas kota sendiri.", sort_order=99)
    session.add(own)
    session.flush()
    assert seed.seed(session=session) == 3
    assert len(duties(session, Body.DEWAN)) == 3
    assert "SK 1/2026" in duties(session, Body.TIM_TEKNIS)  # the team keeps its own list
    restored = session.scalars(select(Duty).where(Duty.body == Body.DEWAN)).first()
    assert restored is not None
    change = session.scalar(
        select(RegistryChange).where(
            RegistryChange.registry_name == "institutions.duties",
            RegistryChange.object_id == restored.id,
        )
    )
    assert change is not None
    assert change.via == "system"
    assert change.action == "created"
