"""The CKAN Action API over HTTP: envelope, GET/POST rules, errors, uploads, downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from json import loads

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.app import create_app
from pontive.core import auth
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.opendata import ckan, service_resources, usage
from pontive.opendata.choices import UsageKind
from pontive.opendata.models import UsageCount
from pontive.settings import Settings
from tests.opendata.conftest import make_dataset, make_resource
from tests.opendata.datastore_support import filled_resource


@pytest.fixture
def api_key(session: Session) -> str:
    _key, secret = auth.create_api_key(
        session=session,
        actor=system_actor("test"),
        name="ckan-diskominfo",
        role=Role.PETUGAS_PD,
        pd_kode="diskominfo",
    )
    return secret


@pytest.fixture
def published(session: Session) -> str:
    dataset = make_dataset(session, "jumlah-penduduk", tags=("penduduk",))
    make_resource(session, dataset, "penduduk.csv")
    make_dataset(session, "rahasia-dinas", classification=Classification.RAHASIA)
    return dataset.id


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize("prefix", ["/api/3/action", "/api/action"])
def test_read_actions_answer_in_the_envelope_by_get_and_post(
    client: TestClient, prefix: str
) -> None:
    got = client.get(f"{prefix}/package_list")
    posted = client.post(f"{prefix}/package_list", json={})
    for response in (got, posted):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json;charset=utf-8"
        body = response.json()
        assert body["success"] is True
        assert "jumlah-penduduk" in body["result"]
        assert "rahasia-dinas" not in body["result"]
        assert body["help"].endswith("/api/3/action/help_show?name=package_list")


def test_api_root_gives_the_version(client: TestClient) -> None:
    assert client.get("/api/3").json() == {"version": 3}


def test_package_show_gives_the_ckan_fields(client: TestClient, published: str) -> None:
    result = client.get("/api/3/action/package_show", params={"id": "jumlah-penduduk"}).json()[
        "result"
    ]
    assert result["id"] == published
    assert result["type"] == "dataset"
    assert result["private"] is False
    assert result["organization"]["name"] == "diskominfo"
    assert result["tags"][0]["name"] == "penduduk"
    assert result["groups"][0]["name"] == "society"
    assert result["num_resources"] == 1
    assert result["resources"][0]["package_id"] == published
    assert "+" not in result["metadata_modified"]
    assert "T" in result["metadata_modified"]
    assert {"key": "classification", "value": "publik"} in result["extras"]
    assert result["creator_user_id"] is None


@pytest.mark.usefixtures("published")
def test_each_error_type_and_status(client: TestClient) -> None:
    missing = client.post("/api/3/action/package_show", json={"id": "tidak-ada"})
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"
    assert missing.json()["error"]["message"].startswith("Not found: ")
    secret = client.post("/api/3/action/package_show", json={"id": "rahasia-dinas"})
    assert secret.status_code == 404  # existence is not revealed
    no_id = client.post("/api/3/action/package_show", json={})
    assert no_id.status_code == 409
    assert no_id.json()["error"] == {"__type": "Validation Error", "id": ["Wajib diisi."]}
    forbidden = client.post("/api/3/action/package_create", json={"name": "x1", "owner_org": "dlh"})
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["__type"] == "Authorization Error"
    bad_sort = client.post("/api/3/action/package_search", json={"sort": "warna asc"})
    assert bad_sort.status_code == 400
    assert bad_sort.json()["error"]["__type"] == "Search Query Error"
    bad_param = client.post("/api/3/action/package_search", json={"warna": "merah"})
    assert bad_param.json()["error"]["__type"] == "Search Query Error"
    unknown = client.get("/api/3/action/tidak_ada")
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request - Action name not known: tidak_ada"


def test_writes_need_post_and_bodies_must_be_json_objects(client: TestClient) -> None:
    response = client.get("/api/3/action/package_create", params={"name": "x"})
    assert response.status_code == 400
    assert "Please use POST method" in response.json()
    broken = client.post(
        "/api/3/action/package_list",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json().startswith("Bad request - JSON Error")
    listed = client.post("/api/3/action/package_list", content=b"[1]")
    assert "needs to be a dictionary" in listed.json()


@pytest.mark.usefixtures("published")
def test_get_parameters_lists_json_text_and_jsonp(client: TestClient) -> None:
    repeated = client.get(
        "/api/3/action/package_search?facet.field=tags&facet.field=organization"
    ).json()["result"]
    assert set(repeated["facets"]) == {"tags", "organization"}
    as_json = client.get(
        "/api/3/action/package_search",
        params={"facet.field": '["tags"]', "rows": "0", "fq": "name:jumlah-penduduk"},
    ).json()["result"]
    assert as_json["facets"] == {"tags": {"penduduk": 1}}
    assert as_json["search_facets"]["tags"]["items"] == [
        {"name": "penduduk", "display_name": "penduduk", "count": 1}
    ]
    jsonp = client.get("/api/3/action/package_list", params={"callback": "terima"})
    assert jsonp.headers["content-type"].startswith("application/javascript")
    assert jsonp.text.startswith("terima(")
    assert jsonp.text.endswith(");")
    script = client.get("/api/3/action/package_list", params={"callback": "alert(1);x"})
    assert script.status_code == 400
    tolerated = client.get(
        "/api/3/action/package_show", params={"id": "jumlah-penduduk", "include_users": "False"}
    )
    assert tolerated.status_code == 200


def test_publishing_with_an_api_key(client: TestClient, api_key: str, session: Session) -> None:
    headers = {"Authorization": api_key}
    created = client.post(
        "/api/3/action/package_create",
        headers=headers,
        json={
            "name": "titik-wifi",
            "title": "Titik WiFi publik",
            "owner_org": "diskominfo",
            "tags": [{"name": "wifi"}],
            "groups": [{"name": "governance"}],
            "extras": [
                {"key": "konsep", "value": "Akses internet"},
                {"key": "sumber", "value": "x"},
            ],
            "resources": [{"url": "https://contoh.id/wifi.csv", "name": "WiFi"}],
        },
    )
    assert created.status_code == 200, created.text
    result = created.json()["result"]
    assert result["num_resources"] == 1
    assert result["resources"][0]["format"] == "CSV"
    assert {"key": "konsep", "value": "Akses internet"} in result["extras"]
    assert {"key": "sumber", "value": "x"} in result["extras"]
    invalid = client.post(
        "/api/3/action/package_create",
        headers={"X-CKAN-API-Key": api_key},
        json={"name": "Titik WiFi", "owner_org": "diskominfo", "license_id": "bebas"},
    )
    assert invalid.status_code == 409
    assert set(invalid.json()["error"]) == {"__type", "name", "license_id"}
    patched = client.post(
        "/api/3/action/package_patch", headers=headers, json={"id": "titik-wifi", "private": True}
    ).json()["result"]
    assert patched["private"] is True
    assert patched["title"] == "Titik WiFi publik"
    assert client.get("/api/3/action/package_show?id=titik-wifi").status_code == 404
    deleted = client.post(
        "/api/3/action/package_delete", headers=headers, json={"id": "titik-wifi"}
    )
    assert deleted.json()["success"] is True
    wrong_key = client.post(
        "/api/3/action/package_delete", headers={"Authorization": "pk_salah"}, json={"id": "x"}
    )
    assert wrong_key.status_code == 403


def test_multipart_upload_and_download(client: TestClient, api_key: str, session: Session) -> None:
    make_dataset(session, "anggaran")
    response = client.post(
        "/api/3/action/resource_create",
        headers={"Authorization": api_key},
        data={"package_id": "anggaran", "name": "Anggaran 2024"},
        files={"upload": ("anggaran 2024.csv", b"pos,nilai\nA,1\n", "text/csv")},
    )
    assert response.status_code == 200, response.text
    resource = response.json()["result"]
    assert resource["url_type"] == "upload"
    assert resource["size"] == 14
    assert resource["url"].endswith(f"/resource/{resource['id']}/download/anggaran-2024.csv")
    path = resource["url"].split("://", 1)[1].split("/", 1)[1]
    download = client.get(f"/{path}")
    assert download.status_code == 200
    assert download.content == b"pos,nilai\nA,1\n"
    assert download.headers["content-type"].startswith("text/csv")
    totals = usage.totals(session, resource["package_id"])
    assert totals["download"] == 1
    client.get("/api/3/action/resource_show", params={"id": resource["id"]})
    assert usage.totals(session, resource["package_id"])["api"] == 1


@pytest.mark.usefixtures("published")
def test_fl_keeps_only_the_named_fields_and_ext_parameters_change_nothing(
    client: TestClient,
) -> None:
    wanted = {"fq": "name:jumlah-penduduk"}
    whole = client.get("/api/3/action/package_search", params=wanted).json()["result"]
    assert whole["results"][0]["resources"]  # whole datasets without fl
    for fl in ("name,title", "name title", '["name", "title"]'):
        found = client.get("/api/3/action/package_search", params={**wanted, "fl": fl}).json()
        assert found["result"]["results"] == [
            {"name": "jumlah-penduduk", "title": whole["results"][0]["title"]}
        ], fl
    posted = client.post(
        "/api/3/action/package_search", json={**wanted, "fl": ["id"], "ext_bbox": "1,2,3,4"}
    ).json()["result"]
    assert posted["results"] == [{"id": whole["results"][0]["id"]}]
    assert posted["count"] == whole["count"]


def test_an_upload_over_the_limit_is_a_validation_error(
    client: TestClient, api_key: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_resources, "MAX_UPLOAD_BYTES", 1024 * 1024)
    make_dataset(session, "anggaran")
    session.commit()
    response = client.post(
        "/api/3/action/resource_create",
        headers={"Authorization": api_key},
        data={"package_id": "anggaran", "name": "Anggaran 2024"},
        files={"upload": ("anggaran.csv", b"pos,nilai\n" + b"A,1\n" * 400_000, "text/csv")},
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert error["upload"] == ["Berkas terlalu besar: paling besar 1 MB."]
    assert (
        client.get("/api/3/action/package_show", params={"id": "anggaran"}).json()["result"][
            "resources"
        ]
        == []
    )


@pytest.mark.usefixtures("published")
def test_organisations_groups_tags_licences(client: TestClient) -> None:
    organisations = client.get("/api/3/action/organization_list").json()["result"]
    assert "diskominfo" in organisations
    assert "dlh" in organisations
    detailed = client.get(
        "/api/3/action/organization_list",
        params={"all_fields": "true", "organizations": '["diskominfo"]'},
    ).json()["result"]
    public = client.get(
        "/api/3/action/package_search", params={"fq": "organization:diskominfo", "rows": 0}
    ).json()["result"]["count"]
    assert [(o["name"], o["package_count"]) for o in detailed] == [("diskominfo", public)]
    groups = client.get("/api/3/action/group_list").json()["result"]
    assert sorted(groups) == sorted(
        ["governance", "branding", "economy", "living", "society", "environment"]
    )
    shown = client.get(
        "/api/3/action/group_show", params={"id": "society", "include_datasets": "true"}
    )
    packages = [p["name"] for p in shown.json()["result"]["packages"]]
    assert "jumlah-penduduk" in packages
    assert all(
        "society" in [g["name"] for g in p["groups"]] for p in shown.json()["result"]["packages"]
    )
    assert "penduduk" in client.get("/api/3/action/tag_list").json()["result"]
    assert client.get("/api/3/action/tag_list?query=pendu").json()["result"] == ["penduduk"]
    licences = client.get("/api/3/action/license_list").json()["result"]
    assert {"cc-by-4.0", "odc-odbl", "other-closed"} <= {item["id"] for item in licences}
    assert client.get("/api/3/action/user_list").json()["result"] == []
    status = client.get("/api/3/action/status_show").json()["result"]
    assert status["ckan_version"].startswith("2.")


def test_read_actions_get_a_read_session_even_when_posted(
    settings: Settings, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ckanapi POSTs every action; a read must not queue behind writers (web/deps.py).
    asked: list[bool] = []
    opened = Database.session

    def recording(self: Database, *, write: bool = True) -> Session:
        asked.append(write)
        return opened(self, write=write)

    monkeypatch.setattr(Database, "session", recording)
    client = TestClient(create_app(settings, database=database))  # no lifespan: no loops
    assert client.post("/api/3/action/package_list", json={}).json()["success"]
    assert not client.post("/api/3/action/package_create", json={"name": "x"}).json()["success"]
    assert asked == [False, True]


def test_an_oversized_json_body_is_refused_before_it_is_read_whole(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ckan, "MAX_JSON_BYTES", 1024)
    response = client.post("/api/3/action/package_list", json={"pad": "x" * 2000})
    assert response.status_code == 400
    assert "larger than" in response.json()
    assert client.post("/api/3/action/package_list", json={"pad": "x" * 100}).status_code == 200


def test_a_datastore_search_counts_one_api_use_of_its_dataset_and_resource(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource = filled_resource(session, "penduduk-tabel")
    session.commit()
    monkeypatch.setattr(usage, "FLUSH_SECONDS", 0.0)  # written at once
    for _ in range(2):
        answer = client.get(
            "/api/3/action/datastore_search",
            params={"resource_id": resource.id, "filters": '{"tahun": 2023}'},
        )
        assert answer.json()["success"], answer.text
    counted = session.execute(
        select(UsageCount.resource_id, UsageCount.kind, UsageCount.count).where(
            UsageCount.dataset_id == resource.dataset_id
        )
    ).all()
    assert [tuple(row) for row in counted] == [(resource.id, UsageKind.API, 2)]


def test_answers_write_what_json_has_no_type_for_as_text() -> None:
    # Dates and times as Python writes them (``str``), Decimals as text, any key as text, an
    # integer beyond 64 bits whole, and no NaN (not JSON) where a float is not a number.
    written = loads(
        ckan._dumps(
            {
                "at": datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
                "day": date(2026, 12, 1),
                "amount": Decimal("12.50"),
                7: "kelurahan",
                "name": "Tambelan Sampit, Pontianak Timur ü",
            }
        )
    )
    assert written == {
        "at": "2026-12-01 08:30:00+00:00",
        "day": "2026-12-01",
        "amount": "12.50",
        "7": "kelurahan",
        "name": "Tambelan Sampit, Pontianak Timur ü",
    }
    assert loads(ckan._dumps({"n": 2**70})) == {"n": 2**70}
    assert loads(ckan._dumps({"x": float("nan")})) == {"x": None}
