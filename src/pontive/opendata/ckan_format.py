"""Datasets, resources, organisations, groups and tags as CKAN's Action API shows them.

Organisations are the Perangkat Daerah (id and name: the PD ``kode``), groups the Smart City
dimensions (id and name: the dimension ``kode``). Times are UTC ISO 8601 without a zone
suffix, as CKAN writes them. Nothing personal is shown: ``author`` is the owning PD and
``creator_user_id`` is empty. Pontive's own fields (Satu Data metadata, frequency, temporal and
spatial coverage, classification, the publishing job) are ``extras`` under the keys of
``EXTRA_KEYS``, which ``ckan_catalogue`` reads back on create and update.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from pontive.opendata.choices import DatasetState, UrlType
from pontive.opendata.licenses import get_license
from pontive.opendata.models import Dataset, Resource
from pontive.reference import service as reference

# Pontive's fields carried as CKAN extras (key → what it holds).
EXTRA_KEYS = {
    "konsep": "Satu Data: konsep",
    "definisi": "Satu Data: definisi",
    "satuan": "Satu Data: satuan",
    "metode": "Satu Data: metode / rumus perhitungan",
    "level_estimasi": "Satu Data: level estimasi",
    "kode_referensi": "Satu Data: kode referensi",
    "frequency": "update frequency (Pontive vocabulary)",
    "accrual_periodicity": "DCAT accrualPeriodicity (EU frequency URI), read-only",
    "temporal_start": "temporal coverage start (YYYY-MM-DD)",
    "temporal_end": "temporal coverage end (YYYY-MM-DD)",
    "spatial_codes": "kelurahan / kecamatan codes covered, comma separated (empty: whole city)",
    "classification": "publik, terbatas or rahasia",
    "source_job": "the Pontive job that publishes this dataset, read-only",
    "refreshed_at": "when that job last refreshed it (UTC), read-only",
}
READ_ONLY_EXTRAS = frozenset({"accrual_periodicity", "source_job", "refreshed_at"})
_TAG_NAMESPACE = uuid.UUID("6f1d3c52-3b8e-4c1e-9a55-2f6c1b0e7d41")


def ckan_time(value: datetime | None) -> str | None:
    """CKAN's timestamp: UTC, ISO 8601, no zone suffix."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


@dataclass(frozen=True)
class CatalogueNames:
    """The organisations and groups datasets point at (read once per request)."""

    organisations: dict[str, Any]  # kode -> PerangkatDaerahRead
    active_organisations: frozenset[str]
    groups: dict[str, Any]  # kode -> DimensiRead


def load_names(session: Session) -> CatalogueNames:
    """The PD and dimension lists (cached by the reference domain)."""
    organisations = reference.list_perangkat_daerah(session=session, active_only=False)
    active = reference.list_perangkat_daerah(session=session)
    groups = reference.list_dimensi(session=session)
    return CatalogueNames(
        {pd.kode: pd for pd in organisations},
        frozenset(pd.kode for pd in active),
        {group.kode: group for group in groups},
    )


def organization_dict(kode: str, names: CatalogueNames) -> dict[str, Any]:
    """A PD as a CKAN organisation."""
    pd = names.organisations.get(kode)
    title = pd.nama if pd is not None else kode
    return {
        "id": kode,
        "name": kode,
        "title": title,
        "display_name": title,
        "description": pd.singkatan if pd is not None else "",
        "image_url": "",
        "created": None,
        "is_organization": True,
        "approval_status": "approved",
        "state": "active" if kode in names.active_organisations else "deleted",
        "type": "organization",
    }


def group_dict(kode: str, names: CatalogueNames, lang: str = "id") -> dict[str, Any]:
    """A Smart City dimension as a CKAN group."""
    group = names.groups.get(kode)
    title = (group.nama_en if lang == "en" else group.nama_id) if group is not None else kode
    return {
        "id": kode,
        "name": kode,
        "title": title,
        "display_name": title,
        "description": (group.uraian_id if group is not None else ""),
        "image_display_url": "",
        "image_url": "",
        "is_organization": False,
        "type": "group",
        "state": "active",
        "approval_status": "approved",
    }


def tag_dict(name: str) -> dict[str, Any]:
    """A tag (its id is derived from its name, so it is stable)."""
    return {
        "id": str(uuid.uuid5(_TAG_NAMESPACE, name)),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def download_url(site_url: str, resource: Resource) -> str:
    """Where a resource's bytes are: its link, or the portal's download address."""
    if resource.storage_key:
        filename = quote(resource.url or "berkas")
        return (
            f"{site_url}/dataset/{resource.dataset_id}/resource/{resource.id}/download/{filename}"
        )
    return resource.url


def resource_dict(resource: Resource, site_url: str) -> dict[str, Any]:
    """A resource as CKAN shows it."""
    url_type = None if resource.url_type is UrlType.LINK else resource.url_type.value
    return {
        "id": resource.id,
        "package_id": resource.dataset_id,
        "url": download_url(site_url, resource),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "mimetype_inner": None,
        "size": resource.size,
        "hash": resource.hash,
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(resource.last_modified),
        "metadata_modified": ckan_time(resource.last_modified),
        "url_type": url_type,
        "state": resource.state.value,
        "position": resource.position,
        "datastore_active": resource.datastore_active,
        "cache_url": None,
        "resource_type": None,
    }


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    values: dict[str, str] = {str(k): str(v) for k, v in (dataset.extras or {}).items()}
    for key in ("konsep", "definisi", "satuan", "metode", "level_estimasi", "kode_referensi"):
        if text := getattr(dataset, key):
            values[key] = text
    values["frequency"] = dataset.frequency.value
    values["accrual_periodicity"] = dataset.frequency.eu_uri
    if dataset.temporal_start is not None:
        values["temporal_start"] = dataset.temporal_start.isoformat()
    if dataset.temporal_end is not None:
        values["temporal_end"] = dataset.temporal_end.isoformat()
    if dataset.spatial_codes:
        values["spatial_codes"] = ",".join(dataset.spatial_codes)
    values["classification"] = dataset.classification.value
    if dataset.source_job:
        values["source_job"] = dataset.source_job
    if dataset.refreshed_at is not None:
        values["refreshed_at"] = ckan_time(dataset.refreshed_at) or ""
    return [{"key": key, "value": values[key]} for key in sorted(values)]


def dataset_dict(dataset: Dataset, names: CatalogueNames, site_url: str) -> dict[str, Any]:
    """A dataset as CKAN's ``package_show`` gives it."""
    licence = get_license(dataset.license_id)
    organisation = organization_dict(dataset.owner_org, names)
    resources = [
        resource_dict(resource, site_url)
        for resource in dataset.resources
        if resource.state is not DatasetState.DELETED
    ]
    tags = [tag_dict(tag.name) for tag in dataset.tags]
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "url": dataset.url,
        "version": dataset.version,
        "author": organisation["title"],  # the producing PD (produsen data), never a person
        "author_email": "",
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "license_id": dataset.license_id,
        "license_title": licence.title_en if licence is not None else dataset.license_id,
        "license_url": licence.url if licence is not None else "",
        "isopen": bool(licence and licence.isopen),
        "type": "dataset",
        "state": dataset.state.value,
        "private": dataset.private,
        "owner_org": dataset.owner_org,
        "organization": organisation,
        "creator_user_id": None,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.modified_at),
        "tags": tags,
        "groups": [group_dict(group.dimensi_kode, names) for group in dataset.groups],
        "extras": _extras(dataset),
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }
