"""Privacy fixtures: the complaints factories (a report with a reporter's contact)."""

from __future__ import annotations

from tests.complaints.conftest import (  # noqa: F401 - fixtures used by the privacy tests
    _fresh_catalogue_cache,
    report,
    report_in,
)
