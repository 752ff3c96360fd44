"""The SensorThings ``$filter``/``$orderby`` language under random and grammar-shaped input.

Every input either parses, passes the path check, compiles and runs as SQL on the run's
database, or stops with the module's own ``QueryError`` (400/501) — within the deadline of
the profile, however deep the nesting.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import entity_by_name
from pontive.sensors.sta_filter import (
    QueryError,
    check_paths,
    compile_filter,
    compile_orderby,
    parse_filter,
    parse_orderby,
)
from tests.fuzz.strategies import filter_expressions, filter_noise

ENTITIES = ("Thing", "Location", "HistoricalLocation", "Datastream", "Sensor", "ObservedProperty",
            "Observation", "FeatureOfInterest")  # fmt: skip


def _run_filter(session: Session, text: str, entity_name: str) -> None:
    entity = entity_by_name(entity_name)
    try:
        expr = parse_filter(text)
        check_paths(expr, entity=entity)
        condition = compile_filter(expr, entity=entity, session=session)
    except QueryError:
        return
    # A savepoint: a statement PostgreSQL refuses must not poison the test's transaction.
    with session.begin_nested():
        session.scalar(select(func.count()).select_from(entity.table).where(condition))


def _run_orderby(session: Session, text: str, entity_name: str) -> None:
    entity = entity_by_name(entity_name)
    try:
        items = parse_orderby(text)
        check_paths(items[0].expr, entity=entity, option="$orderby", single=True)
        for item in items:
            check_paths(item.expr, entity=entity, option="$orderby", single=True)
        clauses = compile_orderby(items, entity=entity, session=session)
    except QueryError:
        return
    with session.begin_nested():
        session.execute(select(entity.table.c.id).order_by(*clauses).limit(1)).all()


@given(text=filter_noise())
def test_random_text_parses_or_raises_a_filter_error(text: str) -> None:
    for parse in (parse_filter, parse_orderby):
        with contextlib.suppress(QueryError):
            parse(text)


@given(text=filter_expressions(), entity=st.sampled_from(ENTITIES))
def test_grammar_shaped_filters_compile_and_run_or_raise(
    session: Session, text: str, entity: str
) -> None:
    _run_filter(session, text, entity)


@given(text=filter_expressions(), entity=st.sampled_from(ENTITIES))
def test_grammar_shaped_orderby_compiles_and_runs_or_raises(
    session: Session, text: str, entity: str
) -> None:
    _run_orderby(session, text, entity)


def _deep_inputs(size: int) -> list[str]:
    return [
        "(" * size + "1" + ")" * size,
        "not " * size + "true",
        "-" * size + "1",
        " and ".join(["id eq 1"] * size),
        " add ".join(["1"] * size) + " eq 1",
        "length(" * size + "name" + ")" * size + " eq 1",
        "(" * size,
        "Datastream/" * size + "id eq 1",
        "properties" + "/a" * size + " eq 1",
        "properties/a" + "[0]" * size + " eq 1",
    ]


_IDS = ["parens", "not", "minus", "and-chain", "add-chain", "calls", "open-parens", "nav",
        "json-path", "indexes"]  # fmt: skip


# Beyond Python's recursion limit (1000), yet within the 16 KiB a request line may carry.
@pytest.mark.parametrize("text", _deep_inputs(1200), ids=_IDS)
def test_deep_nesting_is_refused_or_answered_not_crashed(session: Session, text: str) -> None:
    for entity in ("Observation", "Thing"):
        _run_filter(session, text, entity)
        _run_orderby(session, text, entity)


@pytest.mark.soak
@pytest.mark.parametrize("text", _deep_inputs(20_000), ids=_IDS)
def test_very_deep_nesting_is_refused_or_answered(session: Session, text: str) -> None:
    _run_filter(session, text, "Observation")
