"""The forecast pages and API (analytics/forecast_pages.py, forecast_api.py): the console page
in Indonesian and English, a gauge's page, the refit POST for the Technical Team only, and
the public JSON of a forecast and of the metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.forecast_models import ForecastModel
from pontive.analytics.forecast_read import overview
from pontive.analytics.forecast_service import train
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.analytics.forecast_support import ACTOR, Simulated, feed, gauge_with_rain
from tests.conftest import login

PAGE = "/console/analitik/prakiraan"
API = "/api/v1/analytics/forecast"


@pytest.fixture
def forecast(session: Session) -> tuple[Simulated, ForecastModel]:
    """Kapuas Indah with 16 days of readings up to now, fitted and forecast."""
    now = utcnow().replace(second=0, microsecond=0)
    gauge, rains = gauge_with_rain(session, "kapuas-indah")
    feed(session, [gauge, *rains], now - timedelta(days=16), now)
    (outcome,) = train(session, actor=ACTOR, now=now, datastream_ids=[gauge.stream.id])
    assert outcome.model is not None
    return gauge, outcome.model


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_the_page_shows_each_gauge_with_its_chart_and_backtest(
    client: TestClient, make_user, forecast: tuple[Simulated, ForecastModel]
) -> None:
    user = make_user(Role.OPERATOR)
    login(client, user.username)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Prakiraan muka air" in page.text
    assert "Pos Duga Air Kapuas Indah" in page.text
    assert page.text.count('<svg class="fc-chart') == 2  # narrow and wide
    assert 'class="fc-th fc-th-siaga"' in page.text
    assert "Uji ulang" in page.text
    assert "MAE" in page.text
    assert "Hitung ulang" not in page.text  # operators view; the Technical Team refits
    english = client.get(f"{PAGE}?lang=en")
    assert "Water-level forecast" in english.text
    assert "Backtest: error by horizon" in english.text


def test_a_gauge_page_lists_the_hours_with_their_interval(
    client: TestClient, make_user, forecast: tuple[Simulated, ForecastModel]
) -> None:
    gauge, model = forecast
    login(client, make_user(Role.DEWAN).username)
    page = client.get(f"{PAGE}/{gauge.stream.id}")
    assert page.status_code == 200
    assert "Prakiraan per jam" in page.text
    assert page.text.count('<tr><th scope="row">') + page.text.count('<tr class="fc-row-') >= 72
    assert "WIB" in page.text
    assert f"v{model.version}" in page.text or str(model.version) in page.text
    by_forecast_stream = client.get(f"{PAGE}/{model.forecast_datastream_id}")
    assert by_forecast_stream.status_code == 200
    assert client.get(f"{PAGE}/999999").status_code == 404


def test_citizens_may_not_open_the_page(
    client: TestClient, make_user, forecast: tuple[Simulated, ForecastModel]
) -> None:
    assert client.get(PAGE, follow_redirects=False).status_code == 303  # to sign in
    login(client, make_user(Role.WARGA).username)
    assert client.get(PAGE).status_code == 403


def test_the_technical_team_refits_from_the_page(
    client: TestClient, session: Session, make_user, forecast: tuple[Simulated, ForecastModel]
) -> None:
    gauge, _model = forecast
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = client.get(f"{PAGE}/{gauge.stream.id}")
    assert "Hitung ulang" in page.text
    response = client.post(
        f"{PAGE}/hitung-ulang",
        data={"csrf_token": _csrf(page.text), "datastream_id": str(gauge.stream.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}/{gauge.stream.id}?ok=refit"
    versions = session.scalars(
        select(ForecastModel.version).where(ForecastModel.datastream_id == gauge.stream.id)
    ).all()
    assert sorted(versions) == [1, 2]
    done = client.get(response.headers["location"])
    assert "Model dihitung ulang" in done.text


def test_operators_may_not_refit(
    client: TestClient, make_user, forecast: tuple[Simulated, ForecastModel]
) -> None:
    login(client, make_user(Role.OPERATOR).username)
    page = client.get(PAGE)
    response = client.post(f"{PAGE}/hitung-ulang", data={"csrf_token": _csrf(page.text)})
    assert response.status_code == 403


def test_the_api_answers_a_forecast_with_its_interval(
    client: TestClient, forecast: tuple[Simulated, ForecastModel]
) -> None:
    gauge, model = forecast
    body = client.get(f"{API}/{gauge.stream.id}").json()
    assert body["datastream_id"] == gauge.stream.id
    assert body["forecast_datastream_id"] == model.forecast_datastream_id
    assert body["unit"] == "cm"
    assert body["thresholds"] == {"waspada": 275.0, "siaga": 290.0, "awas": 305.0}
    assert len(body["points"]) == 72
    first = body["points"][0]
    assert first["lower"] <= first["value"] <= first["upper"]
    assert body["model"]["version"] == 1
    assert [h["hours"] for h in body["model"]["backtest"]] == [1, 3, 6, 12, 24, 48, 72]
    same = client.get(f"{API}/{model.forecast_datastream_id}").json()
    assert same["datastream_id"] == gauge.stream.id
    missing = client.get(f"{API}/999999")
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_the_metrics_list_every_gauge_without_points(
    client: TestClient, forecast: tuple[Simulated, ForecastModel]
) -> None:
    gauge, _model = forecast
    response = client.get(f"{API}/metrics")
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("public")
    gauges = {g["datastream_id"]: g for g in response.json()["gauges"]}
    assert gauges[gauge.stream.id]["points"] == []
    assert gauges[gauge.stream.id]["model"]["backtest"]


def test_the_overview_says_how_many_gauges_are_forecast(
    session: Session, forecast: tuple[Simulated, ForecastModel]
) -> None:
    status = overview(session)
    assert status.gauges == 1
    assert status.current == 1
    assert status.six_hour_gain is not None
    facts = status.facts("id")
    assert facts[0].startswith("1 dari 1 pos diprakirakan, terbit ")
    assert facts[0].endswith("WIB")
    assert "persistence" in status.facts("en")[1]
