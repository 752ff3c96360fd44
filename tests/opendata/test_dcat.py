"""DCAT-AP 3 catalogue documents: parsed back with rdflib, every mandatory property of every
node present, nothing that is not public ever listed, paging a harvester can follow."""

from __future__ import annotations

import warnings

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS
from sqlalchemy.orm import Session

from pontive.opendata import dcat
from pontive.opendata.choices import Frequency
from pontive.opendata.dcat_vocab import ADMS, DIMENSI, HYDRA, SATUDATA, SPDX, VCARD, WILAYAH
from pontive.opendata.models import Dataset
from pontive.settings import Settings
from tests.opendata.sample_catalogue import HIDDEN, make_catalogue

SITE = "https://data.pontianak.go.id"  # for graphs built directly
# DCAT-AP 3.0.1 SHACL: properties with sh:minCount 1 (digest portal_standards.md §1).
MANDATORY = {
    DCAT.Catalog: (DCTERMS.title, DCTERMS.description, DCTERMS.publisher),
    DCAT.Dataset: (DCTERMS.title, DCTERMS.description),
    DCAT.Distribution: (DCAT.accessURL,),
    DCAT.DataService: (DCTERMS.title, DCAT.endpointURL),
    FOAF.Agent: (FOAF.name,),
    SKOS.Concept: (SKOS.prefLabel,),
    SKOS.ConceptScheme: (DCTERMS.title,),
    ADMS.Identifier: (SKOS.notation,),
    SPDX.Checksum: (SPDX.algorithm, SPDX.checksumValue),
}


@pytest.fixture
def site(settings: Settings) -> str:
    """The address the app's documents use."""
    return settings.base_url.rstrip("/")


@pytest.fixture
def catalogue(session: Session) -> dict[str, Dataset]:
    """The sample catalogue (``sample_catalogue.py``)."""
    return make_catalogue(session)


def _parse(client: TestClient, path: str, rdf_format: str, media_type: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["cache-control"].startswith("public, max-age=")
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=response.content, format=rdf_format)


def _missing_mandatory(graph: Graph) -> list[str]:
    missing = []
    for cls, properties in MANDATORY.items():
        for node in graph.subjects(RDF.type, cls):
            missing += [f"{node} {p}" for p in properties if graph.value(node, p) is None]
    return missing


