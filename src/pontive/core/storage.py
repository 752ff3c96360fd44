"""Uploaded files on disk under ``PONTIVE_MEDIA_DIR``, addressed by random keys.

Keys are generated here (never taken from a client), so no upload can choose its path.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pontive.core.timeutil import utcnow


class MediaStore:
    """A directory of stored files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, data: bytes, *, folder: str, suffix: str) -> str:
        """Store ``data`` durably; returns its key, e.g. ``complaints/2026/11/ab12….jpg``."""
        now = utcnow()
        key = f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}{suffix}"
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".part")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)  # readers never see a half-written file
        return key

    def path(self, key: str) -> Path:
        """Where ``key`` lives; refuses keys that would leave the store."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"media key outside the store: {key!r}")
        return path

    def read(self, key: str) -> bytes:
        """The stored bytes."""
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove a stored file (missing files are fine)."""
        self.path(key).unlink(missing_ok=True)
