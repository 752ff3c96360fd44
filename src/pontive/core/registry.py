"""Registries declared as data: a table, its fields, who reads and who edits it.

The institutions, assets and participation domains keep many lists of the same shape (council
members, partnerships, trainings, ICT assets, information systems, Wi-Fi hotspots ...). Each
is declared once as a ``Registry`` of ``Field``s; from that one declaration the platform
gives it the same things everywhere (NetBox's lesson: every list behaves alike):

- the service (``core/registry_store.py``): list with filters, search, sort and pages; read;
  create, change and delete with field errors in the reader's language; bulk edit; a change
  history of field values (``registry_changes``) besides the hash-chained audit trail;
  documents attached to a row; personal fields sealed at rest, left out of public output and
  audited when read;
- CSV export and import (``core/registry_csv.py``), all-or-nothing, matched by natural key;
- reminders before a date field falls due (``core/reminders.py``, run by the worker);
- the console pages (``web/registry_pages.py``) and the JSON API (``web/registry_api.py``).

Conventions a model follows so that the declaration works:

- the primary key is ``id`` (an integer); rows are addressed by it in URLs;
- a ``POINT`` field is stored in the model's ``lon`` and ``lat`` columns; when the model has
  ``kelurahan_kode`` it is resolved from the point on every write;
- a ``LINE`` field is a text column holding ``[[lon, lat], ...]`` as JSON;
- a ``REF`` field is an integer foreign-key column pointing to the ``id`` of the registry
  named by ``ref``; ``CHOICES`` is a text column of comma-separated values;
- a ``personal`` field's column is ``EncryptedText``;
- ``created_at``/``updated_at``/``updated_by`` columns, when present, are kept by the store.

Domains declare their registries in ``<domain>/registries.py`` and call ``register``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from pontive.core.choices import LabelledChoice
from pontive.core.identity import Actor

if TYPE_CHECKING:
    from pontive.core.db import Base

# A text in Bahasa Indonesia and English.
Text = tuple[str, str]


def pick(text: Text, lang: str) -> str:
    """The text in ``lang`` (``id`` or ``en``)."""
    return text[1] if lang == "en" else text[0]


class Kind(StrEnum):
    """What a field holds, which decides its parsing, its form control and its CSV form."""

    TEXT = "text"
    LONGTEXT = "longtext"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CHOICE = "choice"
    CHOICES = "choices"
    PD = "pd"
    KELURAHAN = "kelurahan"
    REF = "ref"
    POINT = "point"
    LINE = "line"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a registry as people see it.

    ``name`` is the model attribute (for ``POINT``: any name, the columns are ``lon``/``lat``).
    ``in_list`` shows it as a column of the list, ``filter`` offers it as a filter (choices,
    PD, kelurahan, references, booleans: exact; dates: from/to), ``bulk`` lets the bulk edit
    set it on many rows at once, ``readonly`` marks a value the platform computes (shown and
    exported, never typed or imported). ``public`` fields of a public registry appear in
    public pages and the unauthenticated API; ``personal`` ones never do.
    """

    name: str
    label: Text
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: type[LabelledChoice] | None = None
    ref: str | None = None
    max_length: int = 200
    minimum: float | None = None
    maximum: float | None = None
    in_list: bool = False
    filter: bool = False
    bulk: bool = False
    readonly: bool = False
    personal: bool = False
    public: bool = True
    hint: Text | None = None
    default: Any = None

    def __post_init__(self) -> None:
        if self.kind in (Kind.CHOICE, Kind.CHOICES) and self.choices is None:
            raise ValueError(f"field {self.name!r}: a choice field needs its choices")
        if self.kind is Kind.REF and not self.ref:
            raise ValueError(f"field {self.name!r}: a reference field names its registry")


@dataclass(frozen=True, slots=True)
class ReminderRule:
    """Remind before a date field falls due: once ``days`` before each, and once on the day.

    ``when`` limits the rows (e.g. only active agreements, only open findings): a row that
    leaves it is reminded no more. Reminders go to the technical team and, when the row has
    an owner PD, to that agency's officers.
    """

    kind: str  # e.g. "partnership.expiry"
    date_field: str
    days: tuple[int, ...] = (30, 7, 0)
    overdue: bool = False  # also remind once the date has passed
    when: Callable[[], ColumnElement[bool]] | None = None
    subject: Text = ("Pengingat", "Reminder")


@dataclass(frozen=True, slots=True)
class Panel:
    """A domain's own section on a row's page: ``template`` is included with the page's
    context plus ``panel`` (what ``context(session, actor, row)`` returns); ``stylesheet``
    (a ``/static/...`` path) is loaded by the page when given."""

    template: str
    context: Callable[[Session, Actor, Any], Mapping[str, Any]]
    stylesheet: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A domain page shown beside an area's registries (a map, a graph, a report)."""

    href: str
    label: Text
    action: str
    icon: str = "map"