@pytest.mark.parametrize(
    ("path", "rdf_format", "media_type"),
    [
        ("/catalog.ttl", "turtle", "text/turtle"),
        ("/catalog.jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_catalogue_parses_back_with_every_mandatory_property(
    client: TestClient,
    site: str,
    catalogue: dict[str, Dataset],
    path: str,
    rdf_format: str,
    media_type: str,
) -> None:
    graph = _parse(client, path, rdf_format, media_type)
    for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService, FOAF.Agent):
        assert any(graph.subjects(RDF.type, cls)), f"no {cls}"
    assert _missing_mandatory(graph) == []
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Pemerintah Kota Pontianak"
    service = graph.value(catalog, DCAT.service)
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{site}/api/3/action/")
    listed = set(graph.objects(catalog, DCAT.dataset))
    for key in ("rich", "plain"):
        assert URIRef(f"{site}/dataset/{catalogue[key].id}") in listed


@pytest.mark.parametrize("path", ["/catalog.ttl", "/catalog.jsonld"])
def test_terbatas_rahasia_draft_and_deleted_datasets_never_appear(
    client: TestClient, catalogue: dict[str, Dataset], path: str
) -> None:
    body = client.get(path).text
    for name in HIDDEN:
        assert catalogue[name].id not in body
        assert name not in body
        for suffix in ("ttl", "jsonld"):
            assert client.get(f"/dataset/{name}.{suffix}").status_code == 404
    assert client.get("/dataset/tidak-ada.ttl").status_code == 404


def test_dataset_document_carries_themes_places_period_and_satu_data(
    client: TestClient, site: str, catalogue: dict[str, Dataset]
) -> None:
    rich = catalogue["rich"]
    graph = _parse(client, f"/dataset/{rich.name}.ttl", "turtle", "text/turtle")
    assert _missing_mandatory(graph) == []
    node = URIRef(f"{site}/dataset/{rich.id}")
    assert graph.value(node, DCTERMS.identifier) == Literal(rich.id)
    themes = set(graph.objects(node, DCAT.theme))
    assert themes == {DIMENSI.environment, DIMENSI.living}
    labels = {
        (str(label), label.language) for label in graph.objects(DIMENSI.living, SKOS.prefLabel)
    }
    assert {lang for _, lang in labels} == {"id", "en"}
    places = set(graph.objects(node, DCTERMS.spatial))
    assert places == {WILAYAH["61.71.02.1004"], WILAYAH["61.71.02"]}
    assert str(graph.value(WILAYAH["61.71.02.1004"], SKOS.prefLabel)) == "Kelurahan Tanjung Hulu"
    assert graph.value(WILAYAH["61.71.02"], DCTERMS.identifier) == Literal("61.71.02")
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(Frequency.HARIAN.eu_uri)
    period = graph.value(node, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2025-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2025-12-31"
    assert str(graph.value(node, SATUDATA.satuan)) == "cm"
    assert str(graph.value(node, SATUDATA.levelEstimasi)) == "kelurahan"
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, RDF.type) == VCARD.Organization
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:sda@pupr.pontianak.go.id")
    publisher = graph.value(node, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert graph.value(node, DCAT.landingPage) == URIRef(f"{site}/dataset/{rich.name}")

    distributions = {
        str(graph.value(d, DCTERMS.title)): d for d in graph.objects(node, DCAT.distribution)
    }
    assert set(distributions) == {"Tautan BWS", "Rekap 2025", "Per jam"}
    link, upload = distributions["Tautan BWS"], distributions["Rekap 2025"]
    assert graph.value(link, DCAT.accessURL) == URIRef("https://bws.example.go.id/kapuas")
    assert graph.value(link, DCAT.downloadURL) is None
    expected = f"{site}/dataset/{rich.id}/resource/{rich.resources[1].id}/download/rekap-2025.xlsx"
    assert graph.value(upload, DCAT.downloadURL) == URIRef(expected)
    assert str(graph.value(upload, DCAT.byteSize)) == "20480"
    assert graph.value(upload, DCTERMS["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/XLSX"
    )
    checksum = graph.value(upload, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == "ab" * 32
    generated = distributions["Per jam"]
    assert graph.value(generated, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )


def test_a_dataset_without_places_covers_the_whole_city(
    client: TestClient, site: str, catalogue: dict[str, Dataset]
) -> None:
    plain = catalogue["plain"]
    graph = _parse(client, f"/dataset/{plain.id}.jsonld", "json-ld", "application/ld+json")
    node = URIRef(f"{site}/dataset/{plain.id}")
    assert list(graph.objects(node, DCTERMS.spatial)) == [WILAYAH["61.71"]]
    assert str(graph.value(node, DCTERMS.description)) == plain.title  # notes were empty


def test_jsonld_uses_a_compact_context(client: TestClient, catalogue: dict[str, Dataset]) -> None:
    document = client.get("/catalog.jsonld").json()
    assert document["@context"]["dcat"] == str(DCAT)
    assert "dcat:Catalog" in document["@graph"][0]["@type"] or any(
        node.get("@type") == "dcat:Catalog" for node in document["@graph"]
    )


def test_a_large_catalogue_is_paged_with_hydra_links_a_harvester_follows(
    session: Session, catalogue: dict[str, Dataset]
) -> None:
    seen: list[str] = []
    url: str | None = f"{SITE}/catalog.ttl?page=1"
    pages = 0
    while url is not None:
        page = int(url.rsplit("=", 1)[1])
        graph = dcat.catalog_graph(
            session, site=SITE, document_url=f"{SITE}/catalog.ttl", page=page, page_size=1
        )
        pages += 1
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert collection == URIRef(url)
        total = int(graph.value(collection, HYDRA.totalItems))
        seen += [str(d) for d in graph.subjects(RDF.type, DCAT.Dataset)]
        following = graph.value(collection, HYDRA.next)
        legacy = graph.value(collection, HYDRA.nextPage)
        assert (following is None) == (legacy is None)
        url = str(following) if following is not None else None
    assert pages == total
    assert len(seen) == len(set(seen)) == total
    for key in ("rich", "plain"):
        assert f"{SITE}/dataset/{catalogue[key].id}" in seen


def test_a_small_catalogue_has_no_paging(session: Session, catalogue: dict[str, Dataset]) -> None:
    graph = dcat.catalog_graph(session, site=SITE, document_url=f"{SITE}/catalog.ttl")
    assert not any(graph.subjects(RDF.type, HYDRA.PagedCollection))
