"""The registry of CKAN actions: each module that implements actions registers them here,
and ``opendata/ckan.py`` serves every registered name at ``/api/3/action/<name>`` and
``/api/action/<name>``.

An action is ``def action(context: ActionContext, data: dict[str, Any]) -> Any``: ``data`` is
the request's parameters (JSON body, form fields or query string; values that were JSON text
in a query string are already decoded where the action declared them in ``json_params``), and
the return value becomes the envelope's ``result``. Actions raise Pontive's domain errors
(``NotFound``, ``InvalidInput`` with field errors, ``PermissionDenied``, ``NotAuthenticated``)
or :class:`SearchQueryError`; ``ckan.py`` maps them to CKAN's error types. A read action
(``side_effect_free``) may be called with GET; any other only with POST. Write actions commit
their own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from pontive.core.errors import DomainError
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.settings import Settings


class SearchQueryError(DomainError):
    """A search the datastore or catalogue cannot run (bad filter, sort or SQL)."""

    status_code = 400
    code = "search_query_error"
    default_id = "Kueri pencarian tidak dapat dijalankan."
    default_en = "The search query cannot be run."


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file sent with a multipart POST, spooled by the web layer (may be large: read it as
    a stream, never whole)."""

    filename: str
    content_type: str
    file: BinaryIO  # seekable, positioned at the start


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What an action may use: the session, who calls, the site's settings and media store,
    and files uploaded with a multipart POST (field name → upload)."""

    session: Session
    actor: Actor
    settings: Settings
    media: MediaStore
    uploads: dict[str, UploadedFile] = field(default_factory=dict)
    # (dataset id, resource id) an action read without loading it as an object: what the
    # API-use count is for (``ckan._count_api_use`` finds the rest from the answer).
    shown: list[tuple[str, str]] = field(default_factory=list)

    @property
    def site_url(self) -> str:
        """The public address of the site, without a trailing slash."""
        return self.settings.base_url.rstrip("/")


ActionFunction = Callable[[ActionContext, dict[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Action:
    """A registered action."""

    name: str
    function: ActionFunction
    side_effect_free: bool
    json_params: frozenset[str]  # parameters a GET may pass as JSON text (lists, dicts)


_ACTIONS: dict[str, Action] = {}


def action(
    name: str, *, side_effect_free: bool = False, json_params: tuple[str, ...] = ()
) -> Callable[[ActionFunction], ActionFunction]:
    """Register the decorated function as the CKAN action ``name``."""

    def register(function: ActionFunction) -> ActionFunction:
        if name in _ACTIONS:
            raise ValueError(f"CKAN action {name!r} registered twice")
        _ACTIONS[name] = Action(name, function, side_effect_free, frozenset(json_params))
        return function

    return register


def get_action(name: str) -> Action | None:
    """The action called ``name``, if any."""
    return _ACTIONS.get(name)


def action_names() -> list[str]:
    """Every registered action, sorted (for ``help_show`` and the docs test)."""
    return sorted(_ACTIONS)
