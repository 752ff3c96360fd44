"""Personal data sealed at rest: round trip, wrong key, tampering, blind index."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from pontive.core import crypto
from pontive.core.models import User

KEY = "k" * 40


def test_sealed_text_opens_with_the_same_key() -> None:
    sealed = crypto.seal("0812-3456-7890", secret=KEY)
    assert sealed.startswith("v1:")
    assert "0812" not in sealed
    assert crypto.unseal(sealed, secret=KEY) == "0812-3456-7890"


def test_sealing_twice_gives_different_ciphertexts() -> None:
    assert crypto.seal("sama", secret=KEY) != crypto.seal("sama", secret=KEY)


def test_a_wrong_key_cannot_open_it() -> None:
    sealed = crypto.seal("rahasia", secret=KEY)
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(sealed, secret="x" * 40)


def test_a_tampered_value_is_refused() -> None:
    sealed = crypto.seal("rahasia", secret=KEY)
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(flipped, secret=KEY)


def test_blind_index_is_stable_and_normalised_but_keyed() -> None:
    assert crypto.blind_index(" Dewi@Contoh.id ", secret=KEY) == crypto.blind_index(
        "dewi@contoh.id", secret=KEY
    )
    assert crypto.blind_index("dewi@contoh.id", secret=KEY) != crypto.blind_index(
        "dewi@contoh.id", secret="y" * 40
    )


def test_user_email_is_encrypted_in_the_table(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    from pontive.core.roles import Role

    user: User = make_user(Role.WARGA, username="dewi")
    raw = session.execute(text("SELECT email FROM users WHERE id = :id"), {"id": user.id})
    stored = raw.scalar_one()
    assert stored.startswith("v1:")
    assert "contoh.id" not in stored
    session.expire_all()
    assert session.get(User, user.id).email == "dewi@contoh.id"  # type: ignore[union-attr]
