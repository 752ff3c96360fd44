"""Fitting the triage model: the labelled seed reports, the feature space, scikit-learn's
logistic regression, and the choice of its regularisation by cross-validation.

The seed set is every ``data/triage_reports_*.csv`` shipped with the package (reports written
for this purpose: ``text,category,urgency,has_photo,kelurahan_kode``). The platform's own
history (reports whose suggestion an operator accepted or corrected) joins it as ``Example``s
made by ``triage_history``. scikit-learn fits; the fitted coefficients are copied into the
portable ``TriageModel``, which alone predicts.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no type hints

from pontive.analytics import triage_text as text_features
from pontive.analytics.triage_choices import Urgency
from pontive.analytics.triage_model import (
    KECAMATAN,
    PHOTO,
    FeatureSpace,
    LinearHead,
    TriageModel,
    kecamatan_of,
)

if TYPE_CHECKING:  # scikit-learn and SciPy take a second to import: only when training
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

SEED = 20261130  # every split and fold of the triage model, so each run measures the same
MIN_DF = 2  # a term must occur in two reports: one-off names and numbers never enter
C_GRID = (1.0, 3.0, 10.0, 30.0)
DEFAULT_C = 10.0
FOLDS = 5
SEED_SOURCE = "seed"
HISTORY_SOURCE = "history"
SEED_FILES = "triage_reports_*.csv"
ANALYSER = "triage_text-1"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled report."""

    text: str
    category: str
    urgency: str
    has_photo: bool
    kelurahan_kode: str | None
    source: str = SEED_SOURCE


def _parse_seed(name: str, content: str) -> list[Example]:
    examples = []
    urgencies = {u.value for u in Urgency}
    for line, row in enumerate(csv.DictReader(io.StringIO(content)), start=2):
        text = (row.get("text") or "").strip()
        category = (row.get("category") or "").strip()
        urgency = (row.get("urgency") or "").strip()
        if not text or not category or urgency not in urgencies:
            raise ValueError(f"{name}:{line}: a row needs text, category and urgency {urgencies}")
        examples.append(
            Example(
                text=text,
                category=category,
                urgency=urgency,
                has_photo=(row.get("has_photo") or "").strip() in {"1", "true", "ya"},
                kelurahan_kode=(row.get("kelurahan_kode") or "").strip() or None,
            )
        )
    return examples


def load_seed() -> list[Example]:
    """The labelled seed reports shipped in ``analytics/data`` (every file, in name order)."""
    folder = resources.files("pontive.analytics").joinpath("data")
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.startswith("triage_reports_")),
        key=lambda entry: entry.name,
    )
    examples: list[Example] = []
    for entry in files:
        if entry.name.endswith(".csv"):
            examples += _parse_seed(entry.name, entry.read_text(encoding="utf-8"))
    return examples


# --- features ----------------------------------------------------------------------------------


def build_space(
    analyses: Sequence[text_features.Analysis], examples: Sequence[Example]
) -> FeatureSpace:
    """The vocabulary (terms in at least ``MIN_DF`` reports) and smooth idf of a training set."""
    word_df: Counter[str] = Counter()
    char_df: Counter[str] = Counter()
    for analysis in analyses:
        word_df.update(analysis.word_counts.keys())
        char_df.update(analysis.char_counts.keys())
    words = sorted(term for term, df in word_df.items() if df >= MIN_DF)
    chars = sorted(term for term, df in char_df.items() if df >= MIN_DF)
    total = len(analyses)
    idf = [math.log((1 + total) / (1 + word_df[t])) + 1.0 for t in words] + [
        math.log((1 + total) / (1 + char_df[t])) + 1.0 for t in chars
    ]
    kecamatan = sorted({k for e in examples if (k := kecamatan_of(e.kelurahan_kode))})
    return FeatureSpace(
        vocabulary=(*words, *chars),
        idf=np.array(idf + [1.0] * (1 + len(kecamatan))),
        n_words=len(words),
        meta=(PHOTO, *(KECAMATAN + k for k in kecamatan)),
    )


