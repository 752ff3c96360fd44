"""The frameworks the annual evaluation ships with, as configuration (``mp_frameworks.config``)
that the technical team may change: the Smart City evaluation's five aspects with weights and
a 1-5 rubric, and the SPBE self-assessment (PermenPANRB 59/2020: 4 domains, 8 aspects, 47
indicators, maturity levels 1-5, predicate bands). The sources disagree on weights, so the
numbers below are a starting point written down with where they come from, not law.
"""

from __future__ import annotations

from typing import Any

CITY_KIND = "smart_city"
SPBE_KIND = "spbe"

_CITY_DESCRIPTION = (
    "Lima aspek evaluasi Gerakan Menuju 100 Smart City (Pedoman Evaluasi Smart City v2.0, "
    "2021). Bobot awal 10/20/30/30/10 mengikuti versi Kabupaten Sleman; sumber lain berbeda "
    "(Jambi 2022: outcome 30, impact 20, quick win 20; Bandung 2022: 10/20/40/30/20, "
    "berjumlah 120). Bobot dinormalkan, jadi tidak harus berjumlah 100. Skor 1-5."
)
_SPBE_DESCRIPTION = (
    "Evaluasi SPBE menurut PermenPANRB 59/2020: 4 domain, 8 aspek, 47 indikator, tingkat "
    "kematangan 1-5. Bobot indikator awal: Kebijakan Internal 13 % (10 x 1,3), Tata Kelola "
    "25 % (10 x 2,5), Manajemen 16,5 % (11 x 1,5), Layanan 45,5 % (10 x 2,75 dan 6 x 3). "
    "Sumber berbeda: salinan pihak ketiga atas diagram resmi menyebut Kebijakan 16,5 % dan "
    "Manajemen 13 %; periksa Lampiran PermenPANRB 59/2020 dan ubah bobot bila perlu. "
    "Predikat: Memuaskan >= 4,2; Sangat Baik >= 3,5; Baik >= 2,6; Cukup >= 1,8; Kurang."
)


def _aspect(
    code: str, name_id: str, name_en: str, weight: float, about: str, rubric: list[str]
) -> dict[str, Any]:
    return {
        "code": code,
        "name_id": name_id,
        "name_en": name_en,
        "weight": weight,
        "description": about,
        "rubric": {str(level): text for level, text in enumerate(rubric, start=1)},
    }


CITY_ASPECTS = [
    _aspect(
        "baseline",
        "Baseline",
        "Baseline",
        10,
        "Kondisi awal dan peningkatan dibanding evaluasi sebelumnya.",
        [
            "Belum ada data kondisi awal; tidak ada perbandingan dengan tahun sebelumnya.",
            "Data kondisi awal sebagian; peningkatan belum terukur.",
            "Data kondisi awal lengkap; ada peningkatan pada sebagian dimensi.",
            "Peningkatan terukur pada sebagian besar dimensi dibanding tahun sebelumnya.",
            "Peningkatan terukur dan berkelanjutan pada semua dimensi.",
        ],
    ),
    _aspect(
        "output",
        "Output",
        "Output",
        20,
        "Fondasi: regulasi (Perda/Perwa), kelembagaan (Dewan dan Tim Teknis), anggaran.",
        [
            "Belum ada regulasi, kelembagaan maupun anggaran khusus smart city.",
            "Regulasi atau kelembagaan dalam penyusunan; anggaran belum dialokasikan.",
            "Regulasi dan kelembagaan ditetapkan; anggaran dialokasikan untuk sebagian program.",
            "Regulasi, kelembagaan dan anggaran lengkap serta berjalan.",
            "Fondasi lengkap, ditinjau berkala dan menjadi rujukan daerah lain.",
        ],
    ),
    _aspect(
        "outcome",
        "Outcome",
        "Outcome",
        30,
        "Pelaksanaan rencana dalam masterplan (program, kegiatan, indikator).",
        [
            "Kurang dari 20 % program masterplan berjalan.",
            "20-40 % program berjalan; target indikator sebagian kecil tercapai.",
            "40-60 % program berjalan; sebagian target indikator tercapai.",
            "60-80 % program berjalan; sebagian besar target tercapai.",
            "Lebih dari 80 % program berjalan dan target indikator tercapai.",
        ],
    ),
    _aspect(
        "impact",
        "Dampak (Impact)",
        "Impact",
        30,
        "Manfaat yang dirasakan warga: layanan publik, keterlibatan warga, keberlanjutan.",
        [
            "Belum ada manfaat yang dapat ditunjukkan kepada warga.",
            "Manfaat terbatas pada sebagian kecil layanan atau wilayah.",
            "Manfaat nyata pada beberapa layanan; keterlibatan warga mulai tumbuh.",
            "Manfaat luas, terukur, dan warga terlibat aktif.",
            "Manfaat luas, terukur, berkelanjutan dan diakui warga.",
        ],
    ),
    _aspect(
        "quick_win",
        "Quick Win",
        "Quick Win",
        10,
        "Inovasi dan kreativitas program percepatan.",
        [
            "Belum ada program quick win.",
            "Quick win direncanakan tetapi belum berjalan.",
            "Sebagian quick win berjalan dengan hasil awal.",
            "Quick win berjalan dan menunjukkan hasil yang terukur.",
            "Quick win berhasil, direplikasi atau dikembangkan menjadi program tetap.",
        ],
    ),
]

