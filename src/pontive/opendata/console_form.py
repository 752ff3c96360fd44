"""The publishing console's dataset form read and shown: what was typed (kept as typed when
the service refuses it), the service's input, a dataset's values to edit, and which Satu Data
and DCAT recommended fields are still missing (``service.completeness``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Any

from starlette.datastructures import FormData

from pontive.core.choices import Classification
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.opendata import service
from pontive.opendata.choices import DatasetState, Frequency
from pontive.opendata.licenses import DEFAULT_LICENSE
from pontive.opendata.models import Dataset, DatasetGroup, DatasetTag
from pontive.opendata.service_inputs import input_from_dataset

TEXT_FIELDS = (
    "title",
    "name",
    "owner_org",
    "notes",
    "url",
    "version",
    "maintainer",
    "maintainer_email",
    "konsep",
    "definisi",
    "satuan",
    "metode",
    "level_estimasi",
    "kode_referensi",
    "frequency",
    "temporal_start",
    "temporal_end",
    "license_id",
    "classification",
    "state",
    "tags",
)
LIST_FIELDS = ("groups", "spatial_codes")
# The form's sections, in order, and the fields each holds (for the completeness list).
SECTIONS: dict[str, tuple[str, ...]] = {
    "identitas": ("title", "name", "owner_org", "groups", "tags"),
    "deskripsi": ("notes", "url", "version", "maintainer", "maintainer_email"),
    "satudata": ("konsep", "definisi", "satuan", "metode", "level_estimasi", "kode_referensi"),
    "cakupan": ("frequency", "temporal", "temporal_start", "temporal_end", "spatial"),
    "lisensi": ("license_id", "classification", "state"),
}
# completeness() names -> the form's section anchor
MISSING_SECTION = {name: s for s, names in SECTIONS.items() for name in names} | {
    "resources": "sumber",
    "spatial": "cakupan",
    "temporal": "cakupan",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A dataset name from a title: lower-case ASCII words joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:100]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def typed(form: FormData) -> dict[str, Any]:
    """What was typed, as the form shows it again."""
    values: dict[str, Any] = {name: _text(form, name) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
    return values


def blank(actor: Actor) -> dict[str, Any]:
    """A new dataset's starting values (the officer's own PD, a draft, CC BY 4.0)."""
    return {
        **dict.fromkeys(TEXT_FIELDS, ""),
        "owner_org": actor.pd_kode or "",
        "frequency": Frequency.TIDAK_TENTU.value,
        "license_id": DEFAULT_LICENSE,
        "classification": Classification.PUBLIK.value,
        "state": DatasetState.DRAFT.value,
        "groups": [],
        "spatial_codes": [],
    }


def values_of(dataset: Dataset) -> dict[str, Any]:
    """A stored dataset as the edit form shows it."""
    data = asdict(input_from_dataset(dataset))
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value: Any = data.get(name)
        if name == "tags":
            value = ", ".join(data["tags"])
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        values[name] = "" if value is None else str(value)
    values["groups"] = list(data["groups"])
    values["spatial_codes"] = list(data["spatial_codes"])
    return values


def to_input(values: dict[str, Any], *, keep: Dataset | None = None) -> service.DatasetInput:
    """The service's input from the form's values (``keep``: the dataset being edited, whose
    extras and source job the form does not show)."""
    tags = tuple(t.strip() for t in re.split(r"[,;\n]", values["tags"]) if t.strip())
    return service.DatasetInput(
        name=values["name"] or slugify(values["title"]),
        title=values["title"],
        owner_org=values["owner_org"],
        notes=values["notes"],
        classification=values["classification"],
        state=values["state"],
        license_id=values["license_id"],
        version=values["version"],
        url=values["url"],
        maintainer=values["maintainer"],
        maintainer_email=values["maintainer_email"],
        frequency=values["frequency"],
        temporal_start=values["temporal_start"] or None,
        temporal_end=values["temporal_end"] or None,
        spatial_codes=tuple(values["spatial_codes"]),
        konsep=values["konsep"],
        definisi=values["definisi"],
        satuan=values["satuan"],
        metode=values["metode"],
        level_estimasi=values["level_estimasi"],
        kode_referensi=values["kode_referensi"],
        tags=tags,
        groups=tuple(values["groups"]),
        extras=dict(keep.extras or {}) if keep else {},
        source_job=keep.source_job if keep else None,
    )


def missing(values: dict[str, Any], *, has_resources: bool) -> list[str]:
    """The recommended fields the form's values still lack (``service.completeness`` over an
    unsaved copy, never added to the session)."""
    draft = Dataset(
        konsep=values["konsep"],
        definisi=values["definisi"],
        satuan=values["satuan"],
        metode=values["metode"],
        level_estimasi=values["level_estimasi"],
        kode_referensi=values["kode_referensi"],
        frequency=_frequency(values["frequency"]),
        temporal_start=values["temporal_start"] or None,
        spatial_codes=list(values["spatial_codes"]),
        maintainer_email=values["maintainer_email"],
    )
    draft.tags = [DatasetTag(name=t) for t in values["tags"].split(",") if t.strip()]
    draft.groups = [DatasetGroup(dimensi_kode=g) for g in values["groups"]]
    draft.resources = []
    gaps = service.completeness(draft)
    return [name for name in gaps if not (name == "resources" and has_resources)]


def _frequency(raw: str) -> Frequency:
    try:
        return Frequency(raw)
    except ValueError:
        return Frequency.TIDAK_TENTU


def organisations_for(actor: Actor, all_pd: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The PDs ``actor`` may publish for: their own, or every one for city-wide roles."""
    if actor.role is Role.PETUGAS_PD:
        return [(kode, name) for kode, name in all_pd if kode == actor.pd_kode]
    return all_pd
