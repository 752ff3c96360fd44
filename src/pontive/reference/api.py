"""Reference data over JSON: codes, agencies, dimensions, boundaries, point look-up."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from pontive.reference import service
from pontive.reference.schemas import (
    DimensiRead,
    KecamatanRead,
    LocationRead,
    PerangkatDaerahRead,
)
from pontive.web.deps import DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/reference", tags=["reference"])


@router.get("/kecamatan", response_model=list[KecamatanRead])
def read_kecamatan(session: DbSession) -> list[Any]:
    """The six kecamatan of Pontianak with their 29 kelurahan."""
    return list(service.list_kecamatan(session=session))


@router.get("/kelurahan.geojson")
def read_kelurahan_geojson(session: DbSession) -> dict[str, Any]:
    """Kelurahan as GeoJSON: polygons once boundaries are loaded, centroids before."""
    return service.kelurahan_feature_collection(session=session)


@router.get("/perangkat-daerah", response_model=list[PerangkatDaerahRead])
def read_perangkat_daerah(session: DbSession) -> list[Any]:
    """Active Perangkat Daerah (agencies)."""
    return list(service.list_perangkat_daerah(session=session))


@router.get("/dimensi", response_model=list[DimensiRead])
def read_dimensi(session: DbSession) -> list[Any]:
    """The six Smart City dimensions and their priority directions (Pasal 9-11)."""
    return list(service.list_dimensi(session=session))


@router.get("/locate", response_model=LocationRead)
def locate(
    session: DbSession,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> Any:
    """Resolve a WGS84 point to its kelurahan and kecamatan."""
    return service.resolve_location(session=session, lon=lon, lat=lat)