def feature_matrix(
    space: FeatureSpace, analyses: Sequence[text_features.Analysis], examples: Sequence[Example]
) -> sparse.csr_matrix:
    """The examples' vectors as the rows of a sparse matrix (``FeatureSpace.vector``)."""
    indptr, indices, values = [0], [], []
    for analysis, example in zip(analyses, examples, strict=True):
        idx, val = space.vector(
            analysis, has_photo=example.has_photo, kelurahan_kode=example.kelurahan_kode
        )
        indices.append(idx)
        values.append(val)
        indptr.append(indptr[-1] + len(idx))
    from scipy import sparse

    return sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.array(indptr),
        ),
        shape=(len(examples), space.size),
    )


# --- fitting -----------------------------------------------------------------------------------


def _classifier(c: float) -> LogisticRegression:
    # Balanced class weights: macro-F1 counts every category (and "tinggi") as much as the
    # common ones.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)


def _fit(matrix: sparse.csr_matrix, labels: Sequence[str], c: float) -> LogisticRegression:
    # One BLAS thread: on a small shared machine more threads fight over the cores and a fit
    # took ten times as long.
    with threadpool_limits(limits=1):
        return _classifier(c).fit(matrix, list(labels))


def _head(matrix: sparse.csr_matrix, labels: Sequence[str], c: float) -> LinearHead:
    fitted = _fit(matrix, labels, c)
    return LinearHead(
        classes=tuple(str(k) for k in fitted.classes_),
        coef=np.asarray(fitted.coef_, dtype=np.float64),
        intercept=np.asarray(fitted.intercept_, dtype=np.float64),
    )


@dataclass(frozen=True, slots=True)
class Settings:
    """The regularisation of each head (inverse strength: larger fits the data closer)."""

    c_category: float = DEFAULT_C
    c_urgency: float = DEFAULT_C


def fit(examples: Sequence[Example], settings: Settings | None = None) -> TriageModel:
    """Fit both heads on ``examples`` and return the portable model."""
    settings = settings or Settings()
    if len({e.category for e in examples}) < 2 or len({e.urgency for e in examples}) < 2:
        raise ValueError("training needs at least two categories and two urgencies")
    analyses = [text_features.analyse(e.text) for e in examples]
    space = build_space(analyses, examples)
    matrix = feature_matrix(space, analyses, examples)
    counts = Counter(e.source for e in examples)
    return TriageModel(
        space=space,
        category=_head(matrix, [e.category for e in examples], settings.c_category),
        urgency=_head(matrix, [e.urgency for e in examples], settings.c_urgency),
        config={
            "analyser": ANALYSER,
            "min_df": MIN_DF,
            "c_category": settings.c_category,
            "c_urgency": settings.c_urgency,
            "examples": {source: counts[source] for source in (SEED_SOURCE, HISTORY_SOURCE)},
        },
    )


def _best_c(means: dict[str, float]) -> float:
    # The best mean macro-F1; on a tie the smaller C (the stronger regularisation).
    return max(C_GRID, key=lambda c: (means[str(c)], -c))


def choose_settings(examples: Sequence[Example]) -> tuple[Settings, dict[str, dict[str, float]]]:
    """Each head's ``C`` by stratified ``FOLDS``-fold cross-validation on ``examples`` (the
    training part only: the held-out split is never looked at), best mean macro-F1, the
    smaller ``C`` on a tie. Also returns the mean macro-F1 of every ``C`` tried."""
    analyses = [text_features.analyse(e.text) for e in examples]
    categories = np.array([e.category for e in examples])
    urgencies = np.array([e.urgency for e in examples])
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    scores: dict[str, dict[float, list[float]]] = {"category": {}, "urgency": {}}
    for train, test in folds.split(np.zeros(len(examples)), categories):
        part = [examples[i] for i in train]
        space = build_space([analyses[i] for i in train], part)
        fit_matrix = feature_matrix(space, [analyses[i] for i in train], part)
        test_matrix = feature_matrix(
            space, [analyses[i] for i in test], [examples[i] for i in test]
        )
        for name, labels in (("category", categories), ("urgency", urgencies)):
            for c in C_GRID:
                model = _fit(fit_matrix, list(labels[train]), c)
                predicted = model.predict(test_matrix)
                score = f1_score(labels[test], predicted, average="macro", zero_division=0)
                scores[name].setdefault(c, []).append(float(score))
    means = {
        name: {str(c): float(np.mean(v)) for c, v in by_c.items()} for name, by_c in scores.items()
    }
    best = {name: _best_c(means[name]) for name in means}
    return Settings(c_category=best["category"], c_urgency=best["urgency"]), means
