"""The institutions' console area ``/console/kelembagaan`` and its registries (Perda
9/2022 Pasal 4-6, 12-13, 20-21), declared in three modules imported here in display order:

- ``registries_council``: mayor's decrees, council members, duties, technical team;
- ``registries_meetings``: council meetings and their recommendations;
- ``registries_capacity``: partnerships, capacity events and participants, certifications,
  experts and technology transfers.
"""

from __future__ import annotations

from pontive.core.registry import Area, Link, register_area

# The area lists registries in the order they are declared: council, meetings, capacity.
# isort: off
from pontive.institutions import registries_council  # noqa: F401
from pontive.institutions import registries_meetings  # noqa: F401
from pontive.institutions import registries_capacity  # noqa: F401

# isort: on
from pontive.institutions.paths import CAPACITY_PAGE, CONSOLE, DOMAIN, FOLLOWUP_PAGE, PUBLIC_PAGE
from pontive.institutions.service import VIEW

AREA = register_area(
    Area(
        path=CONSOLE,
        domain=DOMAIN,
        title=("Kelembagaan & kapasitas", "Institutions & capacity"),
        description=(
            "Dewan dan Tim Teknis Smart City, kerja sama, peningkatan kapasitas SDM, sertifikasi "
            "dan tenaga ahli (Perda 9/2022 Pasal 4-6, 12-13, 20-21).",
            "The Smart City Council and Technical Team, partnerships, capacity building, "
            "certifications and experts (Perda 9/2022 Articles 4-6, 12-13, 20-21).",
        ),
        action=VIEW,
        icon="users",
        order=610,
        links=(
            Link(
                FOLLOWUP_PAGE,
                ("Tindak lanjut rekomendasi", "Recommendation follow-up"),
                VIEW,
                icon="report",
            ),
            Link(
                CAPACITY_PAGE,
                ("Ikhtisar kapasitas SDM", "Capacity overview"),
                VIEW,
                icon="chart",
            ),
            Link(
                PUBLIC_PAGE,
                ("Halaman publik Dewan", "The council's public page"),
                VIEW,
                icon="users",
            ),
        ),
    )
)
