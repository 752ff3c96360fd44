"""How a domain declares the personal data it holds (UU 27/2022 PDP), next to its models.

Each domain with personal data has a ``<domain>/privacy.py`` that calls ``declare`` once per
table with a ``Source``: which columns are personal (category, whose, how erased), which
columns only look personal and why they are not, how a data subject is found in the table,
and when its personal data expires. The inventory (``inventory.py``), the export and erasure
on request (``service.py``) and the retention job (``retention.py``) are generated from these
declarations, so a table cannot be covered by one and forgotten by another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement
from sqlalchemy.orm import InstrumentedAttribute, Session

if TYPE_CHECKING:
    from pontive.core.storage import MediaStore

Labels = tuple[str, str]  # (Bahasa Indonesia, English)


class Category(StrEnum):
    """Kinds of personal data, as the inventory groups them."""

    IDENTITAS = "identitas"  # name, NIP, username
    KONTAK = "kontak"  # e-mail address, phone number
    PENGENAL = "pengenal"  # a keyed digest of a contact (blind index): pseudonymous
    JARINGAN = "jaringan"  # an IP address
    TEKS = "teks"  # free text the person wrote, which may name them
    GAMBAR = "gambar"  # photos the person sent


CATEGORY_LABELS: dict[Category, Labels] = {
    Category.IDENTITAS: ("Identitas", "Identity"),
    Category.KONTAK: ("Kontak", "Contact"),
    Category.PENGENAL: ("Pengenal tersamar", "Pseudonymous identifier"),
    Category.JARINGAN: ("Alamat jaringan", "Network address"),
    Category.TEKS: ("Teks bebas", "Free text"),
    Category.GAMBAR: ("Gambar", "Images"),
}


class Subject(StrEnum):
    """Whose data it is."""

    PELAPOR = "pelapor"  # a complainant
    PENERIMA = "penerima"  # a person a message was sent to
    PENGGUNA = "pengguna"  # a user account (citizen or staff)
    WARGA = "warga"  # a citizen taking part (ideas, comments, supports, adoptions)
    PELANGGAN = "pelanggan"  # an alert e-mail subscriber
    PEMILIK_CCTV = "pemilik_cctv"  # the owner of a contributed camera
    PENONTON = "penonton"  # whoever watched a camera
    NARAHUBUNG = "narahubung"  # a provider's or stakeholder's contact person
    PEJABAT = "pejabat"  # a council member, official or civil servant in office


SUBJECT_LABELS: dict[Subject, Labels] = {
    Subject.PELAPOR: ("Pelapor pengaduan", "Complainant"),
    Subject.PENERIMA: ("Penerima pesan", "Message recipient"),
    Subject.PENGGUNA: ("Pemilik akun", "Account holder"),
    Subject.WARGA: ("Warga peserta", "Participating citizen"),
    Subject.PELANGGAN: ("Pelanggan peringatan", "Alert subscriber"),
    Subject.PEMILIK_CCTV: ("Pemilik CCTV", "Camera owner"),
    Subject.PENONTON: ("Penonton CCTV", "Camera viewer"),
    Subject.NARAHUBUNG: ("Narahubung", "Contact person"),
    Subject.PEJABAT: ("Pejabat/ASN", "Official or civil servant"),
}


class Basis(StrEnum):
    """Legal basis of processing (UU 27/2022 Pasal 20(2))."""

    PERSETUJUAN = "persetujuan"  # (a) explicit consent
    PERJANJIAN = "perjanjian"  # (b) a contract, e.g. a camera-sharing MoU
    KEWAJIBAN_HUKUM = "kewajiban_hukum"  # (c) a legal obligation of the controller
    TUGAS_PUBLIK = "tugas_publik"  # (e) a public-service task under the law
    KEPENTINGAN_SAH = "kepentingan_sah"  # (f) legitimate interest (security, audit)


BASIS_LABELS: dict[Basis, Labels] = {
    Basis.PERSETUJUAN: ("Persetujuan (Pasal 20(2)a)", "Consent (Art. 20(2)a)"),
    Basis.PERJANJIAN: ("Perjanjian (Pasal 20(2)b)", "Contract (Art. 20(2)b)"),
    Basis.KEWAJIBAN_HUKUM: ("Kewajiban hukum (Pasal 20(2)c)", "Legal obligation (Art. 20(2)c)"),
    Basis.TUGAS_PUBLIK: ("Pelayanan publik (Pasal 20(2)e)", "Public service (Art. 20(2)e)"),
    Basis.KEPENTINGAN_SAH: ("Kepentingan sah (Pasal 20(2)f)", "Legitimate interest (Art. 20(2)f)"),
}


class Erase(StrEnum):
    """What erasure does to a personal column."""

    CLEAR = "clear"  # set to NULL
    MARKER = "marker"  # replaced by the marker ``[dihapus]``
    RANDOM = "random"  # a digest replaced by a random value: counts stay, the link is gone
    DELETE_ROW = "delete_row"  # the whole row is deleted
    REPLACED = "replaced"  # replaced by the source's erasure hook (``Personal.note`` says how)
    KEEP = "keep"  # kept on purpose (``Personal.note`` says why)


ERASE_LABELS: dict[Erase, Labels] = {
    Erase.CLEAR: ("dikosongkan", "cleared"),
    Erase.MARKER: ("diganti [dihapus]", "replaced by [dihapus]"),
    Erase.RANDOM: ("diganti nilai acak", "replaced by a random value"),
    Erase.DELETE_ROW: ("baris dihapus", "row deleted"),
    Erase.REPLACED: ("diganti", "replaced"),
    Erase.KEEP: ("disimpan", "kept"),
}


MARKER = "[dihapus]"
RANDOM_PREFIX = "-"  # real digests are hex; an erased one starts with this


class Lookup(StrEnum):
    """How a data subject is named in a request."""

    TRACKING = "tracking"  # a complaint's tracking number
    CONTACT = "contact"  # an e-mail address or phone number
    USER = "user"  # a username


@dataclass(frozen=True, slots=True)
class SubjectQuery:
    """One data subject, as named in a request."""

    lookup: Lookup
    value: str

    @property
    def normalised(self) -> str:
        """The value as stored for comparison: trimmed, lower case; tracking upper case."""
        text = self.value.strip()
        return text.upper() if self.lookup is Lookup.TRACKING else text.lower()


ColumnRef = InstrumentedAttribute[Any] | Column[Any]


def column_of(ref: ColumnRef) -> Column[Any]:
    """The table column behind a mapped attribute."""
    if isinstance(ref, Column):
        return ref
    found = ref.property.columns[0]
    if not isinstance(found, Column):
        raise TypeError(f"{ref} is not a plain column")
    return found


@dataclass(frozen=True, slots=True)
class Personal:
    """A personal column: its category, its label, and what erasure does to it."""

    column: ColumnRef
    category: Category
    label: Labels
    erase: Erase = Erase.CLEAR
    note: Labels | None = None  # why it is kept, or what replaces it

    def __post_init__(self) -> None:
        explained = self.erase in (Erase.KEEP, Erase.REPLACED)
        if explained != (self.note is not None):
            raise ValueError(f"{self.column}: a kept or replaced column says why, and only one")


@dataclass(frozen=True, slots=True)
class NotPersonal:
    """A column whose name or type looks personal but which is not, and why."""

    column: ColumnRef
    reason: str


@dataclass(frozen=True, slots=True)
class Context:
    """A column exported beside the personal ones so that the copy makes sense."""

    column: ColumnRef
    label: Labels


@dataclass(frozen=True, slots=True)
class Retention:
    """When a table's personal data expires: ``expired(cutoff)`` selects the rows whose
    personal data is older than the setting's number of days (``cutoff`` = now - days)."""

    setting: str  # a field of ``Settings``: days
    expired: Callable[[datetime], ColumnElement[bool]]


