"""Uploaded files on disk under ``PONTIVE_MEDIA_DIR``, addressed by random keys.

Keys are generated here (never taken from a client), so no upload can choose its path.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow

# The disk (or the file-size limit) refused the write: the store is full, not the upload bad.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class TooLarge(ValueError):
    """A stream longer than the store was told to accept; nothing of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


class StorageFull(InvalidInput):
    """The media folder has no room left; nothing of the file was kept.

    An ``InvalidInput`` on ``field`` so that forms show it at the file field and APIs as a
    field error, but with 507 Insufficient Storage: the fault is the server's, not the file's.
    """

    status_code = 507
    code = "storage_full"
    default_id = "Ruang penyimpanan berkas di server penuh; berkas tidak disimpan. Coba lagi nanti."
    default_en = "The server's file storage is full; the file was not stored. Try again later."

    def __init__(self, field: str = "file") -> None:
        super().__init__(errors={field: [self.default_id]})


class MediaStore:
    """A directory of stored files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, data: bytes, *, folder: str, suffix: str) -> str:
        """Store ``data`` durably; returns its key, e.g. ``complaints/2026/11/ab12….jpg``."""
        now = utcnow()
        key = f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}{suffix}"
        path = self.path(key)
        temporary = path.with_suffix(path.suffix + ".part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as error:
            temporary.unlink(missing_ok=True)  # no half-written file is left behind
            _raise_if_full(error)
            raise
        temporary.replace(path)  # readers never see a half-written file
        return key

    def save_all(self, items: list[bytes], *, folder: str, suffix: str) -> list[str]:
        """Store every item or none: when one fails, those stored before it are removed."""
        keys: list[str] = []
        try:
            for data in items:
                keys.append(self.save(data, folder=folder, suffix=suffix))
        except BaseException:
            for key in keys:
                self.delete(key)
            raise
        return keys

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
        temporary = path.with_suffix(path.suffix + ".part")
        digest = hashlib.sha256()
        size = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                while chunk := stream.read(chunk_size):
                    digest.update(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as error:
            temporary.unlink(missing_ok=True)  # no half-written file is left behind
            _raise_if_full(error)
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


def _raise_if_full(error: BaseException) -> None:
    """Turn the disk's "no space" (or "file too large") into ``StorageFull``."""
    if isinstance(error, OSError) and error.errno in _FULL_ERRNOS:
        raise StorageFull from error


def free_space_problem(root: Path, min_free_bytes: int) -> str | None:
    """``None`` when ``root`` takes a new file and keeps ``min_free_bytes`` free, else why."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".ready-{secrets.token_hex(4)}.part"
        probe.write_bytes(b"")
        probe.unlink()
        usage = os.statvfs(root)
    except OSError as error:
        return f"unwritable: {error.strerror or error}"
    free = usage.f_bavail * usage.f_frsize
    if free < min_free_bytes:
        return f"full: {free // 1024} KiB free"
    return None
