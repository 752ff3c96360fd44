"""Objects owned by one PD stay with that PD, and private links open only with their own
secret: the matrix's generated reads, made concrete for writes and for tokens (a report
routed to PUPR asked for by the officer of DLH; a report's, an idea's and an adoption's
private link with a wrong or another object's secret)."""

from __future__ import annotations

import re

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

from pontive.complaints.intake import access_token
from pontive.core.audit import AuditEvent
from pontive.participation.service import private_token
from tests.security.conftest import Matrix, Principal
from tests.security.expect import is_refused
from tests.security.planted import NAME, NOTE, PHONE, leaked_values

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=0.4)


def _post_page(matrix: Matrix, who: Principal, path: str, **form: str) -> httpx.Response:
    return matrix.request(who, "POST", path, data={"csrf_token": who.csrf or "", **form})


def _audit_length(matrix: Matrix) -> int:
    with matrix.database.session(write=False) as session:
        return session.scalar(select(func.count(AuditEvent.id))) or 0


def test_the_owning_pds_officer_sees_the_reporter_and_the_note(matrix: Matrix) -> None:
    own = matrix.principals["petugas_own"]
    tracking = matrix.planted.tracking
    desk = matrix.request(own, "GET", f"/console/pengaduan/{tracking}")
    assert desk.status_code == 200
    assert NOTE in desk.text
    contact = _post_page(matrix, own, f"/console/pengaduan/{tracking}/kontak")
    assert contact.status_code == 200
    assert NAME in contact.text
    api = matrix.request(own, "GET", f"/api/v1/complaints/{tracking}/contact")
    assert api.status_code == 200
    assert api.json()["phone"] == PHONE


@pytest.mark.parametrize("principal", ["petugas_other", "warga", "anonymous"])
def test_another_pds_officer_gets_nothing_of_the_report_by_changing_the_url(
    matrix: Matrix, principal: str
) -> None:
    who = matrix.principals[principal]
    tracking = matrix.planted.tracking
    before = _audit_length(matrix)
    asked = [
        matrix.request(who, "GET", f"/console/pengaduan/{tracking}"),
        _post_page(matrix, who, f"/console/pengaduan/{tracking}/kontak"),
        matrix.request(who, "GET", f"/api/v1/complaints/{tracking}/contact"),
        _post_page(matrix, who, f"/console/pengaduan/{tracking}/tanggapan", pesan="Sudah"),
        _post_page(matrix, who, f"/console/pengaduan/{tracking}/status", status="selesai"),
        matrix.request(
            who,
            "POST",
            f"/api/v1/complaints/{tracking}/updates",
            json={"message": "Ditangani PD lain", "is_public": False},
        ),
        matrix.request(
            who,
            "POST",
            f"/api/v1/complaints/{tracking}/transitions",
            json={"to": "ditolak", "message": "bukan urusan kami"},
        ),
    ]
    for response in asked:
        assert is_refused(response) or response.status_code == 422, (
            response.request.method,
            response.request.url,
            response.status_code,
        )
        assert leaked_values(response.text) == []
    # What the public API shows this principal: the public view, no note, no reporter.
    public = matrix.request(who, "GET", f"/api/v1/complaints/{tracking}")
    assert public.status_code == 200
    assert leaked_values(public.text) == []
    assert _audit_length(matrix) == before


def test_a_reports_private_link_opens_only_with_its_own_token(matrix: Matrix) -> None:
    anonymous = matrix.principals["anonymous"]
    tracking = matrix.planted.tracking
    own = matrix.request(anonymous, "GET", f"/lapor/{tracking}?k={matrix.planted.access_token}")
    assert own.status_code == 200
    assert 'name="k"' in own.text  # the reporter's forms carry the link's secret
    other_report = tracking[:-1] + ("1" if tracking[-1] != "1" else "2")
    for wrong in ("0" * 32, access_token(other_report), matrix.planted.access_token[:-1]):
        page = matrix.request(anonymous, "GET", f"/lapor/{tracking}?k={wrong}")
        assert page.status_code in (200, 404)
        assert 'name="k"' not in page.text
        assert leaked_values(page.text) == []
        csrf_page = matrix.client.get("/masuk")  # an anonymous session with its CSRF token
        token = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', csrf_page.text)[0]
        reply = matrix.client.post(
            f"/lapor/{tracking}/tanggapan",
            data={"csrf_token": token, "k": wrong, "pesan": "Tambahan dari orang lain"},
            follow_redirects=False,
        )
        assert reply.status_code in (403, 404), reply.status_code


@pytest.mark.parametrize(
    ("kind", "path"), [("idea", "/gagasan"), ("adoption", "/adopsi-fasilitas")]
)
def test_participation_private_links_need_their_own_secret(
    matrix: Matrix, kind: str, path: str
) -> None:
    anonymous = matrix.principals["anonymous"]
    row_id = matrix.planted.idea_id if kind == "idea" else 1
    right = private_token(kind, row_id)
    opened = matrix.request(anonymous, "GET", f"{path}/{row_id}?k={right}")
    assert opened.status_code == 200
    for wrong in (private_token(kind, row_id + 1), private_token("x", row_id), ""):
        page = matrix.request(anonymous, "GET", f"{path}/{row_id}?k={wrong}")
        assert leaked_values(page.text) == []
        if kind == "adoption":  # an adoption has no public page
            assert page.status_code == 404
        else:
            assert 'name="k"' not in page.text
