"""The archive format: one uncompressed tar holding compressed table members, media files as
they are, and ``manifest.json`` last.

Members:

* ``db/NNNN-<table>.jsonl.gz`` — one table's rows as JSON arrays, one per line, gzip
  compressed, in dependency order (parents first);
* ``media/<key>`` — every file of ``PONTIVE_MEDIA_DIR`` (images and PDFs are compressed
  already, so the tar itself is not);
* ``manifest.json`` — format version, Pontive version, Alembic revision, creation instant,
  source engine, the data key's fingerprint (never the key), every table's columns, kinds and
  row count, and the SHA-256 of every other member.

The tar is uncompressed so that the manifest can be found by skipping over the headers, and
every member can be checked without unpacking the archive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

import orjson

from pontive.backup.errors import DAMAGED, BackupError
from pontive.core import crypto

FORMAT = "pontive-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


def key_fingerprint(data_key: str) -> str:
    """A keyed digest naming ``data_key`` without revealing it (HMAC under a derived key)."""
    return crypto.sign(FORMAT, purpose="backup.key-fingerprint", secret=data_key)


@dataclass
class TableEntry:
    """One table of the archive."""

    name: str
    member: str
    columns: list[tuple[str, str]]  # (column name, kind)
    rows: int = 0
    content_sha256: str = ""  # of the uncompressed JSON lines
    datastore: dict[str, Any] | None = None  # fields, primary_key, indexes of a ds_ table

    def as_json(self) -> dict[str, Any]:
        """The manifest form."""
        return {
            "name": self.name,
            "member": self.member,
            "columns": [list(column) for column in self.columns],
            "rows": self.rows,
            "content_sha256": self.content_sha256,
            "datastore": self.datastore,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableEntry:
        """Read the manifest form."""
        columns = [(str(name), str(kind)) for name, kind in data["columns"]]
        return cls(
            data["name"],
            data["member"],
            columns,
            int(data["rows"]),
            data["content_sha256"],
            data.get("datastore"),
        )


@dataclass
class Manifest:
    """What an archive holds and how to check it."""

    pontive_version: str
    alembic_revision: str
    created_at: str
    source_engine: str
    key_fingerprint: str
    tables: list[TableEntry] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # member -> SHA-256
    partitions: list[tuple[int, int]] = field(default_factory=list)
    has_media: bool = True
    skipped_tables: list[str] = field(default_factory=list)

    def as_bytes(self) -> bytes:
        """The manifest as stored."""
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "pontive_version": self.pontive_version,
            "alembic_revision": self.alembic_revision,
            "created_at": self.created_at,
            "source_engine": self.source_engine,
            "data_key_fingerprint": self.key_fingerprint,
            "tables": [table.as_json() for table in self.tables],
            "partitions": [list(month) for month in self.partitions],
            "has_media": self.has_media,
            "skipped_tables": self.skipped_tables,
            "members": self.members,
        }
        return orjson.dumps(data, option=orjson.OPT_INDENT_2)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        """Parse a manifest; ``BackupError`` when it is not one this code reads."""
        try:
            data = orjson.loads(raw)
            if data.get("format") != FORMAT:
                raise damaged("manifest bukan milik cadangan Pontive", "not a Pontive manifest")
            if data.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"Versi format cadangan {data.get('format_version')} tidak dikenal.",
                    f"Unknown backup format version {data.get('format_version')}.",
                )
            return cls(
                pontive_version=data["pontive_version"],
                alembic_revision=data["alembic_revision"],
                created_at=data["created_at"],
                source_engine=data["source_engine"],
                key_fingerprint=data["data_key_fingerprint"],
                tables=[TableEntry.from_json(table) for table in data["tables"]],
                members=dict(data["members"]),
                partitions=[(int(y), int(m)) for y, m in data["partitions"]],
                has_media=bool(data["has_media"]),
                skipped_tables=list(data.get("skipped_tables", [])),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise damaged("manifest tidak terbaca", "unreadable manifest") from error

    @property
    def media_members(self) -> list[str]:
        """The media members, in archive order."""
        return [name for name in self.members if name.startswith("media/")]


def damaged(reason_id: str, reason_en: str) -> BackupError:
    """The error of an archive that is damaged or not an archive (exit status 3)."""
    return BackupError(
        f"Arsip cadangan rusak atau tidak sah: {reason_id}. Tidak ada yang ditulis.",
        f"The backup archive is damaged or invalid: {reason_en}. Nothing was written.",
        exit_code=DAMAGED,
    )


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing what was read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


def add_file(tar: tarfile.TarFile, name: str, source: BinaryIO, size: int) -> str:
    """Append ``size`` bytes of ``source`` as member ``name``; returns their SHA-256."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    reader = _HashingReader(source)
    tar.addfile(info, reader)
    return reader.digest.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> str:
    """Append ``data`` as member ``name``; returns its SHA-256."""
    return add_file(tar, name, io.BytesIO(data), len(data))


