"""The triage model in portable form: vocabulary, idf, coefficients and intercepts as numpy
arrays, stored as ``.npz`` bytes (never a pickle), and prediction with numpy alone.

The feature vector of a report is three blocks: TF-IDF (sublinear tf, L2-normalised) of its
word 1-2-grams, TF-IDF of its character 2-5-grams (normalised on their own), and a few
"meta" features: whether the report has a photo, and its kecamatan (one-hot). Training
(``triage_train``) builds its matrix from the very same ``vector`` function, so a stored model
predicts exactly what the fitted one did.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pontive.analytics import triage_text as text_features

FORMAT = "pontive-triage-npz-1"
# Each text block is L2-normalised to length 1; the photo and the kecamatan weigh little
# against them (more made the category worse in cross-validation on the training part).
WEIGHTS = {"word": 1.0, "char": 1.0, "photo": 0.2, "kecamatan": 0.1}
PHOTO = "m foto"
KECAMATAN = "m kec "
REASONS = 6  # top terms kept for an explanation
Floats = NDArray[np.float64]


def kecamatan_of(kelurahan_kode: str | None) -> str | None:
    """The kecamatan code (``61.71.01``) of a kelurahan code (``61.71.01.1003``)."""
    return kelurahan_kode[:8] if kelurahan_kode and len(kelurahan_kode) >= 8 else None


@dataclass(frozen=True)
class FeatureSpace:
    """The features the model knows: words first, then character n-grams, then meta."""

    vocabulary: tuple[str, ...]
    idf: Floats
    n_words: int
    meta: tuple[str, ...]
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = (*self.vocabulary, *self.meta)
        object.__setattr__(self, "index", {name: i for i, name in enumerate(names)})

    @property
    def size(self) -> int:
        """How many features a vector has."""
        return len(self.vocabulary) + len(self.meta)

    def _block(self, counts: dict[str, int], weight: float) -> tuple[list[int], list[float]]:
        indices, values = [], []
        for name, count in counts.items():
            position = self.index.get(name)
            if position is not None:
                indices.append(position)
                values.append((1.0 + math.log(count)) * float(self.idf[position]))
        norm = math.sqrt(sum(v * v for v in values)) / weight
        return indices, [v / norm for v in values] if norm else values

    def vector(
        self, analysis: text_features.Analysis, *, has_photo: bool, kelurahan_kode: str | None
    ) -> tuple[NDArray[np.int64], Floats]:
        """The report's non-zero features: their positions and values."""
        word_idx, word_val = self._block(analysis.word_counts, self.weights["word"])
        char_idx, char_val = self._block(analysis.char_counts, self.weights["char"])
        meta_idx, meta_val = [], []
        if has_photo and PHOTO in self.index:
            meta_idx.append(self.index[PHOTO])
            meta_val.append(self.weights["photo"])
        kecamatan = KECAMATAN + (kecamatan_of(kelurahan_kode) or "")
        if kecamatan in self.index:
            meta_idx.append(self.index[kecamatan])
            meta_val.append(self.weights["kecamatan"])
        indices = np.array([*word_idx, *char_idx, *meta_idx], dtype=np.int64)
        values = np.array([*word_val, *char_val, *meta_val])
        return indices, values


@dataclass(frozen=True)
class LinearHead:
    """A multinomial (or binary) logistic model over the feature space."""

    classes: tuple[str, ...]
    coef: Floats  # (classes, features); one row for a binary model
    intercept: Floats

    def scores(self, indices: NDArray[np.int64], values: Floats) -> Floats:
        """The decision function of one vector."""
        result: Floats = self.coef[:, indices] @ values + self.intercept
        return result

    def probabilities(self, indices: NDArray[np.int64], values: Floats) -> Floats:
        """Each class's probability, in ``classes`` order (softmax, as scikit-learn does)."""
        scores = self.scores(indices, values)
        if len(self.classes) == 2 and scores.shape[0] == 1:
            positive = 1.0 / (1.0 + math.exp(-float(scores[0])))
            return np.array([1.0 - positive, positive])
        shifted = np.exp(scores - scores.max())
        result: Floats = shifted / shifted.sum()
        return result

    def class_row(self, klass: str) -> Floats:
        """The coefficients that speak for ``klass``."""
        position = self.classes.index(klass)
        if self.coef.shape[0] == 1:  # binary: the row speaks for the second class
            row: Floats = self.coef[0] if position == 1 else -self.coef[0]
            return row
        own: Floats = self.coef[position]
        return own


@dataclass(frozen=True, slots=True)
class Ranked:
    """A class and its probability."""

    code: str
    probability: float


