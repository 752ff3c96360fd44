"""The masterplan API (``/api/v1/masterplan``): the dimension tree, programmes and indicators
(public reads; one indicator's unverified entries for the staff who follow it), values
pushed by bearer tokens and API keys with the owning agency's permission, imports as JSON
rows or a file (all or nothing, 422 with every problem), reviews, and the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.masterplan import monitoring, service
from pontive.masterplan.choices import EntrySource, RealisationStatus
from pontive.masterplan.console_monitoring_support import this_year, today
from pontive.masterplan.models import Realisation
from tests.masterplan.support import DINKES, TIM, activity, indicator, programme

API = "/api/v1/masterplan"
UTC_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")
Headers = dict[str, str]


@pytest.fixture
def plan(session: Session) -> None:
    """LIV-01 (Dinkes) with an activity: LIV-01.I1 (target 80 this year), the activity's
    LIV-01.01.I1 (lower is better, target 24 hours), Dishub's LIV-01.I2, and a live one."""
    year = this_year()
    owner = programme(session)
    step = activity(session, owner, "LIV-01.01")
    indicator(session, "LIV-01.I1", owner=owner, targets={year: 80.0}, weight=3.0)
    indicator(
        session, "LIV-01.01.I1", of_activity=step, direction="lower", unit="jam",
        targets={year: 24.0},
    )  # fmt: skip
    indicator(session, "LIV-01.I2", owner=owner, pd_kode="dishub", targets={year: 5.0})
    live = service.indicator_from_metric("open_datasets")
    live.code, live.targets = "LIV-01.L1", {year: 10.0}
    service.save_indicator(session, actor=TIM, data=live, programme=owner)
    session.commit()


def day(month: int = 1, dom: int = 15) -> str:
    """A day of this year (never in the future)."""
    return date(this_year(), month, dom).isoformat()


def verified(session: Session, code: str, value: float) -> Realisation:
    entry = monitoring.report_value(
        session,
        actor=DINKES,
        indicator=service.get_indicator(session, code),
        period_date=date(this_year(), 1, 10),
        value=value,
        note="SIMPUS",
    )
    monitoring.review(session, actor=TIM, entry=entry, approve=True)
    session.commit()
    return entry


def count(session: Session) -> int:
    return session.scalar(select(func.count(Realisation.id))) or 0


# --- reads -----------------------------------------------------------------------------------


def test_the_tree_programmes_and_indicators_are_public(
    client: TestClient, session: Session, plan: None
) -> None:
    verified(session, "LIV-01.I1", 60.0)  # 60 / 80 = 0.75
    verified(session, "LIV-01.01.I1", 30.0)  # lower: 24 / 30 = 0.8
    tree = client.get(f"{API}/dimensions", params={"year": this_year()})
    assert tree.status_code == 200
    body = tree.json()
    assert body["year"] == this_year()
    assert [d["code"] for d in body["dimensions"]] == [
        "governance", "branding", "economy", "living", "society", "environment"
    ]  # fmt: skip
    living = next(d for d in body["dimensions"] if d["code"] == "living")
    (node,) = living["children"]
    # Nothing recorded for the live indicator this year: its value is computed now.
    live = next(i for i in node["indicators"] if i["code"] == "LIV-01.L1")
    assert live["is_live"] is True
    own = next(i for i in node["indicators"] if i["code"] == "LIV-01.I1")
    assert (own["value"], own["target"], own["achievement"], own["rag"]) == (
        60.0,
        80.0,
        0.75,
        "red",
    )
    (child,) = node["children"]
    assert child["code"] == "LIV-01.01"
    assert child["progress"] == pytest.approx(0.8)
    assert child["rag"] == "amber"
    programmes = client.get(f"{API}/programmes", params={"dimension": "living"}).json()
    assert [p["code"] for p in programmes] == ["LIV-01"]
    assert [a["code"] for a in programmes[0]["activities"]] == ["LIV-01.01"]
    assert client.get(f"{API}/programmes", params={"dimension": "economy"}).json() == []
    listed = client.get(f"{API}/indicators", params={"programme": "liv-01"}).json()
    assert [i["code"] for i in listed] == ["LIV-01.01.I1", "LIV-01.I1", "LIV-01.I2", "LIV-01.L1"]
    assert listed[0]["activity_code"] == "LIV-01.01"
    assert listed[1]["programme_code"] == "LIV-01"
    assert listed[1]["targets"] == [{"year": this_year(), "value": 80.0}]
    assert [i["code"] for i in client.get(f"{API}/indicators", params={"pd": "dishub"}).json()] == [
        "LIV-01.I2"
    ]


