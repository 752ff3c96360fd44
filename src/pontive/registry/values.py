"""A registry field's values: read from what people send (form text, CSV cells, JSON) and
written back as text (CSV, history, forms).

``Lookups`` holds what parsing checks against (agencies, kelurahan, referenced rows), read
once per request or import. A bad value raises ``Problem`` with a message in both languages;
the store turns problems into field errors in the reader's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.geo import check_lon_lat
from pontive.core.registry import Field, Kind, Registry, Text, get, pick
from pontive.reference import service as reference

MESSAGES: dict[str, Text] = {
    "required": ("Wajib diisi.", "Required."),
    "too_long": ("Terlalu panjang (paling banyak {n} karakter).", "Too long (at most {n})."),
    "int": ("Harus bilangan bulat.", "Must be a whole number."),
    "number": ("Harus angka.", "Must be a number."),
    "min": ("Paling kecil {n}.", "At least {n}."),
    "max": ("Paling besar {n}.", "At most {n}."),
    "date": ("Tanggal tidak dikenali (TTTT-BB-HH).", "Unrecognised date (YYYY-MM-DD)."),
    "datetime": ("Waktu tidak dikenali (TTTT-BB-HH JJ:MM).", "Unrecognised time."),
    "bool": ("Isi ya atau tidak.", "Use yes or no."),
    "choice": ("Pilihan tidak dikenal: {v}.", "Unknown choice: {v}."),
    "pd": ("Perangkat Daerah tidak dikenal: {v}.", "Unknown agency: {v}."),
    "kelurahan": ("Kelurahan tidak dikenal: {v}.", "Unknown kelurahan: {v}."),
    "ref": ("Tidak ditemukan: {v}.", "Not found: {v}."),
    "point": ("Koordinat tidak valid (bujur, lintang).", "Invalid coordinates (lon, lat)."),
    "point_half": ("Isi bujur dan lintang keduanya.", "Give both longitude and latitude."),
    "line": (
        "Garis tidak valid: paling sedikit dua titik bujur lintang.",
        "Invalid line: at least two lon/lat points.",
    ),
    "url": ("Alamat harus diawali http:// atau https://.", "Must start with http(s)://."),
    "email": ("Alamat e-mail tidak valid.", "Invalid e-mail address."),
    "phone": ("Nomor telepon tidak valid.", "Invalid phone number."),
    "unique": ("Sudah dipakai oleh baris lain.", "Already used by another row."),
    "unknown": ("Kolom tidak dikenal.", "Unknown column."),
}

TRUE = frozenset({"1", "true", "ya", "y", "yes", "on", "benar"})
FALSE = frozenset({"0", "false", "tidak", "t", "no", "n", "off", "salah", ""})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{6,20}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
LONGTEXT_MAX = 20000


class Problem(ValueError):
    """A value that cannot be read; ``text`` in both languages."""

    def __init__(self, key: str, **values: object) -> None:
        text_id, text_en = MESSAGES[key]
        self.text: Text = (text_id.format(**values), text_en.format(**values))
        super().__init__(self.text[1])

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        return pick(self.text, lang)


@dataclass
class Lookups:
    """What parsing checks values against, loaded lazily once per request or import."""

    session: Session
    zone: ZoneInfo
    _pds: dict[str, str] | None = None
    _kelurahan: dict[str, str] | None = None
    _refs: dict[str, dict[str, int]] = field(default_factory=dict)

    def pd(self, raw: str) -> str:
        """An agency's code from its code or abbreviation (any case)."""
        if self._pds is None:
            self._pds = {}
            for pd in reference.list_perangkat_daerah(session=self.session, active_only=False):
                self._pds[pd.kode.lower()] = pd.kode
                self._pds.setdefault(pd.singkatan.lower(), pd.kode)
        found = self._pds.get(raw.lower())
        if found is None:
            raise Problem("pd", v=raw)
        return found

    def kelurahan(self, raw: str) -> str:
        """A kelurahan's code from its code or name (any case)."""
        if self._kelurahan is None:
            self._kelurahan = {}
            for kecamatan in reference.list_kecamatan(session=self.session):
                for kelurahan in kecamatan.kelurahan:
                    self._kelurahan[kelurahan.kode.lower()] = kelurahan.kode
                    self._kelurahan.setdefault(kelurahan.nama_umum.lower(), kelurahan.kode)
        found = self._kelurahan.get(raw.lower())
        if found is None:
            raise Problem("kelurahan", v=raw)
        return found

    def ref(self, registry_name: str, raw: str) -> int:
        """The id of a referenced row, from its id or its natural key."""
        known = self._refs.get(registry_name)
        if known is None:
            target = get(registry_name)
            model: Any = target.model
            known = {}
            key = target.natural_key
            columns = [model.id] + ([getattr(model, key)] if key else [])
            for row in self.session.execute(select(*columns)):
                known[str(row[0])] = row[0]
                if key and row[1] is not None:
                    known.setdefault(str(row[1]).lower(), row[0])
            self._refs[registry_name] = known
        found = known.get(raw) if raw.isdigit() else known.get(raw.lower())
        if found is None:
            raise Problem("ref", v=raw)
        return found

    def forget(self, registry_name: str) -> None:
        """Reread a registry's keys (rows were added during an import)."""
        self._refs.pop(registry_name, None)


def _as_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (list, tuple)):
        return ",".join(str(item) for item in raw)
    return str(raw).strip()


