"""The complaints catalogue ships the Wi-Fi category the hotspot reports file into (added to
``complaints/data/categories.json``): Diskominfo's, with the questions reconciliation reads."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HOTSPOT_ATTRIBUTE, PROBLEM_ATTRIBUTE, WIFI_CATEGORY, Problem
from pontive.complaints.choices import AttributeType
from pontive.complaints.service import get_category
from pontive.reference import service as reference


def test_the_wifi_category_is_seeded_for_diskominfo(session: Session) -> None:
    category = get_category(session, WIFI_CATEGORY)
    assert category.name_id == "Wi-Fi publik tidak berfungsi"
    assert category.name_en == "Public Wi-Fi not working"
    assert category.pd_kode == "diskominfo"
    codes = {pd.kode for pd in reference.list_perangkat_daerah(session=session)}
    assert category.pd_kode in codes
    assert category.routes_to_kecamatan is False
    questions = {a.code: a for a in category.attributes}
    problem = questions[PROBLEM_ATTRIBUTE]
    assert problem.required
    assert problem.datatype is AttributeType.SINGLEVALUELIST
    assert [v["key"] for v in problem.values] == [p.value for p in Problem]
    hotspot = questions[HOTSPOT_ATTRIBUTE]
    assert not hotspot.required
    assert hotspot.datatype is AttributeType.STRING


def test_the_category_is_offered_on_the_complaints_form(client: TestClient) -> None:
    page = client.get(f"/lapor?kategori={WIFI_CATEGORY}")
    assert page.status_code == 200
    assert "Wi-Fi publik tidak berfungsi" in page.text
    assert "Tidak ada sinyal" in page.text
    assert 'name="attribute[hotspot]"' in page.text
