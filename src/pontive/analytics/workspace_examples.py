"""The example saved queries the demo seeds: questions the Technical Team asks every month,
each with its chart. Each runs on the demo's export (``tests/analytics`` checks that)."""

from __future__ import annotations

from pontive.analytics.workspace_chart import ChartSpec
from pontive.analytics.workspace_service import QueryInput

EXAMPLES: tuple[QueryInput, ...] = (
    QueryInput(
        "Pengaduan per kategori per bulan",
        """SELECT c.name_id AS kategori,
       strftime(date_trunc('month', p.created_at), '%Y-%m') AS bulan,
       count(*) AS laporan
FROM complaints p
JOIN complaint_categories c ON c.id = p.category_id
GROUP BY ALL
ORDER BY bulan, kategori""",
        "Jumlah laporan warga per kategori, per bulan (WIB).",
        ChartSpec("bar", "kategori", "laporan", "bulan"),
    ),
    QueryInput(
        "Kepatuhan SLA per Perangkat Daerah",
        """SELECT d.singkatan AS pd,
       count(*) AS selesai,
       count(*) FILTER (WHERE p.resolved_within_sla) AS tepat_waktu,
       round(100.0 * count(*) FILTER (WHERE p.resolved_within_sla) / count(*), 1)
         AS persen_tepat_waktu
FROM complaints p
JOIN perangkat_daerah d ON d.kode = p.pd_kode
WHERE p.resolved_within_sla IS NOT NULL
GROUP BY d.singkatan
ORDER BY persen_tepat_waktu DESC, pd""",
        "Laporan yang selesai diperbaiki paling lambat tanggal tenggat SLA-nya.",
        ChartSpec("bar", "pd", "persen_tepat_waktu"),
    ),
    QueryInput(
        "Muka air per jam di Pos Duga Air Jembatan Kapuas I",
        """SELECT h.bucket_start AS jam,
       round(h.mean, 1) AS rata_rata_cm,
       h.minimum AS terendah_cm,
       h.maximum AS tertinggi_cm
FROM observations_hourly h
JOIN sensor_datastreams d ON d.id = h.datastream_id
JOIN sensor_things t ON t.id = d.thing_id
WHERE d.quantity = 'water_level'
  AND t.name = 'Pos Duga Air Jembatan Kapuas I'
  AND h.bucket_start >= (SELECT max(bucket_start) FROM observations_hourly) - INTERVAL 30 DAY
ORDER BY jam""",
        "Rata-rata muka air tiap jam, 30 hari terakhir ekspor; pasang surut Kapuas terlihat.",
        ChartSpec("line", "jam", "rata_rata_cm"),
    ),
    QueryInput(
        "ISPU harian per stasiun",
        """SELECT o.day AS tanggal,
       replace(t.name, 'Stasiun Kualitas Udara ', '') AS stasiun,
       round(o.maximum) AS ispu_tertinggi,
       round(o.mean) AS ispu_rata_rata
FROM observations_daily o
JOIN sensor_datastreams d ON d.id = o.datastream_id
JOIN sensor_things t ON t.id = d.thing_id
WHERE d.quantity = 'ispu'
ORDER BY tanggal, stasiun""",
        "ISPU tertinggi tiap hari (WIB) di setiap stasiun kualitas udara.",
        ChartSpec("line", "tanggal", "ispu_tertinggi", "stasiun"),
    ),
    QueryInput(
        "Laporan lewat tenggat per kecamatan",
        """SELECT k.nama_umum AS kecamatan,
       count(*) FILTER (WHERE p.is_overdue) AS lewat_tenggat,
       count(*) FILTER (WHERE p.status NOT IN ('selesai', 'ditutup', 'ditolak', 'duplikat'))
         AS masih_terbuka
FROM complaints p
JOIN kecamatan k ON k.kode = p.kecamatan_kode
GROUP BY k.nama_umum
ORDER BY lewat_tenggat DESC, kecamatan""",
        "Laporan terbuka yang melewati tenggat SLA saat ekspor dibuat.",
        ChartSpec("bar", "kecamatan", "lewat_tenggat"),
    ),
)