@dataclass(frozen=True, slots=True)
class Reason:
    """A term of the report and how much it spoke for the suggested category."""

    term: str
    weight: float


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model suggests for one report, with its reasons."""

    categories: list[Ranked]  # best first, all classes
    urgencies: list[Ranked]
    reasons: list[Reason]
    words: tuple[str, ...]  # the report's normalised words (to highlight the reasons in the text)


def _ranked(classes: tuple[str, ...], probabilities: Floats) -> list[Ranked]:
    order = np.argsort(-probabilities, kind="stable")
    return [Ranked(classes[i], float(probabilities[i])) for i in order]


@dataclass(frozen=True)
class TriageModel:
    """Feature space plus a category head and an urgency head."""

    space: FeatureSpace
    category: LinearHead
    urgency: LinearHead
    config: dict[str, Any]

    def predict(
        self,
        text: str,
        *,
        has_photo: bool = False,
        kelurahan_kode: str | None = None,
        with_reasons: bool = True,
    ) -> Prediction:
        """Category, urgency and the reasons for the category, in a millisecond or so."""
        analysis = text_features.analyse(text)
        indices, values = self.space.vector(
            analysis, has_photo=has_photo, kelurahan_kode=kelurahan_kode
        )
        categories = _ranked(self.category.classes, self.category.probabilities(indices, values))
        urgencies = _ranked(self.urgency.classes, self.urgency.probabilities(indices, values))
        reasons = (
            self.explain(analysis, indices, values, categories[0].code) if with_reasons else []
        )
        return Prediction(categories, urgencies, reasons, analysis.words)

    def explain(
        self,
        analysis: text_features.Analysis,
        indices: NDArray[np.int64],
        values: Floats,
        klass: str,
    ) -> list[Reason]:
        """The terms that spoke most for ``klass``: tf-idf value times that class's coefficient,
        character n-grams credited to the words they came from."""
        contributions = values * self.category.class_row(klass)[indices]
        by_term: dict[str, float] = {}
        char_origins = analysis.char_origins()
        for position, amount in zip(indices.tolist(), contributions.tolist(), strict=True):
            if position >= len(self.space.vocabulary):
                continue  # photo and place are not terms of the text
            name = self.space.vocabulary[position]
            if name.startswith(text_features.WORD):
                term = text_features.readable(name)
                by_term[term] = by_term.get(term, 0.0) + amount
                continue
            origins = char_origins.get(name, Counter())
            total = sum(origins.values())
            for word, count in origins.items():
                by_term[word] = by_term.get(word, 0.0) + amount * count / total
        ranked = sorted(by_term.items(), key=lambda item: (-item[1], item[0]))
        reasons: list[Reason] = []
        shown: set[str] = set()
        for term, weight in ranked:
            words = set(term.split())
            # A word already shown (alone or in a two-word term) is not repeated.
            if weight <= 0 or not text_features.is_informative(term) or words <= shown:
                continue
            reasons.append(Reason(term, round(weight, 4)))
            shown |= words
            if len(reasons) == REASONS:
                break
        return reasons

    # --- portable storage ---------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The model as compressed ``.npz`` bytes (plain arrays and JSON, no pickle)."""
        arrays: dict[str, Any] = {
            "format": np.array(FORMAT),
            "config": np.array(json.dumps(self.config, sort_keys=True)),
            "vocabulary": np.array(self.space.vocabulary, dtype=str),
            "idf": self.space.idf,
            "n_words": np.array(self.space.n_words),
            "meta": np.array(self.space.meta, dtype=str),
            "weights": np.array(json.dumps(self.space.weights, sort_keys=True)),
        }
        for name, head in (("category", self.category), ("urgency", self.urgency)):
            arrays[f"{name}_classes"] = np.array(head.classes, dtype=str)
            arrays[f"{name}_coef"] = head.coef
            arrays[f"{name}_intercept"] = head.intercept
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TriageModel:
        """Read a model written by ``to_bytes``."""
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            if str(stored["format"]) != FORMAT:
                raise ValueError(f"not a triage model: {stored['format']}")
            space = FeatureSpace(
                vocabulary=tuple(str(v) for v in stored["vocabulary"]),
                idf=stored["idf"].astype(np.float64),
                n_words=int(stored["n_words"]),
                meta=tuple(str(v) for v in stored["meta"]),
                weights=json.loads(str(stored["weights"])),
            )
            heads = [
                LinearHead(
                    classes=tuple(str(v) for v in stored[f"{name}_classes"]),
                    coef=stored[f"{name}_coef"].astype(np.float64),
                    intercept=stored[f"{name}_intercept"].astype(np.float64),
                )
                for name in ("category", "urgency")
            ]
            config = json.loads(str(stored["config"]))
        return cls(space, heads[0], heads[1], config)
