"""Alert rules in the console (``/console/peringatan/aturan``): the list, a form per kind with
its parameters, enable/disable, and each rule's saved versions. ``alerts.rules_manage``
validates, versions and audits every save."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.alerts import rules_manage
from pontive.alerts.choices import RuleKind
from pontive.alerts.console_desk import choices
from pontive.alerts.console_forms import PARAMS, blank_rule, parse_rule, rule_values
from pontive.alerts.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    labels,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.alerts.models import AlertRule
from pontive.alerts.rules_params import CATEGORY_ORDER, PLACEHOLDERS
from pontive.alerts.service import ALERTS_RULES_MANAGE
from pontive.complaints import service as complaints
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, IspuCategory
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=f"{CONSOLE}/aturan", include_in_schema=False)
RULES = f"{CONSOLE}/aturan"
# The codes the parameter selects show (operators, directions, index quantities).
CHOICE_CODES = (">=", "<=", "rise", "fall", "flood_status", "ispu")
# The service names the direction it missed; the form asks it beside the amount.
_ERROR_FIELDS = {"params.rise": "params.amount", "params.fall": "params.amount"}


def _kind(value: str) -> RuleKind | None:
    return RuleKind(value) if value in RuleKind._value2member_map_ else None


def _param_text(lang: str) -> dict[str, tuple[str, str]]:
    """Each parameter's label and hint ("" where the catalogue has none)."""
    shown = {}
    for name in {param.name for params in PARAMS.values() for param in params}:
        key = f"alerts.cc.param.{name}_hint"
        hint = translate(key, lang)
        shown[name] = (translate(f"alerts.cc.param.{name}", lang), "" if hint == key else hint)
    return shown


def _options(session: Session, lang: str) -> dict[str, Any]:
    """What the parameter fields offer: streams, stations, report categories, levels."""
    stations = sensors.station_summaries(session)
    streams = [
        (s.id, f"{station.name} — {s.name}" + (f" ({s.unit})" if s.unit else ""))
        for station in stations
        for s in station.streams
        # Measured numbers, and forecast streams (derived, with no index quantity) for the
        # forecast rules.
        if s.is_numeric_source or (s.quantity is None and s.derived_from_id is not None)
    ]
    level_names = {m.value: m.label(lang) for m in (*FloodStatus, *IspuCategory)}
    return choices(lang) | {
        "kinds": [(k.value, k.label(lang)) for k in RuleKind],
        "kind_help": labels("kind", (k.value for k in RuleKind), lang),
        "param_text": _param_text(lang),
        "choice_labels": labels("choice", CHOICE_CODES, lang),
        "streams": streams,
        "stations": [(station.id, station.name) for station in stations],
        "report_categories": [
            (c.code, c.name(lang)) for c in complaints.list_categories(session, active_only=False)
        ],
        "levels": {q: [(v, level_names[v]) for v in vs] for q, vs in CATEGORY_ORDER.items()},
        "kecamatan": reference.list_kecamatan(session=session),
        "placeholders": sorted(PLACEHOLDERS),
    }


def _moved(errors: Errors) -> Errors:
    moved: Errors = {}
    for name, messages in errors.items():
        moved.setdefault(_ERROR_FIELDS.get(name, name), []).extend(messages)
    return moved


def _stored(rule: AlertRule | None, kind: RuleKind) -> dict[str, Any]:
    return rule_values(rule) if rule else blank_rule(kind)


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    kind: RuleKind,
    *,
    rule: AlertRule | None = None,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    ok: str | None = None,
    status_code: int = 200,
) -> Response:
    permissions.require(actor, ALERTS_RULES_MANAGE)
    versions = rules_manage.rule_versions(session, actor=actor, rule_id=rule.id) if rule else []
    context = _options(session, get_lang(request)) | {
        "kind": kind,
        "params": PARAMS[kind],
        "rule": rule,
        "versions": list(reversed(versions)),
        "values": values if values is not None else _stored(rule, kind),
        "errors": _moved(errors or {}),
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_rule.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def rule_list(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Every rule: kind, whether on, whether it publishes by itself, its version."""
    rules = rules_manage.list_rules(session, actor=actor)
    context = {
        "rules": rules,
        "kinds": [(k.value, k.label(get_lang(request))) for k in RuleKind],
        "kind_help": labels("kind", (k.value for k in RuleKind), get_lang(request)),
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_rules.html", context)


@router.get("/baru", response_class=HTMLResponse)
def rule_new(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    jenis: Annotated[str, Query(max_length=30)] = "",
) -> Response:
    """The form for a new rule of the chosen kind (the list offers one link per kind)."""
    kind = _kind(jenis) or RuleKind.THRESHOLD
    return _form_page(request, session, actor, kind)


@router.post("/baru", dependencies=[CsrfChecked])
def rule_create(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save a new rule (version 1)."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    lang = get_lang(request)
    kind = _kind(text(form, "kind")) or RuleKind.THRESHOLD
    data, errors = parse_rule(form, kind, lang)
    data |= {"code": text(form, "code"), "kind": kind.value}
    if not errors:
        try:
            rule = rules_manage.create_rule(
                session, actor=actor, data=data, note=text(form, "note")
            )
        except (InvalidInput, Conflict) as error:
            session.rollback()
            errors = refused(error, lang)
        else:
            return redirect_ok(f"{RULES}/{rule.id}", "rule_created")
    return _form_page(
        request, session, actor, kind, values=typed(form), errors=errors, status_code=422
    )


@router.get("/{rule_id:int}", response_class=HTMLResponse)
def rule_page(
    request: Request,
    rule_id: int,
    session: DbSession,
    actor: CurrentActor,
    ok: str | None = None,
) -> Response:
    """One rule's form and its saved versions."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    rule = rules_manage.get_rule(session, rule_id)
    return _form_page(request, session, actor, rule.kind, rule=rule, ok=ok)


@router.post("/{rule_id:int}", dependencies=[CsrfChecked])
def rule_save(
    request: Request, rule_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save a rule's changes as its next version."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    lang = get_lang(request)
    rule = rules_manage.get_rule(session, rule_id)
    kind = rule.kind
    data, errors = parse_rule(form, kind, lang)
    if not errors:
        try:
            rules_manage.update_rule(
                session, actor=actor, rule_id=rule_id, changes=data, note=text(form, "note")
            )
        except (InvalidInput, Conflict) as error:
            session.rollback()
            errors = refused(error, lang)
        else:
            return redirect_ok(f"{RULES}/{rule_id}", "rule_saved")
    rule = rules_manage.get_rule(session, rule_id)
    values = typed(form) | {"code": rule.code}
    return _form_page(
        request, session, actor, kind, rule=rule, values=values, errors=errors, status_code=422
    )


@router.post("/{rule_id:int}/aktif", dependencies=[CsrfChecked])
def rule_switch(
    request: Request, rule_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Switch a rule on or off (a new version, audited)."""
    enabled = text(form, "enabled") == "1"
    rules_manage.set_rule_enabled(
        session, actor=actor, rule_id=rule_id, enabled=enabled, note=text(form, "note")
    )
    back = f"{RULES}/{rule_id}" if text(form, "back") == "rule" else RULES
    return redirect_ok(back, "rule_on" if enabled else "rule_off")