# Maturity levels: process capability (domains 1-3) and service capability (domain 4).
LEVEL_SETS = {
    "proses": ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"],
    "layanan": ["Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimalisasi"],
}
BANDS = [
    {"min": 4.2, "name": "Memuaskan"},
    {"min": 3.5, "name": "Sangat Baik"},
    {"min": 2.6, "name": "Baik"},
    {"min": 1.8, "name": "Cukup"},
    {"min": 0.0, "name": "Kurang"},
]

_POLICY = "Tingkat Kematangan Kebijakan Internal "
# Domain → aspects → (indicator names, weight of each indicator in %).
_SPBE = [
    (
        "D1",
        "Kebijakan Internal SPBE",
        "proses",
        [
            (
                "A1",
                "Kebijakan Internal Tata Kelola SPBE",
                1.3,
                [
                    _POLICY + "Arsitektur SPBE",
                    _POLICY + "Peta Rencana SPBE",
                    _POLICY + "Manajemen Data",
                    _POLICY + "Pembangunan Aplikasi SPBE",
                    _POLICY + "Layanan Pusat Data",
                    _POLICY + "Layanan Jaringan Intra",
                    _POLICY + "Penggunaan Sistem Penghubung Layanan",
                    _POLICY + "Manajemen Keamanan Informasi",
                    _POLICY + "Audit TIK",
                    _POLICY + "Tim Koordinasi SPBE",
                ],
            )
        ],
    ),
    (
        "D2",
        "Tata Kelola SPBE",
        "proses",
        [
            (
                "A2",
                "Perencanaan Strategis SPBE",
                2.5,
                [
                    "Tingkat Kematangan Arsitektur SPBE",
                    "Tingkat Kematangan Peta Rencana SPBE",
                    "Tingkat Kematangan Keterpaduan Rencana dan Anggaran SPBE",
                    "Tingkat Kematangan Inovasi Proses Bisnis SPBE",
                ],
            ),
            (
                "A3",
                "Teknologi Informasi dan Komunikasi",
                2.5,
                [
                    "Tingkat Kematangan Pembangunan Aplikasi SPBE",
                    "Tingkat Kematangan Layanan Pusat Data",
                    "Tingkat Kematangan Layanan Jaringan Intra",
                    "Tingkat Kematangan Penggunaan Sistem Penghubung Layanan",
                ],
            ),
            (
                "A4",
                "Penyelenggara SPBE",
                2.5,
                [
                    "Tingkat Kematangan Tim Koordinasi SPBE",
                    "Tingkat Kematangan Kolaborasi Penerapan SPBE",
                ],
            ),
        ],
    ),
    (
        "D3",
        "Manajemen SPBE",
        "proses",
        [
            (
                "A5",
                "Penerapan Manajemen SPBE",
                1.5,
                [
                    "Tingkat Kematangan Penerapan Manajemen Risiko SPBE",
                    "Tingkat Kematangan Penerapan Manajemen Keamanan Informasi",
                    "Tingkat Kematangan Penerapan Manajemen Data",
                    "Tingkat Kematangan Penerapan Manajemen Aset TIK",
                    "Tingkat Kematangan Penerapan Kompetensi Sumber Daya Manusia",
                    "Tingkat Kematangan Penerapan Manajemen Pengetahuan",
                    "Tingkat Kematangan Penerapan Manajemen Perubahan",
                    "Tingkat Kematangan Penerapan Manajemen Layanan SPBE",
                ],
            ),
            (
                "A6",
                "Audit Teknologi Informasi dan Komunikasi",
                1.5,
                [
                    "Tingkat Kematangan Pelaksanaan Audit Infrastruktur SPBE",
                    "Tingkat Kematangan Pelaksanaan Audit Aplikasi SPBE",
                    "Tingkat Kematangan Pelaksanaan Audit Keamanan SPBE",
                ],
            ),
        ],
    ),
    (
        "D4",
        "Layanan SPBE",
        "layanan",
        [
            (
                "A7",
                "Layanan Administrasi Pemerintahan Berbasis Elektronik",
                2.75,
                [
                    "Tingkat Kematangan Layanan Perencanaan",
                    "Tingkat Kematangan Layanan Penganggaran",
                    "Tingkat Kematangan Layanan Keuangan",
                    "Tingkat Kematangan Layanan Pengadaan Barang dan Jasa",
                    "Tingkat Kematangan Layanan Kepegawaian",
                    "Tingkat Kematangan Layanan Kearsipan Dinamis",
                    "Tingkat Kematangan Layanan Pengelolaan Barang Milik Daerah",
                    "Tingkat Kematangan Layanan Pengawasan Internal Pemerintah",
                    "Tingkat Kematangan Layanan Akuntabilitas Kinerja Organisasi",
                    "Tingkat Kematangan Layanan Kinerja Pegawai",
                ],
            ),
            (
                "A8",
                "Layanan Publik Berbasis Elektronik",
                3.0,
                [
                    "Tingkat Kematangan Layanan Pengaduan Pelayanan Publik",
                    "Tingkat Kematangan Layanan Dokumentasi dan Informasi Hukum",
                    "Tingkat Kematangan Layanan Whistle Blowing System",
                    "Tingkat Kematangan Layanan Publik Sektor 1",
                    "Tingkat Kematangan Layanan Publik Sektor 2",
                    "Tingkat Kematangan Layanan Publik Sektor 3",
                ],
            ),
        ],
    ),
]


