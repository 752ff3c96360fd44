"""The public complaint pages: filing (with and without JavaScript), following, the private
link's actions, photos, the public list and map, and what never appears on them."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import AttributeType, ComplaintStatus
from pontive.complaints.models import CategoryAttribute, Complaint, ServiceCategory
from pontive.complaints.ratelimit import SlidingWindowLimiter
from pontive.complaints.service import Upload
from pontive.core.timeutil import utcnow
from tests.complaints.conftest import GAJAH_MADA, STAFF, jpeg_bytes

CSS = Path(__file__).resolve().parents[2] / "src/pontive/web/static/css/complaints.css"
NAME, PHONE, EMAIL = "Siti Rahmawati", "0812-5566-7788", "siti.rahma@contoh.id"


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _key(html: str) -> str:
    return html.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]


def _form(client: TestClient, category: str = "drainase", **fields: str) -> dict[str, str]:
    page = client.get(f"/lapor?kategori={category}")
    data = {
        "csrf_token": page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0],
        "idempotency_key": _key(page.text),
        "category_code": category,
        "description": "Parit depan sekolah tersumbat sampah plastik, air meluap ke jalan.",
        "address": "Jl. Gajah Mada depan SD 14",
        "identity": "anonim",
    }
    data.update(fields)
    return data


def _submit(client: TestClient, data: dict[str, str], files: list | None = None):  # type: ignore[no-untyped-def, type-arg]
    return client.post("/lapor", data=data, files=files, follow_redirects=False)


def _private_link(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, response.text
    match = re.fullmatch(
        r"/lapor/(PTK-\d{4}-\d{6})\?k=([0-9a-f]+)&baru=1", response.headers["location"]
    )
    assert match, response.headers["location"]
    return match.group(1), match.group(2)


# --- The form ------------------------------------------------------------------------------


def test_step_one_lists_the_categories_grouped_with_descriptions(client: TestClient) -> None:
    page = client.get("/lapor")
    assert page.status_code == 200
    assert "<legend>Infrastruktur</legend>" in page.text
    assert "Jalan rusak atau berlubang" in page.text
    assert page.text.count("Sebaiknya sertakan foto") >= 3  # jalan, sampah, banjir, pohon
    assert 'action="/lapor"' in page.text
    assert 'method="get"' in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_step_two_renders_the_chosen_categorys_questions(client: TestClient) -> None:
    page = client.get("/lapor?kategori=jalan-rusak")
    assert page.status_code == 200
    assert 'name="attribute[ukuran]"' in page.text
    assert 'type="radio" name="attribute[ukuran]"' in page.text
    assert 'value="jalan-rusak" selected' in page.text
    assert 'name="attribute[kedalaman_cm]"' not in page.text
    flood = client.get("/lapor?kategori=banjir-genangan").text
    assert 'name="attribute[kedalaman_cm]"' in flood
    assert 'type="number"' in flood


def test_every_open311_attribute_type_gets_its_input(client: TestClient, session: Session) -> None:
    category = ServiceCategory(
        code="uji-atribut",
        name_id="Uji atribut",
        name_en="Attribute test",
        group="Uji",
        pd_kode="pupr",
        sla_days=3,
        photo_expected=False,
        is_active=True,
    )
    values = [
        {"key": "a", "name_id": "Pilihan A", "name_en": "Choice A"},
        {"key": "b", "name_id": "Pilihan B", "name_en": "Choice B"},
    ]
    category.attributes = [
        CategoryAttribute(
            code=t.value,
            datatype=t,
            required=False,
            order=i,
            description_id=f"Soal {t.value}",
            description_en=f"Q {t.value}",
            values=values if "list" in t.value else [],
        )
        for i, t in enumerate(AttributeType, start=1)
    ]
    session.add(category)
    session.commit()
    html = client.get("/lapor?kategori=uji-atribut").text
    assert 'name="attribute[string]"' in html
    assert 'maxlength="250"' in html
    assert 'type="number" step="any"' in html
    assert 'type="datetime-local"' in html
    assert '<textarea id="attr-text" name="attribute[text]"' in html
    assert 'type="radio" name="attribute[singlevaluelist]" value="a"' in html
    assert 'type="checkbox" name="attribute[multivaluelist]" value="b"' in html
    data = client.get("/lapor/kategori/uji-atribut.json?lang=en").json()
    assert [a["datatype"] for a in data["attributes"]] == [t.value for t in AttributeType]
    assert data["attributes"][4]["values"][0] == {"key": "a", "name": "Choice A"}


def test_an_unknown_category_is_not_found(client: TestClient) -> None:
    assert client.get("/lapor?kategori=tidak-ada").status_code == 404
    assert client.get("/lapor/kategori/tidak-ada.json").status_code == 404


def test_without_javascript_two_steps_and_an_address_file_a_report(client: TestClient) -> None:
    step1 = client.get("/lapor")
    assert 'name="kategori" value="drainase"' in step1.text
    response = _submit(client, _form(client, "drainase"))
    tracking, token = _private_link(response)
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert tracking in page.text
    assert "Simpan tautan pribadi ini." in page.text
    assert f"/lapor/{tracking}?k={token}" in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_answers_to_extra_questions_are_kept_and_shown(
    client: TestClient, session: Session
) -> None:
    data = _form(client, "jalan-rusak", **{"attribute[ukuran]": "besar", "attribute[bahaya]": "ya"})
    tracking, _ = _private_link(_submit(client, data))
    complaint = session.query(Complaint).filter_by(tracking_number=tracking).one()
    assert complaint.attributes == {"ukuran": "besar", "bahaya": "ya"}


def test_field_errors_are_shown_next_to_fields_and_nothing_typed_is_lost(
    client: TestClient,
) -> None:
    data = _form(
        client,
        "jalan-rusak",
        description="Rusak",
        address="",
        phone="12ab",
        email="bukan-email",
        **{"identity": "kontak", "name": "Budi"},
    )
    page = _submit(client, data)
    assert page.status_code == 422
    assert 'id="description-error"' in page.text
    assert 'id="phone-error"' in page.text
    assert 'id="email-error"' in page.text
    assert ">Rusak</textarea>" in page.text
    assert 'value="12ab"' in page.text
    assert 'value="bukan-email"' in page.text
    assert 'value="Budi"' in page.text
    assert f'value="{data["idempotency_key"]}"' in page.text  # a retry is still the same report
    # The service's checks (location, required question) come back the same way.
    data = _form(client, "jalan-rusak", address="")
    page = _submit(client, data)
    assert page.status_code == 422
    assert 'id="location-error"' in page.text
    assert 'id="attribute[ukuran]-error"' in page.text
    assert "Parit depan sekolah tersumbat" in page.text


def test_contact_without_consent_is_refused_and_explained(client: TestClient) -> None:
    page = _submit(client, _form(client, identity="kontak", phone=PHONE))
    assert page.status_code == 422
    assert 'id="consent-error"' in page.text


def test_a_retried_submit_returns_the_same_report(client: TestClient) -> None:
    data = _form(client)
    first = _submit(client, data)
    second = _submit(client, data)
    assert _private_link(first) == _private_link(second)
    other = _submit(client, _form(client))
    assert _private_link(other)[0] != _private_link(first)[0]


def test_each_form_render_has_a_fresh_idempotency_key(client: TestClient) -> None:
    assert _key(client.get("/lapor?kategori=sampah").text) != _key(
        client.get("/lapor?kategori=sampah").text
    )


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    data = _form(client)
    data["csrf_token"] = "palsu"
    assert _submit(client, data).status_code == 403


def test_too_many_reports_from_one_address_are_refused_in_indonesian(
    client: TestClient, app: FastAPI
) -> None:
    app.state.complaint_report_limiter = SlidingWindowLimiter(2, 600)
    assert _submit(client, _form(client)).status_code == 303
    assert _submit(client, _form(client)).status_code == 303
    refused = _submit(client, _form(client))
    assert refused.status_code == 429
    assert "Terlalu banyak laporan dari alamat internet Anda" in refused.text
    assert "Paling banyak 2 laporan per 10 menit" in refused.text
    form_page = client.get("/lapor?kategori=drainase").text
    assert "paling banyak 10 laporan per 10 menit" in form_page


def test_a_photo_and_a_map_pin_are_stored(client: TestClient, session: Session) -> None:
    data = _form(client, "sampah", lon=str(GAJAH_MADA[0]), lat=str(GAJAH_MADA[1]), address="")
    data["attribute[jenis]"] = "tps"
    files = [
        ("photos", ("foto.jpg", jpeg_bytes(exif_gps=True), "image/jpeg")),
        ("photos", ("", b"", "application/octet-stream")),
    ]  # an empty second picker
    tracking, _ = _private_link(_submit(client, data, files))
    complaint = session.query(Complaint).filter_by(tracking_number=tracking).one()
    assert complaint.kelurahan_kode is not None
    assert len(complaint.photos) == 1


def test_more_than_five_photos_are_refused(client: TestClient) -> None:
    files = [("photos", (f"f{i}.jpg", jpeg_bytes(40, 30), "image/jpeg")) for i in range(6)]
    page = _submit(client, _form(client), files)
    assert page.status_code == 422
    assert 'id="photos-error"' in page.text
    assert "pilih fotonya lagi" in page.text


# --- Following a report ------------------------------------------------------------------


def test_the_public_page_shows_status_place_agency_and_timeline(
    client: TestClient, report_in
) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(ComplaintStatus.DIKERJAKAN)
    page = client.get(f"/lapor/{complaint.tracking_number}")
    assert page.status_code == 200
    assert 'class="status-badge status-dikerjakan"' in page.text
    assert "Sedang dikerjakan" in page.text
    assert "Dinas Pekerjaan Umum" in page.text or "PUPR" in page.text
    assert "Kec." in page.text
    assert "Target selesai" in page.text
    assert page.text.count('class="timeline-status"') == 4
    assert "Tindakan Anda sebagai pelapor" not in page.text
    assert page.headers["cache-control"].startswith("public")


def test_fixed_and_closed_are_shown_differently(
    client: TestClient, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    fixed = report_in(ComplaintStatus.SELESAI)
    page = client.get(f"/lapor/{fixed.tracking_number}").text
    assert "status-selesai" in page
    assert "✓" in page
    rejected = report_in(ComplaintStatus.DITERIMA)
    workflow.transition(
        session=session,
        actor=STAFF,
        tracking_number=rejected.tracking_number,
        to=ComplaintStatus.DITOLAK,
        message="Lokasi di luar kota.",
    )
    page = client.get(f"/lapor/{rejected.tracking_number}").text
    assert "status-ditolak" in page
    assert "Lokasi di luar kota." in page


def test_overdue_reports_carry_a_badge(client: TestClient, report_in, session: Session) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(ComplaintStatus.DIDISPOSISIKAN)
    complaint.due_on = (utcnow() - timedelta(days=3)).date()
    session.commit()
    assert "Lewat tenggat" in client.get(f"/lapor/{complaint.tracking_number}").text


def test_internal_notes_never_reach_the_public_page(
    client: TestClient, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(ComplaintStatus.DIKERJAKAN)
    workflow.add_update(
        session=session,
        actor=STAFF,
        tracking_number=complaint.tracking_number,
        message="Catatan rahasia: kontraktor terlambat.",
        is_public=False,
    )
    workflow.add_update(
        session=session,
        actor=STAFF,
        tracking_number=complaint.tracking_number,
        message="Tim kami menuju lokasi besok pagi.",
        is_public=True,
    )
    page = client.get(f"/lapor/{complaint.tracking_number}").text
    assert "Tim kami menuju lokasi besok pagi." in page
    assert "Catatan rahasia" not in page


def test_a_hidden_report_is_not_found_but_its_reporter_still_sees_it(
    client: TestClient, report, session: Session
) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    workflow.moderate(
        session=session,
        actor=STAFF,
        tracking_number=receipt.complaint.tracking_number,
        is_public=False,
    )
    assert client.get(f"/lapor/{receipt.complaint.tracking_number}").status_code == 404
    private = client.get(f"/lapor/{receipt.complaint.tracking_number}?k={receipt.access_token}")
    assert private.status_code == 200


def test_no_public_page_or_json_contains_the_reporters_personal_data(
    client: TestClient, report
) -> None:  # type: ignore[no-untyped-def]
    receipt = report(is_anonymous=False, name=NAME, phone=PHONE, email=EMAIL, consent=True)
    tracking, token = receipt.complaint.tracking_number, receipt.access_token
    pages = [
        f"/lapor/{tracking}",
        f"/lapor/{tracking}?k={token}",
        "/laporan",
        "/laporan/peta.json",
        f"/lapor/sekitar.json?category=drainase&lon={GAJAH_MADA[0]}&lat={GAJAH_MADA[1]}",
        "/statistik",
        "/statistik.csv",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for secret in (NAME, PHONE, EMAIL, "Siti", "5566"):
            assert secret not in response.text, (path, secret)
    assert tracking in client.get("/laporan").text


def test_the_reporter_replies_through_the_private_link(
    client: TestClient, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(ComplaintStatus.DIDISPOSISIKAN)
    from pontive.complaints.service import access_token

    token = access_token(complaint.tracking_number)
    csrf = _csrf(client, f"/lapor/{complaint.tracking_number}?k={token}")
    response = client.post(
        f"/lapor/{complaint.tracking_number}/tanggapan",
        data={"csrf_token": csrf, "k": token, "message": "Lubangnya makin lebar setelah hujan."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("&ok=reply#reply")
    page = client.get(response.headers["location"]).text
    assert "Tanggapan Anda sudah ditambahkan" in page
    assert (
        "Lubangnya makin lebar setelah hujan."
        in client.get(f"/lapor/{complaint.tracking_number}").text
    )


def test_an_empty_reply_keeps_the_form_and_says_why(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    path = f"/lapor/{receipt.complaint.tracking_number}"
    csrf = _csrf(client, f"{path}?k={receipt.access_token}")
    response = client.post(
        f"{path}/tanggapan", data={"csrf_token": csrf, "k": receipt.access_token, "message": "  "}
    )
    assert response.status_code == 422
    assert "Tulis tanggapan Anda." in response.text


def test_private_actions_need_the_right_token(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    path = f"/lapor/{receipt.complaint.tracking_number}"
    csrf = _csrf(client, path + f"?k={receipt.access_token}")
    response = client.post(
        f"{path}/tanggapan", data={"csrf_token": csrf, "k": "0" * 32, "message": "Halo petugas"}
    )
    assert response.status_code == 404
    public = client.get(f"{path}?k={'0' * 32}")
    assert public.status_code == 200
    assert "Tindakan Anda sebagai pelapor" not in public.text


def test_the_reporter_rates_a_fixed_report_once(
    client: TestClient, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints.service import access_token

    complaint = report_in(ComplaintStatus.SELESAI)
    token = access_token(complaint.tracking_number)
    path = f"/lapor/{complaint.tracking_number}"
    page = client.get(f"{path}?k={token}").text
    assert 'id="rate"' in page
    assert 'id="reopen"' in page
    assert 'id="reply"' not in page
    csrf = _csrf(client, f"{path}?k={token}")
    response = client.post(
        f"{path}/nilai",
        data={"csrf_token": csrf, "k": token, "rating": "4", "comment": "Cepat, terima kasih"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.refresh(complaint)
    assert (complaint.rating, complaint.rating_comment) == (4, "Cepat, terima kasih")
    page = client.get(f"{path}?k={token}").text
    assert "Anda memberi nilai 4 dari 5." in page
    assert 'id="rate"' not in page
    again = client.post(f"{path}/nilai", data={"csrf_token": csrf, "k": token, "rating": "1"})
    assert again.status_code == 409
    assert "sudah dinilai" in again.text


def test_rating_before_the_fix_is_refused(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    path = f"/lapor/{receipt.complaint.tracking_number}"
    csrf = _csrf(client, f"{path}?k={receipt.access_token}")
    response = client.post(
        f"{path}/nilai", data={"csrf_token": csrf, "k": receipt.access_token, "rating": "5"}
    )
    assert response.status_code == 409
    assert 'id="rate"' not in response.text


def test_the_reporter_reopens_within_fourteen_days_but_not_after(
    client: TestClient, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints.service import access_token

    complaint = report_in(ComplaintStatus.SELESAI)
    token = access_token(complaint.tracking_number)
    path = f"/lapor/{complaint.tracking_number}"
    csrf = _csrf(client, f"{path}?k={token}")
    response = client.post(
        f"{path}/buka-kembali",
        data={"csrf_token": csrf, "k": token, "message": "Lubang muncul lagi."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.refresh(complaint)
    assert complaint.status is ComplaintStatus.DIKERJAKAN

    late = report_in(ComplaintStatus.SELESAI)
    late.resolved_at = utcnow() - timedelta(days=15)
    session.commit()
    late_path = f"/lapor/{late.tracking_number}?k={access_token(late.tracking_number)}"
    assert 'id="reopen"' not in client.get(late_path).text


# --- Photos --------------------------------------------------------------------------------


def test_an_unmoderated_photo_is_served_only_with_the_private_link(
    client: TestClient, app: FastAPI, report, session: Session
) -> None:  # type: ignore[no-untyped-def]
    receipt = report(photos=[Upload("foto.jpg", jpeg_bytes())])
    photo = receipt.complaint.photos[0]
    assert client.get(f"/media/complaints/{photo.id}").status_code == 404
    assert client.get(f"/media/complaints/{photo.id}?k={'0' * 32}").status_code == 404
    own = client.get(f"/media/complaints/{photo.id}?k={receipt.access_token}")
    assert own.status_code == 200
    assert own.headers["content-type"] == "image/jpeg"
    assert own.content[:2] == b"\xff\xd8"
    assert "private" in own.headers["cache-control"]
    public_page = client.get(f"/lapor/{receipt.complaint.tracking_number}").text
    assert f"/media/complaints/{photo.id}" not in public_page

    workflow.moderate(
        session=session,
        actor=STAFF,
        tracking_number=receipt.complaint.tracking_number,
        public_photo_ids={photo.id},
    )
    app.state.page_cache.clear()  # public pages are shared for 30 s; don't wait for it
    shown = client.get(f"/media/complaints/{photo.id}")
    assert shown.status_code == 200
    assert (
        client.get(
            f"/media/complaints/{photo.id}", headers={"If-None-Match": shown.headers["etag"]}
        ).status_code
        == 304
    )
    assert (
        f'src="/media/complaints/{photo.id}"'
        in client.get(f"/lapor/{receipt.complaint.tracking_number}").text
    )


def test_an_unknown_photo_is_not_found(client: TestClient) -> None:
    assert client.get("/media/complaints/999999").status_code == 404


# --- Nearby, list and map ------------------------------------------------------------------


def test_nearby_open_reports_of_the_same_kind_are_suggested_with_public_fields(
    client: TestClient, report
) -> None:  # type: ignore[no-untyped-def]
    receipt = report(is_anonymous=False, name=NAME, phone=PHONE, consent=True)
    report("sampah", attributes={"jenis": "tps"})
    found = client.get(
        f"/lapor/sekitar.json?category=drainase&lon={GAJAH_MADA[0]}&lat={GAJAH_MADA[1]}"
    ).json()
    assert [i["tracking_number"] for i in found["items"]] == [receipt.complaint.tracking_number]
    item = found["items"][0]
    assert item["url"] == f"/lapor/{receipt.complaint.tracking_number}"
    assert set(item) >= {"status", "status_label", "summary", "kelurahan"}
    assert not {"name", "phone", "email", "reporter_name"} & set(item)
    far = client.get("/lapor/sekitar.json?category=drainase&lon=109.30&lat=-0.06").json()
    assert far["items"] == []


def test_the_public_list_filters_by_status_category_and_kelurahan(
    client: TestClient, report_in
) -> None:  # type: ignore[no-untyped-def]
    fixed = report_in(ComplaintStatus.SELESAI)
    working = report_in(ComplaintStatus.DIKERJAKAN)
    page = client.get("/laporan?status=selesai").text
    assert fixed.tracking_number in page
    assert working.tracking_number not in page
    page = client.get("/laporan?status=terbuka&kategori=drainase").text
    assert working.tracking_number in page
    assert fixed.tracking_number not in page
    page = client.get(f"/laporan?kelurahan={fixed.kelurahan_kode}&periode=30").text
    assert fixed.tracking_number in page
    assert client.get("/laporan?kategori=sampah").text.count('class="report-item"') == 0


def test_the_public_list_pages_through_reports(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    for _ in range(21):
        report()
    first = client.get("/laporan").text
    assert first.count('class="report-item"') == 20
    assert "Halaman 1 dari 2" in first
    assert 'href="/laporan?halaman=2"' in first
    assert client.get("/laporan?halaman=2").text.count('class="report-item"') == 1


def test_map_markers_carry_status_colours(client: TestClient, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(ComplaintStatus.SELESAI)
    data = client.get("/laporan/peta.json?status=selesai").json()
    marker = next(i for i in data["items"] if i["tracking_number"] == complaint.tracking_number)
    assert marker["colour"] == ComplaintStatus.SELESAI.meta.colour
    assert (marker["lon"], marker["lat"]) == GAJAH_MADA
    assert data["shown"] == 1


def test_status_colours_in_the_stylesheet_follow_the_choices() -> None:
    css = CSS.read_text()
    for status in ComplaintStatus:
        assert f".status-{status.value} {{ background: {status.meta.colour}; }}" in css


def test_the_home_page_links_the_public_complaint_pages(client: TestClient) -> None:
    home = client.get("/").text
    for href, title in (
        ("/lapor", "Lapor masalah"),
        ("/laporan", "Daftar laporan"),
        ("/statistik", "Statistik pengaduan"),
    ):
        assert f'href="{href}"' in home
        assert title in home


def test_pages_speak_english_when_asked(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    assert "Choose the problem" in client.get("/lapor?lang=en").text
    assert (
        "What happened so far"
        in client.get(f"/lapor/{receipt.complaint.tracking_number}?lang=en").text
    )
    assert "Citizen reports" in client.get("/laporan?lang=en").text
    assert "Complaint statistics" in client.get("/statistik?lang=en").text


def test_anonymous_reports_are_stored_without_a_name(client: TestClient, session: Session) -> None:
    data = _form(client, name="Nama Diabaikan", phone=PHONE, consent="ya")
    tracking, _ = _private_link(_submit(client, data))
    complaint = session.query(Complaint).filter_by(tracking_number=tracking).one()
    assert complaint.is_anonymous
    assert complaint.reporter_name is None
    assert complaint.reporter_phone == PHONE
