"""Domain errors raised by services and rendered by one handler (``web/errors.py``).

Each error carries a message in Bahasa Indonesia and English; ``InvalidInput`` also carries
field errors. Standard adapters (Open311, CKAN, SensorThings) translate these into their own
error shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    status_code = 400
    code = "domain_error"
    default_id = "Permintaan tidak dapat diproses."
    default_en = "The request cannot be processed."

    def __init__(
        self,
        message_id: str | None = None,
        message_en: str | None = None,
        *,
        errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.is_generic = message_id is None
        self.message_id = message_id or self.default_id
        self.message_en = message_en or self.default_en
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        super().__init__(self.message_en)

    def message(self, lang: str) -> str:
        """The message in ``lang`` (``id`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_id


class InvalidInput(DomainError):
    """Input that fails validation; ``errors`` maps field names to messages."""

    status_code = 422
    code = "invalid_input"
    default_id = "Data yang dikirim tidak valid."
    default_en = "The submitted data is not valid."


class NotAuthenticated(DomainError):
    """No valid session, token or API key was presented."""

    status_code = 401
    code = "not_authenticated"
    default_id = "Silakan masuk terlebih dahulu."
    default_en = "Please sign in first."


class PermissionDenied(DomainError):
    """The actor may not perform this action on this object."""

    status_code = 403
    code = "permission_denied"
    default_id = "Anda tidak berwenang melakukan tindakan ini."
    default_en = "You are not allowed to do this."


class NotFound(DomainError):
    """The object does not exist (or the actor may not know that it exists)."""

    status_code = 404
    code = "not_found"
    default_id = "Data tidak ditemukan."
    default_en = "Not found."


class Conflict(DomainError):
    """The change conflicts with the current state (duplicate, stale version...)."""

    status_code = 409
    code = "conflict"
    default_id = "Data bertentangan dengan keadaan saat ini."
    default_en = "The change conflicts with the current state."


class RateLimited(DomainError):
    """Too many attempts in a short time."""

    status_code = 429
    code = "rate_limited"
    default_id = "Terlalu banyak percobaan. Coba lagi nanti."
    default_en = "Too many attempts. Try again later."


class ServiceUnavailable(DomainError):
    """A backing component (database, broker) cannot be reached."""

    status_code = 503
    code = "service_unavailable"
    default_id = "Layanan sedang tidak tersedia."
    default_en = "The service is unavailable."
