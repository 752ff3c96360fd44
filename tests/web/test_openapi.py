"""The OpenAPI document is built once per process for the same routes (web/openapi.py), and
an app whose documented routes differ gets a document of its own."""

from __future__ import annotations

from fastapi import FastAPI

from pontive.app import create_app
from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.settings import Settings
from pontive.web.routing import PontiveRouter


def test_an_app_built_again_reuses_the_document(
    settings: Settings, database: Database, app: FastAPI
) -> None:
    first = app.openapi()
    again = create_app(settings, database=database, bus=MemoryBus())
    assert again.openapi() is first  # not rebuilt: building it takes seconds
    assert "/api/v1/auth/token" in first["paths"]


def test_an_app_with_another_route_gets_its_own_document(
    settings: Settings, database: Database, app: FastAPI
) -> None:
    first = app.openapi()
    other = create_app(settings, database=database, bus=MemoryBus())
    extra = PontiveRouter()

    @extra.get("/api/v1/uji-dokumen", summary="Uji")
    def probe() -> dict[str, str]:
        return {}

    other.include_router(extra)
    document = other.openapi()
    assert document is not first
    assert "/api/v1/uji-dokumen" in document["paths"]
    assert "/api/v1/uji-dokumen" not in first["paths"]
