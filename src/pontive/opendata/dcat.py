"""The public catalogue as DCAT-AP 3.0 RDF: the catalogue, its datasets and distributions.

Mandatory properties of DCAT-AP 3.0.1 (the SHACL shapes' ``sh:minCount 1``) are always
written: Catalog title/description/publisher, Dataset title/description, Distribution
accessURL, DataService title/endpointURL, Agent foaf:name, Concept prefLabel, ConceptScheme
title, Identifier notation, Checksum algorithm/value. URIs follow ckanext-dcat, so its RDF
harvester maps them back: ``<site>/dataset/<id>``, ``<site>/dataset/<id>/resource/<id>``,
``<site>/organization/<kode>``; a catalogue of more than ``PAGE_SIZE`` datasets is paged
with a Hydra ``PagedCollection`` (``hydra:next`` and ckanext-dcat's ``hydra:nextPage``).
Only active publik datasets appear (``catalogue_read``).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from sqlalchemy.orm import Session

from pontive.opendata import catalogue_read
from pontive.opendata.catalogue_read import PAGE_SIZE, Names
from pontive.opendata.choices import UrlType
from pontive.opendata.dcat_vocab import (
    ACCESS_PUBLIC,
    ADMS,
    AVAILABILITY,
    CITY_KODE,
    CITY_NAME,
    CITY_URI,
    DCATAP,
    DIMENSI,
    HYDRA,
    IANA,
    LANGUAGE_IND,
    SATUDATA,
    SPDX,
    VCARD,
    WILAYAH,
    file_type_uri,
    licence_uri,
    media_type,
)
from pontive.opendata.models import Dataset, Resource
from pontive.web.i18n import translate

# JSON-LD context: short names for the vocabularies the documents use.
CONTEXT: dict[str, str] = {
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "dcatap": str(DCATAP),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "hydra": str(HYDRA),
    "rdf": str(RDF),
    "satudata": str(SATUDATA),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}
LANGUAGES = ("id", "en")
SATU_DATA_FIELDS = (
    ("konsep", "konsep"),
    ("definisi", "definisi"),
    ("satuan", "satuan"),
    ("metode", "metode"),
    ("level_estimasi", "levelEstimasi"),
    ("kode_referensi", "kodeReferensi"),
)


def new_graph() -> Graph:
    """An empty graph with the catalogue's prefixes bound."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _text(graph: Graph, node: URIRef | BNode, predicate: URIRef, value: str, lang: str) -> None:
    if value:
        graph.add((node, predicate, Literal(value, lang=lang)))


def _texts(graph: Graph, node: URIRef, predicate: URIRef, key: str) -> None:
    """One literal per language, from the message catalogue (``locale/*.dcat.json``)."""
    for lang in LANGUAGES:
        graph.add((node, predicate, Literal(translate(key, lang), lang=lang)))


def _instant(value: datetime) -> Literal:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return Literal(moment.astimezone(UTC).isoformat(), datatype=XSD.dateTime)


def _day(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _agent(graph: Graph, uri: str, name: str) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(name, lang="id")))
    return node


def _themes(graph: Graph, names: Names) -> URIRef:
    """The dimensions' concept scheme, with every dimension as a concept."""
    scheme = URIRef(str(DIMENSI))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    _texts(graph, scheme, DCTERMS.title, "opendata.dcat.themes_title")
    for kode, (name_id, name_en) in names.dimensi.items():
        concept = DIMENSI[kode]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(name_id, lang="id")))
        graph.add((concept, SKOS.prefLabel, Literal(name_en, lang="en")))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(kode)))
    return scheme


def _place(graph: Graph, kode: str, name: str) -> URIRef:
    node = WILAYAH[kode]
    graph.add((node, RDF.type, DCTERMS.Location))
    graph.add((node, DCTERMS.identifier, Literal(kode)))
    graph.add((node, SKOS.prefLabel, Literal(name, lang="id")))
    return node


def _contact(graph: Graph, dataset: Dataset, names: Names) -> BNode:
    node = BNode()
    name, email = names.contact(dataset)
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(name)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    return node


