"""What the public catalogue formats (DCAT-AP, Project Open Data) read: the active publik
datasets with their tags, dimensions and resources, and the names they refer to (Perangkat
Daerah, dimensions, kelurahan and kecamatan), each list loaded once per document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pontive.core.choices import Classification
from pontive.core.errors import NotFound
from pontive.core.identity import ANONYMOUS
from pontive.opendata import access
from pontive.opendata.choices import DatasetState, UrlType
from pontive.opendata.dcat_vocab import CITY_KODE, WALIDATA_EMAIL, WALIDATA_NAME
from pontive.opendata.models import Dataset, Resource
from pontive.reference import service as reference
from pontive.web.i18n import translate

PAGE_SIZE = 1000  # datasets per catalogue page (ckanext-dcat's default too)
IS_PUBLIC = (Dataset.state == DatasetState.ACTIVE) & (
    Dataset.classification == Classification.PUBLIK
)


@dataclass(frozen=True, slots=True)
class Names:
    """Names the documents show for codes: PDs, dimensions (id, en), places."""

    site: str  # the portal's public address, no trailing slash
    perangkat_daerah: dict[str, str]
    dimensi: dict[str, tuple[str, str]]
    wilayah: dict[str, str]

    def place(self, kode: str) -> str:
        """A kelurahan's or kecamatan's name (the code itself when unknown)."""
        return self.wilayah.get(kode, kode)

    def dataset_url(self, dataset: Dataset) -> str:
        """The dataset's page on the portal (DCAT landingPage)."""
        return f"{self.site}/dataset/{dataset.name}"

    def contact(self, dataset: Dataset) -> tuple[str, str]:
        """Who answers questions about the dataset: (name, e-mail address). Without an
        address of its own, the walidata answers for it (name and address agree)."""
        if dataset.maintainer_email:
            office = dataset.maintainer or self.perangkat_daerah.get(dataset.owner_org, "")
            return office or WALIDATA_NAME, dataset.maintainer_email
        return WALIDATA_NAME, WALIDATA_EMAIL

    def download_url(self, dataset: Dataset, resource: Resource) -> str:
        """Where the resource's bytes are: the link itself, or the portal's download address
        (CKAN's ``/dataset/<id>/resource/<id>/download/<file name>``)."""
        if resource.url_type is UrlType.LINK:
            return resource.url
        filename = resource.url.rsplit("/", 1)[-1] or f"{resource.id}.{resource.format.lower()}"
        return f"{self.site}/dataset/{dataset.id}/resource/{resource.id}/download/{filename}"


def load_names(session: Session, site: str) -> Names:
    """The reference names, from the reference service's cached lists."""
    wilayah = {CITY_KODE: "Kota Pontianak"}
    for kecamatan in reference.list_kecamatan(session=session):
        wilayah[kecamatan.kode] = f"Kecamatan {kecamatan.nama_umum}"
        for kelurahan in kecamatan.kelurahan:
            wilayah[kelurahan.kode] = f"Kelurahan {kelurahan.nama_umum}"
    return Names(
        site=site.rstrip("/"),
        perangkat_daerah={
            pd.kode: pd.nama
            for pd in reference.list_perangkat_daerah(session=session, active_only=False)
        },
        dimensi={d.kode: (d.nama_id, d.nama_en) for d in reference.list_dimensi(session=session)},
        wilayah=wilayah,
    )


def count_public(session: Session) -> int:
    """How many datasets the public catalogue lists."""
    return session.scalar(select(func.count()).select_from(Dataset).where(IS_PUBLIC)) or 0


def last_modified(session: Session) -> datetime | None:
    """When the newest public dataset changed (the catalogue's ``modified``)."""
    return session.scalar(select(func.max(Dataset.modified_at)).where(IS_PUBLIC))


def public_datasets(
    session: Session, *, page: int = 1, page_size: int = PAGE_SIZE
) -> list[Dataset]:
    """A page of the public catalogue, newest change first, with everything it shows."""
    query = (
        select(Dataset)
        .where(IS_PUBLIC)
        .options(
            selectinload(Dataset.tags),
            selectinload(Dataset.groups),
            selectinload(Dataset.resources),
        )
        .order_by(Dataset.modified_at.desc(), Dataset.id)
        .limit(page_size)
        .offset((max(page, 1) - 1) * page_size)
    )
    return list(session.scalars(query))


def get_public_dataset(session: Session, name_or_id: str) -> Dataset:
    """One dataset an anonymous visitor may see, by name or id; ``NotFound`` otherwise."""
    dataset = session.scalar(
        select(Dataset).where((Dataset.name == name_or_id) | (Dataset.id == name_or_id))
    )
    if dataset is None:
        raise NotFound(*(translate("opendata.dcat.not_found", lang) for lang in ("id", "en")))
    access.require_visible(ANONYMOUS, dataset)
    return dataset


def public_resources(dataset: Dataset) -> list[Resource]:
    """The dataset's resources that are published (not deleted), in order."""
    return [r for r in dataset.resources if r.state is DatasetState.ACTIVE]