def check_member_name(name: str) -> None:
    """Refuse member names that could leave the folder they are written to."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise damaged(f"nama anggota tidak aman {name!r}", f"unsafe member name {name!r}")


class ArchiveReader:
    """An open archive: its manifest and its members."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by close()
            self.members = {member.name: member for member in self.tar.getmembers()}
        except (tarfile.TarError, OSError) as error:
            raise damaged("bukan arsip tar", f"not a tar archive ({error})") from error
        if MANIFEST not in self.members:
            self.tar.close()
            raise damaged("manifest tidak ada", "no manifest")
        self.manifest = Manifest.from_bytes(self.read_member(MANIFEST))

    def close(self) -> None:
        """Close the file."""
        self.tar.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def open_member(self, name: str) -> IO[bytes]:
        """A member's bytes as a stream."""
        member = self.members.get(name)
        handle = self.tar.extractfile(member) if member is not None else None
        if handle is None:
            raise damaged(f"anggota {name} tidak ada", f"member {name} missing")
        return handle

    def read_member(self, name: str) -> bytes:
        """A small member whole (the manifest)."""
        with self.open_member(name) as handle:
            return handle.read()

    def verify(self) -> int:
        """Check every member against the manifest's SHA-256; returns the bytes checked.

        Raises ``BackupError`` (exit status 3) naming the first member that differs, is
        missing, or is not listed."""
        expected = set(self.manifest.members) | {MANIFEST}
        unlisted = sorted(set(self.members) - expected)
        if unlisted:
            raise damaged(f"anggota tak terdaftar {unlisted[0]}", f"unlisted member {unlisted[0]}")
        table_members = {table.member for table in self.manifest.tables}
        if not table_members <= set(self.manifest.members):
            raise damaged("tabel tanpa checksum", "a table without checksum")
        checked = 0
        for name, sha256 in self.manifest.members.items():
            check_member_name(name)
            digest = hashlib.sha256()
            with self.open_member(name) as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    checked += len(chunk)
            if digest.hexdigest() != sha256:
                raise damaged(f"checksum {name} tidak cocok", f"checksum mismatch in {name}")
        return checked

    def table_rows(self, table: TableEntry) -> Iterator[list[Any]]:
        """The rows of ``table`` as decoded JSON arrays, streamed; checks the content hash
        and the row count at the end."""
        digest = hashlib.sha256()
        count = 0
        with (
            self.open_member(table.member) as raw,
            gzip.GzipFile(fileobj=raw, mode="rb") as unzipped,
        ):
            for line in io.BufferedReader(unzipped, CHUNK):
                digest.update(line)
                count += 1
                yield orjson.loads(line)
        if digest.hexdigest() != table.content_sha256 or count != table.rows:
            raise damaged(f"isi tabel {table.name} berubah", f"content of {table.name} differs")
