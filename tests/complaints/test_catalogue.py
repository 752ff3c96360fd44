"""Managing the service catalogue: service functions and the console pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints import catalogue, service
from pontive.complaints.choices import AttributeType
from pontive.complaints.schemas import CategoryAttributeWrite, CategoryPatch, CategoryWrite
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from tests.conftest import login

OPERATOR = Actor(ActorKind.USER, Role.OPERATOR, id=1, name="op")


def billboard(**changes: object) -> CategoryWrite:
    values: dict[str, object] = {
        "code": "reklame-liar",
        "name_id": "Reklame liar",
        "name_en": "Illegal billboard",
        "pd_kode": "satpolpp",
        "sla_days": 4,
        "attributes": [
            CategoryAttributeWrite(
                code="ukuran",
                datatype=AttributeType.SINGLEVALUELIST,
                required=True,
                description_id="Ukuran",
                description_en="Size",
                values=[{"key": "kecil", "name_id": "Kecil", "name_en": "Small"}],  # type: ignore[list-item]
            )
        ],
    }
    values.update(changes)
    return CategoryWrite.model_validate(values)


def test_a_new_category_is_offered_and_audited(session: Session) -> None:
    category = catalogue.create_category(session=session, actor=OPERATOR, data=billboard())
    assert service.get_category(session, "reklame-liar").id == category.id
    assert category.attributes[0].values == [
        {"key": "kecil", "name_id": "Kecil", "name_en": "Small"}
    ]
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_id == "reklame-liar")).all()
    assert [e.action for e in events] == ["complaint_category.create"]


def test_a_taken_code_is_a_conflict(session: Session) -> None:
    with pytest.raises(Conflict):
        catalogue.create_category(session=session, actor=OPERATOR, data=billboard(code="sampah"))


def test_an_unknown_agency_is_refused_at_its_field(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        catalogue.create_category(session=session, actor=OPERATOR, data=billboard(pd_kode="nope"))
    assert "pd_kode" in refused.value.errors


@pytest.mark.parametrize(
    ("datatype", "values", "field"),
    [
        (AttributeType.SINGLEVALUELIST, [], "values"),
        (AttributeType.STRING, [{"key": "a", "name_id": "A", "name_en": "A"}], "values"),
    ],
)
def test_list_questions_need_choices_and_others_take_none(
    session: Session, datatype: AttributeType, values: list[dict[str, str]], field: str
) -> None:
    question = {
        "code": "q",
        "datatype": datatype,
        "description_id": "Tanya",
        "description_en": "Ask",
        "values": values,
    }
    with pytest.raises(InvalidInput) as refused:
        catalogue.create_category(
            session=session, actor=OPERATOR, data=billboard(attributes=[question])
        )
    assert f"attributes.0.{field}" in refused.value.errors


def test_questions_are_ordered_and_replaced_on_update(session: Session) -> None:
    catalogue.create_category(session=session, actor=OPERATOR, data=billboard())
    questions = [
        CategoryAttributeWrite(
            code="b", datatype=AttributeType.TEXT, order=2, description_id="B", description_en="B"
        ),
        CategoryAttributeWrite(
            code="a", datatype=AttributeType.NUMBER, order=1, description_id="A", description_en="A"
        ),
    ]
    changed = catalogue.update_category(
        session=session,
        actor=OPERATOR,
        code="reklame-liar",
        changes=CategoryPatch(sla_days=9, attributes=questions),
    )
    assert changed.sla_days == 9
    assert [(a.code, a.order) for a in changed.attributes] == [("a", 1), ("b", 2)]
    assert changed.name_id == "Reklame liar"  # absent fields stay


def test_deactivated_categories_leave_the_reporting_form(session: Session) -> None:
    catalogue.deactivate_category(session=session, actor=OPERATOR, code="lalu-lintas")
    assert "lalu-lintas" not in {c.code for c in service.list_categories(session)}
    assert "lalu-lintas" in {c.code for c in service.list_categories(session, active_only=False)}


@pytest.mark.parametrize("role", [Role.PETUGAS_PD, Role.DEWAN, Role.WALIKOTA, Role.WARGA])
def test_only_catalogue_managers_may_change_it(session: Session, role: Role) -> None:
    actor = Actor(
        ActorKind.USER, role, id=2, name="x", pd_kode="pupr" if role is Role.PETUGAS_PD else None
    )
    with pytest.raises(PermissionDenied):
        catalogue.create_category(session=session, actor=actor, data=billboard())
    with pytest.raises(PermissionDenied):
        catalogue.deactivate_category(session=session, actor=actor, code="sampah")


# --- Console pages -----------------------------------------------------------------------


@pytest.fixture
def manager(client: TestClient, make_user) -> TestClient:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.TIM_TEKNIS).username)
    return client


def _csrf(client: TestClient, path: str) -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_catalogue_page_lists_every_category(manager: TestClient) -> None:
    page = manager.get("/console/pengaduan/kategori")
    assert page.status_code == 200
    assert "Jalan rusak" in page.text or "jalan-rusak" in page.text


def test_creating_a_category_through_the_form(manager: TestClient, session: Session) -> None:
    path = "/console/pengaduan/kategori/baru"
    response = manager.post(
        path,
        data={
            "csrf_token": _csrf(manager, path),
            "code": "reklame-liar",
            "name_id": "Reklame liar",
            "name_en": "Illegal billboard",
            "pd_kode": "satpolpp",
            "sla_days": "4",
            "photo_expected": "1",
            "attribute_rows": "1",
            "attr-0-code": "ukuran",
            "attr-0-datatype": "singlevaluelist",
            "attr-0-required": "1",
            "attr-0-order": "1",
            "attr-0-description_id": "Ukuran reklame",
            "attr-0-description_en": "Billboard size",
            "attr-0-values": "kecil | Kecil | Small\nbesar | Besar | Large",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/console/pengaduan/kategori/reklame-liar?ok=cat_created"
    category = service.get_category(session, "reklame-liar")
    assert category.photo_expected
    assert [v["key"] for v in category.attributes[0].values] == ["kecil", "besar"]
    edit = manager.get(response.headers["location"])
    assert "Kategori baru ditambahkan" in edit.text
    assert "kecil | Kecil | Small" in edit.text


def test_form_errors_are_shown_and_the_input_kept(manager: TestClient) -> None:
    path = "/console/pengaduan/kategori/baru"
    response = manager.post(
        path,
        data={
            "csrf_token": _csrf(manager, path),
            "code": "Bad Code",
            "name_id": "Reklame liar",
            "name_en": "Illegal billboard",
            "pd_kode": "satpolpp",
            "sla_days": "4",
            "attribute_rows": "0",
        },
    )
    assert response.status_code == 422
    assert 'id="code-error"' in response.text
    assert 'value="Reklame liar"' in response.text


def test_editing_and_deactivating_through_the_console(
    manager: TestClient, session: Session
) -> None:
    path = "/console/pengaduan/kategori/lampu-jalan"
    page = manager.get(path)
    assert 'value="nomor_tiang"' in page.text
    token = _csrf(manager, path)
    response = manager.post(
        path,
        data={
            "csrf_token": token,
            "name_id": "Lampu jalan (PJU)",
            "name_en": "Street light",
            "pd_kode": "dishub",
            "sla_days": "3",
            "attribute_rows": "1",
            "attr-0-code": "nomor_tiang",
            "attr-0-datatype": "string",
            "attr-0-description_id": "Nomor tiang",
            "attr-0-description_en": "Pole number",
            "attr-0-remove": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    category = service.get_category(session, "lampu-jalan")
    assert category.name_id == "Lampu jalan (PJU)"
    assert category.sla_days == 3
    assert category.attributes == []
    manager.post(f"{path}/nonaktif", data={"csrf_token": token})
    assert not service.get_category(session, "lampu-jalan", active_only=False).is_active


def test_officers_cannot_open_the_catalogue(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.PETUGAS_PD, pd_kode="pupr").username)
    assert client.get("/console/pengaduan/kategori").status_code == 403
