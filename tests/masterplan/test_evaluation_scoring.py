"""The evaluation index and the SPBE index from configured weights, against hand-worked
examples (each worked out in the comment above the assertion)."""

from __future__ import annotations

from typing import Any

import pytest

from pontive.masterplan.evaluation_frameworks import city_config, spbe_config
from pontive.masterplan.evaluation_scoring import (
    check_bands,
    check_city,
    check_spbe,
    city_index,
    predicate,
    rounded,
    spbe_index,
    spbe_indicators,
)

BANDS = spbe_config()["bands"]


def _city(weights: dict[str, float]) -> dict[str, Any]:
    rubric = {str(n): f"tingkat {n}" for n in range(1, 6)}
    return {
        "aspects": [
            {"code": code, "name_id": code.title(), "weight": weight, "rubric": rubric}
            for code, weight in weights.items()
        ]
    }


def test_city_index_with_the_default_weights() -> None:
    # Weights 10/20/30/30/10, scores 3/4/3/2/5:
    # (10*3 + 20*4 + 30*3 + 30*2 + 10*5) / 100 = (30 + 80 + 90 + 60 + 50) / 100 = 3.10
    scores = {"baseline": 3, "output": 4, "outcome": 3, "impact": 2, "quick_win": 5}
    result = city_index(city_config(), scores)
    assert result.index == pytest.approx(3.10)
    assert result.is_complete
    outcome = next(a for a in result.aspects if a.code == "outcome")
    assert outcome.share == pytest.approx(0.30)
    assert outcome.contribution == pytest.approx(0.90)  # 0.30 * 3


def test_city_index_normalises_weights_that_do_not_sum_to_100() -> None:
    # Bandung 2022's weights 10/20/40/30/20 sum to 120; scores 4/3/4/3/5:
    # (40 + 60 + 160 + 90 + 100) / 120 = 450 / 120 = 3.75
    config = _city({"baseline": 10, "output": 20, "outcome": 40, "impact": 30, "quick_win": 20})
    scores = {"baseline": 4, "output": 3, "outcome": 4, "impact": 3, "quick_win": 5}
    result = city_index(config, scores)
    assert result.index == pytest.approx(3.75)
    # The same weights halved give the same index: only the proportions count.
    halved = _city({"baseline": 5, "output": 10, "outcome": 20, "impact": 15, "quick_win": 10})
    assert city_index(halved, scores).index == pytest.approx(3.75)
    assert sum(a.share for a in result.aspects) == pytest.approx(1.0)
    assert next(a for a in result.aspects if a.code == "outcome").share == pytest.approx(40 / 120)


def test_a_missing_aspect_is_reported_not_counted_as_zero() -> None:
    # Quick win not scored: (10*3 + 20*4 + 30*3 + 30*2) / 90 = 260 / 90 = 2.888…
    scores = {"baseline": 3, "output": 4, "outcome": 3, "impact": 2}
    result = city_index(city_config(), scores)
    assert result.missing == ["quick_win"]
    assert not result.is_complete
    assert result.index == pytest.approx(260 / 90)
    assert city_index(city_config(), {}).index is None


def test_a_score_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        city_index(city_config(), {"baseline": 6})


def _spbe(weights: list[list[list[float]]]) -> dict[str, Any]:
    """A small framework: domains → aspects → indicator weights."""
    number = 0
    domains = []
    for d, aspects in enumerate(weights, start=1):
        rows = []
        for a, indicator_weights in enumerate(aspects, start=1):
            items = []
            for weight in indicator_weights:
                number += 1
                items.append(
                    {"code": f"I{number}", "number": number, "name": f"n{number}", "weight": weight}
                )
            rows.append({"code": f"D{d}A{a}", "name": f"aspek {a}", "indicators": items})
        domains.append({"code": f"D{d}", "name": f"domain {d}", "levels": "x", "aspects": rows})
    return {"domains": domains, "bands": BANDS, "level_sets": {"x": list("ABCDE")}}


def test_spbe_indices_by_aspect_domain_and_overall() -> None:
    # D1: aspect 1 = I1 (w 2, level 3), I2 (w 2, level 5) → (6 + 10) / 4 = 4.0
    #     aspect 2 = I3 (w 1, level 1)                    → 1.0
    #     domain 1 = (6 + 10 + 1) / 5 = 3.4
    # D2: aspect 1 = I4 (w 3, level 4), I5 (w 2, level 2) → (12 + 4) / 5 = 3.2 = domain 2
    # overall = (6 + 10 + 1 + 12 + 4) / (5 + 5) = 33 / 10 = 3.30 → Baik (2.6 ≤ 3.30 < 3.5)
    config = _spbe([[[2, 2], [1]], [[3, 2]]])
    result = spbe_index(config, {"I1": 3, "I2": 5, "I3": 1, "I4": 4, "I5": 2})
    d1, d2 = result.domains
    assert [a.index for a in d1.children] == [pytest.approx(4.0), pytest.approx(1.0)]
    assert d1.index == pytest.approx(3.4)
    assert d1.weight == pytest.approx(5)
    assert d2.index == pytest.approx(3.2)
    assert result.index == pytest.approx(3.3)
    assert result.predicate == "Baik"
    assert result.is_complete
    assert result.indicators[1].level_name == "E"  # level 5 of the set A-E


