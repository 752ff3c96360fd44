"""Demo infrastructure: the city's data centre and command center, agency offices, network
POPs and a tower; servers, core switches, a firewall, command-center facilities, bandwidth
subscriptions and fibre routes along real Pontianak streets (Jl. Rahadi Usman, Jl. Gajah
Mada, Jl. Tanjungpura, Jl. Ahmad Yani, Jl. Letjen Sutoyo, across the Kapuas to Siantan).

Every place, serial number, price and contract here is a DEMO VALUE: believable, not the
city's real inventory. Dates are relative to the day of loading, so that some warranties
and a contract fall due within weeks (the summary and reminders show them) and one server
is past its end of life. Rows are written through the registry store, so their history
starts with the demo's creation.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.assets.infra_registries import INFRASTRUCTURE, SITES
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.registry.store import save_row

SITE_ROWS: tuple[dict[str, str], ...] = (
    {"code": "DC-KOTA", "name": "Pusat Data Kota Pontianak", "kind": "pusat_data",
     "address": "Kantor Wali Kota, Jl. Rahadi Usman No. 3", "lon": "109.34070", "lat": "-0.02540",
     "pd_kode": "diskominfo", "notes": "Ruang server utama, Tier II (DEMO)."},
    {"code": "CC-PTK", "name": "Pontianak Command Center", "kind": "command_center",
     "address": "Kompleks Kantor Wali Kota, Jl. Rahadi Usman", "lon": "109.34125",
     "lat": "-0.02620", "pd_kode": "diskominfo"},
    {"code": "POP-AYANI", "name": "POP Jl. Ahmad Yani (Bundaran Digulis)", "kind": "pop",
     "address": "Jl. Ahmad Yani", "lon": "109.34460", "lat": "-0.05680", "pd_kode": "diskominfo"},
    {"code": "POP-SIANTAN", "name": "POP Siantan", "kind": "pop",
     "address": "Jl. Khatulistiwa, Pontianak Utara", "lon": "109.34600", "lat": "0.00300",
     "pd_kode": "diskominfo"},
    {"code": "KTR-DUKCAPIL", "name": "Kantor Disdukcapil", "kind": "kantor_pd",
     "address": "Jl. Letjen Sutoyo", "lon": "109.33050", "lat": "-0.04300",
     "pd_kode": "disdukcapil"},
    {"code": "KTR-PUPR", "name": "Kantor Dinas PUPR", "kind": "kantor_pd",
     "address": "Jl. Johar", "lon": "109.33550", "lat": "-0.03300", "pd_kode": "pupr"},
    {"code": "MNR-KOTABARU", "name": "Menara Kota Baru", "kind": "menara",
     "address": "Jl. Prof. M. Yamin", "lon": "109.31400", "lat": "-0.06400",
     "pd_kode": "diskominfo"},
)  # fmt: skip

# Fibre routes: [lon, lat] points along the streets (DEMO VALUES).
ROUTES: dict[str, list[list[float]]] = {
    "rahadi": [[109.3407, -0.0254], [109.3401, -0.0275], [109.3395, -0.0300]],
    "gajahmada": [[109.3395, -0.0300], [109.3410, -0.0340], [109.3428, -0.0385],
                  [109.3445, -0.0430]],
    "tanjungpura": [[109.3412, -0.0268], [109.3440, -0.0300], [109.3468, -0.0335],
                    [109.3495, -0.0370]],
    "ayani": [[109.3445, -0.0430], [109.3442, -0.0500], [109.3446, -0.0568],
              [109.3455, -0.0640]],
    "sutoyo": [[109.3305, -0.0430], [109.3360, -0.0440], [109.3420, -0.0455]],
    "siantan": [[109.3480, -0.0330], [109.3500, -0.0200], [109.3480, -0.0050],
                [109.3460, 0.0030]],
}  # fmt: skip


def _asset_rows(today: date) -> list[dict[str, Any]]:
    def on(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    server = {"kind": "server", "status": "aktif", "pd_kode": "diskominfo", "site_id": "DC-KOTA"}
    fibre = {"kind": "serat_optik", "pd_kode": "diskominfo", "manufacturer": "Furukawa"}
    return [
        server | {"code": "SRV-DC-01", "name": "Server virtualisasi 1", "rack": "R01-U10",
                  "manufacturer": "Dell", "model_name": "PowerEdge R750",
                  "serial_number": "DMO7501A",
                  "acquired_on": on(-700), "value_rp": "312000000", "warranty_until": on(395),
                  "end_of_life_on": on(1125), "monitor_host": "127.0.0.1", "monitor_port": "8000",
                  "notes": "Menjalankan Pontive; pemantauan diri ke port web lokal (DEMO)."},
        server | {"code": "SRV-DC-02", "name": "Server virtualisasi 2", "rack": "R01-U14",
                  "manufacturer": "Dell", "model_name": "PowerEdge R740",
                  "serial_number": "DMO7402B",
                  "acquired_on": on(-1050), "value_rp": "268000000", "warranty_until": on(45),
                  "end_of_life_on": on(775)},
        server | {"code": "SRV-DB-01", "name": "Server basis data", "rack": "R02-U08",
                  "manufacturer": "HPE", "model_name": "ProLiant DL380 Gen10",
                  "serial_number": "DMO380C", "acquired_on": on(-900), "value_rp": "289500000",
                  "warranty_until": on(200), "end_of_life_on": on(925)},
        server | {"code": "SRV-VMS-01", "name": "Server VMS CCTV", "site_id": "CC-PTK",
                  "rack": "CC-R1-U20", "manufacturer": "Lenovo", "model_name": "ThinkSystem SR650",
                  "serial_number": "DMO650D", "acquired_on": on(-500), "value_rp": "198000000",
                  "warranty_until": on(25), "end_of_life_on": on(1325)},
        {"code": "SRV-DUKCAPIL-01", "name": "Server SIAK Disdukcapil", "kind": "server",
         "status": "aktif", "pd_kode": "disdukcapil", "site_id": "KTR-DUKCAPIL",
         "manufacturer": "HP", "model_name": "ProLiant DL360 Gen9", "serial_number": "DMO360E",
         "acquired_on": on(-2600), "value_rp": "145000000", "warranty_until": on(-1500),
         "end_of_life_on": on(-80)},
        {"code": "SRV-PUPR-01", "name": "Server aplikasi PBG/SIMBG", "kind": "server",
         "status": "pemeliharaan", "pd_kode": "pupr", "site_id": "KTR-PUPR",
         "manufacturer": "Dell", "model_name": "PowerEdge T440", "serial_number": "DMO440F",
         "acquired_on": on(-1200), "value_rp": "98000000", "warranty_until": on(-100),
         "end_of_life_on": on(625)},
        {"code": "SW-CORE-01", "name": "Core switch pusat data", "kind": "perangkat_jaringan",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "DC-KOTA", "rack": "R03-U01",
         "manufacturer": "Cisco", "model_name": "Catalyst 9500-24Y4C", "serial_number": "DMO9500G",
         "acquired_on": on(-800), "value_rp": "410000000", "warranty_until": on(1025),
         "end_of_life_on": on(1750), "monitor_host": "10.20.0.1", "monitor_port": "22"},
        {"code": "SW-CORE-02", "name": "Core switch command center", "kind": "perangkat_jaringan",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "CC-PTK", "rack": "CC-R1-U02",
         "manufacturer": "Cisco", "model_name": "Catalyst 9300-48P", "serial_number": "DMO9300H",
         "acquired_on": on(-800), "value_rp": "185000000", "warranty_until": on(1025)},
        {"code": "FW-DC-01", "name": "Firewall perimeter pusat data", "kind": "perangkat_jaringan",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "DC-KOTA", "rack": "R03-U05",
         "manufacturer": "Fortinet", "model_name": "FortiGate 600E", "serial_number": "DMO600I",
         "acquired_on": on(-650), "value_rp": "356000000", "warranty_until": on(55),
         "end_of_life_on": on(1175)},
        {"code": "SW-POP-AYANI", "name": "Switch distribusi POP Ahmad Yani",
         "kind": "perangkat_jaringan", "status": "aktif", "pd_kode": "diskominfo",
         "site_id": "POP-AYANI", "lon": "109.34460", "lat": "-0.05680", "manufacturer": "MikroTik",
         "model_name": "CRS326-24S+2Q+", "serial_number": "DMO326J", "acquired_on": on(-400),
         "value_rp": "14500000", "warranty_until": on(-35)},
        {"code": "DC-RUANG-01", "name": "Ruang server pusat data kota", "kind": "pusat_data",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "DC-KOTA", "lon": "109.34070",
         "lat": "-0.02540", "acquired_on": on(-1800), "value_rp": "1850000000",
         "notes": "Presisi AC 2 x 10 PK, UPS 2 x 20 kVA, genset 100 kVA (DEMO)."},
        {"code": "CC-VIDEOWALL", "name": "Videowall command center 4x3", "kind": "command_center",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "CC-PTK", "manufacturer": "Samsung",
         "model_name": "VM55B-E", "acquired_on": on(-500), "value_rp": "1120000000",
         "warranty_until": on(230)},
        {"code": "UPS-DC-01", "name": "UPS 20 kVA ruang server", "kind": "lainnya",
         "status": "rusak", "pd_kode": "diskominfo", "site_id": "DC-KOTA", "manufacturer": "APC",
         "model_name": "Galaxy VS 20kVA", "serial_number": "DMOGVSK", "acquired_on": on(-1400),
         "value_rp": "165000000", "warranty_until": on(-305), "end_of_life_on": on(425)},
        {"code": "GW-LORA-DLH-01", "name": "Gateway LoRaWAN pemantau udara", "kind": "lainnya",
         "status": "aktif", "pd_kode": "dlh", "site_id": "MNR-KOTABARU", "lon": "109.31400",
         "lat": "-0.06400", "manufacturer": "RAK Wireless", "model_name": "RAK7289",
         "acquired_on": on(-300), "value_rp": "21000000", "warranty_until": on(65)},
        {"code": "BW-TELKOM-01", "name": "Internet dedicated 1 Gbps pusat data",
         "kind": "langganan_bandwidth", "status": "aktif", "pd_kode": "diskominfo",
         "site_id": "DC-KOTA", "provider": "PT Telkom Indonesia (Persero) Tbk",
         "bandwidth_mbps": "1000", "acquired_on": on(-315), "value_rp": "540000000",
         "contract_end_on": on(50)},
        {"code": "BW-ICON-01", "name": "Internet cadangan 500 Mbps", "kind": "langganan_bandwidth",
         "status": "aktif", "pd_kode": "diskominfo", "site_id": "DC-KOTA",
         "provider": "PT Indonesia Comnets Plus (ICON+)", "bandwidth_mbps": "500",
         "acquired_on": on(-65), "value_rp": "276000000", "contract_end_on": on(300)},
        {"code": "BW-DUKCAPIL-01", "name": "Jaringan tertutup Disdukcapil-Kemendagri",
         "kind": "langganan_bandwidth", "status": "aktif", "pd_kode": "disdukcapil",
         "site_id": "KTR-DUKCAPIL", "provider": "PT Aplikanusa Lintasarta",
         "bandwidth_mbps": "100", "contract_end_on": on(120)},
        fibre | {"code": "FO-RAHADI-01", "name": "Serat optik Jl. Rahadi Usman (backbone)",
                 "status": "aktif", "route": json.dumps(ROUTES["rahadi"]),
                 "acquired_on": on(-1600)},
        fibre | {"code": "FO-GAJAHMADA-01", "name": "Serat optik Jl. Gajah Mada",
                 "status": "aktif", "route": json.dumps(ROUTES["gajahmada"]),
                 "acquired_on": on(-1500)},
        fibre | {"code": "FO-TANJUNGPURA-01", "name": "Serat optik Jl. Tanjungpura",
                 "status": "pemeliharaan", "route": json.dumps(ROUTES["tanjungpura"]),
                 "acquired_on": on(-1500)},
        fibre | {"code": "FO-AYANI-01", "name": "Serat optik Jl. Ahmad Yani (sampai POP Digulis)",
                 "status": "aktif", "route": json.dumps(ROUTES["ayani"]), "acquired_on": on(-1200)},
        fibre | {"code": "FO-SUTOYO-01", "name": "Serat optik ATCS Jl. Letjen Sutoyo",
                 "status": "rusak", "pd_kode": "dishub", "route": json.dumps(ROUTES["sutoyo"]),
                 "acquired_on": on(-2000), "notes": "Putus akibat galian saluran (DEMO)."},
        fibre | {"code": "FO-SIANTAN-01", "name": "Serat optik Jembatan Kapuas I - Siantan",
                 "status": "direncanakan", "route": json.dumps(ROUTES["siantan"])},
    ]  # fmt: skip


def load(session: Session, actor: Actor) -> tuple[int, int]:
    """Write the demo sites and assets; how many of each."""
    today = utcnow().astimezone(WIB).date()
    for raw in SITE_ROWS:
        save_row(session, SITES, actor, raw, via="system")
    rows = _asset_rows(today)
    for raw in rows:
        save_row(session, INFRASTRUCTURE, actor, raw, via="system")
    return len(SITE_ROWS), len(rows)
