"""Demo masterplan for ``pontive demo load`` (after the other domains, whose data the live
indicators read), made through the services as the technical team would have:

- the "Masterplan Pontianak Smart City 2023-2032", version 1 adopted by Perwa Nomor 45 Tahun
  2023 and version 2 (the mid-term revision) being drafted;
- for each of the six dimensions two or three programmes under their Pasal 11 priorities,
  with activities owned by the agency that does the work, one a quick win;
- indicators with baselines, targets for every year and Satu Data metadata, six of them
  computed live by Pontive (report SLA, resolution time, open datasets, sensor uptime, CCTV
  coverage, coordination tasks on time);
- realisation of 2024-2026: verified, three awaiting verification, one rejected and
  re-reported, one corrected after verification; today's live values recorded.

Places and agencies are real; texts, targets and values are DEMO VALUES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import WIB
from pontive.masterplan import metrics, monitoring, service, versions
from pontive.masterplan.models import Indicator, Realisation
from pontive.masterplan.service import ActivityInput, IndicatorInput, ProgrammeInput

TITLE = "Masterplan Pontianak Smart City 2023\u20132032"
PERWA = (
    "Peraturan Wali Kota Pontianak Nomor 45 Tahun 2023 tentang Masterplan Pontianak "
    "Smart City Tahun 2023\u20132032"
)
BACKGROUND = (
    "Kota Pontianak terletak tepat di garis khatulistiwa, di pertemuan Sungai Kapuas dan "
    "Sungai Landak, dengan enam kecamatan dan 29 kelurahan. Sebagai ibu kota Provinsi "
    "Kalimantan Barat, kota ini menjadi pusat pemerintahan, perdagangan dan jasa bagi "
    "kawasan sekitarnya.\n\n"
    "Tantangan utama kota adalah genangan saat pasang purnama di kawasan tepian sungai, kabut "
    "asap musim kemarau dari kebakaran lahan gambut di sekitar kota, kemacetan di simpang "
    "utama, serta kebutuhan layanan publik yang cepat dan terbuka.\n\n"
    "Peraturan Daerah Kota Pontianak Nomor 9 Tahun 2022 tentang Penyelenggaraan Kota Cerdas "
    "mengamanatkan rencana induk sepuluh tahun yang memuat latar belakang, visi dan misi, "
    "strategi per dimensi, peta jalan dan program quick win, dipantau terus-menerus dan "
    "dievaluasi sedikitnya sekali setahun oleh Tim Teknis."
)
VISION = (
    "Pontianak Kota Khatulistiwa yang cerdas, tangguh dan berkelanjutan: layanan publik "
    "yang cepat dan terbuka, warga yang sehat dan berdaya, serta sungai yang lestari."
)
MISSIONS = [
    "Mewujudkan tata kelola pemerintahan berbasis data dan layanan digital terpadu.",
    "Meningkatkan kualitas hidup warga melalui layanan kesehatan, mobilitas dan prasarana.",
    "Menjaga sungai dan udara kota serta mengurangi risiko banjir pasang dan kabut asap.",
    "Menumbuhkan ekonomi digital UMKM dan transaksi keuangan nontunai.",
    "Membangun masyarakat yang cakap digital, aman dan saling peduli.",
]
STRATEGIES = {
    "governance": "Satu pintu pengaduan dan layanan, Satu Data Pontianak sebagai dasar kebijakan, "
    "dan birokrasi digital yang diukur dengan indeks SPBE.",
    "branding": "Memasarkan Tugu Khatulistiwa dan Waterfront City sebagai wajah kota, serta "
    "peluang investasi yang terbuka dan mudah diakses.",
    "economy": "Membawa UMKM ke pasar daring, mempermudah perizinan berusaha, dan memperluas "
    "pembayaran nontunai di pasar rakyat.",
    "living": "Layanan kesehatan tanpa antre panjang, lalu lintas adaptif, angkutan umum yang "
    "informatif, dan drainase yang dipantau sensor.",
    "society": "Sekolah tersambung internet, literasi digital warga, ruang publik ber-Wi-Fi, "
    "dan keamanan lingkungan yang didukung CCTV.",
    "environment": "Pemantauan udara dan air sungai, bank sampah digital, serta penerangan jalan "
    "tenaga surya.",
}
ROADMAP = (
    (2023, "Fondasi", "Tim Teknis dan Dewan Smart City;Kanal pengaduan warga satu pintu"),
    (2024, "Fondasi", "Pusat data dan jaringan fiber antarkantor;Antrean daring puskesmas"),
    (2025, "Integrasi", "Satu Data Pontianak;Sensor muka air terhubung ke Pontive Center"),
    (2026, "Integrasi", "Perizinan berusaha terintegrasi;Stasiun kualitas udara di enam kecamatan"),
    (2027, "Integrasi", "Rekam medis elektronik di seluruh puskesmas"),
    (2028, "Akselerasi", "Lalu lintas adaptif di 30 simpang;Retribusi pasar nontunai"),
    (2029, "Akselerasi", "Informasi angkutan umum waktu nyata di seluruh halte"),
    (2030, "Akselerasi", "Sekolah negeri tersambung internet 20 Mbps"),
    (2031, "Keberlanjutan", "Evaluasi menyeluruh dan replikasi program"),
    (2032, "Keberlanjutan", "Kemitraan swasta dan kampus;Penyusunan masterplan berikutnya"),
)  # fmt: skip
QUICK_WINS = [
    {"title": "Wi-Fi publik di taman kota", "year": 2023, "pd_kode": "diskominfo"},
    {"title": "Aplikasi pengaduan warga satu pintu", "year": 2023, "pd_kode": "diskominfo"},
    {"title": "Antrean daring puskesmas", "year": 2024, "pd_kode": "dinkes"},
    {"title": "Peta genangan saat pasang purnama", "year": 2024, "pd_kode": "pupr"},
]
# The mid-term revision (version 2, a draft): climate resilience, and the 2027 milestones.
REVISION_NOTE = "Revisi paruh waktu: ketahanan iklim dan penyesuaian tonggak 2027"
TIDE = ["61.71.02.1004", "61.71.02.1005", "61.71.02.1001", "61.71.03.1004", "61.71.04.1001"]


@dataclass(frozen=True, slots=True)
class P:
    """A demo programme with its activities (code suffix, name, agency)."""

    code: str
    name: str
    priority: str  # "<dimension>.<letter>" (Pasal 11)
    pd_kode: str
    start: int
    end: int
    weight: float
    activities: tuple[tuple[str, str, str], ...]
    kelurahan: list[str] = field(default_factory=list)
    datasets: tuple[str, ...] = ()
    quick_win: bool = False


@dataclass(frozen=True, slots=True)
class I:  # noqa: E742 - a one-letter row type keeps the table below readable
    """A demo indicator: first and last target (the owner's first year and 2032), the 2022
    baseline, and the values of 2024-2026 or the key of a live metric."""

    code: str
    owner: str  # a programme's or an activity's code
    name: str
    unit: str
    direction: str
    first: float
    last: float
    base: float
    values: tuple[float, float, float] | str
    definition: str = ""
    method: str = ""


H, L = "higher", "lower"
PROGRAMMES = (
    P("GOV-01", "Layanan publik dan pengaduan warga terpadu", "governance.a", "diskominfo", 2023,
      2032, 1.5,
      (
          ("01", "Kanal pengaduan warga terintegrasi (Pontive)", "diskominfo"),
          ("02", "Mal Pelayanan Publik dan perizinan daring", "dpmptsp"),
      )),
    P("GOV-02", "Satu Data Pontianak", "governance.c", "bappeda", 2023, 2032, 1.0,
      (
          ("01", "Portal data terbuka Kota Pontianak", "diskominfo"),
          ("02", "Forum Satu Data dan standar data", "bappeda"),
      ), datasets=("jumlah-penduduk-per-kelurahan",)),
    P("GOV-03", "Birokrasi digital dan SPBE", "governance.b", "bappeda", 2023, 2032, 1.0,
      (
          ("01", "Perencanaan dan penganggaran elektronik", "bappeda"),
          ("02", "Koordinasi lintas PD di Pontive Center", "diskominfo"),
      )),
    P("LIV-01", "Layanan kesehatan digital", "living.b", "dinkes", 2023, 2032, 1.0,
      (
          ("01", "Rekam medis elektronik puskesmas", "dinkes"),
          ("02", "Antrean daring puskesmas dan RSUD", "dinkes"),
      ), datasets=("fasilitas-kesehatan-puskesmas",)),
    P("LIV-02", "Transportasi dan mobilitas cerdas", "living.d", "dishub", 2023, 2032, 1.0,
      (
          ("01", "Lampu lalu lintas adaptif (ATCS)", "dishub"),
          ("02", "Informasi angkutan umum waktu nyata", "dishub"),
      )),
    P("LIV-03", "Drainase dan pengendalian banjir pasang", "living.c", "pupr", 2023, 2032, 1.5,
      (
          ("01", "Sensor muka air dan pompa otomatis", "pupr"),
          ("02", "Normalisasi parit primer", "pupr"),
      ), kelurahan=TIDE),
    P("ENV-01", "Pemantauan udara dan kesiapsiagaan kabut asap", "environment.a", "dlh", 2023,
      2032, 1.0,
      (
          ("01", "Stasiun sensor kualitas udara", "dlh"),
          ("02", "Peringatan dini karhutla dan asap", "bpbd"),
      )),
    P("ENV-02", "Pengelolaan sampah dan air sungai", "environment.b", "dlh", 2023, 2032, 1.0,
      (
          ("01", "Bank sampah digital dan TPS3R", "dlh"),
          ("02", "Pemantauan kualitas air Sungai Kapuas", "dlh"),
      ), datasets=("timbulan-sampah-per-tps",)),
    P("ENV-03", "Energi terbarukan fasilitas publik", "environment.c", "dlh", 2024, 2032, 0.5,
      (
          ("01", "Penerangan jalan umum tenaga surya", "pupr"),
      ), datasets=("penerangan-jalan-umum",)),
    P("ECO-01", "Ekosistem UMKM digital", "economy.c", "dpmptsp", 2023, 2032, 1.0,
      (
          ("01", "Pelatihan pemasaran digital UMKM", "dpmptsp"),
          ("02", "Perizinan berusaha terintegrasi", "dpmptsp"),
      )),
    P("ECO-02", "Transaksi keuangan digital daerah", "economy.d", "bapenda", 2023, 2032, 1.0,
      (
          ("01", "Retribusi pasar dan pajak daerah nontunai", "bapenda"),
      ), datasets=("realisasi-pendapatan-asli-daerah",)),
    P("ECO-03", "Informasi pangan dan pertanian kota", "economy.b", "dp3", 2024, 2032, 0.5,
      (
          ("01", "Sistem informasi harga pangan harian", "dp3"),
      )),
    P("SOC-01", "Ekosistem belajar digital", "society.b", "disdikbud", 2023, 2032, 1.0,
      (
          ("01", "Sekolah tersambung internet", "disdikbud"),
          ("02", "Literasi digital warga", "disdikbud"),
      )),
    P("SOC-02", "Wi-Fi publik dan pojok baca di taman kota", "society.a", "diskominfo", 2023,
      2026, 0.5,
      (
          ("01", "Titik Wi-Fi publik di taman dan ruang terbuka", "diskominfo"),
      ), quick_win=True),
    P("SOC-03", "Kota aman dan perlindungan sosial", "society.c", "dinsos", 2023, 2032, 1.0,
      (
          ("01", "CCTV lingkungan terpadu", "diskominfo"),
          ("02", "Pemutakhiran data terpadu kesejahteraan sosial", "dinsos"),
      ), datasets=("rekap-penerima-bantuan-sosial",)),
    P("BRA-01", "Wisata sungai dan Tugu Khatulistiwa", "branding.a", "setda", 2023, 2032, 1.0,
      (
          ("01", "Promosi wisata digital Waterfront City", "setda"),
      )),
    P("BRA-02", "Promosi investasi digital", "branding.b", "dpmptsp", 2023, 2032, 1.0,
      (
          ("01", "Peta peluang investasi daring", "dpmptsp"),
      )),
)  # fmt: skip

INDICATORS = (
    I("GOV-01.01.I1", "GOV-01.01", "", "%", H, 70, 95, 58, "complaint_sla_compliance"),
    I("GOV-01.01.I2", "GOV-01.01", "", "jam", L, 96, 24, 120, "complaint_resolution_hours"),
    I("GOV-01.02.I1", "GOV-01.02", "Indeks kepuasan masyarakat Mal Pelayanan Publik", "indeks", H,
      80, 90, 78.2, (82.4, 84.1, 85.0),
      "Nilai survei kepuasan masyarakat atas layanan Mal Pelayanan Publik (PermenPANRB 14/2017).",
      "Rata-rata tertimbang sembilan unsur pelayanan x 25."),
    I("GOV-02.01.I1", "GOV-02.01", "", "dataset", H, 5, 30, 0, "open_datasets"),
    I("GOV-02.02.I1", "GOV-02.02",
      "Perangkat Daerah yang menyerahkan data sesuai standar Satu Data", "%", H, 50, 100, 12,
      (35, 52, 64),
      "Persentase PD yang menyerahkan data prioritas dengan metadata dan kode referensi baku.",
      "PD patuh ÷ seluruh PD x 100."),
    I("GOV-03.I1", "GOV-03", "Indeks SPBE Kota Pontianak", "indeks", H, 2.8, 4.2, 2.61,
      (3.02, 3.28, 3.45),
      "Indeks Sistem Pemerintahan Berbasis Elektronik hasil evaluasi mandiri dan nasional.",
      "Rata-rata tertimbang tingkat kematangan indikator SPBE (skala 1-5)."),
    I("GOV-03.02.I1", "GOV-03.02", "", "%", H, 70, 95, 60, "task_completion_on_time"),
    I("LIV-01.01.I1", "LIV-01.01", "Puskesmas dengan rekam medis elektronik", "%", H, 30, 100, 18,
      (55, 78, 91),
      "Persentase puskesmas yang mencatat rekam medis secara elektronik dan terhubung SATUSEHAT.",
      "Puskesmas ber-RME ÷ 23 puskesmas x 100."),
    I("LIV-01.02.I1", "LIV-01.02", "Rata-rata waktu tunggu rawat jalan", "menit", L, 75, 30, 84,
      (62, 51, 44),
      "Waktu dari pendaftaran sampai dilayani dokter di poli rawat jalan.",
      "Rata-rata sampel bulanan antrean daring, dihitung per tahun."),
    I("LIV-02.01.I1", "LIV-02.01", "Simpang dengan lampu lalu lintas adaptif", "simpang", H, 10,
      50, 6, (12, 18, 22),
      "Simpang bersinyal yang waktunya diatur otomatis oleh ATCS.",
      "Jumlah simpang ATCS yang beroperasi pada akhir tahun."),
    I("LIV-02.02.I1", "LIV-02.02", "Halte dengan informasi kedatangan waktu nyata", "%", H, 5, 80,
      0, (10, 24, 35),
      "Persentase halte angkutan umum dengan papan atau kode QR informasi kedatangan.",
      "Halte berinformasi ÷ seluruh halte x 100."),
    I("LIV-03.01.I1", "LIV-03.01", "", "%", H, 80, 98, 70, "sensor_uptime"),
    I("LIV-03.02.I1", "LIV-03.02", "Luas genangan saat pasang purnama", "ha", L, 170, 40, 186,
      (150, 121, 104),
      "Luas permukiman tergenang lebih dari 10 cm saat pasang purnama tertinggi tahun itu.",
      "Pemetaan lapangan dan citra drone, dijumlahkan per kelurahan."),
    I("ENV-01.01.I1", "ENV-01.01", "Hari dengan ISPU baik atau sedang", "%", H, 85, 95, 82,
      (88.2, 90.1, 86.5),
      "Persentase hari dalam setahun dengan ISPU harian kategori baik atau sedang.",
      "Hari ISPU ≤ 100 ÷ hari terukur x 100."),
    I("ENV-01.02.I1", "ENV-01.02", "Waktu peringatan dini sebelum udara tidak sehat", "jam", H, 6,
      24, 3, (8, 12, 14),
      "Selisih waktu peringatan BPBD dengan saat ISPU pertama kali melewati 200.",
      "Median per kejadian kabut asap dalam setahun."),
    I("ENV-02.01.I1", "ENV-02.01", "Sampah terkelola melalui bank sampah dan TPS3R", "%", H, 12,
      40, 9, (15.5, 19.8, 23.0),
      "Persentase timbulan sampah rumah tangga yang dipilah dan didaur ulang.",
      "Tonase tercatat aplikasi bank sampah ÷ timbulan total x 100."),
    I("ENV-02.02.I1", "ENV-02.02", "pH air Sungai Kapuas di titik pantau Jembatan Kapuas I", "pH",
      "band", 6, 9, 6.6, (6.4, 6.1, 5.6),
      "Derajat keasaman air sungai; baku mutu kelas II 6-9.",
      "Rata-rata tahunan pengukuran bulanan laboratorium DLH."),
    I("ENV-03.01.I1", "ENV-03.01", "Titik penerangan jalan tenaga surya", "titik", H, 150, 1500,
      40, (180, 420, 610),
      "Lampu PJU yang dipasok panel surya mandiri.",
      "Jumlah titik terpasang dan menyala pada akhir tahun."),
    I("ECO-01.01.I1", "ECO-01.01", "UMKM binaan yang berjualan daring", "usaha", H, 1500, 12000,
      900, (2800, 4600, 6100),
      "UMKM binaan yang aktif di lokapasar atau toko daring sendiri.",
      "Jumlah UMKM dengan transaksi daring dalam tiga bulan terakhir."),
    I("ECO-01.02.I1", "ECO-01.02", "Izin berusaha terbit paling lama 3 hari kerja", "%", H, 60,
      95, 52, (71, 79, 84),
      "Persentase izin berusaha yang terbit dalam tiga hari kerja sejak berkas lengkap.",
      "Izin tepat waktu ÷ izin terbit x 100, dari OSS-RBA."),
    I("ECO-02.01.I1", "ECO-02.01", "Transaksi retribusi pasar nontunai", "%", H, 40, 95, 4,
      (22, 41, 55),
      "Persentase nilai retribusi pasar yang dibayar melalui QRIS atau transfer.",
      "Nilai nontunai ÷ total retribusi x 100."),
    I("ECO-03.01.I1", "ECO-03.01", "Komoditas pangan dengan harga harian terpublikasi",
      "komoditas", H, 25, 50, 10, (18, 24, 28),
      "Komoditas pokok yang harganya di pasar kota diterbitkan setiap hari.",
      "Jumlah komoditas dengan data harga ≥ 95 % hari pasar."),
    I("SOC-01.01.I1", "SOC-01.01", "Sekolah dengan akses internet minimal 20 Mbps", "%", H, 40,
      100, 31, (58, 71, 83),
      "Persentase SD dan SMP negeri dengan koneksi internet terukur ≥ 20 Mbps.",
      "Sekolah memenuhi ÷ seluruh sekolah x 100."),
    I("SOC-01.02.I1", "SOC-01.02", "Warga yang mengikuti pelatihan literasi digital", "orang", H,
      3000, 30000, 1200, (5200, 9800, 13100),
      "Warga yang menyelesaikan kelas literasi digital kota (kumulatif).",
      "Jumlah peserta lulus sejak 2023."),
    I("SOC-02.01.I1", "SOC-02.01", "Taman kota dengan Wi-Fi publik", "taman", H, 4, 20, 2,
      (9, 14, 17),
      "Taman dan ruang terbuka publik dengan Wi-Fi gratis yang beroperasi.",
      "Jumlah lokasi dengan titik akses aktif pada akhir tahun."),
    I("SOC-03.01.I1", "SOC-03.01", "", "%", H, 0.3, 5, 0.1, "cctv_coverage"),
    I("SOC-03.02.I1", "SOC-03.02", "Kelurahan yang memutakhirkan DTKS tiap semester", "%", H, 50,
      100, 41, (62, 79, 90),
      "Persentase kelurahan yang mengirim pemutakhiran DTKS dua kali setahun.",
      "Kelurahan patuh ÷ 29 kelurahan x 100."),
    I("BRA-01.01.I1", "BRA-01.01", "Kunjungan wisatawan", "ribu orang", H, 950, 2000, 870,
      (1120, 1310, 1405),
      "Wisatawan nusantara dan mancanegara yang berkunjung ke Kota Pontianak.",
      "Data okupansi hotel dan survei destinasi, dijumlahkan per tahun."),
    I("BRA-02.01.I1", "BRA-02.01", "Profil peluang investasi yang terpublikasi", "proyek", H, 10,
      60, 2, (9, 16, 21),
      "Proyek siap tawar dengan kajian pra-studi kelayakan di peta peluang investasi.",
      "Jumlah profil terbit sampai akhir tahun."),
    I("BRA-02.I1", "BRA-02", "Realisasi investasi", "Rp miliar", H, 2000, 4500, 1650,
      (2150, 2480, 2620),
      "Nilai realisasi penanaman modal dalam dan luar negeri di Kota Pontianak.",
      "Laporan kegiatan penanaman modal (LKPM) dari OSS-RBA."),
)  # fmt: skip
PENDING = {"GOV-03.I1", "LIV-02.02.I1", "ECO-01.02.I1"}  # 2026 still awaiting verification
REJECTED = "LIV-01.02.I1"  # 2026 first typed in hours, rejected, re-reported in minutes
CORRECTED = "ENV-02.01.I1"  # 2025 verified as 18.9 %, corrected after the period closed
CORRECTED_FROM = 18.9
PERIOD_DATES = (date(2024, 12, 31), date(2025, 12, 31), date(2026, 9, 30))


def _user(session: Session, role: Role, pd_kode: str | None, fallback: Actor) -> Actor:
    query = select(User).where(User.role == role, User.is_active.is_(True))
    if pd_kode is not None:
        query = query.where(User.pd_kode == pd_kode)
    user = session.scalars(query.order_by(User.id)).first()
    if user is None:
        return fallback
    return Actor(
        kind=ActorKind.USER, role=user.role, id=user.id, name=user.username, pd_kode=user.pd_kode
    )


def _roadmap(revised: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for year, phase, items in ROADMAP:
        listed = items.split(";")
        if revised and year == 2026:  # the revision brings medical records forward a year
            listed.append("Rekam medis elektronik di seluruh puskesmas")
        elif revised and year == 2027:  # and adds climate adaptation in its place
            listed = ["Peta risiko iklim dan rencana adaptasi kawasan tepian sungai"]
        rows.append({"year": year, "phase": phase, "items": listed})
    return rows


def _content(revised: bool = False) -> dict[str, Any]:
    strategies = dict(STRATEGIES)
    missions, vision, wins = list(MISSIONS), VISION, list(QUICK_WINS)
    if revised:
        vision = VISION.replace("tangguh", "tangguh iklim")
        missions.append("Memperkuat ketahanan kota terhadap perubahan iklim dan cuaca ekstrem.")
        strategies["environment"] += " Rencana adaptasi iklim untuk kawasan tepian sungai."
        wins.append({"title": "Kolam retensi Sungai Jawi", "year": 2027, "pd_kode": "pupr"})
    return {"background": BACKGROUND, "vision": vision, "missions": missions,
            "strategies": strategies, "roadmap": _roadmap(revised), "quick_wins": wins}  # fmt: skip


def _masterplan(session: Session, tim: Actor, mayor: Actor) -> None:
    masterplan = versions.create_masterplan(
        session, actor=tim, title=TITLE, start_year=2023, end_year=2032
    )
    first = versions.draft_version(
        session, actor=tim, masterplan=masterplan, content=_content(),
        change_note="Rancangan awal hasil bimbingan teknis Gerakan Smart City",
        now=datetime(2023, 8, 14, 9, 0, tzinfo=WIB),
    )  # fmt: skip
    versions.review(session, actor=tim, version=first, now=datetime(2023, 9, 20, 14, 0, tzinfo=WIB))
    versions.adopt(session, actor=mayor, version=first, regulation_number=PERWA,
                   now=datetime(2023, 10, 16, 10, 0, tzinfo=WIB))  # fmt: skip
    versions.draft_version(
        session, actor=tim, masterplan=masterplan, content=_content(revised=True),
        change_note=REVISION_NOTE, now=datetime(2026, 10, 5, 9, 30, tzinfo=WIB),
    )  # fmt: skip


def _programme(session: Session, tim: Actor, spec: P) -> None:
    dimension = spec.priority.split(".")[0]
    programme = service.save_programme(session, actor=tim, data=ProgrammeInput(
        code=spec.code, name=spec.name, dimensi_kode=dimension, prioritas_kode=spec.priority,
        pd_kode=spec.pd_kode, start_year=spec.start, end_year=spec.end, weight=spec.weight,
        kelurahan_kodes=spec.kelurahan, dataset_names=spec.datasets, is_quick_win=spec.quick_win,
    ))  # fmt: skip
    for suffix, name, agency in spec.activities:
        service.save_activity(session, actor=tim, programme=programme, data=ActivityInput(
            code=f"{spec.code}.{suffix}", name=name, pd_kode=agency, start_year=spec.start,
            end_year=spec.end, kelurahan_kodes=spec.kelurahan,
        ))  # fmt: skip


def _targets(first_year: int, first: float, last: float) -> dict[int, float]:
    """A straight line from the first year's target to 2032's, in sensible steps."""
    span, digits = 2032 - first_year, 0 if abs(last - first) >= 20 else 2
    return {
        year: round(first + (last - first) * (year - first_year) / span, digits)
        for year in range(first_year, 2033)
    }


def _indicator(session: Session, tim: Actor, spec: I) -> Indicator:
    programme = service.get_programme(session, spec.owner.split(".")[0])
    activity = next((a for a in programme.activities if a.code == spec.owner), None)
    owner = activity or programme
    if isinstance(spec.values, str):  # a live metric: named, measured and sourced by Pontive
        data = service.indicator_from_metric(spec.values)
        data.frekuensi = "harian"
        data.konsep = f"Ukuran langsung dari sistem Pontive untuk program {programme.name}."
        data.definisi = metrics.METRICS[spec.values].compute.__doc__ or ""
        data.metode = "Dihitung otomatis oleh Pontive; nilai dicatat sekali sehari."
    else:
        data = IndicatorInput(spec.code, spec.name, spec.unit, spec.direction, owner.pd_kode)
        data.konsep = f"Capaian program {programme.name} ({owner.name})."
        data.definisi, data.metode = spec.definition, spec.method
        data.sumber = f"Laporan kinerja {owner.pd_kode.upper()} (rekapitulasi tahunan)"
    data.code, data.pd_kode = spec.code, owner.pd_kode
    data.baseline_value, data.baseline_year = float(spec.base), 2022
    if spec.direction == "band":
        data.band_low, data.band_high, data.band_tolerance = spec.first, spec.last, 1.0
        data.targets = dict.fromkeys(range(owner.start_year, 2033), 7.0)  # the band's middle
    else:
        data.targets = _targets(owner.start_year, spec.first, spec.last)
    return service.save_indicator(
        session, actor=tim, data=data,
        programme=None if activity else programme, activity=activity,
    )  # fmt: skip


def _realise(session: Session, indicator: Indicator, values: tuple[float, ...],
             officers: dict[str, Actor], tim: Actor) -> None:  # fmt: skip
    reporter = officers.get(indicator.pd_kode, tim)
    for period, value in zip(PERIOD_DATES, values, strict=True):
        note = f"Rekapitulasi {reporter.name} per {period:%d-%m-%Y}."
        if indicator.code == REJECTED and period.year == 2026:
            wrong = monitoring.report_value(
                session, actor=reporter, indicator=indicator, period_date=period,
                value=round(value / 60, 2), note="Rata-rata waktu tunggu (jam).",
            )  # fmt: skip
            monitoring.review(
                session, actor=tim, entry=wrong, approve=False,
                note="Satuan indikator adalah menit, bukan jam; mohon dilaporkan ulang.",
            )  # fmt: skip
        is_corrected = indicator.code == CORRECTED and period.year == 2025
        entry = monitoring.report_value(
            session, actor=reporter, indicator=indicator, period_date=period, note=note,
            value=CORRECTED_FROM if is_corrected else value,
        )  # fmt: skip
        if indicator.code in PENDING and period.year == 2026:
            continue
        monitoring.review(session, actor=tim, entry=entry, approve=True)
        if is_corrected:  # after the period closed: a new entry replaces the verified one
            correction = monitoring.report_value(
                session, actor=reporter, indicator=indicator, period_date=period,
                value=value, replaces=entry,
                note="Koreksi: tonase TPS3R Pal Lima bulan Desember belum terhitung.",
            )  # fmt: skip
            monitoring.review(session, actor=tim, entry=correction, approve=True)


def load(session: Session, actor: Actor) -> str:
    """Load the demo masterplan; a one-line summary for ``pontive demo load``."""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        tim = _user(session, Role.TIM_TEKNIS, None, actor)
        mayor = _user(session, Role.WALIKOTA, None, actor)
        officers = {pd: _user(session, Role.PETUGAS_PD, pd, tim) for pd in ("pupr", "dlh")}
        _masterplan(session, tim, mayor)
        for spec in PROGRAMMES:
            _programme(session, tim, spec)
        for measure in INDICATORS:
            indicator = _indicator(session, tim, measure)
            if not isinstance(measure.values, str):
                _realise(session, indicator, measure.values, officers, tim)
        monitoring.record_live(session)
        session.commit()
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    realised = session.scalar(select(func.count(Realisation.id))) or 0
    return (
        f"1 rencana induk (2 versi), {len(PROGRAMMES)} program, {len(INDICATORS)} indikator, "
        f"{realised} realisasi"
    )
