"""The ICT assets area (``/console/aset``) and every registry of the assets package.

The area lists the registries declared with ``console=AREA_PATH``: sites and infrastructure
(``infra_registries``), the software catalogue and integrations (``software_registries``),
and the assessment and Wi-Fi parts' own (``assessment_registries``, ``wifi_registries``).
Its links are ``LINKS``: add a part's pages there (a ``Link`` built from its path constant).
"""

from __future__ import annotations

from pontive.assets import (  # noqa: F401  (each module registers its registries)
    assessment_registries,
    infra_registries,
    software_registries,
    wifi_registries,
)
from pontive.assets.assessment_panels import FOLLOW_UP_PATH
from pontive.assets.assessment_service import READ as ASSESSMENT_READ
from pontive.assets.choices import AREA_PATH, GRAPH_PATH, MAP_PATH, SUMMARY_PATH
from pontive.assets.service import VIEW
from pontive.assets.wifi_choices import TECH_LIST_PATH, WIFI_MAP_PATH
from pontive.assets.wifi_service import TECH_VIEW
from pontive.assets.wifi_service import VIEW as WIFI_VIEW
from pontive.core.registry import Area, Link, register_area

LINKS: tuple[Link, ...] = (
    Link(MAP_PATH, ("Peta infrastruktur", "Infrastructure map"), VIEW, icon="map"),
    Link(GRAPH_PATH, ("Graf integrasi sistem", "System integration graph"), VIEW, icon="code"),
    Link(SUMMARY_PATH, ("Ringkasan aset TIK", "ICT asset summary"), VIEW, icon="chart"),
    Link(WIFI_MAP_PATH, ("Peta Wi-Fi publik", "Public Wi-Fi map"), WIFI_VIEW, icon="wifi"),
    Link(
        TECH_LIST_PATH,
        ("Teknologi mitra (publik)", "Partners' technology (public)"),
        TECH_VIEW,
        icon="sensor",
    ),
    Link(
        FOLLOW_UP_PATH,
        ("Tindak lanjut penilaian", "Assessment follow-up"),
        ASSESSMENT_READ,
        icon="shield",
    ),
)

AREA = register_area(
    Area(
        path=AREA_PATH,
        domain="assets",
        title=("Aset TIK", "ICT assets"),
        description=(
            "Infrastruktur TIK, katalog perangkat lunak dan integrasinya, penilaian sistem "
            "informasi, serta Wi-Fi publik (Perda 9/2022 Pasal 14, 15, 19 dan 22).",
            "ICT infrastructure, the software catalogue and its integrations, information-system "
            "assessments and public Wi-Fi (Perda 9/2022 Articles 14, 15, 19 and 22).",
        ),
        action=VIEW,
        icon="data",
        order=620,
        links=LINKS,
    )
)
