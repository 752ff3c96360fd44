"""The evaluation behind ``pontive analytics evaluate quality``: faults injected into the
simulator's clean series are found, and flags on clean data are few."""

from __future__ import annotations

from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_eval import QUICK_PERIODS, Score, evaluate
from pontive.analytics.quality_faults import FaultPlan, inject, simulate
from pontive.sensors.demo_stations import demo_stations
from pontive.sensors.simulate_city import CityModel

# Enough neighbours for the drift check's median (three each), and a rain gauge.
SOME = {
    "kapuas-indah", "jembatan-kapuas-1", "banjar-serasan", "siantan-hilir", "hujan-darat-sekip",
    "udara-pontianak-selatan", "udara-pontianak-kota", "udara-pontianak-tenggara",
    "udara-pontianak-timur",
}  # fmt: skip


def test_faults_are_found_with_few_false_flags() -> None:
    stations = [s for s in demo_stations() if s.key in SOME]
    plan = FaultPlan(drifting=2)
    scores = {s.kind: s for s in evaluate(periods=QUICK_PERIODS, stations=stations, plan=plan)}
    assert set(scores) == set(FlagKind)
    for kind in (FlagKind.SPIKE, FlagKind.RANGE, FlagKind.STUCK, FlagKind.GAP):
        score = scores[kind]
        assert score.injected >= 7, kind
        assert (score.precision or 0) >= 0.9, kind
        assert (score.recall or 0) >= 0.9, kind
    drift = scores[FlagKind.DRIFT]
    assert drift.injected == 2
    assert drift.found >= 1
    assert drift.right == drift.flagged


def test_injection_is_fixed_by_its_seed_and_records_what_it_changed() -> None:
    [station] = [s for s in demo_stations() if s.key == "kapuas-indah"]
    model = CityModel(7)
    start, end = QUICK_PERIODS[0]
    clean = simulate(model, [station], start, start + (end - start) / 4)
    spoilt, faults = inject(clean, seed=1)
    again, same = inject(clean, seed=1)
    assert faults == same
    assert spoilt == again
    before = {r.id: r.value for r in clean[0].readings}
    after = {r.id: r.value for r in spoilt[0].readings}
    for fault in faults:
        if fault.kind in (FlagKind.SPIKE, FlagKind.RANGE, FlagKind.STUCK):
            assert any(after[i] != before[i] for i in fault.ids)
        if fault.kind is FlagKind.GAP:
            assert not any(fault.start < r.at < fault.end for r in spoilt[0].readings)


def test_precision_and_recall_say_nothing_without_data() -> None:
    empty = Score(FlagKind.DRIFT, 0, 0, 0, 0)
    assert (empty.precision, empty.recall) == (None, None)
