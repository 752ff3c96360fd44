"""The real ``ckanapi`` client (Python API and command line) against a live Pontive server.

The server is uvicorn in a thread over a fresh migrated database of its own (SQLite, or
PostgreSQL when ``PONTIVE_TEST_DATABASE_URL`` is set), with two datasets and an API key for a
Diskominfo officer made through the services.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckanapi
import pytest
import uvicorn

from pontive.app import create_app
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.opendata import service
from pontive.opendata.service import DatasetInput
from tests.conftest import REPO, _fresh_database_url, make_settings, prepare_database
from tests.web.conftest import _free_port, _wait_until_healthy

CKANAPI = REPO / ".venv" / "bin" / "ckanapi"


@dataclass(frozen=True)
class Site:
    url: str
    api_key: str


def _populate(url: str) -> str:
    database = Database(url)
    admin = system_actor("test")
    with database.session() as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        for name, title, tags in (
            ("jumlah-penduduk-kelurahan", "Jumlah penduduk per kelurahan", ("penduduk",)),
            ("titik-wifi-publik", "Titik WiFi publik", ("wifi", "internet")),
        ):
            service.create_dataset(
                session,
                actor=admin,
                data=DatasetInput(
                    name=name, title=title, owner_org="diskominfo", tags=tags, groups=("society",)
                ),
            )
        _key, secret = auth.create_api_key(
            session=session, actor=admin, name="ckanapi", role=Role.PETUGAS_PD, pd_kode="diskominfo"
        )
    database.dispose()
    return secret


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    for database_url in _fresh_database_url(tmp_path_factory, "ckanapi"):
        prepare_database(database_url)
        secret = _populate(database_url)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        settings = make_settings(
            database_url, base_url=url, media_dir=tmp_path_factory.mktemp("ckanapi-media")
        )
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="ckanapi-server", daemon=True)
        thread.start()
        try:
            _wait_until_healthy(url, server, thread)
            yield Site(url, secret)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@pytest.mark.parametrize("get_only", [False, True])
def test_reading_the_catalogue(site: Site, get_only: bool) -> None:
    ckan = ckanapi.RemoteCKAN(site.url, get_only=get_only)
    names = ckan.action.package_list()
    assert {"jumlah-penduduk-kelurahan", "titik-wifi-publik"} <= set(names)
    shown = ckan.action.package_show(id="titik-wifi-publik")
    assert shown["organization"]["name"] == "diskominfo"
    found = ckan.call_action(
        "package_search", {"q": "wifi", "facet.field": ["tags", "organization"]}
    )
    assert [d["name"] for d in found["results"]] == ["titik-wifi-publik"]
    assert found["facets"]["tags"] == {"internet": 1, "wifi": 1}
    assert "diskominfo" in ckan.action.organization_list()
    assert "society" in ckan.action.group_list()
    assert {"penduduk", "wifi"} <= set(ckan.action.tag_list())


def test_publishing_with_the_api_key(site: Site, tmp_path: Path) -> None:
    ckan = ckanapi.RemoteCKAN(site.url, apikey=site.api_key)
    created = ckan.action.package_create(
        name="anggaran-2024", title="Anggaran 2024", owner_org="diskominfo", tags=[{"name": "apbd"}]
    )
    assert created["name"] == "anggaran-2024"
    updated = ckan.action.package_update(
        id=created["id"], name="anggaran-2024", title="APBD 2024", owner_org="diskominfo"
    )
    assert updated["title"] == "APBD 2024"
    assert updated["tags"] == []
    data = tmp_path / "apbd.csv"
    data.write_bytes(b"pos,nilai\nBelanja,100\n")
    with data.open("rb") as upload:
        resource = ckan.action.resource_create(
            package_id="anggaran-2024", name="APBD", upload=upload
        )
    assert resource["format"] == "CSV"
    assert resource["size"] == data.stat().st_size
    assert resource["hash"].startswith("sha256:")
    with urllib.request.urlopen(resource["url"], timeout=5) as response:  # noqa: S310 - our own server
        assert response.read() == data.read_bytes()


def test_errors_raise_the_matching_ckanapi_exceptions(site: Site) -> None:
    anonymous = ckanapi.RemoteCKAN(site.url)
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="tidak-ada")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="boleh-tidak", owner_org="diskominfo")
    with pytest.raises(ckanapi.SearchQueryError):
        anonymous.action.package_search(sort="warna asc")
    with pytest.raises(ckanapi.CKANAPIError):
        anonymous.call_action("tidak_ada_aksi")
    keyed = ckanapi.RemoteCKAN(site.url, apikey=site.api_key)
    with pytest.raises(ckanapi.ValidationError) as error:
        keyed.action.package_create(name="Bukan Nama", owner_org="diskominfo", license_id="x")
    assert set(error.value.error_dict) == {"__type", "name", "license_id"}
    with pytest.raises(ckanapi.NotAuthorized):
        keyed.action.package_create(name="milik-dlh", owner_org="dlh")


def _cli(*args: str) -> str:
    done = subprocess.run(
        [str(CKANAPI), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # `dump` starts its workers as `ckanapi` found on PATH
        env={**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_command_line_client(site: Site) -> None:
    listed = json.loads(_cli("action", "package_list", "-r", site.url))
    assert "jumlah-penduduk-kelurahan" in listed
    got = json.loads(_cli("action", "package_show", "id=titik-wifi-publik", "-g", "-r", site.url))
    assert got["title"] == "Titik WiFi publik"
    found = [
        json.loads(line)
        for line in _cli("search", "datasets", 'q:"penduduk"', "-r", site.url).splitlines()
    ]
    assert [d["name"] for d in found] == ["jumlah-penduduk-kelurahan"]
    dumped = [
        json.loads(line) for line in _cli("dump", "datasets", "--all", "-r", site.url).splitlines()
    ]
    assert {"jumlah-penduduk-kelurahan", "titik-wifi-publik"} <= {d["name"] for d in dumped}
    assert all(d["type"] == "dataset" for d in dumped)


def test_a_table_pushed_and_searched_with_filters(site: Site) -> None:
    keyed = ckanapi.RemoteCKAN(site.url, apikey=site.api_key)
    resource = keyed.action.resource_create(
        package_id="jumlah-penduduk-kelurahan",
        name="Penduduk per kelurahan",
        url="https://data.pontianak.go.id/penduduk.csv",
    )
    created = keyed.action.datastore_create(
        resource_id=resource["id"],
        fields=[
            {"id": "kelurahan", "type": "text"},
            {"id": "tahun", "type": "int"},
            {"id": "jiwa", "type": "int"},
        ],
        primary_key=["kelurahan", "tahun"],
        records=[
            {"kelurahan": "Akcaya", "tahun": 2023, "jiwa": 24100},
            {"kelurahan": "Akcaya", "tahun": 2024, "jiwa": 24410},
            {"kelurahan": "Tengah", "tahun": 2024, "jiwa": 11020},
        ],
    )
    assert created["primary_key"] == ["kelurahan", "tahun"]
    keyed.action.datastore_upsert(
        resource_id=resource["id"],
        records=[{"kelurahan": "Tengah", "tahun": 2024, "jiwa": 11090}],
        method="upsert",
    )
    for get_only in (False, True):
        anonymous = ckanapi.RemoteCKAN(site.url, get_only=get_only)
        # A GET carries objects as JSON text (as with CKAN: requests would send only the keys).
        as_sent: Any = json.dumps if get_only else lambda value: value
        found = anonymous.action.datastore_search(
            resource_id=resource["id"], filters=as_sent({"tahun": 2024}), sort="jiwa desc", limit=1
        )
        assert found["total"] == 2
        assert [(r["kelurahan"], r["jiwa"]) for r in found["records"]] == [("Akcaya", 24410)]
        tengah = anonymous.action.datastore_search(
            resource_id=resource["id"], filters=as_sent({"kelurahan": ["Tengah"]}), fields="jiwa"
        )
        assert tengah["records"] == [{"jiwa": 11090}]
    with pytest.raises(ckanapi.ValidationError) as error:
        ckanapi.RemoteCKAN(site.url).action.datastore_search(
            resource_id=resource["id"], filters={"warna": "merah"}
        )
    assert "filters" in error.value.error_dict
    keyed.action.datastore_delete(resource_id=resource["id"], filters={"kelurahan": "Akcaya"})
    listed = json.loads(
        _cli(
            "action",
            "datastore_search",
            f"resource_id={resource['id']}",
            'filters:{"tahun": 2024}',
            "-r",
            site.url,
        )
    )
    assert listed["total"] == 1
    assert listed["records"][0]["kelurahan"] == "Tengah"
