"""The score: the weighted share of applicable items met, overall and per area."""

from __future__ import annotations

import pytest

from pontive.assets.assessment_choices import Answer, AssessmentArea, Rating, rating_of
from pontive.assets.assessment_scoring import AreaScore, Result, Scored, as_json, score

KR, IN, KT = AssessmentArea.KERAHASIAAN, AssessmentArea.INTEGRITAS, AssessmentArea.KETERSEDIAAN
M, S, T, NA = Answer.MEMENUHI, Answer.SEBAGIAN, Answer.TIDAK_MEMENUHI, Answer.TIDAK_BERLAKU


def _area(result: Result, area: AssessmentArea) -> AreaScore:
    found = result.area(area)
    assert found is not None, area
    return found


def test_weights_count_and_partly_met_earns_half() -> None:
    result = score([Scored(KR, 5, M), Scored(KR, 3, S), Scored(KR, 2, T)])
    # (5 * 1 + 3 * 0.5 + 2 * 0) / 10
    assert result.overall.score == 65.0
    assert result.overall.earned == 6.5
    assert result.overall.possible == 10


def test_not_applicable_items_leave_the_score() -> None:
    with_na = score([Scored(KR, 4, M), Scored(KR, 4, T), Scored(KR, 5, NA)])
    without = score([Scored(KR, 4, M), Scored(KR, 4, T)])
    assert with_na.overall.score == without.overall.score == 50.0
    assert with_na.overall.applicable == 2
    assert with_na.overall.answered == 3


def test_each_area_is_scored_on_its_own_in_the_areas_order() -> None:
    result = score([Scored(KT, 1, T), Scored(KR, 2, M), Scored(IN, 3, S), Scored(KR, 2, T)])
    assert [a.area for a in result.areas] == [KR, IN, KT]
    assert _area(result, KR).score == 50.0
    assert _area(result, IN).score == 50.0
    assert _area(result, KT).score == 0.0
    assert result.area(AssessmentArea.TATA_KELOLA) is None
    # overall: (2 + 1.5 + 0 + 0) / 8
    assert result.overall.score == round(100 * 3.5 / 8, 1)


def test_unanswered_items_wait_and_make_the_score_provisional() -> None:
    result = score([Scored(KR, 2, M), Scored(KR, 2, None), Scored(IN, 1, None)])
    assert result.overall.score == 100.0
    assert (result.overall.answered, result.overall.total) == (1, 3)
    assert not result.overall.is_complete
    assert _area(result, IN).score is None


def test_an_all_not_applicable_area_has_no_score() -> None:
    result = score([Scored(KR, 3, NA), Scored(IN, 3, M)])
    assert _area(result, KR).score is None
    assert result.overall.score == 100.0


@pytest.mark.parametrize(
    ("value", "rating"),
    [
        (100.0, Rating.BAIK),
        (85.0, Rating.BAIK),
        (84.9, Rating.CUKUP),
        (70.0, Rating.CUKUP),
        (69.9, Rating.KURANG),
        (50.0, Rating.KURANG),
        (49.9, Rating.BURUK),
        (0.0, Rating.BURUK),
        (None, None),
    ],
)
def test_rating_bands(value: float | None, rating: Rating | None) -> None:
    assert rating_of(value) is rating


def test_json_form_names_areas_and_ratings() -> None:
    body = as_json(score([Scored(KR, 1, M), Scored(IN, 1, T)]), "en")
    assert body["score"] == 50.0
    assert body["rating"] == "kurang"
    assert body["complete"] is True
    areas = body["areas"]
    assert isinstance(areas, list)
    assert areas[0] == {
        "area": "kerahasiaan",
        "label": "Confidentiality",
        "score": 100.0,
        "rating": "baik",
        "rating_label": "Good",
        "answered": 1,
        "applicable": 1,
        "total": 1,
    }