def _temporal(graph: Graph, dataset: Dataset) -> BNode | None:
    if dataset.temporal_start is None and dataset.temporal_end is None:
        return None
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if dataset.temporal_start is not None:
        graph.add((node, DCAT.startDate, _day(dataset.temporal_start)))
    if dataset.temporal_end is not None:
        graph.add((node, DCAT.endDate, _day(dataset.temporal_end)))
    return node


def _checksum(graph: Graph, digest: str) -> BNode | None:
    algorithm, _, value = digest.partition(":")
    if algorithm.lower() not in ("sha256", "sha1", "md5") or not value:
        return None
    node = BNode()
    graph.add((node, RDF.type, SPDX.Checksum))
    graph.add((node, SPDX.algorithm, SPDX[f"checksumAlgorithm_{algorithm.lower()}"]))
    graph.add((node, SPDX.checksumValue, Literal(value, datatype=XSD.hexBinary)))
    return node


def add_distribution(graph: Graph, dataset: Dataset, resource: Resource, names: Names) -> URIRef:
    """One resource as a ``dcat:Distribution``."""
    node = URIRef(f"{names.site}/dataset/{dataset.id}/resource/{resource.id}")
    url = URIRef(names.download_url(dataset, resource))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, url))
    if resource.url_type is not UrlType.LINK:  # the portal holds the file: a direct download
        graph.add((node, DCAT.downloadURL, url))
    _text(graph, node, DCTERMS.title, resource.name, "id")
    _text(graph, node, DCTERMS.description, resource.description, "id")
    file_type = file_type_uri(resource.format)
    if file_type:
        graph.add((node, DCTERMS["format"], URIRef(file_type)))
    mime = media_type(resource.format, resource.mimetype)
    if mime:
        graph.add((node, DCAT.mediaType, URIRef(IANA + mime)))
    licence = licence_uri(dataset.license_id)
    if licence:
        graph.add((node, DCTERMS.license, URIRef(licence)))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    checksum = _checksum(graph, resource.hash)
    if checksum is not None:
        graph.add((node, SPDX.checksum, checksum))
    stable = "AVAILABLE" if resource.url_type is UrlType.LINK else "STABLE"
    graph.add((node, DCATAP.availability, URIRef(AVAILABILITY + stable)))
    graph.add((node, DCTERMS.issued, _instant(resource.created_at)))
    graph.add((node, DCTERMS.modified, _instant(resource.last_modified)))
    return node


def add_dataset(graph: Graph, dataset: Dataset, names: Names) -> URIRef:
    """One dataset (with its distributions) as a ``dcat:Dataset``."""
    node = URIRef(f"{names.site}/dataset/{dataset.id}")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="id")))
    graph.add((node, DCTERMS.description, Literal(dataset.notes or dataset.title, lang="id")))
    graph.add((node, DCTERMS.identifier, Literal(dataset.id)))
    identifier = BNode()
    graph.add((identifier, RDF.type, ADMS.Identifier))
    graph.add((identifier, SKOS.notation, Literal(dataset.name)))
    graph.add((node, ADMS.identifier, identifier))
    publisher_name = names.perangkat_daerah.get(dataset.owner_org, dataset.owner_org)
    publisher = _agent(graph, f"{names.site}/organization/{dataset.owner_org}", publisher_name)
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, _contact(graph, dataset, names)))
    for tag in dataset.tags:
        graph.add((node, DCAT.keyword, Literal(tag.name, lang="id")))
    for group in dataset.groups:
        graph.add((node, DCAT.theme, DIMENSI[group.dimensi_kode]))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(dataset.frequency.eu_uri)))
    temporal = _temporal(graph, dataset)
    if temporal is not None:
        graph.add((node, DCTERMS.temporal, temporal))
    for kode in dataset.spatial_codes or [CITY_KODE]:
        graph.add((node, DCTERMS.spatial, _place(graph, kode, names.place(kode))))
    graph.add((node, DCTERMS.issued, _instant(dataset.created_at)))
    graph.add((node, DCTERMS.modified, _instant(dataset.modified_at)))
    licence = licence_uri(dataset.license_id)
    if licence:
        graph.add((node, DCTERMS.license, URIRef(licence)))
    graph.add((node, DCTERMS.accessRights, URIRef(ACCESS_PUBLIC)))
    graph.add((node, DCTERMS.language, URIRef(LANGUAGE_IND)))
    graph.add((node, DCAT.landingPage, URIRef(names.dataset_url(dataset))))
    if dataset.version:
        graph.add((node, DCAT.version, Literal(dataset.version)))
    if dataset.url:
        graph.add((node, FOAF.page, URIRef(dataset.url)))
    for column, term in SATU_DATA_FIELDS:
        _text(graph, node, SATUDATA[term], getattr(dataset, column), "id")
    for resource in catalogue_read.public_resources(dataset):
        graph.add((node, DCAT.distribution, add_distribution(graph, dataset, resource, names)))
    return node