def test_an_indicators_unverified_entries_are_for_the_staff_who_follow_it(
    client: TestClient, session: Session, bearer: Callable[..., Headers], plan: None
) -> None:
    shown = verified(session, "LIV-01.I1", 60.0)
    monitoring.report_value(
        session, actor=DINKES, indicator=service.get_indicator(session, "LIV-01.I1"),
        period_date=date(this_year(), 1, 20), value=99.0,
    )  # fmt: skip
    session.commit()
    public = client.get(f"{API}/indicators/LIV-01.I1").json()
    assert public["status"]["value"] == 60.0
    assert [(e["id"], e["entered_by"], e["evidence"]) for e in public["recent"]] == [
        (shown.id, None, [])
    ]
    other = client.get(f"{API}/indicators/LIV-01.I1", headers=bearer(Role.PETUGAS_PD, "dishub"))
    assert len(other.json()["recent"]) == 1  # another agency sees what the public sees
    own = client.get(f"{API}/indicators/LIV-01.I1", headers=bearer(Role.PETUGAS_PD, "dinkes"))
    recent = own.json()["recent"]
    assert [e["status"] for e in recent] == ["submitted", "verified"]
    assert recent[1]["entered_by"] == DINKES.label
    assert UTC_ISO.match(recent[1]["verified_at"])
    assert client.get(f"{API}/indicators/NOPE").status_code == 404


# --- pushing values --------------------------------------------------------------------------


def test_an_agency_pushes_a_value_of_its_own_indicator(
    client: TestClient, session: Session, bearer: Callable[..., Headers], plan: None
) -> None:
    dinkes = bearer(Role.PETUGAS_PD, "dinkes")
    body = {"date": day(), "value": 71.5, "note": "Dari SIMPUS"}
    answer = client.post(f"{API}/indicators/liv-01.i1/realisations", json=body, headers=dinkes)
    assert answer.status_code == 201, answer.text
    pushed = answer.json()
    assert answer.headers["location"] == f"{API}/realisations/{pushed['id']}"
    assert (pushed["status"], pushed["source"], pushed["value"]) == ("submitted", "api", 71.5)
    assert client.get(answer.headers["location"], headers=dinkes).json()["note"] == "Dari SIMPUS"
    # … and nothing else.
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused = {
        "another agency's": (bearer(Role.PETUGAS_PD, "dishub"), "LIV-01.I1", body, 403),
        "the mayor": (bearer(Role.WALIKOTA), "LIV-01.I1", body, 403),
        "anonymous": ({}, "LIV-01.I1", body, 401),
        "a live one": (dinkes, "LIV-01.L1", body, 403),
        "the future": (dinkes, "LIV-01.I1", {**body, "date": tomorrow}, 422),
        "an extra field": (dinkes, "LIV-01.I1", {**body, "unit": "%"}, 422),
        "no number": (dinkes, "LIV-01.I1", {**body, "value": "banyak"}, 422),
    }  # fmt: skip
    for name, (headers, code, sent, status) in refused.items():
        answer = client.post(f"{API}/indicators/{code}/realisations", json=sent, headers=headers)
        assert answer.status_code == status, name
        assert set(answer.json()) == {"detail", "errors"}, name
    future = client.post(
        f"{API}/indicators/LIV-01.I1/realisations",
        json={**body, "date": tomorrow},
        headers=dinkes,
    ).json()
    assert "period_date" in future["errors"]
    team = bearer(Role.TIM_TEKNIS)
    live = client.post(f"{API}/indicators/LIV-01.L1/realisations", json=body, headers=team)
    assert live.status_code == 409  # Pontive computes it
    assert count(session) == 1


