"""The quality console page, its review buttons and their permissions, the flags API, and the
marks on the public station charts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import access
from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.analytics.quality_models import QualityFlag
from pontive.analytics.quality_run import run_checks
from pontive.core.audit import AuditEvent
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.sensors.models import Observation
from tests.analytics.test_quality_run import Gauge, add_gauges
from tests.conftest import login

PATH = access.QUALITY_PATH


@pytest.fixture
def flagged(session: Session) -> dict[str, Gauge]:
    """Three gauges reporting until now, one with a spike two hours ago, one stuck for
    three hours yesterday; the checks have run."""
    start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=30)
    spoil = {"kapuas-indah": {168: 400.0}, "banjar-serasan": dict.fromkeys(range(60, 80), 231.4)}
    gauges = add_gauges(session, hours=30, spoil=spoil, start=start)
    run_checks(session, actor=system_actor("test"), now=gauges["kapuas-indah"].times[-1])
    return gauges


def spike(session: Session) -> QualityFlag:
    """The spike flag of the fixture."""
    return session.scalars(select(QualityFlag).where(QualityFlag.kind == FlagKind.SPIKE)).one()


def csrf(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", ("Kualitas data sensor", "Lonjakan", "Konfirmasi", "<dt>Ambang</dt><dd>0,15</dd>")),
     ("en", ("Sensor data quality", "Spike", "Confirm", "<dt>Threshold</dt><dd>0.15</dd>"))],
)  # fmt: skip
def test_reviewers_see_counts_completeness_and_flags_with_charts(
    client: TestClient, make_user, flagged: dict[str, Gauge], lang: str, words: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.OPERATOR).username)
    page = client.get(f"{PATH}?lang={lang}")
    assert page.status_code == 200
    for word in words:
        assert word in page.text
    assert 'id="q-counts"' in page.text
    assert 'id="q-completeness"' in page.text
    assert page.text.count('class="mp-card q-flag"') == 2
    assert 'class="q-mark q-mark-spike"' in page.text  # the chart marks the flagged reading
    # 30 hours of readings against the 7 days x 144 expected: 18 %.
    assert page.text.count('18 %<span class="visually-hidden"> (180/1008)') == 3


def test_filters_narrow_the_list_and_a_bad_date_is_explained(
    client: TestClient, make_user, flagged: dict[str, Gauge]
) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.TIM_TEKNIS).username)
    stuck = client.get(f"{PATH}?jenis=stuck")
    assert stuck.text.count('class="mp-card q-flag"') == 1
    assert 'data-kind="stuck"' in stuck.text
    station = client.get(f"{PATH}?stasiun={flagged['kapuas-indah'].thing_id}&status=open")
    assert station.text.count('class="mp-card q-flag"') == 1
    assert 'data-kind="spike"' in station.text
    wrong = client.get(f"{PATH}?dari=31-12-2026&jenis=spike")
    assert wrong.status_code == 422
    assert "TTTT-BB-HH" in wrong.text
    assert 'value="31-12-2026"' in wrong.text
    assert 'aria-invalid="true"' in wrong.text


def test_dismissing_a_flag_unmarks_its_reading_and_is_audited(
    client: TestClient, session: Session, make_user, flagged: dict[str, Gauge]
) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.OPERATOR).username)
    flag = spike(session)
    reading = flag.observation_id
    assert session.scalar(select(Observation.result_quality).where(Observation.id == reading))
    page = client.get(f"{PATH}?jenis=spike")
    answer = client.post(
        f"{PATH}/{flag.id}/tolak",
        data={"csrf_token": csrf(page.text), "back": "jenis=spike"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PATH}?jenis=spike&ok=tolak#flag-{flag.id}"
    session.expire_all()
    assert spike(session).status is FlagStatus.DISMISSED
    assert (
        session.scalar(select(Observation.result_quality).where(Observation.id == reading)) is None
    )
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(3))
    assert "analytics.quality_flag.dismiss" in set(actions)
    after = client.get(answer.headers["location"])
    assert 'id="flash"' in after.text
    assert 'data-status="dismissed"' in after.text


def test_agency_officers_see_but_may_not_review_and_citizens_see_nothing(
    client: TestClient, session: Session, make_user, flagged: dict[str, Gauge]
) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.PETUGAS_PD, pd_kode="pupr").username)
    page = client.get(PATH)
    assert page.status_code == 200
    assert "/konfirmasi" not in page.text
    refused = client.post(
        f"{PATH}/{spike(session).id}/konfirmasi",
        data={"csrf_token": csrf(client.get("/masuk").text)},
    )
    assert refused.status_code == 403
    assert spike(session).status is FlagStatus.OPEN
    client.cookies.clear()
    login(client, make_user(Role.WARGA).username)
    assert client.get(PATH).status_code == 403


def test_the_api_lists_flags_for_staff_without_personal_data(
    client: TestClient, bearer, flagged: dict[str, Gauge]
) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/analytics/quality/flags?kind=spike", headers=bearer(Role.OPERATOR))
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 1
    [item] = body["items"]
    assert (item["kind"], item["status"], item["thing_name"]) == (
        "spike",
        "open",
        "Pos Duga Air Kapuas Indah",
    )
    assert item["detail"]["unit"] == "m"
    assert "reviewed_by" not in item
    assert client.get("/api/v1/analytics/quality/flags").status_code == 401
    warga = client.get("/api/v1/analytics/quality/flags", headers=bearer(Role.WARGA))
    assert warga.status_code == 403
    bad = client.get("/api/v1/analytics/quality/flags?kind=noise", headers=bearer(Role.ADMIN))
    assert bad.status_code == 422


def test_station_charts_mark_flagged_readings_and_shade_gaps(
    client: TestClient, flagged: dict[str, Gauge]
) -> None:
    gauge = flagged["kapuas-indah"]
    page = client.get(f"/sensor/{gauge.thing_id}?lang=en")
    assert page.status_code == 200
    assert page.text.count('class="qflag qflag-spike"') == 2  # the narrow and the wide drawing
    assert "<title>Spike: 400" in page.text
    assert "Reading with a data-quality flag (1)" in page.text
    week = client.get(f"/sensor/{gauge.thing_id}/grafik?rentang=minggu&lang=id")
    assert 'class="qflag qflag-spike"' in week.text
    # Before the first reading of the week the chart has no data: shaded, and in the key.
    assert 'class="nodata"' in week.text
    assert "Tidak ada data" in week.text
