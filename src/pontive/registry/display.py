"""How registry values look on pages: a cell's text, link and colour, and a form's controls.

Pages build these in Python (``Cell``, ``Control``) so that templates only lay them out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pontive.core.registry import Field, Kind, Registry, get, pick
from pontive.core.timeutil import WIB
from pontive.reference import service as reference
from pontive.registry import store
from pontive.registry.values import to_text
from pontive.web.forms import kelurahan_names, pd_names

YES_NO = {True: ("Ya", "Yes"), False: ("Tidak", "No")}


@dataclass(frozen=True, slots=True)
class Cell:
    """One value as shown: its text, and a link or a badge colour when it has one."""

    text: str
    href: str | None = None
    colour: str | None = None
    value: str = ""
    masked: bool = False
    multiline: bool = False


@dataclass
class Names:
    """Names of the codes and references on one page (agencies, kelurahan, rows)."""

    session: Session
    zone: ZoneInfo
    lang: str
    refs: dict[str, dict[int, str]] = field(default_factory=dict)
    _pds: dict[str, str] | None = None
    _kelurahan: dict[str, str] | None = None

    @property
    def pds(self) -> dict[str, str]:
        """Agency code -> abbreviation."""
        if self._pds is None:
            self._pds = pd_names(self.session)
        return self._pds

    @property
    def kelurahan(self) -> dict[str, str]:
        """Kelurahan code -> name."""
        if self._kelurahan is None:
            self._kelurahan = kelurahan_names(self.session)
        return self._kelurahan


def number_text(value: Decimal | int | float, lang: str) -> str:
    """A number with the language's separators (1.234,5 / 1,234.5); whole numbers (years,
    ports, counts) as they are."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def date_text(value: date, lang: str) -> str:
    """A date as people read it (30-11-2026 / 2026-11-30)."""
    return value.strftime("%Y-%m-%d" if lang == "en" else "%d-%m-%Y")


def cell(registry: Registry, spec: Field, row: Any, names: Names) -> Cell:
    """How ``row``'s value of ``spec`` looks."""
    lang = names.lang
    if spec.kind is Kind.POINT:
        lon, lat = getattr(row, "lon", None), getattr(row, "lat", None)
        if lon is None or lat is None:
            return Cell("—")
        place = names.kelurahan.get(getattr(row, "kelurahan_kode", None) or "", "")
        text = f"{lat:.5f}, {lon:.5f}" + (f" · {place}" if place else "")
        return Cell(text, value=f"{lon},{lat}")
    value = getattr(row, spec.name, None)
    if spec.personal:
        return Cell("•••" if value else "—", masked=bool(value))
    if value is None or value == "":
        return Cell("—")
    kind = spec.kind
    if kind is Kind.CHOICE and hasattr(value, "label"):
        return Cell(value.label(lang), colour=value.meta.colour, value=value.value)
    if kind is Kind.CHOICES and spec.choices is not None:
        chosen = [spec.choices(v) for v in str(value).split(",") if v]
        return Cell(", ".join(c.label(lang) for c in chosen), value=str(value))
    if kind is Kind.BOOL:
        return Cell(pick(YES_NO[bool(value)], lang), value="true" if value else "false")
    if kind is Kind.PD:
        return Cell(names.pds.get(value, value), value=value)
    if kind is Kind.KELURAHAN:
        return Cell(names.kelurahan.get(value, value), value=value)
    if kind is Kind.REF and spec.ref is not None:
        label = names.refs.get(spec.name, {}).get(value, f"#{value}")
        return Cell(label, href=f"{get(spec.ref).path}/{value}", value=str(value))
    if kind is Kind.DATE and isinstance(value, date):
        return Cell(date_text(value, lang), value=value.isoformat())
    if kind is Kind.DATETIME and isinstance(value, datetime):
        local = value.astimezone(names.zone)
        return Cell(f"{date_text(local.date(), lang)} {local:%H:%M} WIB", value=local.isoformat())
    if kind in (Kind.INT, Kind.DECIMAL):
        return Cell(number_text(value, lang), value=str(value))
    if kind is Kind.URL:
        return Cell(str(value), href=str(value), value=str(value))
    if kind is Kind.EMAIL:
        return Cell(str(value), href=f"mailto:{value}", value=str(value))
    if kind is Kind.LINE:
        points = len(json.loads(value))
        return Cell(f"{points} titik" if lang == "id" else f"{points} points", value=str(value))
    return Cell(str(value), value=str(value), multiline=kind is Kind.LONGTEXT)


