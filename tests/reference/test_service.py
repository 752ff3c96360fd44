"""Reference data: the seeded codes, boundary loading, and resolving points in Pontianak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.reference import service
from pontive.reference.models import ArahPrioritas, Kelurahan
from tests.conftest import BOUNDARIES

ACTOR = system_actor("test")
needs_boundaries = pytest.mark.skipif(
    not BOUNDARIES.exists(), reason=f"boundary file {BOUNDARIES.name} not beside the repository"
)

# Places whose kelurahan everyone in Pontianak knows.
TUGU_KHATULISTIWA = (109.3217, 0.0008)  # Batu Layang, Pontianak Utara
NEAR_SIANTAN_TENGAH = (109.3480, -0.0040)  # ~100 m from that kelurahan's centre
KUBU_RAYA_AIRPORT = (109.4040, -0.1506)  # Supadio airport, outside the city


def test_six_kecamatan_and_twenty_nine_kelurahan(session: Session) -> None:
    kecamatan = service.list_kecamatan(session=session)
    assert [k.nama_umum for k in kecamatan] == [
        "Pontianak Selatan",
        "Pontianak Timur",
        "Pontianak Barat",
        "Pontianak Utara",
        "Pontianak Kota",
        "Pontianak Tenggara",
    ]
    assert [len(k.kelurahan) for k in kecamatan] == [5, 7, 4, 4, 5, 4]
    akcaya = session.get(Kelurahan, "61.71.01.1006")
    assert akcaya is not None
    assert (akcaya.nama, akcaya.kode_bps) == ("Akcaya", "6171010005")


def test_six_dimensions_with_their_pasal_11_priorities(session: Session) -> None:
    dimensions = service.list_dimensi(session=session)
    assert [d.kode for d in dimensions] == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    assert [len(d.prioritas) for d in dimensions] == [3, 3, 4, 4, 3, 3]
    living_c = session.get(ArahPrioritas, "living.c")
    assert living_c is not None
    assert living_c.pasal == "Pasal 11 ayat (4) huruf c"
    assert "sarana dan prasarana publik" in living_c.nama_id


def test_seeding_again_changes_nothing(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(Kelurahan))
    service.seed_reference(session=session)
    assert session.scalar(select(func.count()).select_from(Kelurahan)) == before == 29


def test_perangkat_daerah_include_the_agencies_the_platform_routes_to(session: Session) -> None:
    codes = {pd.kode for pd in service.list_perangkat_daerah(session=session)}
    assert {"diskominfo", "pupr", "dishub", "dlh", "bpbd", "dinkes", "satpolpp"} <= codes


def test_without_boundaries_points_resolve_to_the_nearest_centroid(session: Session) -> None:
    session.execute(Kelurahan.__table__.update().values(geometry=None, boundary_loaded_at=None))
    place = service.resolve_location(
        session=session, lon=NEAR_SIANTAN_TENGAH[0], lat=NEAR_SIANTAN_TENGAH[1]
    )
    assert place.method == "centroid"
    assert (place.kelurahan_nama, place.kecamatan_nama) == ("Siantan Tengah", "Pontianak Utara")
    outside = service.resolve_location(
        session=session, lon=KUBU_RAYA_AIRPORT[0], lat=KUBU_RAYA_AIRPORT[1]
    )
    assert not outside.is_inside_city


@needs_boundaries
def test_loaded_boundaries_resolve_points_by_polygon(session: Session) -> None:
    assert service.load_boundaries(session=session, actor=ACTOR, path=BOUNDARIES) == 29
    tugu = service.resolve_location(
        session=session, lon=TUGU_KHATULISTIWA[0], lat=TUGU_KHATULISTIWA[1]
    )
    assert (tugu.kelurahan_nama, tugu.method) == ("Batu Layang", "polygon")
    airport = service.resolve_location(
        session=session, lon=KUBU_RAYA_AIRPORT[0], lat=KUBU_RAYA_AIRPORT[1]
    )
    assert not airport.is_inside_city
    assert airport.method == "outside"
    collection = service.kelurahan_feature_collection(session=session)
    assert {f["geometry"]["type"] for f in collection["features"]} <= {"Polygon", "MultiPolygon"}
    assert (
        session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1))
        == "reference.load_boundaries"
    )


@needs_boundaries
def test_every_boundary_centroid_resolves_to_its_own_kelurahan(session: Session) -> None:
    service.load_boundaries(session=session, actor=ACTOR, path=BOUNDARIES)
    features = json.loads(BOUNDARIES.read_text())["features"]
    for feature in features:
        props = feature["properties"]
        place = service.resolve_location(
            session=session, lon=props["centroid_lng"], lat=props["centroid_lat"]
        )
        assert place.kelurahan_kode == props["kode"], props["nama"]


def test_unknown_kelurahan_codes_are_refused(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kode": "61.71.99.9999"},
                        "geometry": {"type": "Point", "coordinates": [109.3, 0.0]},
                    }
                ],
            }
        )
    )
    with pytest.raises(InvalidInput) as caught:
        service.load_boundaries(session=session, actor=ACTOR, path=bad)
    assert caught.value.errors == {"kode": ["61.71.99.9999"]}


def test_a_file_that_is_not_geojson_is_refused(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("bukan json")
    with pytest.raises(InvalidInput) as caught:
        service.load_boundaries(session=session, actor=ACTOR, path=bad)
    assert "file" in caught.value.errors


def test_only_the_technical_team_and_admins_load_boundaries(session: Session) -> None:
    operator = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=1, name="op")
    with pytest.raises(PermissionDenied):
        service.load_boundaries(session=session, actor=operator, path=BOUNDARIES)