@dataclass(frozen=True)
class Area:
    """A console area holding registries (``/console/kelembagaan`` ...): its home page lists
    them with their counts, the latest changes and open reminders, plus ``links``."""

    path: str
    domain: str
    title: Text
    description: Text
    action: str
    icon: str = "list"
    order: int = 600
    links: tuple[Link, ...] = ()


Validator = Callable[[Session, Mapping[str, Any], Any, str], dict[str, list[str]]]
AfterSave = Callable[[Session, Actor, Any], None]


@dataclass(frozen=True)
class Registry:
    """A list of things of one kind, declared once (see the module docstring).

    ``name`` is ``<domain>.<api_slug>``; the console lists it at ``<console>/<slug>`` and the
    API at ``/api/v1/<domain>/<api_slug>``. ``view_action``/``edit_action`` are permission
    actions; when ``edit_action`` is PD-scoped the row's ``owner_field`` (a ``PD`` field) is
    its owner. ``natural_key`` names a unique field that CSV imports match rows on.
    ``parent`` names a ``REF`` field: the parent's page lists this registry's rows under it.
    ``public`` registries are readable by anyone (their ``public`` fields only, rows that
    ``public_where`` admits).
    """

    name: str
    domain: str
    api_slug: str
    slug: str
    console: str
    model: type[Base]
    title: Text
    singular: Text
    description: Text
    fields: tuple[Field, ...]
    view_action: str
    edit_action: str
    title_field: str
    order: tuple[str, ...] = ("id",)
    natural_key: str | None = None
    owner_field: str | None = None
    search: tuple[str, ...] = ()
    parent: str | None = None
    public: bool = False
    public_where: Callable[[], ColumnElement[bool]] | None = None
    documents: bool = False
    reminders: tuple[ReminderRule, ...] = ()
    validate: Validator | None = None
    after_save: AfterSave | None = None
    icon: str = "list"
    panels: tuple[Panel, ...] = ()
    # One valid row (CSV values; references by natural key or left out): the CSV template,
    # the API documentation's example and the generic tests' starting point.
    example: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"registry {self.name!r} declares a field twice")
        for needed in (self.title_field, self.natural_key, self.owner_field, self.parent):
            if needed is not None and needed not in names:
                raise ValueError(f"registry {self.name!r}: no field {needed!r}")
        if not self.name.startswith(f"{self.domain}."):
            raise ValueError(f"registry {self.name!r} is not named after its domain")

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` when there is none)."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def path(self) -> str:
        """The console path of the list."""
        return f"{self.console}/{self.slug}"

    @property
    def api_path(self) -> str:
        """The API path of the list."""
        return f"/api/v1/{self.domain}/{self.api_slug}"

    @property
    def editable(self) -> tuple[Field, ...]:
        """Fields people type (not the computed ones)."""
        return tuple(f for f in self.fields if not f.readonly)

    @property
    def has_point(self) -> bool:
        """Whether rows have a place on the map."""
        return any(f.kind is Kind.POINT for f in self.fields)


_REGISTRIES: dict[str, Registry] = {}
_AREAS: dict[str, Area] = {}


def register_area(area: Area) -> Area:
    """Declare a console area (once); returns it."""
    if area.path in _AREAS:
        raise ValueError(f"area {area.path!r} registered twice")
    _AREAS[area.path] = area
    return area


def areas() -> list[Area]:
    """Every declared area, in display order."""
    load()
    return sorted(_AREAS.values(), key=lambda a: (a.order, a.path))


def area_of(registry: Registry) -> Area | None:
    """The area a registry's list lives in."""
    load()
    return _AREAS.get(registry.console)


def register(registry: Registry) -> Registry:
    """Declare a registry (once); returns it."""
    if registry.name in _REGISTRIES:
        raise ValueError(f"registry {registry.name!r} registered twice")
    _REGISTRIES[registry.name] = registry
    return registry


def get(name: str) -> Registry:
    """The registry called ``name``."""
    load()
    return _REGISTRIES[name]


def all_registries() -> list[Registry]:
    """Every declared registry, by name."""
    load()
    return [_REGISTRIES[name] for name in sorted(_REGISTRIES)]


def of_domain(domain: str) -> list[Registry]:
    """The registries of one domain, in declaration order."""
    load()
    return [r for r in _REGISTRIES.values() if r.domain == domain]


def load() -> None:
    """Import every domain's ``registries`` module (each registers its own)."""
    from pontive.domains import domain_modules  # late: domains imports nothing of ours

    for _ in domain_modules("registries"):
        pass
