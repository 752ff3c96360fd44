"""Uploaded files on disk under ``PONTIVE_MEDIA_DIR``, addressed by random keys.

Keys are generated here (never taken from a client), so no upload can choose its path.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from pontive.core.timeutil import utcnow


class TooLarge(ValueError):
    """A stream longer than the store was told to accept; nothing of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


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

    def save_stream(
        self,
        stream: BinaryIO,
        *,
        folder: str,
        suffix: str,
        chunk_size: int = 1 << 20,
        max_bytes: int | None = None,
    ) -> tuple[str, int, str]:
        """Store what ``stream`` holds, a chunk at a time (never whole in memory); returns
        ``(key, size in bytes, SHA-256 hex digest)``. A stream longer than ``max_bytes``
        raises ``TooLarge`` once it passes the limit."""
        key = self._new_key(folder, suffix)
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".part")
        digest = hashlib.sha256()
        size = 0
        try:
            with temporary.open("wb") as handle:
                while chunk := stream.read(chunk_size):
                    digest.update(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)  # no half-written file is left behind
            raise
        temporary.replace(path)
        return key, size, digest.hexdigest()

    def _new_key(self, folder: str, suffix: str) -> str:
        return f"{folder}/{utcnow():%Y/%m}/{secrets.token_hex(16)}{suffix}"

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
