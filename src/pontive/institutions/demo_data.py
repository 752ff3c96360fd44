"""The demo's data (``demo.py`` loads it): a council, its technical team, recommendations,
partnerships, capacity events with participants, certifications and an expert's technology
transfers. Days are counted from the day of loading; people's names are made up (council
members marked "(demo)"), agency codes are Pontianak's.
"""

from __future__ import annotations

COUNCIL_DECREE = "188.45/412/HK/{year}"
TEAM_DECREE = "188.45/413/HK/{year}"

# name, element, position, organisation, days the term ends early (None: full term)
MEMBERS: tuple[tuple[str, str, str, str, int | None], ...] = (
    ("H. Ahmad Fauzi, S.H., M.Si. (demo)", "pemerintah", "ketua", "Sekretariat Daerah", None),
    (
        "Dr. Ir. Yudhi Pratama, M.T. (demo)",
        "akademisi",
        "wakil_ketua",
        "Universitas Tanjungpura",
        None,
    ),
    ("Ir. Rudi Hartono, M.Kom. (demo)", "pemerintah", "sekretaris", "Diskominfo", None),
    ("Dra. Maria Ulfa, M.Si. (demo)", "pemerintah", "anggota", "Bappeda", None),
    ("Dr. Hj. Nurul Aini (demo)", "akademisi", "anggota", "IAIN Pontianak", None),
    (
        "Syarif Hamid Alkadrie (demo)",
        "masyarakat",
        "anggota",
        "Forum Komunitas Kreatif Pontianak",
        None,
    ),
    ("Fransiska Nirmala (demo)", "masyarakat", "anggota", "Relawan TIK Kalimantan Barat", 25),
    ("Hendra Wijaya (demo)", "dunia_usaha", "anggota", "KADIN Kota Pontianak", None),
    ("Agustina Lim (demo)", "dunia_usaha", "anggota", "Asosiasi UMKM Digital Kalbar", None),
)

# agency, position, representative, duties
TEAM: tuple[tuple[str, str, str, str], ...] = (
    (
        "setda",
        "pengarah",
        "Asisten Administrasi Umum",
        "Mengarahkan pelaksanaan program Smart City.",
    ),
    (
        "diskominfo",
        "ketua",
        "Kepala Dinas Kominfo",
        "Memimpin tim; mengelola Pontive Center dan infrastruktur TIK.",
    ),
    (
        "bappeda",
        "sekretaris",
        "Kepala Bidang Perencanaan",
        "Menyelaraskan masterplan dengan RPJMD; menyiapkan evaluasi tahunan.",
    ),
    (
        "bkpsdm",
        "koordinator",
        "Kepala Bidang Pengembangan SDM",
        "Merencanakan pelatihan dan sertifikasi ASN (Pasal 12).",
    ),
    ("pupr", "anggota", "Kepala Bidang Sumber Daya Air", "Sensor muka air dan drainase cerdas."),
    (
        "dishub",
        "anggota",
        "Kepala Bidang Lalu Lintas",
        "Transportasi dan lampu lalu lintas adaptif.",
    ),
    (
        "dlh",
        "anggota",
        "Kepala Bidang Pengendalian Pencemaran",
        "Pemantauan kualitas udara dan air.",
    ),
    ("dinkes", "anggota", "Kepala Bidang Pelayanan Kesehatan", "Layanan kesehatan digital."),
)

TEAM_DUTIES = (
    "Menyusun rencana aksi tahunan Smart City setiap Perangkat Daerah anggota tim.",
    "Melaporkan capaian indikator masterplan setiap triwulan melalui Pontive.",
)

# number suffix, meeting (0/1), agency, due (days from today), status, programme, text, outcome
RECOMMENDATIONS: tuple[tuple[str, int, str, int, str, str, str, str], ...] = (
    (
        "01",
        0,
        "diskominfo",
        -30,
        "selesai",
        "GOV-02",
        "Menetapkan standar interoperabilitas data antar-PD sebagai dasar Satu Data Pontianak.",
        "Standar interoperabilitas ditetapkan dan dipakai lima PD untuk berbagi data melalui API.",
    ),
    (
        "02",
        0,
        "pupr",
        -10,
        "ditindaklanjuti",
        "LIV-03",
        "Mempercepat integrasi sensor muka air parit primer ke Pontive Center sebelum pasang.",
        "Enam dari sepuluh sensor sudah terhubung; sisanya menunggu perbaikan jaringan.",
    ),
    (
        "03",
        0,
        "dishub",
        20,
        "ditolak",
        "LIV-02",
        "Memperluas lampu lalu lintas adaptif ke lima simpang tambahan tahun ini.",
        "Ditunda ke tahun anggaran berikutnya karena kajian lalu lintas belum selesai.",
    ),
    (
        "04",
        1,
        "bkpsdm",
        12,
        "diajukan",
        "GOV-03",
        "Menyusun rencana sertifikasi ASN bidang TIK untuk tahun depan.",
        "",
    ),
    (
        "05",
        1,
        "dlh",
        45,
        "diajukan",
        "ENV-01",
        "Menerbitkan data ISPU harian di portal data terbuka Pontianak.",
        "",
    ),
)

