"""API shapes of the reference data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class KelurahanRead(BaseModel):
    """A kelurahan with both code schemes."""

    model_config = ConfigDict(from_attributes=True)

    kode: str
    nama: str
    nama_umum: str
    kode_bps: str
    kecamatan_kode: str
    centroid_lon: float | None
    centroid_lat: float | None


class KecamatanRead(BaseModel):
    """A kecamatan and its kelurahan."""

    model_config = ConfigDict(from_attributes=True)

    kode: str
    nama: str
    nama_umum: str
    kode_bps: str
    kelurahan: list[KelurahanRead]


class PerangkatDaerahRead(BaseModel):
    """A Perangkat Daerah."""

    model_config = ConfigDict(from_attributes=True)

    kode: str
    singkatan: str
    nama: str
    jenis: str


class ArahPrioritasRead(BaseModel):
    """A Pasal 11 priority direction."""

    model_config = ConfigDict(from_attributes=True)

    kode: str
    huruf: str
    nama_id: str
    nama_en: str
    pasal: str


class DimensiRead(BaseModel):
    """A Smart City dimension with its priorities."""

    model_config = ConfigDict(from_attributes=True)

    kode: str
    nama_id: str
    nama_en: str
    uraian_id: str
    uraian_en: str
    warna: str
    pasal: str
    prioritas: list[ArahPrioritasRead]


class LocationRead(BaseModel):
    """A point resolved to its kelurahan and kecamatan."""

    model_config = ConfigDict(from_attributes=True)

    lon: float
    lat: float
    kelurahan_kode: str | None
    kelurahan_nama: str | None
    kecamatan_kode: str | None
    kecamatan_nama: str | None
    method: str
    distance_m: float
    is_inside_city: bool
