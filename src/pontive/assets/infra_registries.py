"""The infrastructure registries (Perda 9/2022 Pasal 14): sites and ICT assets.

An asset belongs to an agency (its officers keep it) and may stand at a site; the site's
page lists its assets. Fibre routes are lines; points resolve their kelurahan. Warranties,
end of life and subscription contracts raise reminders; assets with a monitor host and port
are checked for reachability by the worker (``infra_reachability``), whose last result is
shown read-only.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from pontive.assets.choices import AREA_PATH, InfraKind, InfraStatus, SiteKind
from pontive.assets.models import InfraAsset, Site, System
from pontive.assets.service import INFRA_EDIT, VIEW
from pontive.core.identity import Actor
from pontive.core.registry import (
    Field,
    Kind,
    Panel,
    Registry,
    ReminderRule,
    Text,
    get,
    pick,
    register,
)

Errors = dict[str, list[str]]
# A host name (RFC 1123 labels) or an IPv4/IPv6 address; never a URL.
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$")
MESSAGES: dict[str, Text] = {
    "monitor_pair": (
        "Isi host dan port pemantauan keduanya, atau kosongkan keduanya.",
        "Give both the monitor host and port, or neither.",
    ),
    "monitor_host": (
        "Host tidak valid: tulis nama host atau alamat IP saja (tanpa http://).",
        "Invalid host: a host name or IP address only (no http://).",
    ),
    "route_kind": (
        "Jalur hanya untuk jaringan serat optik.",
        "A route is only for a fibre-optic network.",
    ),
    "subscription": (
        "Wajib untuk langganan bandwidth.",
        "Required for a bandwidth subscription.",
    ),
    "before_acquired": (
        "Tidak boleh sebelum tanggal perolehan.",
        "Cannot be before the acquisition date.",
    ),
}


def merged(values: Mapping[str, Any], row: Any | None, name: str) -> Any:
    """A field's value after the change: the new one when sent, else the row's."""
    if name in values:
        return values[name]
    return getattr(row, name, None) if row is not None else None


def is_valid_host(host: str) -> bool:
    """Whether ``host`` is a host name or an IP address (what a TCP check connects to)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host)) and not host.replace(".", "").isdigit()
    return True


def _validate_asset(
    _session: Session, values: Mapping[str, Any], row: Any | None, lang: str
) -> Errors:
    errors: Errors = {}

    def add(name: str, key: str) -> None:
        errors.setdefault(name, []).append(pick(MESSAGES[key], lang))

    host, port = merged(values, row, "monitor_host"), merged(values, row, "monitor_port")
    if (host is None) != (port is None):
        add("monitor_host" if host is None else "monitor_port", "monitor_pair")
    if host is not None and not is_valid_host(host):
        add("monitor_host", "monitor_host")
    kind = merged(values, row, "kind")
    if merged(values, row, "route") is not None and kind is not InfraKind.SERAT_OPTIK:
        add("route", "route_kind")
    if kind is InfraKind.BANDWIDTH:
        for name in ("provider", "bandwidth_mbps"):
            if merged(values, row, name) in (None, ""):
                add(name, "subscription")
    acquired: date | None = merged(values, row, "acquired_on")
    for name in ("warranty_until", "end_of_life_on"):
        later: date | None = merged(values, row, name)
        if acquired is not None and later is not None and later < acquired:
            add(name, "before_acquired")
    return errors


def _in_service() -> ColumnElement[bool]:
    return InfraAsset.status.in_((InfraStatus.AKTIF, InfraStatus.PEMELIHARAAN, InfraStatus.RUSAK))


def _not_removed() -> ColumnElement[bool]:
    return InfraAsset.status != InfraStatus.DIHAPUS


def _asset_panel(session: Session, _actor: Actor, row: Any) -> Mapping[str, Any]:
    hosted = session.scalars(
        select(System).where(System.hosting_asset_id == row.id).order_by(System.name)
    ).all()
    return {"asset": row, "hosted": list(hosted), "systems_path": get("assets.systems").path}


