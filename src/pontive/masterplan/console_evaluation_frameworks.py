"""The evaluation frameworks in the console (``/console/masterplan/evaluasi/kerangka``): the
Smart City aspects' weights and 1-5 rubric, the SPBE indicators' weights (grouped by domain
and aspect, with each domain's total) and predicate bands, each with the note on where the
numbers come from. The technical team edits them as forms; everyone else reads them.

Weights are read here (a field that is not a number is refused by name); the service checks
the whole configuration and keeps a version an approved evaluation was scored with.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.masterplan import evaluation as service
from pontive.masterplan.console_support import (
    EVALUATION,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.evaluation_frameworks import CITY_KIND, SPBE_KIND
from pontive.masterplan.service import EVALUATE, READ
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
FRAMEWORKS = f"{EVALUATION}/kerangka"
KINDS = (CITY_KIND, SPBE_KIND)


def framework_values(
    city: dict[str, Any], spbe: dict[str, Any], lang: str = "id"
) -> dict[str, str]:
    """The forms' fields as configured (decimal commas in Bahasa Indonesia)."""

    def _plain(value: Any) -> str:
        number = float(value)
        text = str(int(number)) if number.is_integer() else str(number)
        return text.replace(".", ",") if lang == "id" else text

    values = {"city_description": city.get("description", "")}
    for aspect in city.get("aspects", []):
        values[f"weight_{aspect['code']}"] = _plain(aspect["weight"])
        for level, rubric in aspect.get("rubric", {}).items():
            values[f"rubric_{aspect['code']}_{level}"] = rubric
    values["spbe_description"] = spbe.get("description", "")
    for domain in spbe.get("domains", []):
        for aspect in domain.get("aspects", []):
            for item in aspect.get("indicators", []):
                values[f"weight_{item['code']}"] = _plain(item["weight"])
    for position, band in enumerate(spbe.get("bands", [])):
        values[f"band_name_{position}"] = str(band["name"])
        values[f"band_min_{position}"] = _plain(band["min"])
    return values


def frameworks_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    ok: str = "",
    failed: str = "",
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """Both frameworks, as forms for the technical team."""
    permissions.require(actor, READ)
    city = service.current_framework(session, CITY_KIND)
    spbe = service.current_framework(session, SPBE_KIND)
    context = {
        "city": city,
        "spbe": spbe,
        "can_edit": permissions.can(actor, EVALUATE),
        "flash": flash(ok),
        "failed": failed,
        "values": framework_values(city.config, spbe.config, get_lang(request)) | (values or {}),
        "errors": errors or {},
    }
    return page(
        request,
        actor,
        "masterplan/eval_frameworks.html",
        context,
        status_code=status_code,
        section=EVALUATION,
    )


@router.get(FRAMEWORKS, response_class=HTMLResponse)
def show_frameworks(
    request: Request, session: DbSession, actor: CurrentActor, ok: str = ""
) -> Response:
    """The frameworks."""
    return frameworks_page(request, session, actor, ok=ok[:40])


def _number(form: FormData, name: str, errors: Errors) -> float:
    raw = text(form, name).replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        errors[name] = ["Isi angka (mis. 2,5)."]
        return 0.0


def city_from_form(form: FormData, config: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """The Smart City configuration with the weights, rubric and note posted."""
    changed = copy.deepcopy(config)
    changed["description"] = text(form, "city_description")
    for aspect in changed.get("aspects", []):
        code = aspect["code"]
        aspect["weight"] = _number(form, f"weight_{code}", errors)
        aspect["rubric"] = {
            level: text(form, f"rubric_{code}_{level}") for level in aspect.get("rubric", {})
        }
    return changed


def spbe_from_form(form: FormData, config: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """The SPBE configuration with the indicator weights, bands and note posted."""
    changed = copy.deepcopy(config)
    changed["description"] = text(form, "spbe_description")
    for domain in changed.get("domains", []):
        for aspect in domain.get("aspects", []):
            for item in aspect.get("indicators", []):
                item["weight"] = _number(form, f"weight_{item['code']}", errors)
    for position, band in enumerate(changed.get("bands", [])):
        band["name"] = text(form, f"band_name_{position}")
        band["min"] = _number(form, f"band_min_{position}", errors)
    return changed


@router.post(f"{FRAMEWORKS}/{{kind}}", dependencies=[CsrfChecked])
def save_framework(
    request: Request, kind: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save one framework's form."""
    permissions.require(actor, EVALUATE)
    if kind not in KINDS:
        raise NotFound("Kerangka tidak dikenal.", "Unknown framework.")
    current = service.current_framework(session, kind)
    errors: Errors = {}
    reader = city_from_form if kind == CITY_KIND else spbe_from_form
    config = reader(form, current.config, errors)
    try:
        if errors:
            raise InvalidInput("Isian tidak valid.", "Invalid input.", errors=errors)
        service.save_framework(session, actor=actor, kind=kind, config=config)
    except InvalidInput as error:
        session.rollback()
        return frameworks_page(
            request,
            session,
            actor,
            failed=kind,
            values=typed(form),
            errors=refused(error, get_lang(request)),
            status_code=422,
        )
    session.commit()
    return redirect_ok(FRAMEWORKS, "saved")
