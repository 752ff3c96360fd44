"""Open data fixtures: datasets and resources made directly (for tests of the parts that read
them); the service's own tests create them through ``opendata/service.py``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.opendata import usage
from pontive.opendata.choices import DatasetState, UrlType
from pontive.opendata.models import Dataset, DatasetGroup, DatasetTag, Resource


@pytest.fixture(autouse=True)
def _own_usage_counts(monkeypatch: pytest.MonkeyPatch) -> usage.UsageBuffer:
    """Each test gathers its own usage counts (the process-wide buffer would carry counts of
    one test's rolled-back datasets into the next)."""
    buffer = usage.UsageBuffer()
    monkeypatch.setattr(usage, "BUFFER", buffer)
    return buffer


def make_dataset(
    session: Session,
    name: str = "jumlah-penduduk-per-kelurahan",
    *,
    owner_org: str = "diskominfo",
    classification: Classification = Classification.PUBLIK,
    state: DatasetState = DatasetState.ACTIVE,
    tags: tuple[str, ...] = ("penduduk",),
    groups: tuple[str, ...] = ("society",),
    **fields: Any,
) -> Dataset:
    """A stored dataset with tags and dimensions (flushed, not committed)."""
    dataset = Dataset(
        name=name,
        title=fields.pop("title", name.replace("-", " ").capitalize()),
        notes=fields.pop("notes", "Data contoh untuk pengujian."),
        owner_org=owner_org,
        classification=classification,
        state=state,
        **fields,
    )
    dataset.tags = [DatasetTag(name=tag) for tag in tags]
    dataset.groups = [DatasetGroup(dimensi_kode=kode) for kode in groups]
    session.add(dataset)
    session.flush()
    return dataset


def make_resource(
    session: Session, dataset: Dataset, name: str = "data.csv", **fields: Any
) -> Resource:
    """A link resource of ``dataset`` (flushed)."""
    resource = Resource(
        dataset_id=dataset.id,
        name=name,
        format=fields.pop("format", "CSV"),
        url_type=fields.pop("url_type", UrlType.LINK),
        url=fields.pop("url", "https://data.pontianak.go.id/contoh.csv"),
        position=len(dataset.resources),
        **fields,
    )
    session.add(resource)
    session.flush()
    session.refresh(dataset)
    return resource
