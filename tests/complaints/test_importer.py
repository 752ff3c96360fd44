"""CSV import: every rejected row reported, nothing half-imported, re-imports skipped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus, Source
from pontive.complaints.importer import ImportReport, ImportSource, import_csv, parse_moment
from pontive.complaints.models import Complaint
from pontive.core.db import Database
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB

ACTOR = system_actor("import")
HEADER = (
    "tanggal,kategori,uraian,alamat,lat,lon,nama,telepon,email,anonim,persetujuan,nomor_eksternal"
)
GOOD = [
    "2026-03-02 08:15,drainase,Parit di Gang Mawar tersumbat dan meluap saat hujan,"
    "Gg. Mawar,-0.0391,109.3427,,,,ya,,LAPOR-1001",
    '02/03/2026 09:40 WIB,Lampu penerangan jalan mati,"Tiga lampu jalan mati, jalan gelap",'
    "Jl. Gajah Mada,-0.0391,109.3427,Siti Aminah,0812-5555-1234,,tidak,ya,LAPOR-1002",
    "2026-03-03T10:00:00+07:00,drainase,Saluran air di depan pasar mampet total,"
    "Pasar Flamboyan,,,,,,,,LAPOR-1003",
]


def _count(session: Session) -> int:
    return session.scalar(select(func.count(Complaint.id))) or 0


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _import(
    session: Session,
    media: MediaStore,
    text: str,
    *,
    source: ImportSource = ImportSource.LAPOR,
    dry_run: bool = False,
) -> ImportReport:
    return import_csv(
        session=session,
        actor=ACTOR,
        text=text,
        source=source,
        media=media,
        dry_run=dry_run,
    )


def test_a_valid_file_is_imported_with_its_original_times(
    session: Session, media: MediaStore
) -> None:
    report = _import(session, media, _csv(*GOOD))
    assert report.is_valid
    assert len(report.imported) == 3
    rows = session.scalars(
        select(Complaint).where(Complaint.external_id.like("LAPOR-10%")).order_by(Complaint.id)
    ).all()
    assert [row.source for row in rows] == [Source.LAPOR] * 3
    assert rows[0].created_at == datetime(2026, 3, 2, 8, 15, tzinfo=WIB).astimezone(UTC)
    assert rows[1].created_at == datetime(2026, 3, 2, 9, 40, tzinfo=WIB).astimezone(UTC)
    assert rows[1].category.code == "lampu-jalan"  # found by its name
    assert rows[1].reporter_phone == "0812-5555-1234"
    assert not rows[1].is_anonymous
    assert rows[0].kelurahan_kode is not None
    assert rows[2].address == "Pasar Flamboyan"  # no point: address only
    assert all(row.status is ComplaintStatus.DITERIMA for row in rows)


def test_every_rejected_row_is_reported_and_nothing_is_imported(
    session: Session, media: MediaStore
) -> None:
    before = _count(session)
    text = _csv(
        GOOD[0],
        "2026-03-02 08:15,kucing-hilang,Kucing saya hilang sejak kemarin sore,,,,,,,,,",
        "kemarin,drainase,pendek,,,,,,,,,",
        GOOD[2],
        "2026-03-02,drainase,Parit meluap ke jalan raya depan sekolah,,-0.0391,,Budi,,budi@,"
        "tidak,,",
        "2026-03-02,drainase,Parit meluap ke jalan raya depan sekolah,,1.5,110.5,,,,,,",
        "2026-03-02,jalan-rusak,Jalan berlubang besar di depan masjid,Jl. Merdeka,,,,,,,,",
        "2026-03-02,drainase,Parit meluap ke jalan depan sekolah,Jl. A,,,,,,,,LAPOR-1001",
    )
    report = _import(session, media, text)
    assert not report.is_valid
    rejected = {row.line: " | ".join(row.reasons) for row in report.rejected}
    assert sorted(rejected) == [3, 4, 6, 7, 8, 9]
    assert "kategori: 'kucing-hilang' tidak dikenal" in rejected[3]
    assert "tanggal 'kemarin' tidak dikenali" in rejected[4]
    assert "uraian: terlalu pendek" in rejected[4]
    assert "lat/lon: isi keduanya" in rejected[6]
    assert "email: alamat e-mail tidak valid" in rejected[6]
    assert "lat/lon: Lokasi berada di luar Kota Pontianak." in rejected[7]
    assert "atribut.ukuran: Wajib diisi." in rejected[8]
    assert "nomor_eksternal: sama dengan baris 2" in rejected[9]
    assert report.imported == []
    assert _count(session) == before


def test_contact_without_consent_is_rejected_like_the_web_form(
    session: Session, media: MediaStore
) -> None:
    row = "2026-03-02,drainase,Parit meluap ke jalan depan sekolah,Jl. A,,,Budi,0812-1111-2222,,,,"
    report = _import(session, media, _csv(row))
    assert report.rejected[0].reasons == [
        "persetujuan: Setujui pemakaian data kontak untuk menindaklanjuti laporan."
    ]


def test_reimporting_skips_rows_already_imported(session: Session, media: MediaStore) -> None:
    first = _import(session, media, _csv(GOOD[0], GOOD[1]))
    again = _import(session, media, _csv(*GOOD))
    assert [s.line for s in again.skipped] == [2, 3]
    assert [s.tracking_number for s in again.skipped] == first.imported
    assert len(again.imported) == 1
    # The same external number from another channel is another report.
    hotline = _import(session, media, _csv(GOOD[0]), source=ImportSource.HOTLINE)
    assert len(hotline.imported) == 1


def test_a_dry_run_checks_but_stores_nothing(session: Session, media: MediaStore) -> None:
    before = _count(session)
    report = _import(session, media, _csv(*GOOD), dry_run=True)
    assert report.is_valid
    assert report.imported == []
    assert _count(session) == before


def test_semicolons_attributes_and_a_bom_are_understood(
    session: Session, media: MediaStore
) -> None:
    text = (
        "\ufefftanggal;kategori;uraian;lat;lon;atribut.ukuran\n"
        "01/03/2026;jalan-rusak;Jalan berlubang besar di depan masjid;-0,0391;109,3427;besar\n"
    )
    report = _import(session, media, text)
    assert report.is_valid, report.rejected
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_number == report.imported[0])
    )
    assert complaint is not None
    assert complaint.attributes["ukuran"] == "besar"
    assert complaint.lat == pytest.approx(-0.0391)


def test_an_unknown_column_refuses_the_whole_file(session: Session, media: MediaStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        _import(session, media, "tanggal,kategory,uraian\n2026-03-01,drainase,x\n")
    assert caught.value.errors["kolom"] == ["kolom tidak dikenal: kategory"]
    assert "kolom_wajib" in caught.value.errors


def test_only_the_command_center_may_import(session: Session, media: MediaStore) -> None:
    officer = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=1, name="p", pd_kode="pupr")
    with pytest.raises(PermissionDenied):
        import_csv(
            session=session,
            actor=officer,
            text=_csv(GOOD[0]),
            source=ImportSource.LAPOR,
            media=media,
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02 08:15", datetime(2026, 3, 2, 8, 15, tzinfo=WIB)),
        ("2026-03-02T01:15:00+00:00", datetime(2026, 3, 2, 8, 15, tzinfo=WIB)),
        ("02/03/2026 08:15 WIB", datetime(2026, 3, 2, 8, 15, tzinfo=WIB)),
        ("02/03/2026 08.15", datetime(2026, 3, 2, 8, 15, tzinfo=WIB)),
        ("02-03-2026", datetime(2026, 3, 2, tzinfo=WIB)),
    ],
)
def test_dates_in_iso_or_indonesian_form_are_wib(text: str, expected: datetime) -> None:
    assert parse_moment(text) == expected


def test_a_failure_midway_leaves_nothing_of_the_earlier_rows(
    database: Database, media: MediaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pontive.complaints import importer

    real = importer.create_complaint
    calls = {"n": 0}

    def failing_on_the_third(**kwargs: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "create_complaint", failing_on_the_third)
    with database.session(write=False) as probe:
        before = _count(probe)
    with pytest.raises(OSError, match="disk full"):
        importer.import_atomically(
            database=database,
            bus=MemoryBus(),
            actor=ACTOR,
            text=_csv(*GOOD),
            source=ImportSource.LAPOR,
            media=media,
        )
    assert calls["n"] == 3
    with database.session(write=False) as probe:
        assert _count(probe) == before