# A subject query → a WHERE clause on the source's table (or None: not searchable this way).
Finder = Callable[[SubjectQuery], ColumnElement[bool] | None]


@dataclass(frozen=True, slots=True)
class EraseContext:
    """What an erasure hook may need besides the session. Hooks add media keys to
    ``files`` rather than deleting them: the files go only once the erasure has committed."""

    session: Session
    media: MediaStore | None
    files: list[str] = field(default_factory=list)

    def delete_files(self) -> None:
        """Remove the collected media files (after the commit)."""
        if self.media is None:
            return
        for key in self.files:
            self.media.delete(key)


@dataclass(frozen=True, slots=True)
class Source:
    """One table's personal data and how it is found, exported, erased and expired."""

    name: str  # "complaints.reports": domain, dot, what it holds
    model: type[Any]
    label: Labels
    subject: Subject
    purpose: Labels
    basis: Basis
    personal: tuple[Personal, ...]
    retention_rule: Labels  # in words, for the inventory (also when no job applies)
    retention: Retention | None = None
    find: Finder | None = None
    # Sealed columns without a blind index, compared after opening (small tables only).
    scan_contact: tuple[ColumnRef, ...] = ()
    context: tuple[Context, ...] = ()
    not_personal: tuple[NotPersonal, ...] = ()
    # Extra work on erasure (photos, free text): called with the erased rows' ids.
    on_erase: Callable[[EraseContext, Sequence[int]], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def table_name(self) -> str:
        """The table it describes."""
        return str(self.model.__tablename__)

    @property
    def is_findable(self) -> bool:
        """Whether a request can reach its rows."""
        return self.find is not None or bool(self.scan_contact)


_SOURCES: dict[str, Source] = {}
_NOT_PERSONAL: dict[tuple[str, str], str] = {}


def not_personal(*items: NotPersonal) -> None:
    """Declare columns of tables without personal data that only look personal, and why."""
    for item in items:
        column = column_of(item.column)
        key = (column.table.name, column.name)
        if key in _NOT_PERSONAL:
            raise ValueError(f"{key} declared not personal twice")
        _NOT_PERSONAL[key] = item.reason


def names_of_things(*refs: ColumnRef) -> None:
    """Declare columns that name things (places, agencies, datasets, devices), not people."""
    not_personal(*(NotPersonal(ref, "the name of a thing, not of a person") for ref in refs))


def declared_not_personal() -> dict[tuple[str, str], str]:
    """``(table, column) -> reason`` for every column declared not personal."""
    declared_sources()
    found = dict(_NOT_PERSONAL)
    for source in _SOURCES.values():
        for item in source.not_personal:
            column = column_of(item.column)
            found[(column.table.name, column.name)] = item.reason
    return found


def declare(source: Source) -> Source:
    """Register a table's personal-data declaration (once)."""
    if source.name in _SOURCES:
        raise ValueError(f"privacy source {source.name!r} declared twice")
    items: list[Personal | NotPersonal | Context] = [
        *source.personal,
        *source.not_personal,
        *source.context,
    ]
    for item in items:
        if column_of(item.column).table.name != source.table_name:
            raise ValueError(f"{source.name}: {item.column} is not a column of its table")
    _SOURCES[source.name] = source
    return source


def declared_sources() -> list[Source]:
    """Every declaration, after importing each domain's ``privacy`` module."""
    from pontive import domains

    domains.load_models()
    for _domain, _module in domains.domain_modules("privacy"):
        pass
    return sorted(_SOURCES.values(), key=lambda source: source.name)