def _spbe_domains() -> list[dict[str, Any]]:
    domains: list[dict[str, Any]] = []
    number = 0
    for code, name, levels, aspects in _SPBE:
        rows = []
        for aspect_code, aspect_name, weight, names in aspects:
            indicators = []
            for indicator_name in names:
                number += 1
                code_i = f"I{number:02d}"
                indicators.append(
                    {"code": code_i, "number": number, "name": indicator_name, "weight": weight}
                )
            rows.append({"code": aspect_code, "name": aspect_name, "indicators": indicators})
        domains.append({"code": code, "name": name, "levels": levels, "aspects": rows})
    return domains


def city_config() -> dict[str, Any]:
    """The Smart City evaluation's default configuration (a fresh copy)."""
    return {
        "description": _CITY_DESCRIPTION,
        "scale": [1, 5],
        "aspects": [dict(a, rubric=dict(a["rubric"])) for a in CITY_ASPECTS],
    }


def spbe_config() -> dict[str, Any]:
    """The SPBE self-assessment's default configuration (a fresh copy)."""
    return {
        "description": _SPBE_DESCRIPTION,
        "level_sets": {key: list(names) for key, names in LEVEL_SETS.items()},
        "bands": [dict(band) for band in BANDS],
        "domains": _spbe_domains(),
    }


DEFAULTS = {
    CITY_KIND: ("v1", "Evaluasi Smart City (lima aspek)", city_config),
    SPBE_KIND: ("v1", "Evaluasi SPBE (PermenPANRB 59/2020)", spbe_config),
}
