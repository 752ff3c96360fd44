"""Finding, copying and erasing one data subject's rows in one declared source.

Generic over the declarations of ``declare.py``: a source's ``find`` gives a WHERE clause,
``scan_contact`` names sealed columns compared after opening, and each personal column's
``Erase`` says what erasure writes. ``service.py`` runs these over every source for a request;
``retention.py`` runs the erasure over the rows a source's retention rule has expired.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, and_, delete, false, or_, select, true, update
from sqlalchemy.orm import Session

from pontive.core import crypto
from pontive.core.crypto import EncryptedText
from pontive.core.timeutil import WIB
from pontive.privacy.declare import (
    MARKER,
    RANDOM_PREFIX,
    Context,
    Erase,
    EraseContext,
    Lookup,
    Personal,
    Source,
    SubjectQuery,
    column_of,
)

_NOT_DIGITS = re.compile(r"\D")


def contact_forms(value: str) -> list[str]:
    """The ways a contact may have been typed and indexed: as given and, for a phone
    number, its digits in the local (0…), international (62…) and +62… forms."""
    text = value.strip().lower()
    forms = [text]
    if "@" not in text:
        digits = _NOT_DIGITS.sub("", text)
        local = "0" + digits[2:] if digits.startswith("62") else digits
        if local:
            forms += [local, "62" + local[1:], "+62" + local[1:]]
    return list(dict.fromkeys(form for form in forms if form))


def contact_indexes(query: SubjectQuery) -> list[str]:
    """Blind indexes of every form of a contact (empty for other look-ups)."""
    if query.lookup is not Lookup.CONTACT:
        return []
    return [crypto.blind_index(form) for form in contact_forms(query.value)]


def _same_contact(stored: str, query: SubjectQuery) -> bool:
    return bool(set(contact_forms(stored)) & set(contact_forms(query.value)))


def primary_key(source: Source) -> Column[Any]:
    """The table's single primary-key column."""
    keys: list[Column[Any]] = list(source.model.__table__.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"{source.name}: privacy sources need a single primary key")
    return keys[0]


def find_ids(session: Session, source: Source, query: SubjectQuery) -> list[int]:
    """Ids of the rows of ``source`` about the subject of ``query``."""
    pk = primary_key(source)
    found: set[int] = set()
    clause = source.find(query) if source.find is not None else None
    if clause is not None:
        found.update(session.scalars(select(pk).where(clause)))
    if query.lookup is Lookup.CONTACT and source.scan_contact:
        # Sealed without a blind index: open each stored contact (the tables are small).
        columns = [column_of(ref) for ref in source.scan_contact]
        rows = session.execute(select(pk, *columns).where(or_(*(c.is_not(None) for c in columns))))
        for row in rows:
            if any(value and _same_contact(value, query) for value in row[1:]):
                found.add(row[0])
    return sorted(found)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(WIB).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def export_rows(session: Session, source: Source, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rows as ``{"id", "fields": {column: {"label": {id, en}, "value"}}}``."""
    if not ids:
        return []
    pk = primary_key(source)
    described: list[Context | Personal] = [*source.context, *source.personal]
    items = [(item.column, item.label) for item in described]
    columns = [column_of(ref) for ref, _ in items]
    names = list(dict.fromkeys(column.name for column in columns))
    labels = {column_of(ref).name: label for ref, label in items}
    table = pk.table
    rows = session.execute(
        select(pk, *(table.c[name] for name in names)).where(pk.in_(ids)).order_by(pk)
    )
    return [
        {
            "id": row[0],
            "fields": {
                name: {"label": {"id": labels[name][0], "en": labels[name][1]}, "value": _plain(v)}
                for name, v in zip(names, row[1:], strict=True)
            },
        }
        for row in rows
    ]


def _random_digest() -> str:
    return RANDOM_PREFIX + secrets.token_hex(31)


def not_yet_erased(source: Source) -> ColumnElement[bool]:
    """Rows that still hold personal data erasure would remove (keeps runs idempotent)."""
    conditions: list[ColumnElement[bool]] = []
    for item in source.personal:
        column = column_of(item.column)
        if item.erase is Erase.DELETE_ROW:
            return true()  # an expired row still there still holds it
        if item.erase is Erase.CLEAR:
            conditions.append(column.is_not(None))
        elif item.erase is Erase.MARKER and not isinstance(column.type, EncryptedText):
            conditions.append(and_(column.is_not(None), column != MARKER))
        elif item.erase is Erase.RANDOM:
            conditions.append(and_(column.is_not(None), column.not_like(RANDOM_PREFIX + "%")))
    return or_(*conditions) if conditions else false()


def erase_rows(context: EraseContext, source: Source, ids: Sequence[int]) -> int:
    """Erase the personal data of these rows; returns how many fields (or rows) went."""
    if not ids:
        return 0
    session = context.session
    pk = primary_key(source)
    # Count (and rewrite) only what still holds personal data: a second erasure erases nothing.
    pending = list(session.scalars(select(pk).where(pk.in_(ids), not_yet_erased(source))))
    if source.on_erase is not None:
        source.on_erase(context, ids)
    ids = pending
    if not ids:
        session.expire_all()
        return 0
    if any(item.erase is Erase.DELETE_ROW for item in source.personal):
        result = session.execute(
            delete(pk.table).where(pk.in_(ids)).execution_options(synchronize_session=False)
        )
        session.expire_all()
        return int(getattr(result, "rowcount", 0) or 0)
    values: dict[str, Any] = {}
    for item in source.personal:
        name = column_of(item.column).name
        if item.erase is Erase.CLEAR:
            values[name] = None
        elif item.erase is Erase.MARKER:
            values[name] = MARKER
    if values:
        session.execute(
            update(pk.table)
            .where(pk.in_(ids))
            .values(values)
            .execution_options(synchronize_session=False)
        )
    randoms = [item for item in source.personal if item.erase is Erase.RANDOM]
    for row_id in ids if randoms else ():
        # One random value per row: unique constraints (idea, supporter) keep holding.
        session.execute(
            update(pk.table)
            .where(pk == row_id)
            .values({column_of(item.column).name: _random_digest() for item in randoms})
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    return len(ids) * (len(values) + len(randoms))