def _service(graph: Graph, names: Names) -> URIRef:
    endpoint = f"{names.site}/api/3/action/"
    node = URIRef(endpoint)
    graph.add((node, RDF.type, DCAT.DataService))
    _texts(graph, node, DCTERMS.title, "opendata.dcat.service_title")
    graph.add((node, DCAT.endpointURL, node))
    graph.add((node, DCAT.endpointDescription, URIRef(f"{names.site}/api/3/action/help_show")))
    return node


def _paging(graph: Graph, url: str, page: int, total: int, page_size: int) -> None:
    """Hydra paging triples, as ckanext-dcat writes and its harvester follows."""
    last = max(1, math.ceil(total / page_size))
    node = URIRef(f"{url}?page={page}")
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(page_size, datatype=XSD.integer)))
    links = {"first": 1, "last": last, "previous": page - 1, "next": page + 1}
    for name, number in links.items():
        if 1 <= number <= last:
            target = f"{url}?page={number}"
            graph.add((node, HYDRA[name], URIRef(target)))  # Hydra core
            graph.add((node, HYDRA[f"{name}Page"], Literal(target)))  # ckanext-dcat


def catalog_graph(
    session: Session, *, site: str, document_url: str, page: int = 1, page_size: int = PAGE_SIZE
) -> Graph:
    """The catalogue (one page of it when it holds more than ``page_size`` datasets)."""
    names = catalogue_read.load_names(session, site)
    graph = new_graph()
    catalog = URIRef(f"{names.site}/")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, "opendata.dcat.catalog_title")
    _texts(graph, catalog, DCTERMS.description, "opendata.dcat.catalog_description")
    graph.add((catalog, DCTERMS.publisher, _agent(graph, CITY_URI, CITY_NAME)))
    graph.add((catalog, DCTERMS.language, URIRef(LANGUAGE_IND)))
    graph.add((catalog, FOAF.homepage, URIRef(f"{names.site}/")))
    graph.add((catalog, DCAT.themeTaxonomy, _themes(graph, names)))
    graph.add((catalog, DCAT.service, _service(graph, names)))
    modified = catalogue_read.last_modified(session)
    if modified is not None:
        graph.add((catalog, DCTERMS.modified, _instant(modified)))
    for dataset in catalogue_read.public_datasets(session, page=page, page_size=page_size):
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, names)))
    total = catalogue_read.count_public(session)
    if total > page_size or page > 1:
        _paging(graph, document_url, page, total, page_size)
    return graph


def dataset_graph(session: Session, *, site: str, name: str) -> Graph:
    """One public dataset; ``NotFound`` for any other."""
    dataset = catalogue_read.get_public_dataset(session, name)
    names = catalogue_read.load_names(session, site)
    graph = new_graph()
    _themes(graph, names)
    add_dataset(graph, dataset, names)
    return graph


def to_jsonld(graph: Graph) -> bytes:
    """JSON-LD with the compact context."""
    return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True).encode()


def to_turtle(graph: Graph) -> bytes:
    """Turtle."""
    return graph.serialize(format="turtle").encode()
