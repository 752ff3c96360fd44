"""What a publisher sends for a dataset or a resource, and the checks it must pass.

Field names are CKAN's (``name``, ``title``, ``owner_org``, ``license_id``, ``tags``,
``groups``…) so that the CKAN API can hand its field errors back unchanged; the messages are in
Bahasa Indonesia. Enumerated values may arrive as strings (forms, the API): ``validate_dataset``
turns them into their choices or says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput
from pontive.opendata.choices import DatasetState, Frequency
from pontive.opendata.licenses import DEFAULT_LICENSE, get_license
from pontive.opendata.models import Dataset
from pontive.reference import service as reference

# CKAN: package names 2-100 characters of lowercase ascii letters, digits, "-" and "_".
NAME_PATTERN = re.compile(r"^[a-z0-9_-]{2,100}$")
# CKAN: tags 2-100 characters of letters, digits, spaces and "-_.".
TAG_PATTERN = re.compile(r"^[\w .-]{2,100}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

MISSING = "Wajib diisi."
UNKNOWN_FIELD = "Kolom tidak dikenal."


@dataclass(frozen=True, slots=True)
class DatasetInput:
    """A dataset's metadata as a publisher gives it (a full replacement on update)."""

    name: str
    title: str
    owner_org: str
    notes: str = ""
    classification: Classification | str = Classification.PUBLIK
    state: DatasetState | str = DatasetState.ACTIVE
    license_id: str = DEFAULT_LICENSE
    version: str = ""
    url: str = ""
    maintainer: str = ""
    maintainer_email: str = ""
    frequency: Frequency | str = Frequency.TIDAK_TENTU
    temporal_start: date | str | None = None
    temporal_end: date | str | None = None
    spatial_codes: tuple[str, ...] = ()
    konsep: str = ""
    definisi: str = ""
    satuan: str = ""
    metode: str = ""
    level_estimasi: str = ""
    kode_referensi: str = ""
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    extras: Mapping[str, str] = field(default_factory=dict)
    source_job: str | None = None


DATASET_FIELDS = frozenset(item.name for item in fields(DatasetInput))


@dataclass(frozen=True, slots=True)
class ResourceInput:
    """A resource's metadata (the file itself comes as an upload, or ``url`` is a link)."""

    name: str = ""
    url: str = ""
    description: str = ""
    format: str = ""
    mimetype: str = ""


RESOURCE_FIELDS = frozenset(item.name for item in fields(ResourceInput))


@dataclass(frozen=True, slots=True)
class CleanDataset:
    """A validated ``DatasetInput``: typed values, ready to store."""

    values: dict[str, Any]  # column values of ``Dataset``
    tags: list[str]
    groups: list[str]


def input_from_dataset(dataset: Dataset) -> DatasetInput:
    """The input that would store ``dataset`` as it is (the base of a patch)."""
    return DatasetInput(
        name=dataset.name,
        title=dataset.title,
        owner_org=dataset.owner_org,
        notes=dataset.notes,
        classification=dataset.classification,
        state=dataset.state,
        license_id=dataset.license_id,
        version=dataset.version,
        url=dataset.url,
        maintainer=dataset.maintainer,
        maintainer_email=dataset.maintainer_email,
        frequency=dataset.frequency,
        temporal_start=dataset.temporal_start,
        temporal_end=dataset.temporal_end,
        spatial_codes=tuple(dataset.spatial_codes or ()),
        konsep=dataset.konsep,
        definisi=dataset.definisi,
        satuan=dataset.satuan,
        metode=dataset.metode,
        level_estimasi=dataset.level_estimasi,
        kode_referensi=dataset.kode_referensi,
        tags=tuple(tag.name for tag in dataset.tags),
        groups=tuple(group.dimensi_kode for group in dataset.groups),
        extras=dict(dataset.extras or {}),
        source_job=dataset.source_job,
    )


