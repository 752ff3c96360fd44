"""Schemathesis over the whole OpenAPI document (``/api/v1/openapi.json``), in process.

Every operation gets generated requests, valid and invalid, anonymous and with an admin's
bearer token; each answer must not be a server error (5xx), and its status code and content
type must be ones the document declares. Writes land in the test's rolled-back transaction.
The cases go through Starlette's ``TestClient`` (the app's lifespan included) rather than
schemathesis' own ASGI transport, which keeps every application it starts alive until exit.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.generation.modes import GenerationMode
from schemathesis.schemas import APIOperation, BaseSchema

from pontive.app import create_app
from pontive.core.db import Database
from pontive.core.roles import Role
from tests.conftest import SOAK, make_settings

# Engine-independent: .ci/run runs it in one of its two passes (tests/passes.py).
pytestmark = pytest.mark.one_pass(seconds=8)

# An endless event stream: it never completes, so it is not a case for a generated request.
_SKIPPED = frozenset({"GET /api/v1/events/stream"})
CHECKS: list[CheckFunction] = [not_a_server_error]
LOG = os.environ.get("PONTIVE_FUZZ_LOG")  # a file to note each operation's time in
# Examples per operation and generation mode: few in CI (355 operations), many under soak.
EXAMPLES = 100 if SOAK else int(os.environ.get("PONTIVE_FUZZ_EXAMPLES", "1"))


@pytest.fixture(scope="module")
def api_schema(database_url: str) -> BaseSchema:
    """The document, loaded once per module (building it takes seconds)."""
    database = Database(database_url)
    try:
        spec = create_app(make_settings(database_url), database=database).openapi()
    finally:
        database.dispose()
    return schemathesis.openapi.from_dict(spec)


def _operations(schema: BaseSchema) -> Iterator[APIOperation[Any, Any, Any, Any]]:
    only = re.compile(os.environ.get("PONTIVE_FUZZ_OPERATIONS", ""))
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document itself must be valid
        operation = result.ok()
        if operation.label not in _SKIPPED and only.search(operation.label):
            yield operation


def _send(client: TestClient, case: Case[Any], headers: dict[str, str]) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    kwargs.pop("cookies", None)
    data = kwargs.pop("data", None)
    # The kwargs are those of ``requests``; httpx takes a raw body as ``content``.
    if isinstance(data, bytes | str):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    return client.request(**kwargs)


def _fuzz_all(schema: BaseSchema, client: TestClient, headers: dict[str, str]) -> None:
    """Run every operation's cases; report all failing operations together."""
    failures: list[str] = []
    for operation in _operations(schema):
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
        def run(case: Case[Any]) -> None:
            response = _send(client, case, headers)
            case.validate_response(response, checks=CHECKS)

        started = time.monotonic()
        try:
            run()
        except (Exception, FailureGroup) as error:  # noqa: BLE001 - report every failing one
            failures.append(f"{operation.label}: {error}")
        if LOG:
            with open(LOG, "a") as log:
                log.write(f"{time.monotonic() - started:6.2f}s {operation.label}\n")
    assert not failures, "\n\n".join(failures)


def test_every_operation_answers_anonymous_requests_without_server_error(
    api_schema: BaseSchema, client: TestClient
) -> None:
    _fuzz_all(api_schema, client, {})


def test_every_operation_answers_an_admin_without_server_error(
    api_schema: BaseSchema, client: TestClient, bearer: Callable[[Role], dict[str, str]]
) -> None:
    _fuzz_all(api_schema, client, bearer(Role.ADMIN))
