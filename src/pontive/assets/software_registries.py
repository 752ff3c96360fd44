"""The software catalogue (Perda 9/2022 Pasal 15(2) a-e) and the integrations between its
systems.

A system belongs to an agency (its officers keep it); the catalogue records who uses it, the
SPBE architecture domains it serves, where it is hosted (optionally on which asset of the
infrastructure registry), the data it holds with their classification, and the APIs and
standards it offers. An integration links two different systems; the agency responsible for
it must own one of them. The graph of integrations is ``software_graph``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pontive.assets.choices import (
    AREA_PATH,
    GRAPH_PATH,
    Direction,
    Hosting,
    InfraKind,
    IntegrationMethod,
    IntegrationStatus,
    ServiceType,
    SoftwareCategory,
    SpbeDomain,
    Standard,
    SystemStatus,
    UserGroup,
)
from pontive.assets.infra_registries import merged
from pontive.assets.models import InfraAsset, Integration, System
from pontive.assets.service import SOFTWARE_EDIT, VIEW
from pontive.core.choices import Classification
from pontive.core.identity import Actor
from pontive.core.registry import Field, Kind, Panel, Registry, Text, get, pick, register

Errors = dict[str, list[str]]
# A city-hosted system may name the asset it runs on; a third party's cannot.
CITY_HOSTING = frozenset({Hosting.PUSAT_DATA_KOTA, Hosting.SERVER_PD})
HOSTING_KINDS = frozenset({InfraKind.SERVER, InfraKind.PUSAT_DATA, InfraKind.LAINNYA})
MESSAGES: dict[str, Text] = {
    "hosting_asset_kind": (
        "Aset hosting harus server atau pusat data.",
        "The hosting asset must be a server or a data centre.",
    ),
    "hosting_asset_place": (
        "Aset hosting hanya untuk sistem di pusat data kota atau server Perangkat Daerah.",
        "A hosting asset only for systems in the city data centre or on an agency server.",
    ),
    "personal_public": (
        "Sistem yang menyimpan data pribadi tidak boleh berklasifikasi publik (UU 27/2022).",
        "A system holding personal data cannot be classified public (UU 27/2022).",
    ),
    "same_system": (
        "Sistem sumber dan tujuan harus berbeda.",
        "Source and target must be different systems.",
    ),
    "not_owner": (
        "Perangkat Daerah penanggung jawab harus pemilik sistem sumber atau tujuan.",
        "The responsible agency must own the source or the target system.",
    ),
}


def _validate_system(
    session: Session, values: Mapping[str, Any], row: Any | None, lang: str
) -> Errors:
    errors: Errors = {}
    asset_id = merged(values, row, "hosting_asset_id")
    if asset_id is not None:
        asset = session.get(InfraAsset, asset_id)
        if asset is not None and asset.kind not in HOSTING_KINDS:
            errors.setdefault("hosting_asset_id", []).append(
                pick(MESSAGES["hosting_asset_kind"], lang)
            )
        if merged(values, row, "hosting") not in CITY_HOSTING:
            errors.setdefault("hosting_asset_id", []).append(
                pick(MESSAGES["hosting_asset_place"], lang)
            )
    personal = bool(merged(values, row, "personal_data"))
    if personal and merged(values, row, "classification") is Classification.PUBLIK:
        errors.setdefault("classification", []).append(pick(MESSAGES["personal_public"], lang))
    return errors


def _validate_integration(
    session: Session, values: Mapping[str, Any], row: Any | None, lang: str
) -> Errors:
    errors: Errors = {}
    source_id, target_id = merged(values, row, "source_id"), merged(values, row, "target_id")
    if source_id is not None and source_id == target_id:
        errors["target_id"] = [pick(MESSAGES["same_system"], lang)]
        return errors
    owner = merged(values, row, "pd_kode")
    owners = set(
        session.scalars(select(System.pd_kode).where(System.id.in_((source_id, target_id))))
    )
    if owner is not None and owners and owner not in owners:
        errors["pd_kode"] = [pick(MESSAGES["not_owner"], lang)]
    return errors


def links_of(session: Session, system_id: int) -> list[Integration]:
    """The integrations a system takes part in (either end), by code."""
    query = select(Integration).where(
        or_(Integration.source_id == system_id, Integration.target_id == system_id)
    )
    return list(session.scalars(query.order_by(Integration.code)))


def _system_panel(session: Session, _actor: Actor, row: Any) -> Mapping[str, Any]:
    links = links_of(session, row.id)
    ids = {link.source_id for link in links} | {link.target_id for link in links}
    found = session.execute(select(System.id, System.name).where(System.id.in_(ids)))
    names = {system_id: name for system_id, name in found}
    asset = session.get(InfraAsset, row.hosting_asset_id) if row.hosting_asset_id else None
    return {
        "system": row,
        "links": links,
        "names": names,
        "asset": asset,
        "paths": {
            "systems": SYSTEMS.path,
            "integrations": INTEGRATIONS.path,
            "infra": get("assets.infrastructure").path,
            "graph": GRAPH_PATH,
        },
    }


SYSTEMS = register(
    Registry(
        name="assets.systems",
        domain="assets",
        api_slug="systems",
        slug="perangkat-lunak",
        console=AREA_PATH,
        model=System,
        title=("Katalog perangkat lunak", "Software catalogue"),
        singular=("Sistem / perangkat lunak", "System / software"),
        description=(
            "Sistem informasi, sistem operasi, aplikasi, utilitas dan sistem basis data "
            "(Perda 9/2022 Pasal 15 ayat 2 huruf a-e), pemilik, domain arsitektur SPBE, "
            "hosting, data dan interoperabilitasnya.",
            "Information systems, operating systems, applications, utilities and database "
            "systems (Perda 9/2022 Article 15(2) a-e): owner, SPBE architecture domain, "
            "hosting, data and interoperability.",
        ),
        fields=(
            Field("code", ("Kode", "Code"), required=True, max_length=40, in_list=True),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "category",
                ("Kategori (Pasal 15 ayat 2)", "Category (Article 15(2))"),
                Kind.CHOICE,
                required=True,
                choices=SoftwareCategory,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("description", ("Uraian", "Description"), Kind.LONGTEXT),
            Field(
                "pd_kode",
                ("Perangkat Daerah pemilik", "Owning agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("users", ("Pengguna", "Users"), hint=("Siapa memakainya.", "Who uses it.")),
            Field(
                "user_groups",
                ("Kelompok pengguna", "User groups"),
                Kind.CHOICES,
                choices=UserGroup,
                filter=True,
            ),
            Field(
                "spbe_domains",
                ("Domain arsitektur SPBE", "SPBE architecture domains"),
                Kind.CHOICES,
                choices=SpbeDomain,
                filter=True,
            ),
            Field(
                "service_type",
                ("Jenis layanan SPBE", "SPBE service type"),
                Kind.CHOICE,
                choices=ServiceType,
                filter=True,
                bulk=True,
            ),
            Field(
                "hosting",
                ("Hosting", "Hosting"),
                Kind.CHOICE,
                choices=Hosting,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "hosting_asset_id",
                ("Aset hosting", "Hosting asset"),
                Kind.REF,
                ref="assets.infrastructure",
                filter=True,
            ),
            Field("url", ("Alamat (URL)", "Address (URL)"), Kind.URL, max_length=300),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=SystemStatus,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("version", ("Versi", "Version"), max_length=60),
            Field(
                "vendor", ("Pengembang / vendor", "Developer / vendor"), max_length=160, filter=True
            ),
            Field("data_held", ("Data yang disimpan", "Data held"), Kind.LONGTEXT),
            Field(
                "classification",
                ("Klasifikasi data", "Data classification"),
                Kind.CHOICE,
                required=True,
                choices=Classification,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "personal_data",
                ("Menyimpan data pribadi", "Holds personal data"),
                Kind.BOOL,
                filter=True,
                default=False,
            ),
            Field("apis_offered", ("API yang disediakan", "APIs offered"), Kind.LONGTEXT),
            Field(
                "standards",
                ("Standar interoperabilitas", "Interoperability standards"),
                Kind.CHOICES,
                choices=Standard,
                filter=True,
            ),
        ),
        view_action=VIEW,
        edit_action=SOFTWARE_EDIT,
        title_field="name",
        order=("name",),
        natural_key="code",
        owner_field="pd_kode",
        search=("code", "name", "description", "vendor", "data_held"),
        documents=True,
        validate=_validate_system,
        icon="code",
        panels=(Panel("assets/panel_system.html", _system_panel, "/static/assets/assets.css"),),
        example={
            "code": "SI-CONTOH",
            "name": "Sistem Informasi Contoh",
            "category": "sistem_informasi",
            "description": "Contoh entri katalog.",
            "pd_kode": "diskominfo",
            "users": "Petugas layanan",
            "user_groups": "asn,warga",
            "spbe_domains": "aplikasi,layanan",
            "service_type": "layanan_publik",
            "hosting": "pusat_data_kota",
            "url": "https://contoh.pontianak.go.id",
            "status": "produksi",
            "version": "1.0",
            "vendor": "Diskominfo",
            "data_held": "Permohonan layanan",
            "classification": "terbatas",
            "personal_data": "true",
            "apis_offered": "REST /api/v1",
            "standards": "rest_json,openapi",
        },
    )
)

INTEGRATIONS = register(
    Registry(
        name="assets.integrations",
        domain="assets",
        api_slug="integrations",
        slug="tautan-integrasi",
        console=AREA_PATH,
        model=Integration,
        title=("Integrasi antarsistem", "System integrations"),
        singular=("Integrasi", "Integration"),
        description=(
            "Tautan pertukaran data dari satu sistem ke sistem lain: metode, standar, data "
            "yang dipertukarkan dan arahnya.",
            "Data exchanged from one system to another: method, standard, data and direction.",
        ),
        fields=(
            Field("code", ("Kode", "Code"), required=True, max_length=40, in_list=True),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "source_id",
                ("Sistem sumber", "Source system"),
                Kind.REF,
                ref="assets.systems",
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "target_id",
                ("Sistem tujuan", "Target system"),
                Kind.REF,
                ref="assets.systems",
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "method",
                ("Metode", "Method"),
                Kind.CHOICE,
                required=True,
                choices=IntegrationMethod,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "standard",
                ("Standar", "Standard"),
                Kind.CHOICE,
                choices=Standard,
                filter=True,
                bulk=True,
            ),
            Field("data_exchanged", ("Data yang dipertukarkan", "Data exchanged"), Kind.LONGTEXT),
            Field(
                "direction",
                ("Arah", "Direction"),
                Kind.CHOICE,
                required=True,
                choices=Direction,
                filter=True,
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=IntegrationStatus,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "pd_kode",
                ("Perangkat Daerah penanggung jawab", "Responsible agency"),
                Kind.PD,
                required=True,
                filter=True,
                bulk=True,
            ),
            Field("notes", ("Catatan", "Notes"), Kind.LONGTEXT),
        ),
        view_action=VIEW,
        edit_action=SOFTWARE_EDIT,
        title_field="name",
        order=("code",),
        natural_key="code",
        owner_field="pd_kode",
        search=("code", "name", "data_exchanged"),
        parent="source_id",
        validate=_validate_integration,
        icon="code",
        example={
            "code": "INT-CONTOH",
            "name": "Contoh pertukaran data",
            "method": "api",
            "standard": "rest_json",
            "data_exchanged": "Rekap permohonan",
            "direction": "satu_arah",
            "status": "aktif",
            "pd_kode": "diskominfo",
        },
    )
)
