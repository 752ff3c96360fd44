"""Plumbing shared by the open data pages and console: names of Perangkat Daerah and
dimensions, short descriptions, the kelurahan a dataset covers, and formats of a dataset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pontive.opendata.models import Dataset
from pontive.reference import service as reference

SUMMARY_CHARS = 220
_MARKUP = re.compile(r"[#*_`>\[\]]+")


@dataclass(frozen=True, slots=True)
class Names:
    """What codes are called: PD (``kode`` → name, abbreviation), dimensions, kelurahan."""

    pd: dict[str, str]
    pd_short: dict[str, str]
    dimensi: dict[str, tuple[str, str]]  # kode -> (nama_id, nama_en)
    wilayah: dict[str, str]  # kelurahan / kecamatan kode -> name

    def dimension(self, kode: str, lang: str) -> str:
        """A dimension's name in ``lang``."""
        names = self.dimensi.get(kode)
        if names is None:
            return kode
        return names[1] if lang == "en" else names[0]

    def organisation(self, kode: str) -> str:
        """A PD's full name (its code when unknown)."""
        return self.pd.get(kode, kode)

    def place(self, kode: str) -> str:
        """A kelurahan or kecamatan's name (its code when unknown)."""
        return self.wilayah.get(kode, kode)


def load_names(session: Session) -> Names:
    """The reference names the pages need (the reference service caches its lists)."""
    pds = reference.list_perangkat_daerah(session=session, active_only=False)
    wilayah: dict[str, str] = {}
    for kecamatan in reference.list_kecamatan(session=session):
        wilayah[kecamatan.kode] = f"Kec. {kecamatan.nama_umum}"
        for kelurahan in kecamatan.kelurahan:
            wilayah[kelurahan.kode] = kelurahan.nama_umum
    return Names(
        pd={pd.kode: pd.nama for pd in pds},
        pd_short={pd.kode: pd.singkatan or pd.kode.upper() for pd in pds},
        dimensi={d.kode: (d.nama_id, d.nama_en) for d in reference.list_dimensi(session=session)},
        wilayah=wilayah,
    )


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first words of a description, without Markdown marks, cut at a word."""
    plain = " ".join(_MARKUP.sub("", text).split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + "…"


def formats_of(dataset: Dataset) -> list[str]:
    """The formats of a dataset's active resources, once each, in resource order."""
    seen = [r.format.upper() for r in dataset.resources if r.format and r.state.value == "active"]
    return list(dict.fromkeys(seen))


def facet_items(raw: Any) -> list[tuple[str, int]]:
    """A search result's facet as ``(value, count)`` pairs, most frequent first, whichever
    shape the search gave (a mapping, pairs, or CKAN's ``{"name", "count"}`` items)."""
    if isinstance(raw, dict):
        if "items" in raw:
            return facet_items(raw["items"])
        pairs = [(str(k), int(v)) for k, v in raw.items()]
    else:
        pairs = []
        for item in raw or ():
            if isinstance(item, dict):
                pairs.append((str(item["name"]), int(item["count"])))
            else:
                name, count = item
                pairs.append((str(name), int(count)))
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