def validate_dataset(
    session: Session, data: DatasetInput, *, dataset_id: str | None
) -> CleanDataset:
    """Check ``data`` (``dataset_id``: the dataset it replaces, for the unique name);
    raises ``InvalidInput`` with every problem found."""
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    errors |= _check_name(session, name, dataset_id)
    title = (data.title or "").strip() or name
    if len(title) > 300:
        errors["title"] = ["Judul paling panjang 300 karakter."]
    owner_org = (data.owner_org or "").strip()
    errors |= _check_owner_org(session, owner_org)
    if get_license(data.license_id or "") is None:
        errors["license_id"] = ["Lisensi tidak dikenal."]
    classification = _choice(Classification, data.classification, "classification", errors)
    state = _choice(DatasetState, data.state, "state", errors)
    if state is DatasetState.DELETED:
        errors["state"] = ["Gunakan penghapusan dataset untuk menghapus."]
    frequency = _choice(Frequency, data.frequency, "frequency", errors)
    start = _date(data.temporal_start, "temporal_start", errors)
    end = _date(data.temporal_end, "temporal_end", errors)
    if start and end and end < start:
        errors["temporal_end"] = ["Akhir cakupan waktu tidak boleh sebelum awalnya."]
    email = (data.maintainer_email or "").strip()
    if email and not EMAIL_PATTERN.match(email):
        errors["maintainer_email"] = ["Alamat surel tidak valid."]
    tags = sorted(_unique(tag.strip() for tag in data.tags if tag.strip()))
    if bad := [tag for tag in tags if not TAG_PATTERN.match(tag)]:
        errors["tags"] = [
            f"Tag '{tag}': 2-100 karakter huruf, angka, spasi, '-', '_' atau '.'." for tag in bad
        ]
    groups = sorted(_unique(group.strip() for group in data.groups if group.strip()))
    known_groups = {dimensi.kode for dimensi in reference.list_dimensi(session=session)}
    if unknown := [group for group in groups if group not in known_groups]:
        errors["groups"] = [f"Dimensi '{group}' tidak dikenal." for group in unknown]
    spatial = _unique(code.strip() for code in data.spatial_codes if code.strip())
    if unknown := [code for code in spatial if code not in _area_codes(session)]:
        errors["spatial"] = [f"Kode wilayah '{code}' tidak dikenal." for code in unknown]
    extras = {str(key).strip(): str(value) for key, value in dict(data.extras or {}).items()}
    if any(not key or len(key) > 100 for key in extras):
        errors["extras"] = ["Kunci tambahan wajib diisi, paling panjang 100 karakter."]
    for name_, limit in (("version", 40), ("url", 1000), ("maintainer", 200), ("satuan", 100)):
        if len(str(getattr(data, name_) or "")) > limit:
            errors[name_] = [f"Paling panjang {limit} karakter."]
    if errors:
        raise InvalidInput(errors=errors)
    values = {
        "name": name,
        "title": title,
        "owner_org": owner_org,
        "notes": data.notes or "",
        "classification": classification,
        "state": state,
        "license_id": data.license_id,
        "version": data.version or "",
        "url": data.url or "",
        "maintainer": data.maintainer or "",
        "maintainer_email": email,
        "frequency": frequency,
        "temporal_start": start,
        "temporal_end": end,
        "spatial_codes": spatial,
        "konsep": data.konsep or "",
        "definisi": data.definisi or "",
        "satuan": data.satuan or "",
        "metode": data.metode or "",
        "level_estimasi": data.level_estimasi or "",
        "kode_referensi": data.kode_referensi or "",
        "extras": extras,
        "source_job": data.source_job or None,
    }
    return CleanDataset(values, tags, groups)


def _check_name(session: Session, name: str, dataset_id: str | None) -> dict[str, list[str]]:
    if not name:
        return {"name": [MISSING]}
    if len(name) < 2:
        return {"name": ["Paling sedikit 2 karakter."]}
    if len(name) > 100:
        return {"name": ["Paling panjang 100 karakter."]}
    if not NAME_PATTERN.match(name):
        return {
            "name": ["Hanya huruf kecil (a-z), angka (0-9), '-' dan '_' tanpa spasi."],
        }
    query = select(Dataset.id).where(Dataset.name == name)
    if dataset_id is not None:
        query = query.where(Dataset.id != dataset_id)
    if session.scalar(query) is not None:
        return {"name": ["URL tersebut sudah dipakai."]}
    return {}


def _check_owner_org(session: Session, owner_org: str) -> dict[str, list[str]]:
    if not owner_org:
        return {"owner_org": [MISSING]}
    active = {pd.kode for pd in reference.list_perangkat_daerah(session=session)}
    if owner_org not in active:
        return {"owner_org": ["Perangkat Daerah tidak dikenal atau tidak aktif."]}
    return {}


def _area_codes(session: Session) -> set[str]:
    codes: set[str] = set()
    for kecamatan in reference.list_kecamatan(session=session):
        codes.add(kecamatan.kode)
        codes.update(kelurahan.kode for kelurahan in kecamatan.kelurahan)
    return codes


_C = TypeVar("_C", Classification, DatasetState, Frequency)


def _choice(kind: type[_C], value: object, name: str, errors: dict[str, list[str]]) -> _C:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        errors[name] = [f"Nilai tidak dikenal; pilih salah satu dari: {allowed}."]
        return next(iter(kind))


def _date(value: date | str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors[name] = ["Tanggal harus berbentuk TTTT-BB-HH."]
        return None


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))
