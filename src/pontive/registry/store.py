"""The one service behind every registry: read, filter, write, bulk edit, history.

Every write checks the registry's ``edit_action`` (PD-scoped actions against the row's owner
field, before and after the change), reads the values through ``values.parse`` (field errors
in the caller's language, nothing stored when any field is wrong), records the change in the
history (``registry_changes``: each field's value before and after; personal fields only as
changed) and in the audit chain, then runs the registry's ``after_save``. Reads of a row's
personal fields are audited (``read_personal``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.registry import Field, Kind, Registry, pick
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference
from pontive.registry.models import RegistryChange
from pontive.registry.query import (
    MAX_PER_PAGE,
    PER_PAGE,
    Page,
    all_rows,
    children,
    get_row,
    list_rows,
    ref_labels,
    ref_options,
    visible_fields,
)
from pontive.registry.values import Lookups, Problem, label_of, parse, parse_point, to_text

# Reading lives in ``query.py``; its names stay importable from here.
__all__ = [
    "MAX_PER_PAGE",
    "PER_PAGE",
    "Page",
    "all_rows",
    "children",
    "get_row",
    "list_rows",
    "ref_labels",
    "ref_options",
    "visible_fields",
]

PERSONAL_MARK = "•••"
IN_USE = (
    "Data ini masih dipakai oleh data lain; hapus atau ubah data itu dulu.",
    "This entry is still used by others; delete or change those first.",
)
INVALID: dict[str, tuple[str, str]] = {
    "row": ("Data tidak valid; periksa kolom yang ditandai.", "Invalid data; see the fields."),
}


def lookups(session: Session) -> Lookups:
    """Fresh lookups for one request or import."""
    return Lookups(session, WIB)


def owner_of(registry: Registry, row: Any) -> str | None:
    """The agency owning a row (its ``owner_field``), if the registry has one."""
    return getattr(row, registry.owner_field) if registry.owner_field else None


def can_edit(actor: Actor, registry: Registry, row: Any | None = None) -> bool:
    """Whether ``actor`` may change ``row`` (or add rows when ``row`` is ``None``)."""
    owner = owner_of(registry, row) if row is not None else None
    if row is None and registry.owner_field and actor.pd_kode:
        owner = actor.pd_kode  # a PD officer adds rows of its own agency
    return permissions.can(actor, registry.edit_action, owner_pd=owner)


def require_edit(actor: Actor, registry: Registry, row: Any | None = None) -> None:
    """Raise unless ``actor`` may change ``row`` (or add rows when ``row`` is ``None``)."""
    owner = owner_of(registry, row) if row is not None else None
    if row is None and registry.owner_field and actor.pd_kode:
        owner = actor.pd_kode
    permissions.require(actor, registry.edit_action, owner_pd=owner)


def state(registry: Registry, row: Any) -> dict[str, str]:
    """Every field of ``row`` as text; personal ones masked (history, audit)."""
    zone = WIB
    values: dict[str, str] = {}
    for spec in registry.fields:
        if spec.kind is Kind.POINT:
            values["lon"] = to_text(spec, getattr(row, "lon", None), zone)
            values["lat"] = to_text(spec, getattr(row, "lat", None), zone)
            continue
        value = getattr(row, spec.name, None)
        if spec.personal:
            values[spec.name] = PERSONAL_MARK if value else ""
        else:
            values[spec.name] = to_text(spec, value, zone)
    return values


def _personal_digest(registry: Registry, row: Any) -> dict[str, str]:
    return {f.name: str(getattr(row, f.name, "") or "") for f in registry.fields if f.personal}


def read_personal(
    session: Session, registry: Registry, actor: Actor, row: Any
) -> dict[str, str | None]:
    """A row's personal fields (editors only); the access is audited (UU 27/2022)."""
    permissions.require(actor, registry.edit_action, owner_pd=owner_of(registry, row))
    audit.record(
        session,
        actor=actor,
        action="registry.personal.read",
        object_type=registry.name,
        object_id=row.id,
    )
    return {f.name: getattr(row, f.name, None) for f in registry.fields if f.personal}


# --- writing ---------------------------------------------------------------------------


def _read_values(
    registry: Registry, raw: Mapping[str, Any], found: Lookups, *, partial: bool
) -> tuple[dict[str, Any], dict[str, list[tuple[str, str]]]]:
    values: dict[str, Any] = {}
    problems: dict[str, list[tuple[str, str]]] = {}
    for spec in registry.editable:
        if spec.kind is Kind.POINT:
            if partial and "lon" not in raw and "lat" not in raw:
                continue
            try:
                values[spec.name] = parse_point(raw.get("lon"), raw.get("lat"))
            except Problem as problem:
                problems.setdefault("lon", []).append(problem.text)
            continue
        if partial and spec.name not in raw:
            continue
        try:
            values[spec.name] = parse(spec, raw.get(spec.name), found)
        except Problem as problem:
            problems.setdefault(spec.name, []).append(problem.text)
    return values, problems


