"""CSV export and import of any registry.

Export writes ``id`` and every field in its text form (points as ``lon``/``lat``); personal
fields only for people who may edit them, and that read is audited. A file exported can be
edited in a spreadsheet and imported back: computed columns are ignored on import.

Import is all-or-nothing: every row is checked and written inside a savepoint; when any row
has a problem nothing is kept and the errors come back keyed ``"<line>:<column>"`` (line 1 is
the header, as a spreadsheet numbers them). A row with an ``id``, or with the registry's
natural key matching an existing row, changes that row (only the columns in the file); any
other row is new. ``dry_run`` checks and counts without keeping anything (the preview).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import DomainError, InvalidInput
from pontive.core.identity import Actor
from pontive.core.registry import Kind, Registry, pick
from pontive.core.timeutil import WIB
from pontive.registry import store
from pontive.registry.values import Lookups, Problem, parse, to_text

MAX_ROWS = 10000
TEXTS: dict[str, tuple[str, str]] = {
    "invalid": ("Berkas CSV tidak dapat diimpor.", "The CSV file cannot be imported."),
    "encoding": ("Berkas harus CSV berenkode UTF-8.", "The file must be UTF-8 CSV."),
    "empty": ("Berkas tidak berisi baris data.", "The file holds no data rows."),
    "too_many": ("Paling banyak {n} baris per impor.", "At most {n} rows per import."),
    "unknown": ("Kolom tidak dikenal: {v}.", "Unknown column: {v}."),
    "no_row": ("Tidak ada baris dengan id {v}.", "No row with id {v}."),
    "width": ("Jumlah sel tidak sama dengan judul kolom.", "Cell count differs from header."),
    "denied": ("Anda tidak berwenang mengubah baris ini.", "You may not change this row."),
}


def _text(key: str, lang: str, **values: object) -> str:
    return pick(TEXTS[key], lang).format(**values)


def columns(registry: Registry, *, personal: bool) -> list[str]:
    """The export's columns in order."""
    names = ["id"]
    for spec in registry.fields:
        if spec.personal and not personal:
            continue
        names += ["lon", "lat"] if spec.kind is Kind.POINT else [spec.name]
    return names


def _cells(registry: Registry, row: Any, names: Sequence[str]) -> list[str]:
    zone = WIB
    specs = {f.name: f for f in registry.fields}
    point = next((f for f in registry.fields if f.kind is Kind.POINT), None)
    cells = []
    for name in names:
        if name == "id":
            cells.append(str(row.id))
        elif name in ("lon", "lat") and point is not None:
            cells.append(to_text(point, getattr(row, name), zone))
        else:
            cells.append(to_text(specs[name], getattr(row, name), zone))
    return cells


def _write(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()  # a BOM: spreadsheets then read UTF-8 right


def export(session: Session, registry: Registry, actor: Actor, *, public: bool = False) -> str:
    """Every row the reader may see, as CSV text."""
    rows = store.all_rows(session, registry, actor, public=public)
    personal = (
        not public
        and permissions.can(actor, registry.edit_action)
        and any(f.personal for f in registry.fields)
    )
    names = columns(registry, personal=personal)
    if public:
        allowed = {f.name for f in store.visible_fields(registry, public=True)}
        names = [n for n in names if n == "id" or n in allowed or n in ("lon", "lat")]
    if personal:
        audit.record(
            session,
            actor=actor,
            action="registry.personal.export",
            object_type=registry.name,
            object_id="*",
        )
    return _write(names, (_cells(registry, row, names) for row in rows))


def template(registry: Registry) -> str:
    """The columns one fills in, with the registry's example row."""
    names = [n for n in columns(registry, personal=True) if n != "id"]
    editable = {f.name for f in registry.editable} | {"lon", "lat"}
    names = [n for n in names if n in editable]
    example = [str(registry.example.get(n, "")) for n in names]
    return _write(names, [example] if registry.example else [])


@dataclass
class ImportResult:
    """What an import did (or, for a preview, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    lines: list[tuple[int, str, int | None]] = field(default_factory=list)  # line, action, id


def _read(data: bytes, lang: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(*TEXTS["invalid"], errors={"file": [_text("encoding", lang)]}) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    table = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
    if len(table) < 2:
        raise InvalidInput(*TEXTS["invalid"], errors={"file": [_text("empty", lang)]})
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInput(
            *TEXTS["invalid"], errors={"file": [_text("too_many", lang, n=MAX_ROWS)]}
        )
    header = [name.strip() for name in table[0]]
    return header, table[1:]


def _check_header(registry: Registry, header: Sequence[str], lang: str) -> None:
    known = set(columns(registry, personal=True))
    unknown = [name for name in header if name not in known]
    if unknown:
        raise InvalidInput(
            *TEXTS["invalid"],
            errors={f"1:{name}": [_text("unknown", lang, v=name)] for name in unknown},
        )


def _target(
    session: Session, registry: Registry, values: dict[str, str], found: Lookups
) -> Any | None:
    """The existing row a CSV row is about, if any (by id, else by natural key)."""
    model: Any = registry.model
    raw_id = values.pop("id", "").strip()
    if raw_id:
        row = session.get(model, int(raw_id)) if raw_id.isdigit() else None
        if row is None:
            raise Problem("ref", v=raw_id)
        return row
    key = registry.natural_key
    if key and values.get(key, "").strip():
        value = parse(registry.field(key), values[key], found)
        return session.scalar(select(model).where(getattr(model, key) == value))
    return None


def import_csv(
    session: Session,
    registry: Registry,
    actor: Actor,
    data: bytes,
    *,
    dry_run: bool = False,
    lang: str = "id",
) -> ImportResult:
    """Import ``data`` (see the module docstring); ``InvalidInput`` lists every problem."""
    permissions.require(actor, registry.edit_action, owner_pd=actor.pd_kode)
    header, table = _read(data, lang)
    _check_header(registry, header, lang)
    readonly = {f.name for f in registry.fields if f.readonly}
    result = ImportResult(dry_run=dry_run)
    errors: dict[str, list[str]] = {}
    found = store.lookups(session)
    nested = session.begin_nested()
    for line, cells in enumerate(table, start=2):
        if len(cells) != len(header):
            errors[f"{line}:*"] = [_text("width", lang)]
            continue
        values = {n: c for n, c in zip(header, cells, strict=True) if n not in readonly}
        try:
            row = _target(session, registry, values, found)
        except Problem as problem:
            errors[f"{line}:id"] = [problem.message(lang)]
            continue
        before = store.state(registry, row) if row is not None else None
        try:
            with session.begin_nested():
                saved = store.save_row(
                    session,
                    registry,
                    actor,
                    values,
                    row=row,
                    partial=row is not None,
                    via="csv",
                    lang=lang,
                    found=found,
                )
        except InvalidInput as error:
            for name, messages in error.errors.items():
                errors[f"{line}:{name}"] = messages
            continue
        except DomainError:
            errors[f"{line}:*"] = [_text("denied", lang)]
            continue
        if row is None:
            result.created += 1
            found.forget(registry.name)
            result.lines.append((line, "created", saved.id))
        elif before != store.state(registry, saved):
            result.updated += 1
            result.lines.append((line, "updated", saved.id))
        else:
            result.unchanged += 1
            result.lines.append((line, "unchanged", saved.id))
    if errors or dry_run:
        nested.rollback()
    else:
        nested.commit()
    if errors:
        raise InvalidInput(*TEXTS["invalid"], errors=errors)
    return result