def test_an_api_key_bound_to_an_agency_pushes_its_values(
    client: TestClient, session: Session, plan: None
) -> None:
    key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="simpus-dinkes",
        role=Role.PETUGAS_PD, pd_kode="dinkes",
    )  # fmt: skip
    session.commit()
    headers = {"X-API-Key": secret}
    sent = {"date": day(), "value": 77}
    assert (
        client.post(
            f"{API}/indicators/LIV-01.I1/realisations", json=sent, headers=headers
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"{API}/indicators/LIV-01.I2/realisations", json=sent, headers=headers
        ).status_code
        == 403
    )
    entry = session.scalars(select(Realisation)).one()
    assert (entry.entered_by, entry.pd_kode, entry.source) == (
        f"api_key:{key.id}:simpus-dinkes",
        "dinkes",
        EntrySource.API,
    )


# --- imports -----------------------------------------------------------------------------------


def test_a_json_import_is_all_or_nothing_with_every_problem_listed(
    client: TestClient, session: Session, bearer: Callable[..., Headers], plan: None
) -> None:
    dinkes = bearer(Role.PETUGAS_PD, "dinkes")
    rows = [
        {"indicator": "LIV-01.I1", "date": day(1, d), "value": 50 + d, "note": f"hari {d}"}
        for d in range(1, 21)
    ]
    rows[4]["value"] = "lima"  # position 5
    rows[11]["indicator"] = "LIV-01.I2"  # position 12: Dishub's
    rows[17]["date"] = "2026/01/18"  # position 18
    refused = client.post(f"{API}/realisations/import", json={"rows": rows}, headers=dinkes)
    assert refused.status_code == 422
    body = refused.json()
    assert [(p["row"], p["column"]) for p in body["problems"]] == [
        (5, "value"),
        (12, "indicator"),
        (18, "date"),
    ]
    assert body["detail"] == "3 masalah; tidak ada baris yang diimpor."
    assert body["errors"]["rows"][0] == "5 · value: Nilai bukan angka: 'lima'."
    assert count(session) == 0
    rows[4]["value"], rows[11]["indicator"], rows[17]["date"] = "55,5", "LIV-01.I1", day(1, 18)
    stored = client.post(f"{API}/realisations/import", json={"rows": rows}, headers=dinkes)
    assert stored.status_code == 201, stored.text
    assert stored.json()["rows"] == stored.json()["stored"] == 20
    assert count(session) == 20
    values = session.scalars(select(Realisation.value).order_by(Realisation.period_date)).all()
    assert values[4] == 55.5
    english = client.post(
        f"{API}/realisations/import?lang=en",
        json={"rows": [{"indicator": "X", "date": day(), "value": 1}]},
        headers=dinkes,
    )
    assert english.json()["detail"] == "1 problems; nothing was imported."
    one = {"rows": rows[:1]}
    assert client.post(f"{API}/realisations/import", json=one).status_code == 401
    mayor = bearer(Role.WALIKOTA)
    assert client.post(f"{API}/realisations/import", json=one, headers=mayor).status_code == 403


