"""The domain packages that plug into the platform, and the parts each may provide.

A domain is a package under ``pontive`` with any of: ``models`` (tables), ``api`` (a
``router`` under ``/api/v1/<domain>``), ``pages`` (a ``router`` of HTML pages), ``cli`` (a
Typer ``app`` added as ``pontive <domain> ...``), ``demo`` (``load(session, actor)``) and
``jobs`` (``JOBS``, background jobs for ``pontive worker``) and ``seed``
(``seed(session)``, reference rows the domain ships, run by ``pontive db upgrade``) and
``lifecycle`` (``start(settings, database, bus) -> handle`` and ``stop(handle)``, run by
each web process at start-up and shutdown) and ``privacy`` (declarations of its personal data,
see docs/privacy.md).
Adding a domain means adding its name here; see docs/development.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

DOMAINS: tuple[str, ...] = (
    "reference",
    "complaints",
    "sensors",
    "alerts",
    "opendata",
    "cctv",
    "coordination",
    "masterplan",
    "budget",
    "institutions",
    "assets",
    "participation",
    "analytics",  # after complaints and sensors: it learns from their data
    "registry",  # last: its demo raises the reminders of every registry's demo rows
    "privacy",  # after every domain: it finds, exports and erases their personal data
)
CORE_MODEL_MODULES = ("pontive.core.models", "pontive.core.audit")


def domain_modules(part: str) -> Iterator[tuple[str, ModuleType]]:
    """``(domain, module)`` for every domain that provides ``part`` (e.g. ``"api"``)."""
    for domain in DOMAINS:
        name = f"pontive.{domain}.{part}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # a real import error inside the module, not a missing part
            continue
        yield domain, module


def load_models() -> None:
    """Import every table definition so that the metadata is complete."""
    for name in CORE_MODEL_MODULES:
        importlib.import_module(name)
    for _ in domain_modules("models"):
        pass