SITES = register(
    Registry(
        name="assets.sites",
        domain="assets",
        api_slug="sites",
        slug="lokasi",
        console=AREA_PATH,
        model=Site,
        title=("Lokasi infrastruktur", "Infrastructure sites"),
        singular=("Lokasi", "Site"),
        description=(
            "Pusat data, command center, kantor Perangkat Daerah, POP jaringan dan menara "
            "tempat infrastruktur TIK berada.",
            "Data centres, the command center, agency offices, network POPs and towers where "
            "ICT infrastructure stands.",
        ),
        fields=(
            Field("code", ("Kode", "Code"), required=True, max_length=40, in_list=True),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "kind",
                ("Jenis", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=SiteKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "pd_kode",
                ("Perangkat Daerah pemilik", "Owning agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("address", ("Alamat", "Address")),
            Field("location", ("Lokasi", "Location"), Kind.POINT),
            Field(
                "kelurahan_kode",
                ("Kelurahan", "Kelurahan"),
                Kind.KELURAHAN,
                readonly=True,
                in_list=True,
                filter=True,
            ),
            Field("notes", ("Catatan", "Notes"), Kind.LONGTEXT),
        ),
        view_action=VIEW,
        edit_action=INFRA_EDIT,
        title_field="name",
        order=("kind", "name"),
        natural_key="code",
        owner_field="pd_kode",
        search=("code", "name", "address"),
        icon="map",
        documents=True,  # floor plans, handover minutes, lease agreements
        example={
            "code": "POP-CONTOH",
            "name": "POP Contoh Jl. Rahadi Usman",
            "kind": "pop",
            "address": "Jl. Rahadi Usman, Pontianak",
            "lon": "109.3412",
            "lat": "-0.0262",
            "pd_kode": "diskominfo",
        },
    )
)

INFRASTRUCTURE = register(
    Registry(
        name="assets.infrastructure",
        domain="assets",
        api_slug="infrastructure",
        slug="infrastruktur",
        console=AREA_PATH,
        model=InfraAsset,
        title=("Infrastruktur TIK", "ICT infrastructure"),
        singular=("Aset infrastruktur", "Infrastructure asset"),
        description=(
            "Perangkat keras, pusat data, jaringan serat optik, fasilitas command center dan "
            "langganan bandwidth (Perda 9/2022 Pasal 14).",
            "Hardware, data centres, the fibre-optic network, command-center facilities and "
            "bandwidth subscriptions (Perda 9/2022 Article 14).",
        ),
        fields=(
            Field(
                "code", ("Kode / tag aset", "Asset tag"), required=True, max_length=40, in_list=True
            ),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "kind",
                ("Jenis", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=InfraKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=InfraStatus,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "pd_kode",
                ("Perangkat Daerah pemilik", "Owning agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "site_id",
                ("Lokasi (situs)", "Site"),
                Kind.REF,
                ref="assets.sites",
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("rack", ("Rak / posisi", "Rack / position"), max_length=80),
            Field("location", ("Titik lokasi", "Location"), Kind.POINT),
            Field(
                "kelurahan_kode",
                ("Kelurahan", "Kelurahan"),
                Kind.KELURAHAN,
                readonly=True,
                filter=True,
            ),
            Field(
                "route",
                ("Jalur serat optik", "Fibre route"),
                Kind.LINE,
                hint=(
                    "Titik-titik bujur lintang, mis. 109.33 -0.03; 109.34 -0.03",
                    "Lon/lat points, e.g. 109.33 -0.03; 109.34 -0.03",
                ),
            ),
            Field("manufacturer", ("Pabrikan", "Manufacturer"), max_length=120, filter=True),
            Field("model_name", ("Model", "Model"), max_length=120),
            Field("serial_number", ("Nomor seri", "Serial number"), max_length=120),
            Field("acquired_on", ("Tanggal perolehan", "Acquired on"), Kind.DATE, filter=True),
            Field("value_rp", ("Nilai (Rp)", "Value (Rp)"), Kind.DECIMAL, minimum=0),
            Field(
                "warranty_until",
                ("Garansi sampai", "Warranty until"),
                Kind.DATE,
                in_list=True,
                filter=True,
            ),
            Field(
                "end_of_life_on",
                ("Akhir masa pakai", "End of life"),
                Kind.DATE,
                filter=True,
            ),
            Field("provider", ("Penyedia layanan", "Provider"), max_length=120, filter=True),
            Field("bandwidth_mbps", ("Bandwidth (Mbps)", "Bandwidth (Mbps)"), Kind.INT, minimum=1),
            Field(
                "contract_end_on",
                ("Kontrak berakhir", "Contract ends"),
                Kind.DATE,
                filter=True,
            ),
            Field(
                "monitor_host",
                ("Host pemantauan", "Monitor host"),
                max_length=253,
                hint=(
                    "Opsional: nama host atau IP yang dicek keterjangkauannya (TCP) tiap 5 menit.",
                    "Optional: host name or IP checked for reachability (TCP) every 5 minutes.",
                ),
            ),
            Field(
                "monitor_port",
                ("Port pemantauan", "Monitor port"),
                Kind.INT,
                minimum=1,
                maximum=65535,
            ),
            Field(
                "last_check_at", ("Dicek terakhir", "Last checked"), Kind.DATETIME, readonly=True
            ),
            Field(
                "last_check_ok",
                ("Terjangkau", "Reachable"),
                Kind.BOOL,
                readonly=True,
                in_list=True,
                filter=True,
            ),
            Field("last_latency_ms", ("Latensi (ms)", "Latency (ms)"), Kind.DECIMAL, readonly=True),
            Field("notes", ("Catatan", "Notes"), Kind.LONGTEXT),
        ),
        view_action=VIEW,
        edit_action=INFRA_EDIT,
        title_field="name",
        order=("kind", "code"),
        natural_key="code",
        owner_field="pd_kode",
        search=("code", "name", "serial_number", "manufacturer", "model_name", "provider"),
        parent="site_id",
        documents=True,
        reminders=(
            ReminderRule(
                "assets.warranty",
                "warranty_until",
                days=(60, 30, 0),
                when=_in_service,
                subject=("Garansi aset TIK berakhir", "ICT asset warranty ends"),
            ),
            ReminderRule(
                "assets.end_of_life",
                "end_of_life_on",
                days=(90, 30, 0),
                overdue=True,
                when=_not_removed,
                subject=("Aset TIK mencapai akhir masa pakai", "ICT asset reaches end of life"),
            ),
            ReminderRule(
                "assets.contract",
                "contract_end_on",
                days=(60, 30, 0),
                when=_not_removed,
                subject=("Kontrak layanan TIK berakhir", "ICT service contract ends"),
            ),
        ),
        validate=_validate_asset,
        icon="data",
        panels=(Panel("assets/panel_asset.html", _asset_panel, "/static/assets/assets.css"),),
        example={
            "code": "SRV-CONTOH-01",
            "name": "Server aplikasi contoh",
            "kind": "server",
            "status": "aktif",
            "pd_kode": "diskominfo",
            "rack": "R01-U12",
            "manufacturer": "Dell",
            "model_name": "PowerEdge R750",
            "serial_number": "CONTOH-0001",
            "acquired_on": "2025-02-03",
            "value_rp": "245000000",
            "warranty_until": "2028-02-03",
            "end_of_life_on": "2031-02-03",
            "monitor_host": "10.20.1.15",
            "monitor_port": "443",
        },
    )
)
