"""Measuring the triage model on held-out reports.

The seed set is split once, stratified by category, 20 % held out, with a fixed seed; when
the platform has enough confirmed history (``HISTORY_MIN`` decisions) its history is split the
same way. ``C`` is chosen by cross-validation on the training part alone, the model is fitted
on the training parts, and every number is measured on the held-out parts, which nothing
else looks at. Same data, same numbers: every random choice is seeded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pontive.analytics.triage_model import TriageModel
from pontive.analytics.triage_train import SEED, Example, Settings, choose_settings, fit

TEST_SIZE = 0.2
HISTORY_MIN = 50  # confirmed reports before the history gets a held-out split of its own
CONFUSIONS = 10  # the most frequent (true → predicted) mistakes reported


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """Training and held-out parts: 20 %, stratified by category where each has two reports."""
    from sklearn.model_selection import train_test_split  # a second to import: here only

    counts = Counter(e.category for e in examples)
    labels = [e.category for e in examples]
    stratify = labels if min(counts.values()) >= 2 else None
    train, test = train_test_split(
        list(examples), test_size=TEST_SIZE, random_state=SEED, stratify=stratify
    )
    return list(train), list(test)


@dataclass(frozen=True)
class Measured:
    """The metrics of one held-out set."""

    n: int
    category_macro_f1: float
    category_accuracy: float
    top2_accuracy: float
    per_category: dict[str, dict[str, float]]
    confusions: list[dict[str, Any]]
    urgency_macro_f1: float
    urgency_accuracy: float

    def as_dict(self) -> dict[str, Any]:
        """For the model's stored metrics and the JSON API."""
        return {
            "n": self.n,
            "category_macro_f1": self.category_macro_f1,
            "category_accuracy": self.category_accuracy,
            "top2_accuracy": self.top2_accuracy,
            "per_category": self.per_category,
            "confusions": self.confusions,
            "urgency_macro_f1": self.urgency_macro_f1,
            "urgency_accuracy": self.urgency_accuracy,
        }


def measure(model: TriageModel, examples: Sequence[Example]) -> Measured:
    """Category macro-F1, top-2 accuracy, per-category F1, confusions, urgency macro-F1."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    true_cat = [e.category for e in examples]
    true_urg = [e.urgency for e in examples]
    predictions = [
        model.predict(
            e.text, has_photo=e.has_photo, kelurahan_kode=e.kelurahan_kode, with_reasons=False
        )
        for e in examples
    ]
    best = [p.categories[0].code for p in predictions]
    top2 = [
        e.category in {r.code for r in p.categories[:2]}
        for e, p in zip(examples, predictions, strict=True)
    ]
    urgency = [p.urgencies[0].code for p in predictions]
    codes = sorted(set(true_cat))
    precision, recall, f1, support = precision_recall_fscore_support(
        true_cat, best, labels=codes, zero_division=0
    )
    per_category = {
        code: {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i, code in enumerate(codes)
    }
    mistakes = Counter((t, p) for t, p in zip(true_cat, best, strict=True) if t != p)
    ranked = sorted(mistakes.items(), key=lambda item: (-item[1], item[0]))[:CONFUSIONS]
    return Measured(
        n=len(examples),
        # Macro over the categories present in the held-out set (labels=codes).
        category_macro_f1=round(
            float(f1_score(true_cat, best, labels=codes, average="macro", zero_division=0)), 4
        ),
        category_accuracy=round(float(accuracy_score(true_cat, best)), 4),
        top2_accuracy=round(sum(top2) / len(top2), 4),
        per_category=per_category,
        confusions=[{"true": t, "predicted": p, "count": n} for (t, p), n in ranked],
        urgency_macro_f1=round(
            float(f1_score(true_urg, urgency, average="macro", zero_division=0)), 4
        ),
        urgency_accuracy=round(float(accuracy_score(true_urg, urgency)), 4),
    )


@dataclass(frozen=True)
class Evaluation:
    """A held-out evaluation: the settings chosen, the training sizes and the metrics."""

    settings: Settings
    cross_validation: dict[str, dict[str, float]]
    trained_on: dict[str, int]
    seed: Measured
    history: Measured | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """For the stored model version (``an_triage_models.metrics``)."""
        return {
            "split": {"test_size": TEST_SIZE, "seed": SEED},
            "settings": {
                "c_category": self.settings.c_category,
                "c_urgency": self.settings.c_urgency,
            },
            "cross_validation": self.cross_validation,
            "trained_on": self.trained_on,
            "seed": self.seed.as_dict(),
            "history": self.history.as_dict() if self.history else None,
        }


def evaluate(
    seed: Sequence[Example],
    history: Sequence[Example] = (),
    *,
    settings: Settings | None = None,
) -> tuple[Evaluation, Settings]:
    """Hold out 20 % of the seed (and of the history, when there is enough), choose ``C``
    on the rest by cross-validation (unless ``settings`` are given), fit, measure."""
    seed_train, seed_test = split(seed)
    history_train, history_test = (
        split(history) if len(history) >= HISTORY_MIN else (list(history), [])
    )
    training = seed_train + history_train
    cross_validation: dict[str, dict[str, float]] = {}
    if settings is None:
        settings, cross_validation = choose_settings(training)
    model = fit(training, settings)
    evaluation = Evaluation(
        settings=settings,
        cross_validation=cross_validation,
        trained_on={"seed": len(seed_train), "history": len(history_train)},
        seed=measure(model, seed_test),
        history=measure(model, history_test) if history_test else None,
    )
    return evaluation, settings