def _number(raw: Any, spec: Field, *, integer: bool) -> int | Decimal:
    text = _as_text(raw).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value: int | Decimal = int(text) if integer else Decimal(text)
    except (ValueError, InvalidOperation):
        raise Problem("int" if integer else "number") from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise Problem("number")
    if spec.minimum is not None and value < spec.minimum:
        raise Problem("min", n=_plain(spec.minimum))
    if spec.maximum is not None and value > spec.maximum:
        raise Problem("max", n=_plain(spec.maximum))
    return value


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def parse_date(text: str) -> date:
    """A date typed as ``2026-11-30``, ``30-11-2026`` or ``30/11/2026``."""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text[:10], pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise Problem("date")


def _datetime(text: str, zone: ZoneInfo) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise Problem("datetime") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _choice(spec: Field, text: str) -> str:
    lowered = text.lower()
    for member in spec.choices or ():
        if lowered in (member.value, member.label("id").lower(), member.label("en").lower()):
            return member.value
    raise Problem("choice", v=text)


def parse_line(raw: Any) -> list[list[float]]:
    """A line: ``[[lon, lat], ...]``, a GeoJSON LineString, or ``lon lat`` pairs separated by
    semicolons or new lines."""
    points: Any = raw
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith(("[", "{")):
            try:
                points = json.loads(text)
            except ValueError:
                raise Problem("line") from None
        else:
            pairs = [p for p in re.split(r"[;\n]+", text) if p.strip()]
            points = [re.split(r"[,\s]+", p.strip()) for p in pairs]
    if isinstance(points, dict):
        points = points.get("coordinates") if points.get("type") == "LineString" else None
    if not isinstance(points, list) or len(points) < 2:
        raise Problem("line")
    line: list[list[float]] = []
    for point in points:
        try:
            lon, lat = (float(v) for v in point)
            check_lon_lat(lon, lat)
        except (TypeError, ValueError):
            raise Problem("line") from None
        line.append([round(lon, 6), round(lat, 6)])
    return line


def parse_point(lon_raw: Any, lat_raw: Any) -> tuple[float, float] | None:
    """A point from its two coordinates (``None`` when both are empty)."""
    lon_text, lat_text = _as_text(lon_raw), _as_text(lat_raw)
    if not lon_text and not lat_text:
        return None
    if not lon_text or not lat_text:
        raise Problem("point_half")
    try:
        lon, lat = float(lon_text.replace(",", ".")), float(lat_text.replace(",", "."))
        check_lon_lat(lon, lat)
    except ValueError:
        raise Problem("point") from None
    return round(lon, 6), round(lat, 6)


def parse(spec: Field, raw: Any, lookups: Lookups) -> Any:
    """The stored value of ``raw`` for ``spec`` (``None`` when empty); ``Problem`` if bad.

    Not for ``POINT`` fields (``parse_point``)."""
    if spec.kind is Kind.LINE:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return json.dumps(parse_line(raw))
    if spec.kind is Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        lowered = _as_text(raw).lower()
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        raise Problem("bool")
    if spec.kind is Kind.CHOICES:
        items = raw if isinstance(raw, list) else re.split(r"[,;]", _as_text(raw))
        chosen = [_choice(spec, str(item).strip()) for item in items if str(item).strip()]
        order = [m.value for m in spec.choices or ()]
        return ",".join(sorted(set(chosen), key=order.index)) or None
    text = _as_text(raw)
    if not text:
        return None
    return _parse_text(spec, text, raw, lookups)


def _parse_text(spec: Field, text: str, raw: Any, lookups: Lookups) -> Any:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.URL, Kind.EMAIL, Kind.PHONE):
        text = " ".join(text.split())
        if len(text) > spec.max_length:
            raise Problem("too_long", n=spec.max_length)
        if kind is Kind.URL and not re.match(r"^https?://\S+$", text):
            raise Problem("url")
        if kind is Kind.EMAIL and not _EMAIL.match(text):
            raise Problem("email")
        if kind is Kind.PHONE and not _PHONE.match(text):
            raise Problem("phone")
        return text
    if kind is Kind.LONGTEXT:
        if len(text) > LONGTEXT_MAX:
            raise Problem("too_long", n=LONGTEXT_MAX)
        return text
    if kind is Kind.INT:
        return int(_number(raw, spec, integer=True))
    if kind is Kind.DECIMAL:
        return _number(raw, spec, integer=False)
    if kind is Kind.DATE:
        return parse_date(text)
    if kind is Kind.DATETIME:
        return _datetime(text, lookups.zone)
    if kind is Kind.CHOICE and spec.choices is not None:
        return spec.choices(_choice(spec, text))
    if kind is Kind.PD:
        return lookups.pd(text)
    if kind is Kind.KELURAHAN:
        return lookups.kelurahan(text)
    if kind is Kind.REF and spec.ref is not None:
        return lookups.ref(spec.ref, text)
    raise ValueError(f"no parser for {kind}")  # POINT goes through parse_point


def to_text(spec: Field, value: Any, zone: ZoneInfo) -> str:
    """``value`` as text (CSV cells, history, form inputs)."""
    if value is None:
        return ""
    if spec.kind is Kind.BOOL:
        return "true" if value else "false"
    if spec.kind is Kind.DATETIME and isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "value"):  # an enum member
        return str(value.value)
    return str(value)


def to_json(spec: Field, value: Any) -> Any:
    """``value`` as JSON (the API)."""
    if value is None:
        return [] if spec.kind is Kind.CHOICES else None
    if spec.kind is Kind.CHOICES:
        return [v for v in str(value).split(",") if v]
    if spec.kind is Kind.LINE:
        return json.loads(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def label_of(registry: Registry, row: Any) -> str:
    """What names a row (its title field)."""
    value = getattr(row, registry.title_field, None)
    return str(value) if value not in (None, "") else f"#{row.id}"
