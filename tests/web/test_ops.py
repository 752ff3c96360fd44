"""Operations: readiness tells the truth, metrics by route, request ids, security headers."""

from __future__ import annotations

import os
import socket

import pytest
from fastapi.testclient import TestClient

from pontive.app import create_app
from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.web.ops import check_mqtt
from tests.conftest import make_settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_readyz_reports_the_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "media": "ok"}}


def test_readyz_is_503_when_the_database_is_gone() -> None:
    url = f"postgresql://nobody@127.0.0.1:{_closed_port()}/none"
    app = create_app(make_settings(url), database=Database(url), bus=MemoryBus())
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "OperationalError"


def test_readyz_is_503_when_the_mqtt_broker_is_unreachable(
    database_url: str, database: Database
) -> None:
    settings = make_settings(database_url, mqtt_url=f"mqtt://127.0.0.1:{_closed_port()}")
    with TestClient(create_app(settings, database=database, bus=MemoryBus())) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["mqtt"].startswith("unreachable")


def test_readyz_is_503_when_the_nats_bus_is_unreachable(
    database_url: str, database: Database
) -> None:
    settings = make_settings(database_url, bus_url=f"nats://127.0.0.1:{_closed_port()}")
    with TestClient(create_app(settings, database=database)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["bus"] == "unreachable"


def test_a_real_mqtt_broker_is_ready() -> None:
    url = os.environ.get("PONTIVE_TEST_MQTT_URL")
    if not url:
        pytest.skip("PONTIVE_TEST_MQTT_URL not set: no MQTT broker to test against")
    assert check_mqtt(url) is None


def test_a_real_nats_bus_is_ready(database_url: str, database: Database) -> None:
    url = os.environ.get("PONTIVE_TEST_BUS_URL")
    if not url:
        pytest.skip("PONTIVE_TEST_BUS_URL not set: no NATS server to test against")
    settings = make_settings(database_url, bus_url=url)
    with TestClient(create_app(settings, database=database)) as client:
        for _ in range(50):
            response = client.get("/readyz")
            if response.status_code == 200:
                break
        assert response.json()["checks"]["bus"] == "ok"


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/reference/locate?lon=109.34&lat=-0.03")
    client.get("/tidak-ada")
    text = client.get("/metrics").text
    assert (
        'pontive_http_requests_total{method="GET",route="/api/v1/reference/locate",'
        'status="200"} 1.0' in text
    )
    assert 'route="<unmatched>",status="404"' in text
    assert "pontive_http_request_duration_seconds_bucket" in text


def test_request_ids_are_echoed_or_made(client: TestClient) -> None:
    assert (
        client.get("/healthz", headers={"X-Request-ID": "gw-42"}).headers["x-request-id"] == "gw-42"
    )
    made = client.get("/healthz", headers={"X-Request-ID": "bad id; drop"}).headers["x-request-id"]
    assert made != "bad id"
    assert len(made) == 32


def test_security_headers_are_on_every_response(client: TestClient) -> None:
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers


def test_hsts_is_sent_behind_tls(client: TestClient) -> None:
    with TestClient(client.app, base_url="https://pontive.example") as tls:
        assert "max-age=" in tls.get("/healthz").headers["strict-transport-security"]


def test_front_end_assets_come_from_installed_packages(client: TestClient) -> None:
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/css/pontive.css").status_code == 200
