"""Project Open Data v1.1 ``/data.json``: valid against the v1.1 field tables (encoded in
``data/pod_v1_1_catalog.schema.json``), with the right values, and nothing that is not
public."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, FormatChecker
from sqlalchemy.orm import Session

from pontive.opendata import datajson
from pontive.opendata.choices import Frequency
from pontive.opendata.models import Dataset
from tests.opendata.sample_catalogue import HIDDEN, make_catalogue

SITE = "https://data.pontianak.go.id"
SCHEMA = json.loads((Path(__file__).parent / "data" / "pod_v1_1_catalog.schema.json").read_text())
VALIDATOR = Draft7Validator(SCHEMA, format_checker=FormatChecker())


def _errors(document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATOR.iter_errors(document)
    ]


@pytest.fixture
def catalogue(session: Session) -> dict[str, Dataset]:
    """The sample catalogue (``sample_catalogue.py``)."""
    return make_catalogue(session)


@pytest.fixture
def document(session: Session, catalogue: dict[str, Dataset]) -> dict[str, Any]:
    """``/data.json`` as built for the sample catalogue."""
    return datajson.catalog(session, site=SITE)


def _entry(document: dict[str, Any], dataset: Dataset) -> dict[str, Any]:
    identifier = f"{SITE}/dataset/{dataset.id}"
    return next(d for d in document["dataset"] if d["identifier"] == identifier)


def test_data_json_is_valid_project_open_data_1_1(document: dict[str, Any]) -> None:
    assert _errors(document) == []
    assert document["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert document["@type"] == "dcat:Catalog"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("contactPoint", "hasEmail"), "sda@pupr.pontianak.go.id"),  # mailto: is required
        (("accessLevel",), "publik"),
        (("modified",), "29/11/2026"),
        (("accrualPeriodicity",), "P1D"),
        (("temporal",), "2025"),
        (("keyword",), []),
        (("distribution", 1, "mediaType"), None),  # downloadURL without a media type
        (("license",), ""),
    ],
)
def test_the_schema_refuses_what_the_spec_forbids(
    document: dict[str, Any], catalogue: dict[str, Dataset], path: tuple[Any, ...], value: Any
) -> None:
    broken = copy.deepcopy(document)
    target = _entry(broken, catalogue["rich"])
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    assert _errors(broken) != []


def test_every_always_field_and_the_applicable_ones_are_filled(
    document: dict[str, Any], catalogue: dict[str, Dataset]
) -> None:
    rich = _entry(document, catalogue["rich"])
    assert rich["accessLevel"] == "public"
    assert rich["keyword"] == ["banjir", "sungai"]
    assert rich["publisher"] == {
        "@type": "org:Organization",
        "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "subOrganizationOf": {"@type": "org:Organization", "name": "Pemerintah Kota Pontianak"},
    }
    assert rich["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Bidang Sumber Daya Air",
        "hasEmail": "mailto:sda@pupr.pontianak.go.id",
    }
    assert rich["accrualPeriodicity"] == Frequency.HARIAN.iso8601 == "R/P1D"
    assert rich["temporal"] == "2025-01-01/2025-12-31"
    assert rich["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert rich["language"] == ["id"]
    assert rich["landingPage"] == f"{SITE}/dataset/muka-air-sungai-kapuas"
    assert rich["spatial"] == "Kelurahan Tanjung Hulu, Kecamatan Pontianak Timur"
    assert (
        set(rich["theme"]) == {"Lingkungan Cerdas", "Kehidupan Cerdas"} or len(rich["theme"]) == 2
    )
    assert "bureauCode" not in rich
    assert "programCode" not in rich
    link, upload, generated = rich["distribution"]
    assert link["accessURL"] == "https://bws.example.go.id/kapuas"
    assert "downloadURL" not in link
    assert upload["downloadURL"].endswith("/download/rekap-2025.xlsx")
    assert upload["mediaType"].startswith("application/vnd.openxmlformats")
    assert generated["mediaType"] == "text/csv"
    assert generated["format"] == "CSV"


def test_a_dataset_without_period_or_resources_omits_them(
    document: dict[str, Any], catalogue: dict[str, Dataset]
) -> None:
    plain = _entry(document, catalogue["plain"])
    assert "temporal" not in plain
    assert "distribution" not in plain
    assert plain["spatial"] == "Kota Pontianak"
    # No contact address of its own: the walidata answers, by name and address alike.
    assert plain["contactPoint"]["fn"] == "Walidata Kota Pontianak (Diskominfo)"
    assert plain["contactPoint"]["hasEmail"] == "mailto:diskominfo@pontianak.go.id"


def test_only_public_active_datasets_are_listed(
    document: dict[str, Any], catalogue: dict[str, Dataset]
) -> None:
    text = json.dumps(document)
    for name in HIDDEN:
        assert catalogue[name].id not in text
        assert name not in text


def test_data_json_is_served_with_a_short_public_cache(
    client: TestClient, catalogue: dict[str, Dataset]
) -> None:
    response = client.get("/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["etag"]
    assert _errors(response.json()) == []