# number, title, kind, parties, scope, starts (days), ends (days), agency, value
PARTNERSHIPS: tuple[tuple[str, str, str, str, str, int, int, str, str], ...] = (
    (
        "PKS/012/DISKOMINFO/{year}",
        "Penyediaan Wi-Fi publik di ruang terbuka hijau",
        "g2b",
        "Pemerintah Kota Pontianak; PT Borneo Data Nusantara (demo)",
        "Akses internet gratis di 12 taman kota dan tepian Sungai Kapuas.",
        -340,
        21,
        "diskominfo",
        "480000000",
    ),
    (
        "PKS/003/BAPPEDA/{year}",
        "Riset dan pengembangan SDM Smart City",
        "perguruan_tinggi",
        "Pemerintah Kota Pontianak; Universitas Tanjungpura (demo)",
        "Kajian kebijakan, magang mahasiswa, pelatihan analisis data bagi ASN.",
        -200,
        530,
        "bappeda",
        "",
    ),
    (
        "PKS/007/DISKOMINFO/{year}",
        "Integrasi layanan kependudukan lintas daerah",
        "g2g",
        "Pemerintah Kota Pontianak; Pemerintah Kabupaten Kubu Raya (demo)",
        "Pertukaran data kependudukan dan rujukan layanan melalui API.",
        -90,
        640,
        "disdukcapil",
        "",
    ),
)

# title, kind, agency, starts (days), length (days), place, score, participants
EVENTS: tuple[
    tuple[str, str, str, int, int, str, str, tuple[tuple[str, str, str, bool, bool, str], ...]], ...
] = (
    (
        "Pelatihan analisis data dan visualisasi untuk ASN",
        "pelatihan",
        "bkpsdm",
        -60,
        3,
        "Aula BKPSDM",
        "4.4",
        (
            (
                "Rahmat Hidayat, S.Kom.",
                "diskominfo",
                "Pranata Komputer Ahli Muda",
                True,
                True,
                "88",
            ),
            ("Nur Aisyah, S.E.", "bappeda", "Perencana Ahli Pertama", True, True, "84"),
            ("Yohanes Kurniawan, S.T.", "pupr", "Teknik Pengairan Ahli Muda", True, True, "79"),
            ("Siti Khadijah, S.KM.", "dinkes", "Epidemiolog Kesehatan", True, False, "62"),
            ("Andreas Tan, S.Si.", "dlh", "Pengendali Dampak Lingkungan", False, False, ""),
            (
                "Mega Safitri, S.Kom.",
                "disdukcapil",
                "Pranata Komputer Ahli Pertama",
                True,
                True,
                "91",
            ),
        ),
    ),
    (
        "Bimbingan teknis penanganan insiden di Pontive Center",
        "bimtek",
        "diskominfo",
        -30,
        2,
        "Pontive Center",
        "4.6",
        (
            (
                "Rahmat Hidayat, S.Kom.",
                "diskominfo",
                "Pranata Komputer Ahli Muda",
                True,
                True,
                "90",
            ),
            ("Dedi Kurniadi", "bpbd", "Analis Kebencanaan", True, True, "85"),
            ("Linda Permata", "satpolpp", "Polisi Pamong Praja", True, True, "80"),
            ("Yohanes Kurniawan, S.T.", "pupr", "Teknik Pengairan Ahli Muda", True, True, "83"),
        ),
    ),
    (
        "Magang kerja operator command center",
        "magang",
        "diskominfo",
        -120,
        30,
        "Pontive Center",
        "4.1",
        (
            ("Eka Saputra", "kec-barat", "Pengelola Layanan Kecamatan", True, True, ""),
            ("Ratna Dewi", "dishub", "Pengatur Lalu Lintas", True, True, ""),
        ),
    ),
    (
        "Sosialisasi Satu Data Pontianak bagi kelurahan",
        "sosialisasi",
        "bappeda",
        -10,
        1,
        "Kantor Camat Pontianak Kota",
        "3.9",
        (
            ("Hasanah", "kec-kota", "Sekretaris Kelurahan", True, False, ""),
            ("Budi Setiawan", "kec-selatan", "Kasi Pemerintahan Kelurahan", True, False, ""),
            ("Agus Salim", "kec-timur", "Kasi Pemerintahan Kelurahan", True, False, ""),
        ),
    ),
    (
        "Pelatihan dasar keamanan informasi",
        "pelatihan",
        "diskominfo",
        20,
        2,
        "Aula Diskominfo",
        "",
        (),
    ),
)

# holder, agency, certificate, issuer, level, number, issued (days), expires (days)
CERTIFICATIONS: tuple[tuple[str, str, str, str, str, str, int, int], ...] = (
    (
        "Rahmat Hidayat, S.Kom.",
        "diskominfo",
        "Certified Information Systems Auditor (CISA)",
        "ISACA",
        "internasional",
        "CISA-2113457",
        -1070,
        25,
    ),
    (
        "Dedi Kurniadi",
        "bpbd",
        "Network Administrator Madya",
        "BNSP",
        "nasional",
        "61713.2331.1.0045",
        -1110,
        -15,
    ),
    (
        "Mega Safitri, S.Kom.",
        "disdukcapil",
        "ISO/IEC 27001 Lead Implementer",
        "PECB",
        "internasional",
        "ISMS-LI-1054822",
        -220,
        875,
    ),
    (
        "Nur Aisyah, S.E.",
        "bappeda",
        "Associate Data Scientist",
        "BNSP",
        "nasional",
        "62010.2440.3.0112",
        -150,
        945,
    ),
)

# topic, days, recipient agency, participants, outcome
TRANSFERS: tuple[tuple[str, int, str, int, str], ...] = (
    (
        "Pemetaan proses bisnis layanan perizinan",
        -120,
        "diskominfo",
        8,
        "Peta proses 14 layanan perizinan tersusun.",
    ),
    (
        "Penyusunan arsitektur data Satu Data",
        -60,
        "bappeda",
        11,
        "Katalog data induk dan kode referensi disepakati.",
    ),
    (
        "Tata kelola API antar-PD",
        -14,
        "diskominfo",
        9,
        "Pedoman versi dan keamanan API diterapkan pada tiga layanan.",
    ),
)
