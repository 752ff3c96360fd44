"""Vocabularies the catalogue formats share: namespaces, licences, file types and media types.

DCAT-AP 3 asks for EU Publications Office authority tables (file types, licences, access
rights, languages, availability); Project Open Data asks for licence URLs and IANA media
types. Both are looked up here from what a dataset or resource stores (a CKAN ``license_id``,
a resource ``format`` such as ``CSV`` and its ``mimetype``).
"""

from __future__ import annotations

from rdflib import Namespace

from pontive.opendata.licenses import get_license

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# Satu Data Indonesia metadata (Perpres 39/2019; MS-Ind of Peraturan BPS 5/2020) has no RDF
# vocabulary of its own: Pontive names the six fields in this namespace.
SATUDATA = Namespace("https://data.pontianak.go.id/ns/satudata#")
# The six Smart City dimensions as a SKOS concept scheme (dcat:theme).
DIMENSI = Namespace("https://data.pontianak.go.id/ns/dimensi#")
# Places by their Kemendagri code (kota 61.71, kecamatan 61.71.01, kelurahan 61.71.01.1001).
WILAYAH = Namespace("https://data.pontianak.go.id/ns/wilayah/")

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU + "file-type/"
LANGUAGE_IND = EU + "language/IND"
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
AVAILABILITY = EU + "planned-availability/"
IANA = "https://www.iana.org/assignments/media-types/"

CITY_NAME = "Pemerintah Kota Pontianak"
CITY_URI = "https://pontianak.go.id/"
CITY_KODE = "61.71"  # Kemendagri kode wilayah of Kota Pontianak
# The walidata's address (Diskominfo keeps the city's data: Perpres 39/2019 Pasal 1 angka 11),
# for datasets whose publisher left no contact address.
WALIDATA_EMAIL = "diskominfo@pontianak.go.id"
WALIDATA_NAME = "Walidata Kota Pontianak (Diskominfo)"
POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"


# CKAN licence id (``licenses.py``) → the EU licence authority concept DCAT-AP asks for.
EU_LICENCES: dict[str, str] = {
    "cc-by-4.0": "CC_BY_4_0",
    "cc-by-sa-4.0": "CC_BYSA_4_0",
    "cc-zero": "CC0",
    "cc-nc": "CC_BYNC",
    "odc-by": "ODC_BY",
    "odc-odbl": "ODC_BL",
    "odc-pddl": "ODC_PDDL",
}

# Resource format (as stored, upper-cased) → (EU file-type code, IANA media type).
FORMATS: dict[str, tuple[str, str]] = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PDF": ("PDF", "application/pdf"),
    "XML": ("XML", "application/xml"),
    "ZIP": ("ZIP", "application/zip"),
    "PARQUET": ("PARQUET", "application/vnd.apache.parquet"),
    "SHP": ("SHP", "application/vnd.shp"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "API": ("JSON", "application/json"),
}


def licence_uri(license_id: str) -> str | None:
    """The EU licence concept of a CKAN licence id; else the licence's own page, if any."""
    if license_id in EU_LICENCES:
        return EU + "licence/" + EU_LICENCES[license_id]
    return licence_url(license_id)


def licence_url(license_id: str) -> str | None:
    """The licence's own page (Project Open Data ``license``), if it has one."""
    licence = get_license(license_id)
    return licence.url if licence and licence.url else None


def file_type_uri(resource_format: str) -> str | None:
    """The EU file-type concept of a resource format (``CSV`` → …/file-type/CSV)."""
    known = FORMATS.get(resource_format.strip().upper())
    return FILE_TYPE + known[0] if known else None


def media_type(resource_format: str, mimetype: str = "") -> str | None:
    """The IANA media type: the stored mimetype, else the format's usual one."""
    if mimetype and "/" in mimetype:
        return mimetype.split(";", 1)[0].strip()
    known = FORMATS.get(resource_format.strip().upper())
    return known[1] if known else None
