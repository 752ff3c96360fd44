"""Password policy: length, a mix of characters, not the username, not a common password.

The common-password list is generated here from the patterns people reach for first (keyboard
rows, counting, "password" in both languages, the city's and the platform's own names, role
names) rather than copied from a leaked list: it is short, but it refuses what a guesser
tries first. Variants are folded before the check, so ``P@ssw0rd2026!`` is caught as
``password``.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_PASSWORD_LENGTH = 10

# Words a guesser tries first, in Bahasa Indonesia and English, and the local ones.
_BASE_WORDS = (
    "password",
    "passw",
    "katasandi",
    "sandi",
    "rahasia",
    "secret",
    "letmein",
    "welcome",
    "selamatdatang",
    "admin",
    "administrator",
    "root",
    "operator",
    "petugas",
    "walikota",
    "dewan",
    "pontianak",
    "pontive",
    "smartcity",
    "kotapontianak",
    "kalbar",
    "kalimantan",
    "khatulistiwa",
    "equator",
    "indonesia",
    "merdeka",
    "bismillah",
    "sayang",
    "iloveyou",
    "masuk",
    "login",
    "qwerty",
    "asdf",
    "zxcv",
    "abc",
    "test",
    "tes",
    "demo",
    "user",
    "pengguna",
    "changeme",
    "default",
)
_KEYBOARD_ROWS = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1234567890",
    "qazwsxedcrfv",
    "1qaz2wsx3edc4rfv",
    "qweasdzxc",
)
# Common character swaps, folded back before comparing.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s"})
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_SEPARATORS = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The generated list of common passwords (folded: lower case, no separators)."""
    found: set[str] = set()
    for row in _KEYBOARD_ROWS:
        for length in range(6, len(row) + 1):
            found.add(row[:length])
            found.add(row[:length][::-1])
    for digit in "0123456789":
        found.update(digit * n for n in range(6, 17))
    counting = "12345678901234567890"
    found.update(counting[:n] for n in range(6, 21))
    found.update("0" + counting[:n] for n in range(5, 11))
    found.update(counting[:n][::-1] for n in range(6, 11))
    for year in range(1950, 2041):
        found.update({f"{year}{year}", f"{year}"})
    for word in _BASE_WORDS:
        found.add(word)
        found.add(word * 2)
        found.update(f"{word}{n}" for n in ("1", "12", "123", "1234", "12345", "123456"))
    return frozenset(found)


def _folded(password: str) -> tuple[str, str, str]:
    """The password lower-cased without separators; the same with common swaps undone; and
    its core without leading and trailing digits or symbols (``P@ssw0rd2026!`` ->
    ``password``)."""
    lowered = password.lower()
    whole = _SEPARATORS.sub("", lowered)
    unswapped = _SEPARATORS.sub("", lowered.translate(_LEET))
    core = _SEPARATORS.sub("", _EDGES.sub("", lowered).translate(_LEET))
    return whole, unswapped, core


def _is_repetition(folded: str) -> bool:
    """One short chunk said again and again (``abcabcabc``, ``2026202620262026``)."""
    return any(
        len(folded) % size == 0 and folded == folded[:size] * (len(folded) // size)
        for size in range(1, 5)
        if len(folded) > size
    )


def is_common_password(password: str) -> bool:
    """Whether the password is, or is a decorated variant of, a common password."""
    common = common_passwords()
    whole, unswapped, core = _folded(password)
    return whole in common or unswapped in common or core in common or _is_repetition(whole)


def check_password_policy(password: str, *, username: str | None = None) -> list[str]:
    """Problems with a proposed password, in Bahasa Indonesia (empty when acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if password.isdigit() or password.isalpha():
        problems.append("Kata sandi harus memuat huruf dan angka atau simbol.")
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in password.lower():
        problems.append("Kata sandi tidak boleh memuat nama pengguna.")
    elif is_common_password(password):
        problems.append("Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain.")
    return problems
