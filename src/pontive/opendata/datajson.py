"""The public catalogue as Project Open Data metadata, schema v1.1 (``/data.json``).

Field by field as the v1.1 schema's "Catalog Fields" and "Dataset Fields" tables say:
every "Always" field, the "If-Applicable" ones the dataset has (license, spatial, temporal,
distribution) and the optional ones Pontive knows. ``bureauCode`` and ``programCode`` are
for US federal agencies only and are left out. Only active publik datasets appear, so
``accessLevel`` is always ``public``. Optional fields without a value are omitted, never
given as empty strings (the schema allows null, but not "").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from pontive.opendata import catalogue_read
from pontive.opendata.catalogue_read import Names
from pontive.opendata.choices import UrlType
from pontive.opendata.dcat_vocab import (
    CITY_KODE,
    CITY_NAME,
    POD_SCHEMA,
    licence_url,
    media_type,
)
from pontive.opendata.models import Dataset, Resource

CONTEXT_URL = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"


def _instant(value: datetime) -> str:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _temporal(dataset: Dataset) -> str | None:
    # POD: "start/end" as an ISO 8601 interval; an open end is not allowed, so a dataset with
    # only a start runs to the day it was last changed.
    start, end = dataset.temporal_start, dataset.temporal_end
    if start is None:
        return None
    finish = end or dataset.modified_at.date()
    return f"{start.isoformat()}/{finish.isoformat()}"


def _distribution(dataset: Dataset, resource: Resource, names: Names) -> dict[str, Any]:
    url = names.download_url(dataset, resource)
    entry: dict[str, Any] = {"@type": "dcat:Distribution", "title": resource.name}
    mime = media_type(resource.format, resource.mimetype)
    # POD: downloadURL needs mediaType; a link to a page or an API is an accessURL.
    if resource.url_type is not UrlType.LINK and mime:
        entry["downloadURL"] = url
        entry["mediaType"] = mime
    else:
        entry["accessURL"] = url
    if resource.format:
        entry["format"] = resource.format
    if resource.description:
        entry["description"] = resource.description
    return entry


def dataset_entry(dataset: Dataset, names: Names) -> dict[str, Any]:
    """One dataset as a POD v1.1 dataset object."""
    publisher = names.perangkat_daerah.get(dataset.owner_org, dataset.owner_org)
    office, email = names.contact(dataset)
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": dataset.title,
        "description": dataset.notes or dataset.title,
        "keyword": [tag.name for tag in dataset.tags] or [dataset.name],
        "modified": _instant(dataset.modified_at),
        "publisher": {
            "@type": "org:Organization",
            "name": publisher,
            "subOrganizationOf": {"@type": "org:Organization", "name": CITY_NAME},
        },
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": office,
            "hasEmail": f"mailto:{email}",
        },
        "identifier": f"{names.site}/dataset/{dataset.id}",
        "accessLevel": "public",
        "accrualPeriodicity": dataset.frequency.iso8601,
        "issued": _instant(dataset.created_at),
        "landingPage": names.dataset_url(dataset),
        "language": ["id"],
        "spatial": ", ".join(names.place(k) for k in dataset.spatial_codes or [CITY_KODE]),
    }
    licence = licence_url(dataset.license_id)
    if licence:
        entry["license"] = licence
    temporal = _temporal(dataset)
    if temporal:
        entry["temporal"] = temporal
    themes = [
        names.dimensi[g.dimensi_kode][0] for g in dataset.groups if g.dimensi_kode in names.dimensi
    ]
    if themes:
        entry["theme"] = themes
    distributions = [
        _distribution(dataset, resource, names)
        for resource in catalogue_read.public_resources(dataset)
    ]
    if distributions:
        entry["distribution"] = distributions
    if dataset.url:
        entry["references"] = [dataset.url]
    return entry


def catalog(session: Session, *, site: str) -> dict[str, Any]:
    """The whole public catalogue (POD has no paging: every page of it, in one document)."""
    names = catalogue_read.load_names(session, site)
    datasets: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = catalogue_read.public_datasets(session, page=page)
        datasets += [dataset_entry(dataset, names) for dataset in batch]
        if len(batch) < catalogue_read.PAGE_SIZE:
            break
        page += 1
    return {
        "@context": CONTEXT_URL,
        "@id": f"{names.site}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": DESCRIBED_BY,
        "dataset": datasets,
    }