def _current(registry: Registry, row: Any | None, spec: Field) -> Any:
    if row is None:
        return spec.default
    if spec.kind is Kind.POINT:
        lon, lat = getattr(row, "lon", None), getattr(row, "lat", None)
        return (lon, lat) if lon is not None and lat is not None else None
    return getattr(row, spec.name)


def _check_required_and_unique(
    session: Session,
    registry: Registry,
    row: Any | None,
    values: Mapping[str, Any],
    problems: dict[str, list[tuple[str, str]]],
) -> None:
    from pontive.registry.values import MESSAGES

    for spec in registry.editable:
        merged = values[spec.name] if spec.name in values else _current(registry, row, spec)
        if spec.required and merged in (None, "") and spec.kind is not Kind.BOOL:
            name = "lon" if spec.kind is Kind.POINT else spec.name
            problems.setdefault(name, []).append(MESSAGES["required"])
    key = registry.natural_key
    if key and values.get(key) is not None:
        model: Any = registry.model
        clash = session.scalar(select(model.id).where(getattr(model, key) == values[key]))
        if clash is not None and (row is None or clash != row.id):
            problems.setdefault(key, []).append(MESSAGES["unique"])


def _errors(problems: Mapping[str, list[tuple[str, str]]], lang: str) -> dict[str, list[str]]:
    return {name: [pick(text, lang) for text in texts] for name, texts in problems.items()}


def check(
    session: Session,
    registry: Registry,
    raw: Mapping[str, Any],
    *,
    row: Any | None = None,
    partial: bool = False,
    found: Lookups | None = None,
    lang: str = "id",
) -> dict[str, Any]:
    """The parsed values of ``raw``; ``InvalidInput`` with field errors when any is wrong."""
    found = found or lookups(session)
    values, problems = _read_values(registry, raw, found, partial=partial)
    _check_required_and_unique(session, registry, row, values, problems)
    errors = _errors(problems, lang)
    if registry.validate is not None and not errors:
        errors = registry.validate(session, values, row, lang)
    if errors:
        raise InvalidInput(*INVALID["row"], errors=errors)
    return values


def _apply(session: Session, registry: Registry, row: Any, values: Mapping[str, Any]) -> None:
    for spec in registry.editable:
        if spec.name not in values:
            continue
        if spec.kind is Kind.POINT:
            point = values[spec.name]
            row.lon, row.lat = point if point is not None else (None, None)
            if hasattr(row, "kelurahan_kode"):
                row.kelurahan_kode = (
                    reference.resolve_location(
                        session=session, lon=point[0], lat=point[1]
                    ).kelurahan_kode
                    if point is not None
                    else None
                )
            continue
        setattr(row, spec.name, values[spec.name])


def _history(
    session: Session,
    registry: Registry,
    row: Any,
    actor: Actor,
    action: str,
    via: str,
    before: Mapping[str, str] | None,
    after: Mapping[str, str] | None,
    personal_changed: Sequence[str] = (),
) -> None:
    keys = list(dict.fromkeys([*(before or {}), *(after or {})]))
    changes = {
        k: [(before or {}).get(k, ""), (after or {}).get(k, "")]
        for k in keys
        if (before or {}).get(k, "") != (after or {}).get(k, "")
    }
    for name in personal_changed:  # changed, without the values
        changes.setdefault(name, [PERSONAL_MARK, PERSONAL_MARK])
    if action == "updated" and not changes:
        return
    session.add(
        RegistryChange(
            registry_name=registry.name,
            object_id=row.id,
            object_label=label_of(registry, row)[:300],
            action=action,
            via=via,
            actor=actor.label[:200],
            changes=json.dumps(changes, ensure_ascii=False),
            occurred_at=utcnow(),
        )
    )
    audit.record(
        session,
        actor=actor,
        action=f"{registry.name}.{action}",
        object_type=registry.name,
        object_id=row.id,
        before=before,
        after=after,
    )


def _stamp(row: Any, actor: Actor, *, created: bool) -> None:
    now = utcnow()
    if created and hasattr(row, "created_at") and getattr(row, "created_at", None) is None:
        row.created_at = now
    if hasattr(row, "updated_at"):
        row.updated_at = now
    if hasattr(row, "updated_by"):
        row.updated_by = actor.label[:200]


