"""Reference tables. Codes are the natural keys other domains point to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.core.db import Base, UTCDateTime


class Kecamatan(Base):
    """A district of the city (Kemendagri code ``61.71.NN``)."""

    __tablename__ = "kecamatan"

    kode: Mapped[str] = mapped_column(String(8), primary_key=True)
    nama: Mapped[str] = mapped_column(String(100))
    nama_umum: Mapped[str] = mapped_column(String(100))
    kode_bps: Mapped[str] = mapped_column(String(10))
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    # GeoJSON geometry text (WGS84), the union of its kelurahan once boundaries are loaded.
    geometry: Mapped[str | None] = mapped_column(Text)

    kelurahan: Mapped[list[Kelurahan]] = relationship(
        back_populates="kecamatan", order_by="Kelurahan.kode"
    )


class Kelurahan(Base):
    """A village-level area (Kemendagri code ``61.71.NN.1NNN``)."""

    __tablename__ = "kelurahan"

    kode: Mapped[str] = mapped_column(String(13), primary_key=True)
    kecamatan_kode: Mapped[str] = mapped_column(ForeignKey("kecamatan.kode"), index=True)
    nama: Mapped[str] = mapped_column(String(100))
    nama_umum: Mapped[str] = mapped_column(String(100))
    kode_bps: Mapped[str] = mapped_column(String(12))
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    geometry: Mapped[str | None] = mapped_column(Text)
    boundary_loaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="kelurahan")


class PerangkatDaerah(Base):
    """A regional government agency (OPD) that owns services, data and tasks."""

    __tablename__ = "perangkat_daerah"

    kode: Mapped[str] = mapped_column(String(20), primary_key=True)
    singkatan: Mapped[str] = mapped_column(String(60))
    nama: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[str] = mapped_column(String(20))
    # For a kecamatan office: the kecamatan it serves (reports routed by location go there).
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))
    is_active: Mapped[bool] = mapped_column(default=True)


class Dimensi(Base):
    """One of the six Smart City dimensions (Perda 9/2022 Pasal 9-10)."""

    __tablename__ = "dimensi"

    kode: Mapped[str] = mapped_column(String(20), primary_key=True)
    urutan: Mapped[int]
    huruf: Mapped[str] = mapped_column(String(1))
    nama_id: Mapped[str] = mapped_column(String(60))
    nama_en: Mapped[str] = mapped_column(String(60))
    uraian_id: Mapped[str] = mapped_column(Text)
    uraian_en: Mapped[str] = mapped_column(Text)
    warna: Mapped[str] = mapped_column(String(7))

    prioritas: Mapped[list[ArahPrioritas]] = relationship(
        back_populates="dimensi", order_by="ArahPrioritas.kode"
    )

    @property
    def pasal(self) -> str:
        """Where the law defines this dimension."""
        return f"Pasal 9 huruf {self.huruf}; Pasal 10 ayat ({self.urutan})"


class ArahPrioritas(Base):
    """A priority direction of a dimension (Perda 9/2022 Pasal 11)."""

    __tablename__ = "arah_prioritas"

    kode: Mapped[str] = mapped_column(String(24), primary_key=True)  # e.g. "living.c"
    dimensi_kode: Mapped[str] = mapped_column(ForeignKey("dimensi.kode"), index=True)
    huruf: Mapped[str] = mapped_column(String(1))
    nama_id: Mapped[str] = mapped_column(Text)
    nama_en: Mapped[str] = mapped_column(Text)

    dimensi: Mapped[Dimensi] = relationship(back_populates="prioritas")

    @property
    def pasal(self) -> str:
        """Where the law names this priority."""
        return f"Pasal 11 ayat ({self.dimensi.urutan}) huruf {self.huruf}"
