"""The licences a dataset may carry (CKAN's default licence list, Open Definition ids).

``isopen`` follows the Open Definition: a licence is open when anyone may use, change and
share the data. Closed licences are listed so that a PD can say so plainly, never to hide data
that the law makes public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class License:
    """One licence: its id, titles (id/en), where its text lives, and whether it is open."""

    id: str
    title_id: str
    title_en: str
    url: str
    isopen: bool
    od_conformance: str = "not reviewed"

    def title(self, lang: str = "id") -> str:
        """The title in ``lang``."""
        return self.title_en if lang == "en" else self.title_id

    def as_ckan(self) -> dict[str, Any]:
        """The ``license_list`` entry (CKAN's keys)."""
        return {
            "id": self.id,
            "title": self.title_en,
            "url": self.url,
            "is_okd_compliant": self.isopen,
            "is_osi_compliant": False,
            "od_conformance": self.od_conformance,
            "osd_conformance": "not reviewed",
            "family": "",
            "maintainer": "",
            "status": "active",
            "domain_content": False,
            "domain_data": self.isopen,
            "domain_software": False,
        }


DEFAULT_LICENSE = "cc-by-4.0"

LICENSES: dict[str, License] = {
    item.id: item
    for item in (
        License(
            "cc-by-4.0",
            "Creative Commons Atribusi 4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
            True,
            "approved",
        ),
        License(
            "cc-by-sa-4.0",
            "Creative Commons Atribusi-BerbagiSerupa 4.0",
            "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            True,
            "approved",
        ),
        License(
            "cc-zero",
            "Creative Commons CCZero (domain publik)",
            "Creative Commons CCZero",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            True,
            "approved",
        ),
        License(
            "cc-nc",
            "Creative Commons Non-Komersial",
            "Creative Commons Non-Commercial (Any)",
            "https://creativecommons.org/licenses/by-nc/2.0/",
            False,
        ),
        License(
            "odc-by",
            "Open Data Commons Attribution License",
            "Open Data Commons Attribution License",
            "https://opendatacommons.org/licenses/by/1-0/",
            True,
            "approved",
        ),
        License(
            "odc-odbl",
            "Open Data Commons Open Database License (ODbL)",
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            True,
            "approved",
        ),
        License(
            "odc-pddl",
            "Open Data Commons Public Domain Dedication and License (PDDL)",
            "Open Data Commons Public Domain Dedication and License (PDDL)",
            "https://opendatacommons.org/licenses/pddl/1-0/",
            True,
            "approved",
        ),
        License("other-open", "Lainnya (terbuka)", "Other (Open)", "", True),
        License("other-pd", "Lainnya (domain publik)", "Other (Public Domain)", "", True),
        License("other-at", "Lainnya (atribusi)", "Other (Attribution)", "", True),
        License("other-nc", "Lainnya (non-komersial)", "Other (Non-Commercial)", "", False),
        License("other-closed", "Lainnya (tidak terbuka)", "Other (Not Open)", "", False),
        License("notspecified", "Lisensi tidak disebutkan", "License not specified", "", False),
    )
}


def get_license(license_id: str) -> License | None:
    """The licence with this id, if known."""
    return LICENSES.get(license_id)


def license_list() -> list[dict[str, Any]]:
    """Every licence in CKAN's ``license_list`` form."""
    return [item.as_ckan() for item in LICENSES.values()]