def save_row(
    session: Session,
    registry: Registry,
    actor: Actor,
    raw: Mapping[str, Any],
    *,
    row: Any | None = None,
    partial: bool = False,
    via: str = "form",
    lang: str = "id",
    found: Lookups | None = None,
) -> Any:
    """Create (``row=None``) or change a row from ``raw`` values; ``partial`` changes only
    the fields sent. Returns the row (flushed, not committed)."""
    if row is not None:
        permissions.require(actor, registry.edit_action, owner_pd=owner_of(registry, row))
    values = check(session, registry, raw, row=row, partial=partial, found=found, lang=lang)
    if row is None or registry.owner_field in values:
        owner = values.get(registry.owner_field) if registry.owner_field else None
        if owner is None and row is not None and registry.owner_field:
            owner = owner_of(registry, row)
        permissions.require(actor, registry.edit_action, owner_pd=owner)
    created = row is None
    before = None if created else state(registry, row)
    personal_before = {} if created else _personal_digest(registry, row)
    if row is None:
        row = registry.model()
        for spec in registry.fields:
            if spec.default is not None and spec.name not in values and spec.kind is not Kind.POINT:
                setattr(row, spec.name, spec.default)
        session.add(row)
    with session.no_autoflush:  # resolving a kelurahan queries; the row is not whole yet
        _apply(session, registry, row, values)
        _stamp(row, actor, created=created)
    session.flush()
    after = state(registry, row)
    personal_after = _personal_digest(registry, row)
    personal = [k for k, v in personal_after.items() if personal_before.get(k, "") != v]
    if created or before != after or personal:
        action = "created" if created else "updated"
        _history(session, registry, row, actor, action, via, before, after, personal)
    if registry.after_save is not None:
        registry.after_save(session, actor, row)
    return row


def delete_row(
    session: Session, registry: Registry, actor: Actor, row: Any, *, via: str = "form"
) -> None:
    """Delete a row; its history stays."""
    permissions.require(actor, registry.edit_action, owner_pd=owner_of(registry, row))
    before = state(registry, row)
    try:
        with session.begin_nested():
            session.delete(row)
            session.flush()
    except IntegrityError:
        raise Conflict(*IN_USE) from None
    _history(session, registry, row, actor, "deleted", via, before, None)


def bulk_update(
    session: Session,
    registry: Registry,
    actor: Actor,
    row_ids: Iterable[int],
    raw: Mapping[str, Any],
    *,
    lang: str = "id",
) -> list[Any]:
    """Set the bulk-editable fields in ``raw`` on every row in ``row_ids`` (all or none)."""
    allowed = {f.name for f in registry.fields if f.bulk}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InvalidInput(
            *INVALID["row"],
            errors={
                name: [pick(("Tidak bisa diubah massal.", "Not bulk-editable."), lang)]
                for name in unknown
            },
        )
    ids = sorted(set(row_ids))
    if not ids or not raw:
        raise InvalidInput(
            *INVALID["row"],
            errors={
                "form": [
                    pick(
                        (
                            "Pilih baris dan isi paling sedikit satu kolom.",
                            "Choose rows and at least one field.",
                        ),
                        lang,
                    )
                ]
            },
        )
    model: Any = registry.model
    rows = list(session.scalars(select(model).where(model.id.in_(ids))))
    if len(rows) != len(ids):
        raise NotFound
    found = lookups(session)
    return [
        save_row(
            session, registry, actor, raw, row=row, partial=True, via="bulk", lang=lang, found=found
        )
        for row in rows
    ]


def history(
    session: Session, registry: Registry, actor: Actor, row_id: int
) -> list[RegistryChange]:
    """The changes of one row, newest first."""
    permissions.require(actor, registry.view_action)
    return list(
        session.scalars(
            select(RegistryChange)
            .where(
                RegistryChange.registry_name == registry.name, RegistryChange.object_id == row_id
            )
            .order_by(RegistryChange.id.desc())
        )
    )


def recent_changes(
    session: Session, registries: Sequence[Registry], actor: Actor, *, limit: int = 20
) -> list[RegistryChange]:
    """The latest changes across ``registries`` the actor may read, newest first."""
    names = [r.name for r in registries if permissions.can(actor, r.view_action)]
    if not names:
        return []
    return list(
        session.scalars(
            select(RegistryChange)
            .where(RegistryChange.registry_name.in_(names))
            .order_by(RegistryChange.id.desc())
            .limit(limit)
        )
    )
