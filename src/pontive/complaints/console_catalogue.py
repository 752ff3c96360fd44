"""The service catalogue in the console (``/console/pengaduan/kategori``): categories, their
PD, SLA and extra questions; mounted by ``console.py`` before the report desk's paths."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.complaints import catalogue, service
from pontive.complaints.choices import AttributeType
from pontive.complaints.page_support import (
    CONSOLE,
    FormBody,
    console_flash,
    form_text,
    redirect_ok,
)
from pontive.complaints.schemas import CategoryPatch, CategoryWrite
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)


@router.get("/kategori", response_class=HTMLResponse)
def category_list(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """The service catalogue, active and withdrawn categories."""
    permissions.require(actor, service.MANAGE_CATALOGUE)
    pds = {pd.kode: pd for pd in reference.list_perangkat_daerah(session=session)}
    return render(
        request,
        "complaints/console_categories.html",
        {
            "categories": service.list_categories(session, active_only=False),
            "pds": pds,
            "flash": console_flash(ok),
        },
    )


def _category_page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any],
    attributes: list[dict[str, Any]],
    is_new: bool,
    errors: dict[str, list[str]] | None = None,
    flash: str | None = None,
) -> Response:
    return render(
        request,
        "complaints/console_category_form.html",
        {
            "values": values,
            "attributes": [*attributes, _blank_attribute(len(attributes) + 1)],
            "is_new": is_new,
            "errors": errors or {},
            "pds": reference.list_perangkat_daerah(session=session),
            "datatypes": list(AttributeType),
            "flash": flash,
        },
        status_code=422 if errors else 200,
    )


def _blank_attribute(order: int) -> dict[str, Any]:
    return {
        "code": "",
        "datatype": "string",
        "required": False,
        "order": order,
        "description_id": "",
        "description_en": "",
        "values_text": "",
        "is_blank": True,
    }


@router.get("/kategori/baru", response_class=HTMLResponse)
def category_new(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """An empty category form."""
    permissions.require(actor, service.MANAGE_CATALOGUE)
    values = {"sla_days": 5, "is_active": True}
    return _category_page(request, session, values=values, attributes=[], is_new=True)


@router.get("/kategori/{code}", response_class=HTMLResponse)
def category_edit(
    request: Request, code: str, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """A category's form, filled in."""
    permissions.require(actor, service.MANAGE_CATALOGUE)
    category = service.get_category(session, code, active_only=False)
    values = {name: getattr(category, name) for name in (*_CATEGORY_TEXT, *_CATEGORY_FLAGS)}
    values |= {"code": category.code, "sla_days": category.sla_days}
    values["is_active"] = category.is_active
    attributes = [
        {
            "code": a.code,
            "datatype": a.datatype.value,
            "required": a.required,
            "order": a.order,
            "description_id": a.description_id,
            "description_en": a.description_en,
            "values_text": "\n".join(
                f"{v['key']} | {v['name_id']} | {v['name_en']}" for v in a.values
            ),
        }
        for a in category.attributes
    ]
    return _category_page(
        request,
        session,
        values=values,
        attributes=attributes,
        is_new=False,
        flash=console_flash(ok),
    )


_CATEGORY_TEXT = (
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "group",
    "keywords",
    "pd_kode",
)
_CATEGORY_FLAGS = ("routes_to_kecamatan", "photo_expected")


def _form_fields(form: FormData) -> dict[str, Any]:
    # The category's own fields as typed (its questions are read by ``_form_attributes``).
    fields: dict[str, Any] = {name: form_text(form, name) for name in _CATEGORY_TEXT}
    fields |= {name: bool(form.get(name)) for name in _CATEGORY_FLAGS}
    fields["sla_days"] = form_text(form, "sla_days")
    return fields


def _form_attributes(form: FormData) -> list[dict[str, Any]]:
    rows = []
    for index in range(int(form_text(form, "attribute_rows") or 0)):
        prefix = f"attr-{index}-"
        code = form_text(form, prefix + "code")
        if not code or form.get(prefix + "remove"):
            continue
        rows.append(
            {
                "code": code,
                "datatype": form_text(form, prefix + "datatype"),
                "required": bool(form.get(prefix + "required")),
                "order": form_text(form, prefix + "order") or index + 1,
                "description_id": form_text(form, prefix + "description_id"),
                "description_en": form_text(form, prefix + "description_en"),
                "values_text": form_text(form, prefix + "values"),
            }
        )
    return rows


def _parse_values(text: str) -> list[dict[str, str]]:
    values = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if parts[0]:
            name_id = parts[1] if len(parts) > 1 and parts[1] else parts[0]
            name_en = parts[2] if len(parts) > 2 and parts[2] else name_id
            values.append({"key": parts[0], "name_id": name_id, "name_en": name_en})
    return values


def _parse_category(form: FormData, *, with_code: bool) -> CategoryWrite | CategoryPatch:
    """The form as a new category (``with_code``) or as changes to one."""
    payload = _form_fields(form)
    payload["attributes"] = [
        {
            **{key: value for key, value in row.items() if key != "values_text"},
            "values": _parse_values(row["values_text"]),
        }
        for row in _form_attributes(form)
    ]
    if with_code:
        return CategoryWrite.model_validate({**payload, "code": form_text(form, "code")})
    return CategoryPatch.model_validate(payload)


def _pydantic_errors(error: Any) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"][:3])
        fields.setdefault(key, []).append(item["msg"])
    return fields


@router.post("/kategori/baru", dependencies=[CsrfChecked])
def category_create(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Add a category."""
    return _save_category(request, session, actor, form, code=None)


@router.post("/kategori/{code}", dependencies=[CsrfChecked])
def category_update(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save a category's changes."""
    return _save_category(request, session, actor, form, code=code)


def _save_category(
    request: Request, session: Session, actor: Actor, form: FormData, *, code: str | None
) -> Response:
    permissions.require(actor, service.MANAGE_CATALOGUE)
    try:
        model = _parse_category(form, with_code=code is None)
        if isinstance(model, CategoryWrite):
            category = catalogue.create_category(session=session, actor=actor, data=model)
        else:
            category = catalogue.update_category(
                session=session, actor=actor, code=code or "", changes=model
            )
    except ValidationError as error:
        return _category_page_again(request, session, form, code, _pydantic_errors(error))
    except (InvalidInput, Conflict) as error:
        session.rollback()
        return _category_page_again(request, session, form, code, error.errors)
    flash = "cat_created" if code is None else "cat_saved"
    return redirect_ok(f"{CONSOLE}/kategori/{category.code}", flash)


def _category_page_again(
    request: Request,
    session: Session,
    form: FormData,
    code: str | None,
    errors: dict[str, list[str]],
) -> Response:
    values = _form_fields(form)
    values |= {"code": code or form_text(form, "code"), "is_active": True}
    return _category_page(
        request,
        session,
        values=values,
        attributes=_form_attributes(form),
        is_new=code is None,
        errors=errors,
    )


@router.post("/kategori/{code}/nonaktif", dependencies=[CsrfChecked])
def category_deactivate(code: str, session: DbSession, actor: CurrentActor) -> Response:
    """Withdraw a category from new reports."""
    catalogue.deactivate_category(session=session, actor=actor, code=code)
    return redirect_ok(f"{CONSOLE}/kategori", "cat_off")