def row_cells(registry: Registry, fields: Sequence[Field], row: Any, names: Names) -> list[Cell]:
    """The cells of one row for ``fields``."""
    return [cell(registry, spec, row, names) for spec in fields]


def names_for(session: Session, registry: Registry, rows: Sequence[Any], lang: str) -> Names:
    """The names a page of ``rows`` needs."""

    names = Names(session, WIB, lang)
    names.refs = store.ref_labels(session, registry, rows)
    return names


@dataclass(frozen=True, slots=True)
class Control:
    """A form control for one field."""

    name: str
    label: str
    kind: str
    required: bool
    hint: str = ""
    options: Sequence[tuple[str, str]] = ()
    max_length: int = 200
    step: str = ""


def _options(session: Session, spec: Field, names: Names) -> list[tuple[str, str]]:
    lang = names.lang
    if spec.kind in (Kind.CHOICE, Kind.CHOICES) and spec.choices is not None:
        return spec.choices.options(lang)
    if spec.kind is Kind.PD:
        return [
            (pd.kode, f"{pd.singkatan} — {pd.nama}")
            for pd in reference.list_perangkat_daerah(session=session)
        ]
    if spec.kind is Kind.KELURAHAN:
        return [
            (k.kode, f"{k.nama_umum} ({kecamatan.nama_umum})")
            for kecamatan in reference.list_kecamatan(session=session)
            for k in kecamatan.kelurahan
        ]
    if spec.kind is Kind.REF and spec.ref is not None:
        return [(str(i), label) for i, label in store.ref_options(session, spec.ref)]
    return []


def controls(session: Session, registry: Registry, lang: str) -> list[Control]:
    """The form's controls, in declaration order (computed fields left out)."""

    names = Names(session, WIB, lang)
    return [
        Control(
            name=spec.name,
            label=pick(spec.label, lang),
            kind=spec.kind.value,
            required=spec.required,
            hint=pick(spec.hint, lang) if spec.hint else "",
            options=_options(session, spec, names),
            max_length=spec.max_length,
            step="any" if spec.kind is Kind.DECIMAL else "1",
        )
        for spec in registry.editable
    ]


def form_values(registry: Registry, row: Any, zone: ZoneInfo) -> dict[str, Any]:
    """A row's values as a form shows them (personal fields left empty: they are typed
    again only to change them)."""
    values: dict[str, Any] = {}
    for spec in registry.editable:
        if spec.kind is Kind.POINT:
            values["lon"] = to_text(spec, getattr(row, "lon", None), zone)
            values["lat"] = to_text(spec, getattr(row, "lat", None), zone)
            continue
        if spec.personal:
            continue
        value = getattr(row, spec.name, None)
        if spec.kind is Kind.DATETIME and isinstance(value, datetime):
            values[spec.name] = value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
        elif spec.kind is Kind.CHOICES:
            values[spec.name] = [v for v in str(value or "").split(",") if v]
        elif spec.kind is Kind.LINE and value:
            values[spec.name] = "\n".join(f"{lon} {lat}" for lon, lat in json.loads(value))
        else:
            values[spec.name] = to_text(spec, value, zone)
    return values


def typed_values(registry: Registry, form: Mapping[str, Any]) -> dict[str, Any]:
    """What was posted, keyed as the store reads it (lists for multi-choices)."""
    values: dict[str, Any] = {}
    for spec in registry.editable:
        if spec.kind is Kind.POINT:
            values["lon"] = str(form.get("lon", "")).strip()
            values["lat"] = str(form.get("lat", "")).strip()
        elif spec.kind is Kind.CHOICES:
            getter = getattr(form, "getlist", None)
            values[spec.name] = list(getter(spec.name)) if getter else form.get(spec.name, [])
        elif spec.kind is Kind.BOOL:
            values[spec.name] = "true" if form.get(spec.name) in ("true", "on", "1") else "false"
        else:
            raw = form.get(spec.name, "")
            values[spec.name] = raw if isinstance(raw, str) else ""
    return values
