"""Errors of the SensorThings query options ($filter, $orderby, $expand, $select …).

SensorThings 1.1 (18-088, 9.3 "Requesting Data") answers a malformed or impossible query
with **400 Bad Request** and an unsupported system query option with **501 Not
Implemented** (req ``request-data/query-status-code``). Both are domain errors so that the
STA adapter renders them like every other error (``sta_errors.from_domain``); messages come
in Bahasa Indonesia and English and say *where* the problem is.
"""

from __future__ import annotations

from pontive.core.errors import DomainError, InvalidInput


class QueryError(InvalidInput):
    """A query option that cannot be understood: 400, with the option and character position.

    ``position`` is the 0-based offset into the option's value (``None`` when the whole value
    is wrong); ``token`` is the offending text when there is one.
    """

    status_code = 400
    code = "invalid_query"
    default_id = "Parameter kueri tidak valid."
    default_en = "Invalid query option."

    def __init__(
        self,
        message_id: str,
        message_en: str,
        *,
        option: str,
        position: int | None = None,
        token: str | None = None,
    ) -> None:
        self.option = option
        self.position = position
        self.token = token
        self.detail_id = message_id
        self.detail_en = message_en
        where_id = f" (posisi {position + 1})" if position is not None else ""
        where_en = f" (character {position + 1})" if position is not None else ""
        super().__init__(
            f"{option}: {message_id}{where_id}",
            f"{option}: {message_en}{where_en}",
        )


class FilterError(QueryError):
    """A malformed or ill-typed ``$filter`` (or ``$orderby``) expression: 400."""

    def __init__(
        self,
        message_id: str,
        message_en: str,
        *,
        position: int | None = None,
        token: str | None = None,
        option: str = "$filter",
    ) -> None:
        super().__init__(message_id, message_en, option=option, position=position, token=token)

    def for_option(self, option: str) -> FilterError:
        """The same error, reported against another option (``$orderby``, ``$expand`` …)."""
        return FilterError(
            self.detail_id, self.detail_en, position=self.position, token=self.token,
            option=option,
        )  # fmt: skip


class QueryNotImplemented(DomainError, NotImplementedError):
    """A query option or function this server does not implement: 501 (req query-status-code)."""

    status_code = 501
    code = "not_implemented"
    default_id = "Fitur kueri ini belum didukung."
    default_en = "This query feature is not implemented."
