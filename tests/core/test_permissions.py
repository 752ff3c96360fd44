"""The permission matrix: every role against every foundation action, and PD scoping."""

from __future__ import annotations

import pytest

from pontive.core import permissions
from pontive.core.choices import Classification
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role

A, OP, P, T, D, W, C = (
    Role.ADMIN,
    Role.OPERATOR,
    Role.PETUGAS_PD,
    Role.TIM_TEKNIS,
    Role.DEWAN,
    Role.WALIKOTA,
    Role.WARGA,
)
ALL = set(Role)

# The expected matrix, written out independently of the code under test.
EXPECTED: dict[str, set[Role]] = {
    "console.view": ALL - {C},
    "users.manage": {A},
    "users.view": {A, T},
    "apikeys.manage": {A},
    "audit.view": {A, T},
    "reference.manage": {A, T},
}


def actor(role: Role, pd: str | None = None) -> Actor:
    return Actor(kind=ActorKind.USER, role=role, id=1, name=role.value, pd_kode=pd)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_matrix(role: Role, action: str) -> None:
    assert permissions.can(actor(role, "pupr" if role is P else None), action) == (
        role in EXPECTED[action]
    )


def test_every_foundation_action_is_in_the_expected_matrix() -> None:
    foundation = {
        a
        for a in permissions.registered_actions()
        if a.split(".")[0] in {"console", "users", "apikeys", "audit", "reference"}
    }
    assert foundation == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_may_do_none_of_them(action: str) -> None:
    assert not permissions.can(ANONYMOUS, action)
    with pytest.raises(NotAuthenticated):
        permissions.require(ANONYMOUS, action)


def test_a_signed_in_citizen_is_denied_not_asked_to_sign_in() -> None:
    with pytest.raises(PermissionDenied):
        permissions.require(actor(C), "console.view")


def test_pd_scoped_actions_limit_officers_to_their_own_agency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Register into a copy so the test leaves the process-wide table as it found it.
    monkeypatch.setattr(permissions, "_RULES", dict(permissions.registered_actions()))
    action = permissions.register("test.pd_scoped_edit", {P, OP}, pd_scoped=True)
    officer = actor(P, "pupr")
    assert permissions.can(officer, action, owner_pd="pupr")
    assert not permissions.can(officer, action, owner_pd="dlh")
    assert not permissions.can(officer, action, owner_pd=None)
    # City-wide roles are not limited by ownership.
    assert permissions.can(actor(OP), action, owner_pd="dlh")


def test_unknown_actions_are_programming_errors() -> None:
    with pytest.raises(KeyError, match="unknown action"):
        permissions.can(actor(A), "does.not.exist")


def test_registering_an_action_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        permissions.register("console.view", {A})


@pytest.mark.parametrize(
    ("who", "classification", "owner", "visible"),
    [
        (ANONYMOUS, Classification.PUBLIK, None, True),
        (ANONYMOUS, Classification.TERBATAS, None, False),
        (actor(C), Classification.TERBATAS, None, False),
        (actor(OP), Classification.TERBATAS, "dlh", True),
        (actor(P, "pupr"), Classification.TERBATAS, "pupr", True),
        (actor(P, "pupr"), Classification.TERBATAS, "dlh", False),
        (actor(P, "pupr"), Classification.TERBATAS, None, True),
        (actor(OP), Classification.RAHASIA, None, False),
        (actor(P, "pupr"), Classification.RAHASIA, "pupr", True),
        (actor(P, "pupr"), Classification.RAHASIA, "dlh", False),
        (actor(A), Classification.RAHASIA, None, True),
    ],
)
def test_visibility_by_classification(
    who: Actor, classification: Classification, owner: str | None, visible: bool
) -> None:
    assert permissions.can_see(who, classification, owner_pd=owner) is visible