def test_spbe_with_the_default_framework_of_47_indicators() -> None:
    config = spbe_config()
    indicators = spbe_indicators(config)
    assert len(indicators) == 47
    assert [len(a["indicators"]) for d in config["domains"] for a in d["aspects"]] == [
        10,
        4,
        4,
        2,
        8,
        3,
        10,
        6,
    ]
    # Domain weights as configured: 13 + 25 + 16.5 + 45.5 = 100.
    everything = spbe_index(config, {i["code"]: 3 for i in indicators})
    assert [d.weight for d in everything.domains] == [
        pytest.approx(13),
        pytest.approx(25),
        pytest.approx(16.5),
        pytest.approx(45.5),
    ]
    assert everything.weight == pytest.approx(100)
    assert everything.index == pytest.approx(3.0)
    # Layanan (D4, 45.5 %) at level 5, everything else at level 2:
    # (54.5 * 2 + 45.5 * 5) / 100 = (109 + 227.5) / 100 = 3.365 → Baik
    levels = {i["code"]: (5 if i["domain"] == "D4" else 2) for i in indicators}
    result = spbe_index(config, levels)
    assert result.index == pytest.approx(3.365)
    assert result.predicate == "Baik"
    assert result.domains[3].indicators[0].level_name == "Optimalisasi"
    assert result.domains[0].indicators[0].level_name == "Terkelola"


def test_spbe_missing_levels_are_reported() -> None:
    # I3 missing: overall = (6 + 10 + 12 + 4) / (4 + 5) = 32 / 9 = 3.555… → Sangat Baik
    config = _spbe([[[2, 2], [1]], [[3, 2]]])
    result = spbe_index(config, {"I1": 3, "I2": 5, "I4": 4, "I5": 2})
    assert result.missing == ["I3"]
    assert not result.is_complete
    assert result.domains[0].children[1].index is None  # the aspect with nothing scored
    assert result.domains[0].missing == ["I3"]
    assert result.index == pytest.approx(32 / 9)
    assert result.predicate == "Sangat Baik"


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (5.0, "Memuaskan"),
        (4.2, "Memuaskan"),  # exactly the bound
        (4.195, "Memuaskan"),  # printed 4,20: the predicate of what is published
        (4.1949, "Sangat Baik"),  # printed 4,19
        (4.19, "Sangat Baik"),
        (3.5, "Sangat Baik"),
        (3.49, "Baik"),
        (2.6, "Baik"),
        (2.59, "Cukup"),
        (1.8, "Cukup"),
        (1.79, "Kurang"),
        (1.0, "Kurang"),
    ],
)
def test_predicate_bands_at_their_bounds(index: float, expected: str) -> None:
    assert predicate(BANDS, index) == expected


def test_an_index_of_exactly_4_2_from_levels_is_memuaskan() -> None:
    # Five indicators of weight 1 at levels 5, 5, 4, 4, 3: 21 / 5 = 4.2 exactly.
    config = _spbe([[[1, 1, 1, 1, 1]]])
    result = spbe_index(config, {"I1": 5, "I2": 5, "I3": 4, "I4": 4, "I5": 3})
    assert result.index == pytest.approx(4.2)
    assert result.predicate == "Memuaskan"
    # Weights 81 and 19 at levels 4 and 5: (81 * 4 + 19 * 5) / 100 = (324 + 95) / 100 = 4.19
    # → Sangat Baik.
    config = _spbe([[[81, 19]]])
    result = spbe_index(config, {"I1": 4, "I2": 5})
    assert result.index == pytest.approx(4.19)
    assert result.predicate == "Sangat Baik"


def test_rounding_is_half_up_as_printed() -> None:
    assert rounded(4.195) == 4.2
    assert rounded(3.365) == 3.37
    assert rounded(2.004) == 2.0


def test_the_default_configurations_are_valid() -> None:
    assert check_city(city_config()) == {}
    assert check_spbe(spbe_config()) == {}


def test_configuration_errors_are_found() -> None:
    config = city_config()
    config["aspects"][0]["weight"] = -1
    del config["aspects"][1]["rubric"]["5"]
    errors = check_city(config)
    assert set(errors) == {"weights", "rubric_output"}
    assert "bands" in check_bands([{"min": 4.2, "name": "A"}, {"min": 4.2, "name": "B"}])
    assert "bands" in check_bands([{"min": 2.0, "name": "A"}])  # nothing below 2
    assert "bands" in check_bands([{"min": "x", "name": "A"}])
    spbe = spbe_config()
    spbe["domains"][0]["aspects"][0]["indicators"][1]["code"] = "I01"
    assert "indicators" in check_spbe(spbe)