def test_a_file_import_through_the_api(
    client: TestClient, session: Session, bearer: Callable[..., Headers], plan: None
) -> None:
    team = bearer(Role.TIM_TEKNIS)
    csv_file = f"indicator,date,value,note\nLIV-01.I2,{day()},4,\nLIV-01.I1,{day()},70,ok\n"
    answer = client.post(
        f"{API}/realisations/import",
        files={"file": ("r.csv", csv_file.encode(), "text/csv")},
        headers=team,
    )
    assert answer.status_code == 201, answer.text
    sources = set(session.scalars(select(Realisation.source)))
    assert sources == {EntrySource.IMPORT}
    bad = client.post(
        f"{API}/realisations/import",
        files={"file": ("r.csv", b"indicator,date,value\nLIV-01.I1,kemarin,1\n", "text/csv")},
        headers=team,
    )
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"row": 2, "column": "date", "message": "Tanggal bukan YYYY-MM-DD: 'kemarin'."}
    ]
    no_file = client.post(f"{API}/realisations/import", files={"x": ("a", b"a")}, headers=team)
    assert no_file.status_code == 422
    assert "file" in no_file.json()["errors"]


# --- reviews -------------------------------------------------------------------------------------


def test_the_technical_team_reviews_entries(
    client: TestClient, session: Session, bearer: Callable[..., Headers], plan: None
) -> None:
    dinkes = bearer(Role.PETUGAS_PD, "dinkes")
    first = client.post(
        f"{API}/indicators/LIV-01.I1/realisations",
        json={"date": day(), "value": 70},
        headers=dinkes,
    ).json()
    second = client.post(
        f"{API}/indicators/LIV-01.I1/realisations", json={"date": day(), "value": 7}, headers=dinkes
    ).json()
    team = bearer(Role.TIM_TEKNIS)
    review = f"{API}/realisations/{{}}/review"
    assert (
        client.post(review.format(first["id"]), json={"approve": True}, headers=dinkes).status_code
        == 403
    )
    other = bearer(Role.PETUGAS_PD, "dishub")
    assert (
        client.post(review.format(first["id"]), json={"approve": True}, headers=other).status_code
        == 404
    )
    verified_entry = client.post(review.format(first["id"]), json={"approve": True}, headers=team)
    assert verified_entry.json()["status"] == "verified"
    assert re.fullmatch(r"user:\d+:timteknis\d+", verified_entry.json()["verified_by"])
    no_reason = client.post(review.format(second["id"]), json={"approve": False}, headers=team)
    assert no_reason.status_code == 422
    assert "review_note" in no_reason.json()["errors"]
    rejected = client.post(
        review.format(second["id"]),
        json={"approve": False, "note": "Angka tidak wajar."},
        headers=team,
    ).json()
    assert (rejected["status"], rejected["review_note"]) == ("rejected", "Angka tidak wajar.")
    again = client.post(review.format(second["id"]), json={"approve": True}, headers=team)
    assert again.status_code == 409
    session.expire_all()
    statuses = session.scalars(select(Realisation.status).order_by(Realisation.id)).all()
    assert statuses == [RealisationStatus.VERIFIED, RealisationStatus.REJECTED]


def test_the_openapi_document_describes_the_masterplan_api(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = {p for p in document["paths"] if p.startswith(API)}
    assert paths == {
        f"{API}/dimensions",
        f"{API}/programmes",
        f"{API}/indicators",
        f"{API}/indicators/{{code}}",
        f"{API}/indicators/{{code}}/realisations",
        f"{API}/realisations/{{entry_id}}",
        f"{API}/realisations/import",
        f"{API}/realisations/{{entry_id}}/review",
    }
    imports = document["paths"][f"{API}/realisations/import"]["post"]
    assert set(imports["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert imports["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportRefused"
    }
    schemas = document["components"]["schemas"]
    assert {
        "ImportRows",
        "ImportRow",
        "DimensionTree",
        "IndicatorDetail",
        "RealisationPush",
    } <= set(schemas)
    push = document["paths"][f"{API}/indicators/{{code}}/realisations"]["post"]
    assert "201" in push["responses"]
    assert push["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RealisationRead"
    }
