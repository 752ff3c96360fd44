"""Rows the assets domain ships, added by ``pontive db upgrade`` when missing: the default
information-system assessment template (Perda 9/2022 Pasal 19(4)).

The checklist was written for Pontive. Its areas follow the security triad of ISO/IEC 27001
and BSSN's Indeks KAMI, interoperability as SPBE (Perpres 95/2018, Permenpan RB 59/2020)
evaluates it, and personal data protection under UU 27/2022. A template with the default's
code already there — as shipped or as the technical team changed it — is kept; a new version
is made by copying it in the console.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import AssessmentArea as A
from pontive.assets.assessment_models import AssessmentTemplate, AssessmentTemplateItem

CODE = "PONTIVE-SI-1"
NAME = "Penilaian Keamanan dan Keandalan Sistem Informasi — Pontive default"
VERSION = "1"
DESCRIPTION = (
    "Daftar periksa bawaan Pontive untuk penilaian sistem informasi menurut Perda Kota "
    "Pontianak 9/2022 Pasal 19 ayat (4): kerahasiaan, integritas, ketersediaan, "
    "interoperabilitas, pelindungan data pribadi (UU 27/2022) dan tata kelola. Jawab tiap "
    "butir memenuhi, sebagian, tidak memenuhi, atau tidak berlaku; skor adalah bagian "
    "tertimbang dari butir yang berlaku."
)


class Item(NamedTuple):
    """One default item."""

    area: A
    code: str
    weight: int
    evidence: bool
    question: str
    guidance: str


ITEMS: tuple[Item, ...] = (
    Item(A.KERAHASIAAN, "KR-01", 4, True,
         "Setiap pengguna masuk dengan akun pribadinya; tidak ada akun bersama untuk "
         "pekerjaan sehari-hari.",
         "Bandingkan daftar akun aktif dengan daftar pegawai pengguna. Akun bersama hanya "
         "untuk keadaan darurat, tersimpan aman dan setiap pemakaiannya dicatat."),
    Item(A.KERAHASIAAN, "KR-02", 5, True,
         "Kata sandi bawaan aplikasi, basis data dan perangkat pendukung sudah diganti atau "
         "akunnya dinonaktifkan.",
         "Coba akun bawaan yang lazim (admin, root, sa) dan baca catatan pemasangan."),
    Item(A.KERAHASIAAN, "KR-03", 4, True,
         "Akun administrator memakai autentikasi dua faktor.",
         "Lihat pengaturan autentikasi dan minta peragaan masuk sebagai administrator."),
    Item(A.KERAHASIAAN, "KR-04", 4, True,
         "Hak akses diberikan sebatas tugas masing-masing dan ditinjau paling sedikit sekali "
         "setahun.",
         "Minta matriks peran dan catatan peninjauan hak akses yang terakhir."),
    Item(A.KERAHASIAAN, "KR-05", 3, True,
         "Akun pegawai yang pindah tugas atau berhenti dinonaktifkan paling lambat tiga hari "
         "kerja.",
         "Cocokkan beberapa mutasi pegawai enam bulan terakhir dengan tanggal penonaktifan "
         "akunnya."),
    Item(A.KERAHASIAAN, "KR-06", 5, False,
         "Semua koneksi ke sistem terenkripsi (HTTPS/TLS versi yang masih didukung); layanan "
         "tanpa enkripsi ditutup.",
         "Periksa sertifikat, versi TLS dan pengalihan dari HTTP; pindai port yang terbuka "
         "dari luar jaringan."),
    Item(A.INTEGRITAS, "IN-01", 5, True,
         "Masukan pengguna diperiksa di sisi server sehingga injeksi (SQL, skrip lintas "
         "situs, perintah sistem) tidak mungkin.",
         "Tinjau hasil uji penetrasi atau pemindaian kerentanan terbaru dan coba beberapa "
         "formulir."),
    Item(A.INTEGRITAS, "IN-02", 4, True,
         "Perubahan data penting tercatat dalam jejak audit (siapa, kapan, nilai sebelum dan "
         "sesudah) yang tidak dapat diubah pengguna biasa.",
         "Minta jejak audit satu transaksi dan periksa siapa yang dapat menghapusnya."),
    Item(A.INTEGRITAS, "IN-03", 3, True,
         "Perubahan kode dan konfigurasi melalui pengendalian perubahan: permintaan, uji, "
         "persetujuan dan catatan rilis.",
         "Periksa riwayat rilis dan tiket perubahan tiga bulan terakhir."),
    Item(A.INTEGRITAS, "IN-04", 4, True,
         "Kerentanan perangkat lunak dipantau dan tambalan keamanan dipasang menurut tingkat "
         "risikonya.",
         "Bandingkan versi sistem operasi, server web, basis data dan pustaka dengan rilis "
         "keamanan terakhir masing-masing."),
    Item(A.INTEGRITAS, "IN-05", 2, False,
         "Jam server diselaraskan dengan sumber waktu tepercaya (NTP) sehingga catatan waktu "
         "dapat diandalkan.",
         "Periksa pengaturan NTP server aplikasi dan basis data."),
    Item(A.INTEGRITAS, "IN-06", 3, False,
         "Dokumen resmi yang diterbitkan sistem (surat, izin, sertifikat) dapat diverifikasi "
         "keasliannya, misalnya dengan tanda tangan elektronik tersertifikasi atau kode "
         "verifikasi.",
         "Jawab tidak berlaku bila sistem tidak menerbitkan dokumen resmi."),
    Item(A.KETERSEDIAAN, "KT-01", 5, True,
         "Data dan konfigurasi dicadangkan terjadwal, dengan salinan di lokasi terpisah.",
         "Lihat jadwal dan log pencadangan; pastikan ada salinan di luar ruang server utama."),
    Item(A.KETERSEDIAAN, "KT-02", 4, True,
         "Pemulihan dari cadangan diuji dalam dua belas bulan terakhir dan hasilnya dicatat.",
         "Minta berita acara uji pemulihan: lama pemulihan dan data yang berhasil kembali."),
    Item(A.KETERSEDIAAN, "KT-03", 3, True,
         "Target waktu pemulihan (RTO) dan batas kehilangan data (RPO) disepakati dengan "
         "pemilik layanan.",
         "Periksa dokumen tingkat layanan atau rencana keberlangsungan layanan."),
    Item(A.KETERSEDIAAN, "KT-04", 3, False,
         "Ketersediaan layanan dan kapasitas server (prosesor, memori, penyimpanan) dipantau "
         "dengan peringatan otomatis.",
         "Minta tampilan pemantauan dan contoh peringatan yang pernah terkirim."),
    Item(A.KETERSEDIAAN, "KT-05", 3, False,
         "Sistem berjalan di pusat data atau layanan cloud yang layak: catu daya cadangan, "
         "pendingin dan pengamanan fisik.",
         "Rujuk registri infrastruktur TIK; untuk cloud, periksa sertifikasi penyedianya."),
    Item(A.KETERSEDIAAN, "KT-06", 4, True,
         "Ada prosedur penanganan insiden dan kontak darurat yang dikenal pengelola, termasuk "
         "pelaporan ke tim tanggap insiden siber (CSIRT) daerah.",
         "Tanyakan langkah pada insiden terakhir dan kepada siapa insiden itu dilaporkan."),
    Item(A.INTEROPERABILITAS, "IO-01", 3, True,
         "Data yang dibutuhkan instansi lain tersedia melalui antarmuka pemrograman (API) "
         "yang terdokumentasi.",
         "Periksa dokumentasi API (misalnya OpenAPI) dan layanan yang tercatat di katalog."),
    Item(A.INTEROPERABILITAS, "IO-02", 3, False,
         "Pertukaran data dengan sistem lain melalui jalur resmi (API atau layanan integrasi "
         "pemerintah), bukan kiriman berkas manual.",
         "Telusuri tautan integrasi di katalog perangkat lunak dan tanyakan kiriman berkas "
         "yang masih rutin."),
    Item(A.INTEROPERABILITAS, "IO-03", 3, False,
         "Data memakai kode referensi baku: kode wilayah, NIK, kode perangkat daerah dan "
         "standar data Satu Data Indonesia.",
         "Ambil contoh tabel utama dan bandingkan kodenya dengan referensi baku."),
    Item(A.INTEROPERABILITAS, "IO-04", 4, False,
         "Akses API diautentikasi dan dibatasi: kunci atau token per aplikasi pemakai, dengan "
         "batas laju.",
         "Coba memanggil API tanpa kredensial dan periksa daftar aplikasi pemakai."),
    Item(A.INTEROPERABILITAS, "IO-05", 2, False,
         "Perubahan antarmuka diberitahukan kepada pemakai sebelum berlaku, dengan nomor "
         "versi yang jelas.",
         "Periksa catatan versi API dan cara pemberitahuannya."),
    Item(A.PELINDUNGAN_DATA, "DP-01", 4, True,
         "Data pribadi yang dikumpulkan terbatas pada yang diperlukan layanan, dan tujuannya "
         "tercatat.",
         "Bandingkan isian formulir dengan dasar hukum layanan (UU 27/2022 tentang "
         "Pelindungan Data Pribadi)."),
    Item(A.PELINDUNGAN_DATA, "DP-02", 3, True,
         "Subjek data menerima pemberitahuan privasi saat datanya dikumpulkan, dengan dasar "
         "pemrosesan yang jelas.",
         "Periksa halaman atau formulir tempat data dikumpulkan."),
    Item(A.PELINDUNGAN_DATA, "DP-03", 5, True,
         "Data pribadi yang bersifat spesifik (kesehatan, keuangan, biometrik, data anak) "
         "dienkripsi saat disimpan.",
         "Jawab tidak berlaku bila sistem tidak menyimpan data pribadi yang bersifat spesifik."),
    Item(A.PELINDUNGAN_DATA, "DP-04", 4, True,
         "Setiap akses ke data pribadi tercatat dan dapat ditelusuri per pengguna.",
         "Minta catatan akses untuk satu rekaman data pribadi."),
    Item(A.PELINDUNGAN_DATA, "DP-05", 3, False,
         "Masa simpan data pribadi ditetapkan, dan setelahnya data dimusnahkan atau "
         "dianonimkan menurut prosedur.",
         "Periksa ketentuan retensi dan catatan pemusnahan atau anonimisasi terakhir."),
    Item(A.PELINDUNGAN_DATA, "DP-06", 3, True,
         "Ada prosedur melayani permintaan subjek data (akses, perbaikan, penghapusan) dan "
         "pemberitahuan kegagalan pelindungan data dalam 72 jam.",
         "Minta prosedur tertulis dan contoh permintaan yang pernah dilayani."),
    Item(A.PELINDUNGAN_DATA, "DP-07", 3, False,
         "Data pribadi tidak dipakai di lingkungan pengembangan atau uji tanpa disamarkan.",
         "Tanyakan asal data di server pengembangan dan uji."),
    Item(A.TATA_KELOLA, "TK-01", 2, False,
         "Sistem tercatat di katalog perangkat lunak dengan pemilik proses bisnis dan "
         "pengelola teknis yang ditetapkan.",
         "Periksa isian katalog: perangkat daerah pemilik, pengelola dan domain arsitektur "
         "SPBE."),
    Item(A.TATA_KELOLA, "TK-02", 2, True,
         "Dokumentasi sistem (arsitektur, panduan pengguna, panduan operasi) tersedia dan "
         "mutakhir.",
         "Periksa tanggal pembaruan dokumen dibandingkan dengan rilis terakhir."),
    Item(A.TATA_KELOLA, "TK-03", 3, True,
         "Perjanjian dengan pihak ketiga (pengembang, penyedia hosting) memuat kewajiban "
         "keamanan, kerahasiaan dan penyerahan kode sumber.",
         "Jawab tidak berlaku bila sistem dikembangkan dan dioperasikan sendiri."),
    Item(A.TATA_KELOLA, "TK-04", 2, False,
         "Pengelola sistem mengikuti pelatihan atau sosialisasi keamanan informasi dalam dua "
         "belas bulan terakhir.",
         "Rujuk catatan kegiatan peningkatan kapasitas."),
    Item(A.TATA_KELOLA, "TK-05", 3, False,
         "Temuan penilaian sebelumnya sudah ditindaklanjuti sesuai tenggatnya.",
         "Periksa temuan penilaian terdahulu; jawab tidak berlaku pada penilaian pertama."),
)  # fmt: skip


def seed(*, session: Session) -> int:
    """Add the default template with its items unless its code is there; rows added."""
    if session.scalar(select(AssessmentTemplate.id).where(AssessmentTemplate.code == CODE)):
        return 0
    template = AssessmentTemplate(
        code=CODE,
        name=NAME,
        version=VERSION,
        description=DESCRIPTION,
        active=True,
        updated_by="seed",
    )
    session.add(template)
    session.flush()
    session.add_all(
        AssessmentTemplateItem(
            template_id=template.id,
            area=item.area,
            code=item.code,
            question=item.question,
            guidance=item.guidance,
            weight=item.weight,
            evidence_expected=item.evidence,
            updated_by="seed",
        )
        for item in ITEMS
    )
    session.commit()
    return 1 + len(ITEMS)
