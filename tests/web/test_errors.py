"""One error handler: JSON for APIs, a page in the visitor's language for people."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json() == {"detail": "Halaman atau data tidak ditemukan.", "errors": {}}


def test_unknown_page_is_an_indonesian_404_page(client: TestClient) -> None:
    response = client.get("/tidak-ada", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "Halaman atau data tidak ditemukan." in response.text
    assert "Kembali ke beranda" in response.text


def test_error_pages_follow_the_language_choice(client: TestClient) -> None:
    response = client.get("/tidak-ada?lang=en", headers={"Accept": "text/html"})
    assert "Page or data not found." in response.text


def test_wrong_method_is_405(client: TestClient) -> None:
    response = client.delete("/api/v1/reference/kecamatan")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("Metode permintaan")


def test_invalid_query_gets_field_errors(client: TestClient) -> None:
    response = client.get("/api/v1/reference/locate?lon=200&lat=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Data yang dikirim tidak valid."
    assert set(body["errors"]) == {"lon", "lat"}


def test_invalid_json_body_gets_field_errors(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": ""})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"username", "password"}


def test_domain_errors_carry_their_status_and_message(client: TestClient) -> None:
    response = client.get("/api/v1/audit/events")
    assert response.status_code == 401
    assert response.json()["detail"] == "Silakan masuk terlebih dahulu."


def test_unexpected_errors_are_500_with_the_request_id(client: TestClient) -> None:
    app = client.app

    @app.get("/api/v1/test-boom")  # type: ignore[attr-defined, untyped-decorator]
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as quiet:
        response = quiet.get("/api/v1/test-boom", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    assert response.json()["detail"].endswith("abc-123.")
    assert "boom" not in response.text
