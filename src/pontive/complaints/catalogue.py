"""Managing the service catalogue: categories, their owning PD, SLA and extra questions.

Operators and the technical team change the catalogue in the console or through the API;
every change is audited. A category is never deleted (old reports keep pointing at it): it
is deactivated, and disappears from the reporting form and Open311 ``services``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import AttributeType
from pontive.complaints.models import CategoryAttribute, ServiceCategory
from pontive.complaints.schemas import CategoryAttributeWrite, CategoryPatch, CategoryWrite
from pontive.complaints.service import MANAGE_CATALOGUE, forget_catalogue, get_category
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.reference import service as reference

LIST_TYPES = frozenset({AttributeType.SINGLEVALUELIST, AttributeType.MULTIVALUELIST})
_FIELDS = (
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "group",
    "keywords",
    "pd_kode",
    "routes_to_kecamatan",
    "sla_days",
    "photo_expected",
)


def _check_attributes(attributes: list[CategoryAttributeWrite]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, attribute in enumerate(attributes):
        if attribute.code in seen:
            errors[f"attributes.{index}.code"] = ["Kode pertanyaan sudah dipakai."]
        seen.add(attribute.code)
        keys = [value.key for value in attribute.values]
        if attribute.datatype in LIST_TYPES and not keys:
            errors[f"attributes.{index}.values"] = ["Isi pilihan jawabannya."]
        elif attribute.datatype not in LIST_TYPES and keys:
            errors[f"attributes.{index}.values"] = ["Pilihan hanya untuk jenis daftar."]
        elif len(set(keys)) != len(keys):
            errors[f"attributes.{index}.values"] = ["Kunci pilihan harus unik."]
    return errors


def _check_pd(session: Session, pd_kode: str | None) -> dict[str, list[str]]:
    if pd_kode is None or reference.get_perangkat_daerah(session=session, kode=pd_kode):
        return {}
    return {"pd_kode": [f"Perangkat Daerah '{pd_kode}' tidak dikenal."]}


def _build_attributes(attributes: list[CategoryAttributeWrite]) -> list[CategoryAttribute]:
    ordered = sorted(enumerate(attributes), key=lambda pair: (pair[1].order, pair[0]))
    return [
        CategoryAttribute(
            code=attribute.code,
            datatype=attribute.datatype,
            required=attribute.required,
            order=position,
            description_id=attribute.description_id,
            description_en=attribute.description_en,
            values=[value.model_dump() for value in attribute.values],
        )
        for position, (_index, attribute) in enumerate(ordered, start=1)
    ]


def _state(category: ServiceCategory) -> dict[str, Any]:
    return {
        **{name: getattr(category, name) for name in _FIELDS},
        "is_active": category.is_active,
        "attributes": [a.code for a in category.attributes],
    }


def create_category(*, session: Session, actor: Actor, data: CategoryWrite) -> ServiceCategory:
    """Add a category to the catalogue."""
    permissions.require(actor, MANAGE_CATALOGUE)
    existing = session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == data.code))
    if existing is not None:
        raise Conflict(
            f"Kode kategori '{data.code}' sudah dipakai.",
            f"Category code '{data.code}' is taken.",
            errors={"code": ["Kode sudah dipakai."]},
        )
    errors = _check_pd(session, data.pd_kode) | _check_attributes(data.attributes)
    if errors:
        raise InvalidInput(errors=errors)
    category = ServiceCategory(
        code=data.code,
        **{name: getattr(data, name) for name in _FIELDS},
        is_active=True,
        attributes=_build_attributes(data.attributes),
    )
    session.add(category)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="complaint_category.create",
        object_type="complaint_category",
        object_id=category.code,
        after=_state(category),
    )
    session.commit()
    forget_catalogue()
    return category


def update_category(
    *, session: Session, actor: Actor, code: str, changes: CategoryPatch
) -> ServiceCategory:
    """Change a category; ``changes.attributes``, when given, replaces its questions."""
    permissions.require(actor, MANAGE_CATALOGUE)
    category = get_category(session, code, active_only=False)
    errors = _check_pd(session, changes.pd_kode)
    if changes.attributes is not None:
        errors |= _check_attributes(changes.attributes)
    if errors:
        raise InvalidInput(errors=errors)
    before = _state(category)
    for name in (*_FIELDS, "is_active"):
        value = getattr(changes, name)
        if value is not None:
            setattr(category, name, value)
    if changes.attributes is not None:
        category.attributes = _build_attributes(changes.attributes)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="complaint_category.update",
        object_type="complaint_category",
        object_id=category.code,
        before=before,
        after=_state(category),
    )
    session.commit()
    forget_catalogue()
    return category


def deactivate_category(*, session: Session, actor: Actor, code: str) -> ServiceCategory:
    """Withdraw a category from new reports (existing reports keep it)."""
    return update_category(
        session=session, actor=actor, code=code, changes=CategoryPatch(is_active=False)
    )
