"""Resource use-cases: add, replace, patch and withdraw a dataset's files and links.

An upload is streamed into the media store (never read whole) and becomes a new
``ResourceVersion``; the resource points at the newest, with its size, ``sha256:<hex>`` hash,
media type and, unless given, a format guessed from the file name.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore, TooLarge
from pontive.core.timeutil import utcnow
from pontive.opendata.access import require_publish
from pontive.opendata.actions import UploadedFile
from pontive.opendata.choices import ActivityType, DatasetState, UrlType
from pontive.opendata.models import Dataset, Resource, ResourceVersion
from pontive.opendata.service_inputs import RESOURCE_FIELDS, UNKNOWN_FIELD, ResourceInput
from pontive.opendata.service_support import get_dataset, get_resource, record_change

MEDIA_FOLDER = "opendata/resources"
# The largest file a resource may hold: a table of several million rows fits.
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
# File extension → CKAN format name (what the portal's format facet shows).
FORMATS = {
    "csv": "CSV",
    "tsv": "TSV",
    "xlsx": "XLSX",
    "xls": "XLS",
    "ods": "ODS",
    "json": "JSON",
    "geojson": "GeoJSON",
    "jsonld": "JSON-LD",
    "parquet": "Parquet",
    "xml": "XML",
    "rdf": "RDF",
    "ttl": "TTL",
    "kml": "KML",
    "kmz": "KMZ",
    "shp": "SHP",
    "gpkg": "GPKG",
    "zip": "ZIP",
    "pdf": "PDF",
    "doc": "DOC",
    "docx": "DOCX",
    "txt": "TXT",
    "html": "HTML",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
}
_EXTRA_TYPES = {
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
    "jsonld": "application/ld+json",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def add_resource(
    session: Session,
    *,
    actor: Actor,
    dataset_id_or_name: str,
    data: ResourceInput,
    upload: UploadedFile | None,
    media: MediaStore,
) -> Resource:
    """Add a file (``upload``) or a link (``data.url``) to a dataset."""
    dataset = get_dataset(session, dataset_id_or_name, actor=actor)
    require_publish(actor, dataset.owner_org)
    position = session.scalar(
        select(func.coalesce(func.max(Resource.position) + 1, 0)).where(
            Resource.dataset_id == dataset.id
        )
    )
    resource = Resource(dataset_id=dataset.id, position=position or 0, created_at=utcnow())
    _apply(session, resource, data, upload, media, actor=actor, is_new=True)
    session.add(resource)
    dataset.resources.append(resource)
    session.flush()
    _record(
        session,
        actor,
        dataset,
        {"added": [resource.id]},
        uploaded=upload is not None,
        rid=resource.id,
    )
    session.commit()
    return resource


def update_resource(
    session: Session,
    *,
    actor: Actor,
    resource_id: str,
    data: ResourceInput,
    upload: UploadedFile | None = None,
    media: MediaStore | None = None,
) -> Resource:
    """Replace a resource's metadata; a new ``upload`` adds a version and becomes current.
    An uploaded resource given no new file and no other address keeps its file."""
    resource = get_resource(session, resource_id, actor=actor)
    dataset = resource.dataset
    require_publish(actor, dataset.owner_org)
    if upload is not None and media is None:
        raise ValueError("update_resource needs the media store to keep an upload")
    _apply(session, resource, data, upload, media, actor=actor, is_new=False)
    session.flush()
    _record(
        session,
        actor,
        dataset,
        {"changed": [resource.id]},
        uploaded=upload is not None,
        rid=resource.id,
    )
    session.commit()
    return resource


def patch_resource(
    session: Session,
    *,
    actor: Actor,
    resource_id: str,
    changes: dict[str, Any],
    upload: UploadedFile | None = None,
    media: MediaStore | None = None,
) -> Resource:
    """Change only the named fields (``ResourceInput`` field names) and/or the file."""
    if unknown := sorted(set(changes) - RESOURCE_FIELDS):
        raise InvalidInput(errors={name: [UNKNOWN_FIELD] for name in unknown})
    resource = get_resource(session, resource_id, actor=actor)
    current = ResourceInput(
        name=resource.name,
        url="" if resource.url_type is UrlType.UPLOAD else resource.url,
        description=resource.description,
        format=resource.format,
        mimetype=resource.mimetype,
    )
    data = replace(current, **changes)
    return update_resource(
        session, actor=actor, resource_id=resource.id, data=data, upload=upload, media=media
    )


def delete_resource(session: Session, *, actor: Actor, resource_id: str) -> None:
    """Withdraw a resource (``state=deleted``; its file versions are kept)."""
    resource = get_resource(session, resource_id, actor=actor)
    dataset = resource.dataset
    require_publish(actor, dataset.owner_org)
    resource.state = DatasetState.DELETED
    resource.last_modified = utcnow()
    _record(session, actor, dataset, {"deleted": [resource.id]}, uploaded=False, rid=resource.id)
    session.commit()


def guess_format(filename_or_url: str) -> str:
    """The CKAN format of a file name or address (``""`` when unknown)."""
    suffix = PurePosixPath(urlsplit(filename_or_url).path).suffix.lower().lstrip(".")
    return FORMATS.get(suffix, suffix.upper() if 0 < len(suffix) <= 10 else "")


def guess_mimetype(filename: str) -> str:
    """The media type of a file name (``""`` when unknown)."""
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    return _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(filename)[0] or ""


def safe_filename(filename: str) -> str:
    """A file name safe in a URL path (the client's name, cleaned)."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("-", base).strip(".-")
    return cleaned[:200] or "berkas"


def _apply(
    session: Session,
    resource: Resource,
    data: ResourceInput,
    upload: UploadedFile | None,
    media: MediaStore | None,
    *,
    actor: Actor,
    is_new: bool,
) -> None:
    url = (data.url or "").strip()
    keeps_upload = resource.url_type is UrlType.UPLOAD and _points_at_upload(resource, url)
    errors: dict[str, list[str]] = {}
    if upload is None and not url and not keeps_upload:
        errors["url"] = ["Wajib diisi: unggah berkas atau isi tautan."]
    if (
        upload is None
        and url
        and not keeps_upload
        and urlsplit(url).scheme not in ("http", "https")
    ):
        errors["url"] = ["Tautan harus diawali http:// atau https://."]
    if len(data.format or "") > 20:
        errors["format"] = ["Paling panjang 20 karakter."]
    if len(data.name or "") > 300:
        errors["name"] = ["Paling panjang 300 karakter."]
    if errors:
        raise InvalidInput(errors=errors)
    if upload is not None and media is not None:
        _store_upload(session, resource, upload, media, actor=actor, is_new=is_new)
    elif not keeps_upload:
        resource.url_type = UrlType.LINK
        resource.url = url
        resource.storage_key = None
        resource.size = None
        resource.hash = ""
    source = resource.url
    resource.name = (data.name or "").strip() or PurePosixPath(urlsplit(source).path).name or source
    resource.description = data.description or ""
    resource.format = (data.format or "").strip() or guess_format(source)
    guessed = guess_mimetype(PurePosixPath(urlsplit(source).path).name)
    stored = upload is not None or keeps_upload
    resource.mimetype = (data.mimetype or "").strip() or (
        resource.mimetype if stored and resource.mimetype else guessed
    )
    resource.last_modified = utcnow()


def _store_upload(
    session: Session,
    resource: Resource,
    upload: UploadedFile,
    media: MediaStore,
    *,
    actor: Actor,
    is_new: bool,
) -> None:
    filename = safe_filename(upload.filename or "berkas")
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""
    upload.file.seek(0)
    try:
        key, size, digest = media.save_stream(
            upload.file, folder=MEDIA_FOLDER, suffix=suffix, max_bytes=MAX_UPLOAD_BYTES
        )
    except TooLarge as error:
        limit = f"{error.max_bytes // (1024 * 1024)} MB"
        raise InvalidInput(
            errors={"upload": [f"Berkas terlalu besar: paling besar {limit}."]}
        ) from None
    number = 1
    if not is_new:
        latest = session.scalar(
            select(func.max(ResourceVersion.number)).where(
                ResourceVersion.resource_id == resource.id
            )
        )
        number = (latest or 0) + 1
    resource.versions.append(
        ResourceVersion(
            number=number,
            storage_key=key,
            size=size,
            hash=f"sha256:{digest}",
            created_by=actor.label,
            created_at=utcnow(),
        )
    )
    resource.url_type = UrlType.UPLOAD
    resource.url = filename  # CKAN keeps the file name; the address is built when shown
    resource.storage_key = key
    resource.size = size
    resource.hash = f"sha256:{digest}"
    content_type = (upload.content_type or "").split(";")[0].strip()
    generic = content_type in ("", "application/octet-stream")
    resource.mimetype = guess_mimetype(filename) if generic else content_type


def _points_at_upload(resource: Resource, url: str) -> bool:
    """Whether ``url`` names the resource's own stored file (empty, its file name, or its
    download address, as a client that read the resource sends it back)."""
    if not url or url == resource.url:
        return True
    return url.endswith(f"/resource/{resource.id}/download/{resource.url}")


def _record(
    session: Session,
    actor: Actor,
    dataset: Dataset,
    what: dict[str, list[str]],
    *,
    uploaded: bool,
    rid: str,
) -> None:
    data: dict[str, Any] = {"changed": ["resources"], "resources": what}
    if uploaded:
        data["uploaded"] = [rid]
    record_change(session, actor=actor, dataset=dataset, kind=ActivityType.CHANGED, data=data)
