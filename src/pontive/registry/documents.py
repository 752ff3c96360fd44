"""Files attached to registry rows: agreements, decrees, certificates, evidence, materials.

A file is accepted by what it is, not by its name: PDF, images (PNG, JPEG, WebP), office
documents (DOCX/XLSX/PPTX/ODT/ODS, which are ZIP containers) and UTF-8 text or CSV, at most
``MAX_BYTES``. Adding and removing one is recorded in the row's history and the audit trail;
only readers of the registry may download (the route serves it as an attachment).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.registry import Registry, pick
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.registry import store
from pontive.registry.models import RegistryChange, RegistryDocument
from pontive.registry.values import label_of

MAX_BYTES = 20 * 1024 * 1024
TEXTS: dict[str, tuple[str, str]] = {
    "invalid": ("Dokumen tidak dapat disimpan.", "The document cannot be stored."),
    "empty": ("Pilih berkas.", "Choose a file."),
    "large": ("Berkas lebih dari 20 MB.", "The file is larger than 20 MB."),
    "kind": (
        "Jenis berkas tidak diterima (PDF, gambar, dokumen kantor, teks).",
        "File type not accepted (PDF, images, office documents, text).",
    ),
    "title": ("Judul paling banyak 200 karakter.", "Title at most 200 characters."),
}
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def sniff(data: bytes, filename: str) -> tuple[str, str] | None:
    """``(content type, suffix)`` of an accepted file, from its bytes; ``None`` if refused."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if data.startswith(b"PK\x03\x04") and suffix in _OFFICE:
        return _OFFICE[suffix], suffix
    if b"\x00" not in data[:8192]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return ("text/csv", ".csv") if suffix == ".csv" else ("text/plain", ".txt")
    return None


def safe_name(filename: str) -> str:
    """A file name fit for a download header (no paths, no odd characters)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" ._") or "dokumen"
    return name[:150]


def _note(session: Session, registry: Registry, row: Any, actor: Actor, change: str) -> None:
    session.add(
        RegistryChange(
            registry_name=registry.name,
            object_id=row.id,
            object_label=label_of(registry, row)[:300],
            action="updated",
            via="document",
            actor=actor.label[:200],
            changes=json.dumps({"dokumen": change.split("\u2192", 1)}, ensure_ascii=False),
            occurred_at=utcnow(),
        )
    )


def attach(
    session: Session,
    registry: Registry,
    actor: Actor,
    row: Any,
    *,
    media: MediaStore,
    title: str,
    filename: str,
    data: bytes,
    lang: str = "id",
) -> RegistryDocument:
    """Store ``data`` as a document of ``row`` (editors of the row only)."""
    permissions.require(actor, registry.edit_action, owner_pd=store.owner_of(registry, row))
    problems: dict[str, list[str]] = {}
    kind = sniff(data, filename) if data else None
    if not data:
        problems["file"] = [pick(TEXTS["empty"], lang)]
    elif len(data) > MAX_BYTES:
        problems["file"] = [pick(TEXTS["large"], lang)]
    elif kind is None:
        problems["file"] = [pick(TEXTS["kind"], lang)]
    title = " ".join(title.split()) or safe_name(filename)
    if len(title) > 200:
        problems["title"] = [pick(TEXTS["title"], lang)]
    if problems or kind is None:
        raise InvalidInput(*TEXTS["invalid"], errors=problems)
    content_type, suffix = kind
    key = media.save(data, folder=f"registry/{registry.domain}", suffix=suffix)
    document = RegistryDocument(
        registry_name=registry.name,
        object_id=row.id,
        title=title,
        filename=safe_name(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        media_key=key,
        uploaded_by=actor.label[:200],
        uploaded_at=utcnow(),
    )
    session.add(document)
    session.flush()
    _note(session, registry, row, actor, f"\u2192{title}")
    audit.record(
        session,
        actor=actor,
        action="registry.document.added",
        object_type=registry.name,
        object_id=row.id,
        after={"document": document.id, "sha256": document.sha256},
    )
    return document


def list_for(session: Session, registry: Registry, row_id: int) -> list[RegistryDocument]:
    """The documents of one row, newest first."""
    return list(
        session.scalars(
            select(RegistryDocument)
            .where(RegistryDocument.registry_name == registry.name)
            .where(RegistryDocument.object_id == row_id)
            .order_by(RegistryDocument.id.desc())
        )
    )


def get(
    session: Session, registry: Registry, actor: Actor, row_id: int, doc_id: int
) -> RegistryDocument:
    """One document of one row, for a reader of the registry."""
    permissions.require(actor, registry.view_action)
    document = session.get(RegistryDocument, doc_id)
    if document is None or document.registry_name != registry.name or document.object_id != row_id:
        raise NotFound
    return document


def remove(session: Session, registry: Registry, actor: Actor, row: Any, doc_id: int) -> str:
    """Remove a document (editors of the row); returns its media key, for the caller to
    delete the file once the removal is committed."""
    permissions.require(actor, registry.edit_action, owner_pd=store.owner_of(registry, row))
    document = get(session, registry, actor, row.id, doc_id)
    _note(session, registry, row, actor, f"{document.title}\u2192")
    audit.record(
        session,
        actor=actor,
        action="registry.document.removed",
        object_type=registry.name,
        object_id=row.id,
        before={"document": document.id, "sha256": document.sha256},
    )
    session.delete(document)
    session.flush()
    return document.media_key
