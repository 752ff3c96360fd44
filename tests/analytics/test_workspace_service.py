"""Saved queries: who may create, see, change, delete and run them; each change audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import workspace_service as service
from pontive.analytics.workspace_chart import ChartSpec
from pontive.core import auth
from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.core.roles import Role
from tests.analytics.test_workspace_support import export_to

TABLES = ["kelurahan", "kecamatan", "complaints"]
EXAMPLE = service.QueryInput(
    "Kelurahan per kecamatan",
    "SELECT kecamatan_kode, count(*) AS n FROM kelurahan GROUP BY 1 ORDER BY 1",
    "Hitungan sederhana",
    ChartSpec("bar", "kecamatan_kode", "n"),
)


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    """One actor per role that matters here."""

    def actor(role: Role, pd: str | None = None) -> Actor:
        return auth.actor_for_user(make_user(role, pd_kode=pd))

    return {
        "teknis": actor(Role.TIM_TEKNIS),
        "teknis2": actor(Role.TIM_TEKNIS),
        "admin": actor(Role.ADMIN),
        "operator": actor(Role.OPERATOR),
        "petugas": actor(Role.PETUGAS_PD, "pupr"),
    }


def _actions(session: Session, object_id: int) -> list[str]:
    rows = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "an_saved_query", AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.id)
    )
    return list(rows)


def test_tim_teknis_saves_changes_and_deletes_its_query_with_audit(
    session: Session, people: dict[str, Actor]
) -> None:
    query = service.create_query(session, actor=people["teknis"], data=EXAMPLE, table_names=TABLES)
    assert query.owner_id == people["teknis"].id
    assert query.chart == {
        "kind": "bar",
        "x": "kecamatan_kode",
        "y": "n",
        "series": None,
    }
    changed = service.QueryInput("Kelurahan (diubah)", EXAMPLE.sql, "", None, is_shared=False)
    service.update_query(
        session, actor=people["teknis"], query=query, data=changed, table_names=TABLES
    )
    assert (query.name, query.chart, query.is_shared) == ("Kelurahan (diubah)", None, False)
    query_id = query.id
    service.delete_query(session, actor=people["teknis"], query=query)
    session.flush()
    assert _actions(session, query_id) == [
        "analytics.workspace.query_created",
        "analytics.workspace.query_updated",
        "analytics.workspace.query_deleted",
    ]


@pytest.mark.parametrize("who", ["operator", "petugas"])
def test_pd_officers_and_operators_have_no_workspace(
    session: Session, people: dict[str, Actor], who: str, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        service.create_query(session, actor=people[who], data=EXAMPLE, table_names=TABLES)
    with pytest.raises(PermissionDenied):
        service.list_queries(session, actor=people[who])
    with pytest.raises(PermissionDenied):
        service.run_query(session, actor=people[who], analytics_dir=tmp_path, sql="SELECT 1")


def test_only_the_owner_or_an_admin_changes_a_shared_query(
    session: Session, people: dict[str, Actor]
) -> None:
    query = service.create_query(session, actor=people["teknis"], data=EXAMPLE, table_names=TABLES)
    assert query in service.list_queries(session, actor=people["teknis2"])  # shared: seen
    with pytest.raises(PermissionDenied, match="owner"):
        service.update_query(
            session, actor=people["teknis2"], query=query, data=EXAMPLE, table_names=TABLES
        )
    with pytest.raises(PermissionDenied):
        service.delete_query(session, actor=people["teknis2"], query=query)
    renamed = service.QueryInput("Oleh admin", EXAMPLE.sql)
    service.update_query(
        session, actor=people["admin"], query=query, data=renamed, table_names=TABLES
    )
    service.delete_query(session, actor=people["admin"], query=query)


def test_a_private_query_is_seen_by_its_owner_only(
    session: Session, people: dict[str, Actor]
) -> None:
    private = service.QueryInput("Pribadi", EXAMPLE.sql, is_shared=False)
    query = service.create_query(session, actor=people["teknis"], data=private, table_names=TABLES)
    assert query in service.list_queries(session, actor=people["teknis"])
    assert query not in service.list_queries(session, actor=people["teknis2"])
    with pytest.raises(NotFound):
        service.get_query(session, actor=people["teknis2"], query_id=query.id)


def test_a_query_is_checked_when_saved(session: Session, people: dict[str, Actor]) -> None:
    bad = service.QueryInput("", "DELETE FROM complaints", chart=ChartSpec("pie", "a", ""))
    with pytest.raises(InvalidInput) as refused:
        service.create_query(
            session, actor=people["teknis"], data=bad, table_names=TABLES, lang="en"
        )
    errors = refused.value.errors
    assert errors["name"] == ["Give the query a name."]
    assert "not DELETE" in errors["sql"][0]
    assert errors["chart"] == ["A chart needs a kind, an x and a y column."]


def test_a_run_is_audited_with_the_query_and_the_export(
    session: Session, people: dict[str, Actor], tmp_path: Path
) -> None:
    manifest = export_to(session, tmp_path)
    query = service.create_query(session, actor=people["teknis"], data=EXAMPLE, table_names=TABLES)
    result = service.run_query(
        session, actor=people["teknis2"], analytics_dir=tmp_path, sql=query.sql, saved=query
    )
    assert result.row_count == 6
    assert _actions(session, query.id)[-1] == "analytics.workspace.query_run"
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert event.actor == people["teknis2"].label
    assert manifest.generated_at


def test_the_overview_tells_the_export_and_the_saved_queries(
    session: Session, people: dict[str, Actor], tmp_path: Path
) -> None:
    before = service.overview(session, tmp_path)
    assert before.generated_at is None
    assert before.tables == 0
    service.create_query(session, actor=people["teknis"], data=EXAMPLE, table_names=TABLES)
    manifest = export_to(session, tmp_path)
    after = service.overview(session, tmp_path)
    assert after.generated_at == manifest.generated
    assert after.tables == len(manifest.tables)
    assert after.rows == manifest.total_rows
    assert after.saved_queries == before.saved_queries + 1
