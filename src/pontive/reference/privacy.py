"""Reference data holds no personal data: names of places, agencies and dimensions."""

from __future__ import annotations

from pontive.privacy.declare import names_of_things
from pontive.reference.models import ArahPrioritas, Dimensi, Kecamatan, Kelurahan, PerangkatDaerah

names_of_things(
    ArahPrioritas.nama_id,
    ArahPrioritas.nama_en,
    Dimensi.nama_id,
    Dimensi.nama_en,
    Kecamatan.nama,
    Kecamatan.nama_umum,
    Kelurahan.nama,
    Kelurahan.nama_umum,
    PerangkatDaerah.nama,
)
