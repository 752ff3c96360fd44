"""Open311 GeoReport v2, tested from the digest (../shared/specs/open311.md) against a running
server with a plain HTTP client (urllib): no Pontive code takes part in the requests.

The server is the real app under uvicorn over its own migrated, seeded database, as a city
runs it. Its micro-cache shares GET answers for a few seconds, so each test asks its own
questions (fresh reports, distinct filters) rather than repeating another test's URL.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
import uvicorn
from PIL import Image
from sqlalchemy import select

from pontive.app import create_app
from pontive.complaints import service, workflow
from pontive.complaints.choices import AttributeType, ComplaintStatus
from pontive.complaints.models import CategoryAttribute, Complaint, ServiceCategory
from pontive.complaints.open311_format import to_xml
from pontive.complaints.schemas import ComplaintCreate
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from tests.conftest import _fresh_database_url, make_settings, prepare_database

BASE = "/open311/v2"
STAFF = system_actor("test-open311")
INSIDE = {"lat": "-0.0391", "long": "109.3427"}  # Jl. Gajah Mada, Pontianak Selatan
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# Personal data sent with a report; none of it may ever come back out.
REPORTER = {
    "first_name": "Siti",
    "last_name": "Rahmawati-Qx",
    "email": "siti.rahmawati.qx@contoh.id",
    "phone": "0812-7777-4242",
}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def xml(self) -> ElementTree.Element:
        assert self.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        # Our own server's answer on 127.0.0.1, not untrusted input.
        return ElementTree.fromstring(self.body)  # noqa: S314


@dataclass(frozen=True)
class Server:
    url: str
    api_key: str
    database: Database
    media: MediaStore

    def call(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, Any] | list[tuple[str, str]] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        data = body
        headers = dict(headers or {})
        if form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 server
            self.url + path, data=data, method=method, headers=headers
        )
        try:
            # Always our own http://127.0.0.1 server.
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return Answer(
                    response.status,
                    response.headers.get("content-type", ""),
                    dict(response.headers.items()),
                    response.read(),
                )
        except HTTPError as error:
            return Answer(
                error.code,
                error.headers.get("content-type", ""),
                dict(error.headers.items()),
                error.read(),
            )

    def get(self, path: str) -> Answer:
        return self.call("GET", BASE + path)

    def post(
        self, fmt: str, form: dict[str, Any] | list[tuple[str, str]], query: str = ""
    ) -> Answer:
        return self.call("POST", f"{BASE}/requests.{fmt}{query}", form=form)

    def submit(self, **fields: str) -> str:
        """File a report through Open311 and return its service_request_id."""
        form = {
            "api_key": self.api_key,
            "service_code": "drainase",
            "description": f"Parit tersumbat sampah, air meluap ke jalan ({uuid.uuid4().hex[:8]})",
            **INSIDE,
            **fields,
        }
        answer = self.post("json", form)
        assert answer.status == 200, answer.body
        request_id: str = answer.json()[0]["service_request_id"]
        return request_id

    def staff(self) -> Any:
        session = self.database.session()
        session.info[SESSION_BUS_KEY] = MemoryBus()
        return session


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the Open311 test server stopped during start-up")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError("the Open311 test server did not start")


def _add_test_data(session: Any, media: MediaStore) -> None:
    # A category with a multivaluelist question (the seeded catalogue has none).
    category = ServiceCategory(
        code="uji-multi",
        name_id="Kategori uji pilihan ganda",
        name_en="Multiple choice test category",
        description_id="Untuk uji Open311.",
        description_en="For Open311 tests.",
        group="Uji",
        keywords="uji coba",
        pd_kode="pupr",
        sla_days=5,
    )
    category.attributes = [
        CategoryAttribute(
            code="jenis",
            datatype=AttributeType.MULTIVALUELIST,
            required=True,
            order=1,
            description_id="Apa saja yang rusak?",
            description_en="What is damaged?",
            values=[
                {"key": "zeta", "name_id": "Zeta", "name_en": "Zeta"},
                {"key": "alfa", "name_id": "Alfa", "name_en": "Alpha"},
                {"key": "beta", "name_id": "Beta", "name_en": "Beta"},
            ],
        ),
        CategoryAttribute(
            code="catatan",
            datatype=AttributeType.STRING,
            required=False,
            order=2,
            description_id="Catatan",
            description_en="Note",
            values=[],
        ),
    ]
    session.add(category)
    session.commit()
    # A report older than the default 90-day window.
    service.create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code="drainase",
            description="Laporan lama dari luar jendela sembilan puluh hari",
            lat=-0.0391,
            lon=109.3427,
            created_at=datetime.now(UTC) - timedelta(days=120),
        ),
        actor=STAFF,
        media=media,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app under uvicorn on a free port, with an API key for a client app."""
    for database_url in _fresh_database_url(tmp_path_factory, "open311"):
        prepare_database(database_url)
        media_dir = tmp_path_factory.mktemp("open311-media")
        database = Database(database_url)
        media = MediaStore(media_dir)
        with database.session() as session:
            _key, secret = auth.create_api_key(
                session=session, actor=STAFF, name="aplikasi-uji", role=Role.WARGA
            )
            _add_test_data(session, media)
        app = create_app(make_settings(database_url, media_dir=media_dir))
        config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
        uvicorn_server = uvicorn.Server(config)
        thread = threading.Thread(target=uvicorn_server.run, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{config.port}"
        try:
            _wait_until_healthy(url, thread)
            yield Server(url, secret, database, media)
        finally:
            uvicorn_server.should_exit = True
            thread.join(timeout=10)
            database.dispose()


def _jpeg() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(output, format="JPEG")
    return output.getvalue()


def _multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _errors_json(answer: Answer) -> list[dict[str, Any]]:
    assert answer.content_type == "application/json; charset=utf-8"
    errors: list[dict[str, Any]] = answer.json()
    assert isinstance(errors, list)
    assert errors
    for error in errors:
        assert set(error) == {"code", "description"}
        assert error["code"] == answer.status
    return errors


def _errors_xml(answer: Answer) -> list[tuple[str, str]]:
    assert answer.content_type == "text/xml; charset=utf-8"
    root = answer.xml()
    assert root.tag == "errors"
    found = [(e.findtext("code") or "", e.findtext("description") or "") for e in root]
    assert found
    assert all(e.tag == "error" for e in root)
    assert all(code == str(answer.status) for code, _ in found)
    return found


def _request_xml(element: ElementTree.Element) -> dict[str, str]:
    assert element.tag == "request"
    return {child.tag: child.text or "" for child in element}


# --- discovery -----------------------------------------------------------------------------


def test_discovery_xml_lists_the_endpoint_with_both_formats(server: Server) -> None:
    answer = server.get("/discovery.xml")
    assert answer.status == 200
    assert answer.content_type == "text/xml; charset=utf-8"
    root = answer.xml()
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert root.findtext("contact")
    assert root.findtext("key_service")
    assert datetime.fromisoformat(root.findtext("changeset") or "") < datetime.now(UTC)
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert (endpoint.findtext("url") or "").endswith("/open311/v2")
    assert endpoint.findtext("type") == "test"  # the test settings are not production
    assert [f.text for f in endpoint.iterfind("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_discovery_json_says_the_same_as_the_xml(server: Server) -> None:
    answer = server.get("/discovery.json")
    assert answer.status == 200
    assert answer.content_type == "application/json; charset=utf-8"
    body = answer.json()
    xml = server.get("/discovery.xml").xml()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["contact"] == xml.findtext("contact")
    assert body["key_service"] == xml.findtext("key_service")
    (endpoint,) = body["endpoints"]
    assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_in_english_on_request(server: Server) -> None:
    body = server.get("/discovery.json?lang=en").json()
    assert body["contact"].startswith("Pontive Center, Communication")


# --- services ------------------------------------------------------------------------------


def test_service_list_xml_has_every_active_category(server: Server) -> None:
    answer = server.get("/services.xml")
    assert answer.status == 200
    root = answer.xml()
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root}
    assert {"jalan-rusak", "drainase", "sampah", "uji-multi"} <= set(services)
    road = services["jalan-rusak"]
    assert [c.tag for c in road] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert road.findtext("service_name") == "Jalan rusak atau berlubang"
    assert road.findtext("metadata") == "true"
    assert road.findtext("type") == "realtime"
    assert road.findtext("group") == "Infrastruktur"
    assert "aspal" in (road.findtext("keywords") or "").split(", ")
    assert services["drainase"].findtext("metadata") == "false"


def test_service_list_json_is_a_bare_array_with_typed_metadata(server: Server) -> None:
    body = server.get("/services.json?jurisdiction_id=pontianak.go.id").json()
    assert isinstance(body, list)
    by_code = {item["service_code"]: item for item in body}
    assert by_code["jalan-rusak"]["metadata"] is True
    assert by_code["drainase"]["metadata"] is False
    assert all(item["type"] == "realtime" for item in body)
    english = server.get("/services.json?lang=en").json()
    assert {i["service_code"]: i for i in english}["jalan-rusak"]["service_name"] == (
        "Damaged road or pothole"
    )


def test_service_definition_xml_lists_attributes_and_values_in_order(server: Server) -> None:
    answer = server.get("/services/uji-multi.xml")
    assert answer.status == 200
    root = answer.xml()
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "uji-multi"
    first, second = root.iterfind("attributes/attribute")
    assert [c.tag for c in first] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert first.findtext("variable") == "true"
    assert first.findtext("datatype") == "multivaluelist"
    assert first.findtext("required") == "true"
    assert first.findtext("order") == "1"
    # Values keep the catalogue's order (not alphabetical), as open311-adapter's test checks.
    assert [v.findtext("key") for v in first.iterfind("values/value")] == ["zeta", "alfa", "beta"]
    assert [v.findtext("name") for v in first.iterfind("values/value")][1] == "Alfa"
    assert second.findtext("datatype") == "string"
    assert second.findtext("required") == "false"
    assert second.find("values") is None


def test_service_definition_json_is_an_object(server: Server) -> None:
    body = server.get("/services/jalan-rusak.json?lang=en").json()
    assert body["service_code"] == "jalan-rusak"
    size = body["attributes"][0]
    assert size["code"] == "ukuran"
    assert size["variable"] is True
    assert size["required"] is True
    assert size["order"] == 1
    assert size["description"] == "How big is the damage?"
    assert size["values"][0] == {"key": "kecil", "name": "Small (under 50 cm)"}


def test_service_definition_of_a_category_without_questions_is_empty(server: Server) -> None:
    assert server.get("/services/drainase.json").json() == {
        "service_code": "drainase",
        "attributes": [],
    }
    root = server.get("/services/drainase.xml").xml()
    attributes = root.find("attributes")
    assert attributes is not None
    assert len(attributes) == 0


def test_service_definition_answers_the_singular_path_of_the_pypi_client(server: Server) -> None:
    answer = server.get("/service/jalan-rusak.xml?jurisdiction_id=")
    assert answer.status == 200
    assert answer.xml().findtext("service_code") == "jalan-rusak"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_service_definition_is_404(server: Server, fmt: str) -> None:
    answer = server.get(f"/services/tidak-ada.{fmt}")
    assert answer.status == 404
    errors = _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    assert "tidak-ada" in str(errors)


# --- general rules -------------------------------------------------------------------------


def test_unknown_extension_is_404_in_open311_shape(server: Server) -> None:
    answer = server.get("/services.html")
    assert answer.status == 404
    _errors_xml(answer)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_other_jurisdiction_is_404_and_ours_or_empty_is_accepted(server: Server, fmt: str) -> None:
    assert server.get(f"/services.{fmt}?jurisdiction_id=pontianak.go.id").status == 200
    assert server.get(f"/services.{fmt}?jurisdiction_id=").status == 200
    answer = server.get(f"/services.{fmt}?jurisdiction_id=sfgov.org")
    assert answer.status == 404
    errors = _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    assert "sfgov.org" in str(errors)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_path_and_wrong_method_answer_in_open311_shape(server: Server, fmt: str) -> None:
    missing = server.get(f"/tidak-ada.{fmt}")
    assert missing.status == 404
    wrong = server.call("DELETE", f"{BASE}/requests.{fmt}")
    assert wrong.status == 405
    for answer in (missing, wrong):
        _errors_json(answer) if fmt == "json" else _errors_xml(answer)


def test_reads_are_shared_briefly_and_posts_never(server: Server) -> None:
    assert server.get("/services.json?cache=1").headers["cache-control"].startswith("public")
    assert "max-age=" in server.get("/requests.json?cache=1").headers["cache-control"]
    answer = server.post("json", {"api_key": server.api_key})
    assert answer.headers["cache-control"] == "no-store"


# --- POST requests ---------------------------------------------------------------------------


def test_post_json_creates_a_report_and_answers_its_id(server: Server) -> None:
    answer = server.post(
        "json",
        {
            "api_key": server.api_key,
            "jurisdiction_id": "pontianak.go.id",
            "service_code": "jalan-rusak",
            "description": "Lubang besar di tengah jalan dekat pasar",
            "attribute[ukuran]": "besar",
            "address_string": "Jl. Gajah Mada 12",
            "device_id": "tt222111",
            "account_id": "123456",
            **INSIDE,
        },
    )
    assert answer.status == 200
    assert answer.content_type == "application/json; charset=utf-8"
    (item,) = answer.json()
    assert item["service_request_id"].startswith("PTK-")
    assert "Pekerjaan Umum" in item["service_notice"]
    assert "token" not in item  # realtime: the id at once
    (report,) = server.get(f"/requests/{item['service_request_id']}.json").json()
    assert report["service_code"] == "jalan-rusak"
    assert report["status"] == "open"
    assert report["address"] == "Jl. Gajah Mada 12"
    assert (report["lat"], report["long"]) == (-0.0391, 109.3427)
    with server.staff() as session:
        stored = service.get_by_tracking(session, item["service_request_id"])
        assert stored.source.value == "open311"
        assert stored.attributes == {"ukuran": "besar"}


def test_post_xml_answers_xml(server: Server) -> None:
    form = {"api_key": server.api_key, "service_code": "drainase", **INSIDE}
    answer = server.post("xml", form)
    assert answer.status == 200
    root = answer.xml()
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    assert [c.tag for c in request] == ["service_request_id", "service_notice"]
    # Without a description the report says what kind of problem it is.
    request_id = request.findtext("service_request_id")
    (report,) = server.get(f"/requests/{request_id}.json").json()
    assert report["description"] == "Parit atau saluran air tersumbat"


def test_post_takes_api_key_and_jurisdiction_from_the_query_string(server: Server) -> None:
    query = f"?jurisdiction_id=pontianak.go.id&api_key={server.api_key}"
    form = {"service_code": "drainase", "description": "Air parit meluap ke rumah warga", **INSIDE}
    answer = server.post("json", form, query)
    assert answer.status == 200, answer.body


def test_post_with_address_only_is_accepted(server: Server) -> None:
    form = {
        "api_key": server.api_key,
        "service_code": "drainase",
        "address_string": "Gang Mawar, Kelurahan Benua Melayu Darat",
        "description": "Parit di gang kami meluap setiap hujan",
    }
    answer = server.post("json", form)
    assert answer.status == 200, answer.body
    (report,) = server.get(f"/requests/{answer.json()[0]['service_request_id']}.xml").xml()
    fields = _request_xml(report)
    assert fields["lat"] == ""
    assert fields["long"] == ""
    assert fields["address"] == "Gang Mawar, Kelurahan Benua Melayu Darat"


def test_post_multivaluelist_with_brackets_and_empty_optionals(server: Server) -> None:
    form = [
        ("api_key", server.api_key),
        ("jurisdiction_id", ""),
        ("service_code", "uji-multi"),
        ("description", "Beberapa fasilitas rusak sekaligus"),
        ("attribute[jenis][]", "alfa"),
        ("attribute[jenis][]", "beta"),
        ("attribute[catatan]", ""),
        ("attribute[tidak_dikenal]", "diabaikan"),
        ("email", ""),
        ("phone", ""),
        ("first_name", ""),
        *INSIDE.items(),
    ]
    answer = server.post("json", form)
    assert answer.status == 200, answer.body
    with server.staff() as session:
        stored = service.get_by_tracking(session, answer.json()[0]["service_request_id"])
        assert stored.attributes == {"jenis": ["alfa", "beta"]}
        assert stored.is_anonymous
        assert stored.reporter_email is None
        assert stored.reporter_phone is None


def test_post_keeps_media_urls_without_fetching_or_publishing_them(server: Server) -> None:
    urls = ["http://foto.contoh.id/a.jpg", "https://foto.contoh.id/b.jpg"]
    form = [
        ("api_key", server.api_key),
        ("service_code", "drainase"),
        ("description", "Parit tersumbat, ada foto dari aplikasi"),
        *INSIDE.items(),
        *(("media_url", url) for url in urls),
    ]
    answer = server.post("json", form)
    assert answer.status == 200, answer.body
    request_id = answer.json()[0]["service_request_id"]
    with server.staff() as session:
        assert service.get_by_tracking(session, request_id).attributes == {"media_url": urls}
    (report,) = server.get(f"/requests/{request_id}.json").json()
    assert report["media_url"] is None  # only moderated photos of our own are published


def test_uploaded_photo_is_published_as_media_url_after_moderation(server: Server) -> None:
    body, content_type = _multipart(
        [
            ("api_key", server.api_key),
            ("service_code", "drainase"),
            ("description", "Foto parit tersumbat terlampir"),
            *INSIDE.items(),
        ],
        [("media", "parit.jpg", _jpeg())],
    )
    answer = server.call(
        "POST", f"{BASE}/requests.json", body=body, headers={"Content-Type": content_type}
    )
    assert answer.status == 200, answer.body
    request_id = answer.json()[0]["service_request_id"]
    with server.staff() as session:
        complaint = service.get_by_tracking(session, request_id)
        (photo,) = complaint.photos
        workflow.moderate(
            session=session,
            actor=STAFF,
            tracking_number=request_id,
            public_photo_ids={photo.id},
            public_description="Parit tersumbat (teks dimoderasi)",
        )
    (report,) = server.get(f"/requests/{request_id}.json").json()
    assert report["media_url"] == f"http://127.0.0.1:8000/media/complaints/{photo.id}"
    assert report["description"] == "Parit tersumbat (teks dimoderasi)"


def test_contact_details_are_kept_sealed_and_never_served(server: Server) -> None:
    request_id = server.submit(**REPORTER)
    with server.staff() as session:
        stored = service.get_by_tracking(session, request_id)
        assert not stored.is_anonymous
        assert stored.reporter_name == "Siti Rahmawati-Qx"
        assert stored.reporter_email == REPORTER["email"]
        assert stored.consent_at is not None  # implied by the client app's terms
    outputs = [
        server.get(f"/requests/{request_id}.json"),
        server.get(f"/requests/{request_id}.xml"),
        server.get(f"/requests.json?service_request_id={request_id}"),
        server.get(f"/requests.xml?service_request_id={request_id}"),
        server.get("/requests.json?service_code=drainase&status=open"),
        server.get("/requests.xml?service_code=drainase&status=open"),
        server.get(f"/tokens/{request_id}.json"),
        server.get(f"/tokens/{request_id}.xml"),
    ]
    for answer in outputs:
        assert answer.status == 200
        assert request_id.encode() in answer.body
        text = answer.body.decode()
        for secret in ("Siti", "Rahmawati", "siti.rahmawati", "7777", "4242", "contoh.id"):
            assert secret not in text


# --- POST errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_without_or_with_a_wrong_api_key_is_403(server: Server, fmt: str) -> None:
    form = {"service_code": "drainase", "description": "Parit tersumbat sampah", **INSIDE}
    missing = server.post(fmt, form)
    wrong = server.post(fmt, {**form, "api_key": "ptk_salah"})
    empty = server.post(fmt, {**form, "api_key": ""})
    for answer in (missing, wrong, empty):
        assert answer.status == 403
        _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    assert "api_key" in str(wrong.body)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_without_service_code_is_400_naming_it(server: Server, fmt: str) -> None:
    answer = server.post(fmt, {"api_key": server.api_key, "service_code": "", **INSIDE})
    assert answer.status == 400
    errors = _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    assert "service_code" in str(errors)


def test_post_with_unknown_service_code_is_404(server: Server) -> None:
    answer = server.post("json", {"api_key": server.api_key, "service_code": "x", **INSIDE})
    assert answer.status == 404
    assert "service_code" in _errors_json(answer)[0]["description"]


def test_post_with_another_jurisdiction_is_404(server: Server) -> None:
    form = {"api_key": server.api_key, "jurisdiction_id": "city.gov", "service_code": "drainase"}
    assert server.post("xml", form).status == 404


def test_post_missing_a_required_attribute_is_400_naming_it(server: Server) -> None:
    form = {"api_key": server.api_key, "service_code": "jalan-rusak", **INSIDE}
    answer = server.post("json", form)
    assert answer.status == 400
    (error,) = _errors_json(answer)
    assert error["code"] == 400
    assert error["description"].startswith("attribute[ukuran]")


def test_post_with_a_value_not_in_the_list_is_400(server: Server) -> None:
    form = {
        "api_key": server.api_key,
        "service_code": "jalan-rusak",
        "attribute[ukuran]": "raksasa",
        **INSIDE,
    }
    answer = server.post("xml", form)
    assert answer.status == 400
    assert _errors_xml(answer)[0][1].startswith("attribute[ukuran]")


def test_post_reports_every_bad_field_as_its_own_error(server: Server) -> None:
    form = {
        "api_key": server.api_key,
        "service_code": "drainase",
        "lat": "utara",
        "long": "109.34",
        "media_url": "ftp://foto/a.jpg",
    }
    answer = server.post("json", form)
    assert answer.status == 400
    described = [e["description"].split(":")[0] for e in _errors_json(answer)]
    assert sorted(described) == ["lat", "media_url"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({}, "lat"),  # no location at all
        ({"lat": "-0.0391"}, "long"),  # half a point
        ({"lat": "1.5", "long": "110.9"}, "lat"),  # outside Pontianak
        ({**INSIDE, "email": "bukan-email"}, "email"),
        ({**INSIDE, "phone": "12"}, "phone"),
        ({**INSIDE, "description": "x" * 4001}, "description"),
        ({**INSIDE, "description": "pendek"}, "description"),
    ],
)
def test_post_with_invalid_fields_is_400_naming_the_parameter(
    server: Server, fields: dict[str, str], named: str
) -> None:
    form = {"api_key": server.api_key, "service_code": "drainase", **fields}
    answer = server.post("json", form)
    assert answer.status == 400, answer.body
    assert [e["description"].split(":")[0] for e in _errors_json(answer)] == [named]


def test_post_with_english_messages_on_request(server: Server) -> None:
    form = {"api_key": server.api_key, "service_code": "drainase"}
    answer = server.call("POST", f"{BASE}/requests.json?lang=en", form=form)
    assert "Give lat and long" in _errors_json(answer)[0]["description"]


# --- GET requests ----------------------------------------------------------------------------


def test_get_requests_xml_has_the_documented_elements(server: Server) -> None:
    request_id = server.submit(address_string="Jl. Tanjungpura <dekat> pasar & masjid")
    answer = server.get(f"/requests.xml?service_request_id={request_id}")
    assert answer.status == 200
    root = answer.xml()
    assert root.tag == "service_requests"
    (element,) = root
    fields = _request_xml(element)
    assert list(fields) == REQUEST_FIELDS
    assert fields["service_request_id"] == request_id
    assert fields["status"] == "open"
    assert fields["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert fields["address"] == "Jl. Tanjungpura <dekat> pasar & masjid"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert datetime.fromisoformat(fields[name]).utcoffset() == timedelta(hours=7)


def test_get_requests_json_is_a_bare_array_of_the_same_fields(server: Server) -> None:
    request_id = server.submit()
    body = server.get(f"/requests.json?service_request_id={request_id}").json()
    assert isinstance(body, list)
    (item,) = body
    assert list(item) == REQUEST_FIELDS
    assert isinstance(item["lat"], float)
    assert isinstance(item["service_request_id"], str)
    assert item["zipcode"] is None
    assert item["status_notes"] is None


def test_service_request_id_list_overrides_every_other_argument(server: Server) -> None:
    first, second = server.submit(), server.submit()
    query = f"service_request_id={first},{second.lower()}&service_code=sampah&status=closed"
    body = server.get(f"/requests.json?{query}").json()
    assert sorted(item["service_request_id"] for item in body) == sorted([first, second])


def test_filters_by_service_code_status_and_window(server: Server) -> None:
    opened = server.submit(service_code="sampah", **{"attribute[jenis]": "tps"})
    rejected = server.submit(service_code="sampah", **{"attribute[jenis]": "tps"})
    with server.staff() as session:
        workflow.transition(
            session=session,
            actor=STAFF,
            tracking_number=rejected,
            to=ComplaintStatus.DITOLAK,
            message="Lokasi sudah dibersihkan kemarin.",
        )
    open_ids = {
        i["service_request_id"]
        for i in server.get("/requests.json?service_code=sampah,lampu-jalan&status=open").json()
    }
    closed = server.get("/requests.json?service_code=sampah&status=closed").json()
    assert opened in open_ids
    assert rejected not in open_ids
    (item,) = [i for i in closed if i["service_request_id"] == rejected]
    assert item["status"] == "closed"
    assert item["status_notes"] == "Lokasi sudah dibersihkan kemarin."
    assert item["service_notice"] is None
    both = server.get("/requests.json?service_code=sampah&status=open,closed").json()
    assert {opened, rejected} <= {i["service_request_id"] for i in both}
    assert all(i["service_code"] == "sampah" for i in both)


def test_date_window_filters_on_requested_datetime(server: Server) -> None:
    request_id = server.submit(service_code="lampu-jalan")
    now = datetime.now(UTC)
    inside = urlencode(
        {
            "service_code": "lampu-jalan",
            "start_date": (now - timedelta(hours=1)).isoformat(),
            "end_date": (now + timedelta(hours=1)).isoformat(),
        }
    )
    before = urlencode(
        {
            "service_code": "lampu-jalan",
            "start_date": (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_date": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+07:00"),
        }
    )
    assert request_id in {
        i["service_request_id"] for i in server.get(f"/requests.json?{inside}").json()
    }
    assert request_id not in {
        i["service_request_id"] for i in server.get(f"/requests.json?{before}").json()
    }


def test_default_window_is_the_last_90_days(server: Server) -> None:
    with server.staff() as session:
        old = session.scalar(
            select(Complaint.tracking_number).where(
                Complaint.created_at < datetime.now(UTC) - timedelta(days=100)
            )
        )
    assert old is not None
    recent = server.get("/requests.json?service_code=drainase&page_size=1000").json()
    assert old not in {i["service_request_id"] for i in recent}
    assert server.get(f"/requests.json?service_request_id={old}").json()[0]["status"] == "open"


def test_unencoded_plus_in_a_date_is_understood(server: Server) -> None:
    answer = server.get("/requests.json?start_date=2026-11-01T00:00:00+07:00&service_code=uji")
    assert answer.status == 200


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("start_date=2026-01-01", "start_date"),  # no time zone
        ("end_date=kemarin", "end_date"),
        ("start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "start_date"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "end_date"),
        ("status=pending", "status"),
        ("page=0", "page"),
        ("page_size=abc", "page_size"),
        ("page_size=1001", "page_size"),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_list_arguments_are_400_naming_them(
    server: Server, query: str, named: str, fmt: str
) -> None:
    answer = server.get(f"/requests.{fmt}?{query}")
    assert answer.status == 400
    errors = _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    described = [e["description"] if isinstance(e, dict) else e[1] for e in errors]
    assert [d.split(":")[0] for d in described] == [named]


def test_pages_of_requests(server: Server) -> None:
    ids = [server.submit(service_code="fasilitas-umum") for _ in range(3)]
    first = server.get("/requests.json?service_code=fasilitas-umum&page_size=2").json()
    second = server.get("/requests.json?service_code=fasilitas-umum&page_size=2&page=2").json()
    assert [i["service_request_id"] for i in first] == [ids[2], ids[1]]  # newest first
    assert [i["service_request_id"] for i in second] == [ids[0]]


@pytest.mark.parametrize("page", ["\u00b2", "\u0663", "9" * 5000, "0"])
def test_a_page_that_is_no_plain_number_is_an_open311_error(server: Server, page: str) -> None:
    # "²" and Arabic-Indic digits pass str.isdigit(); 5000 digits pass it and break int().
    answer = server.get(f"/requests.json?page={quote(page)}")
    assert answer.status == 400
    assert [e["description"].split(":")[0] for e in _errors_json(answer)] == ["page"]


def test_empty_result_is_an_empty_list_in_both_formats(server: Server) -> None:
    assert server.get("/requests.json?service_code=tidak-ada").json() == []
    answer = server.get("/requests.xml?service_code=tidak-ada")
    assert answer.body.decode().endswith("<service_requests>\n</service_requests>\n")
    assert len(answer.xml()) == 0


def test_hidden_reports_are_never_served(server: Server) -> None:
    request_id = server.submit(service_code="ketertiban-umum")
    with server.staff() as session:
        workflow.moderate(session=session, actor=STAFF, tracking_number=request_id, is_public=False)
    assert server.get(f"/requests/{request_id}.json").status == 404
    assert server.get(f"/requests.json?service_request_id={request_id}").json() == []
    listed = server.get("/requests.json?service_code=ketertiban-umum").json()
    assert request_id not in {i["service_request_id"] for i in listed}


# --- GET one request and tokens -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_one_request_is_still_a_list_of_one(server: Server, fmt: str) -> None:
    request_id = server.submit()
    answer = server.get(f"/requests/{request_id}.{fmt}?jurisdiction_id=pontianak.go.id")
    assert answer.status == 200
    if fmt == "json":
        (item,) = answer.json()
        assert item["service_request_id"] == request_id
    else:
        (element,) = answer.xml()
        assert _request_xml(element)["service_request_id"] == request_id


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_request_is_404(server: Server, fmt: str) -> None:
    answer = server.get(f"/requests/PTK-1999-999999.{fmt}")
    assert answer.status == 404
    errors = _errors_json(answer) if fmt == "json" else _errors_xml(answer)
    assert "PTK-1999-999999" in str(errors)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_token_of_a_realtime_request_is_its_id(server: Server, fmt: str) -> None:
    request_id = server.submit()
    answer = server.get(f"/tokens/{request_id}.{fmt}")
    assert answer.status == 200
    if fmt == "json":
        assert answer.json() == [{"service_request_id": request_id, "token": request_id}]
    else:
        (element,) = answer.xml()
        assert _request_xml(element) == {"service_request_id": request_id, "token": request_id}
    missing = server.get(f"/tokens/tidak-ada-123.{fmt}")
    assert missing.status == 404
    _errors_json(missing) if fmt == "json" else _errors_xml(missing)


# --- the XML writer ------------------------------------------------------------------------------


def test_xml_writer_escapes_text_and_drops_characters_xml_cannot_carry() -> None:
    document = to_xml("service_requests", [{"description": "a < b & c > d\x00\x07", "lat": 1.5}])
    root = ElementTree.fromstring(document)  # noqa: S314 - our own bytes
    assert root[0].findtext("description") == "a < b & c > d"
    assert root[0].findtext("lat") == "1.5"
