"""An assessment's score: the weighted share of its applicable items that the system meets.

Each answered item earns its weight times its answer's credit (memenuhi 1, sebagian 0.5,
tidak memenuhi 0); ``tidak berlaku`` items leave both the earned and the possible weight.
The score of an area, and the overall score, is ``100 * earned / possible`` over the answered
applicable items (``None`` when there are none). While items are still unanswered the score
is provisional: ``answered``/``total`` say how far the checklist is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pontive.assets.assessment_choices import Answer, AssessmentArea, Rating, rating_of


@dataclass(frozen=True, slots=True)
class Scored:
    """What scoring needs of one item: its area, its weight and its answer (if any)."""

    area: AssessmentArea
    weight: int
    answer: Answer | None


@dataclass(frozen=True, slots=True)
class AreaScore:
    """The score of one area (or of the whole checklist, ``area`` ``None``)."""

    area: AssessmentArea | None
    score: float | None
    earned: float
    possible: float
    answered: int
    applicable: int
    total: int

    @property
    def rating(self) -> Rating | None:
        """The rating band of the score."""
        return rating_of(self.score)

    @property
    def is_complete(self) -> bool:
        """Whether every item is answered."""
        return self.answered == self.total


@dataclass(frozen=True, slots=True)
class Result:
    """The overall score and each area's, in the areas' order (areas without items left
    out)."""

    overall: AreaScore
    areas: tuple[AreaScore, ...]

    def area(self, area: AssessmentArea) -> AreaScore | None:
        """The score of ``area`` (``None`` when the checklist has no item there)."""
        return next((a for a in self.areas if a.area is area), None)


def _score(area: AssessmentArea | None, items: list[Scored]) -> AreaScore:
    earned = possible = 0.0
    answered = applicable = 0
    for item in items:
        if item.answer is None:
            continue
        answered += 1
        credit = item.answer.credit
        if credit is None:
            continue
        applicable += 1
        earned += item.weight * credit
        possible += item.weight
    score = round(100 * earned / possible, 1) if possible > 0 else None
    return AreaScore(area, score, earned, possible, answered, applicable, len(items))


def score(items: Iterable[Scored]) -> Result:
    """The scores of a checklist's items as answered."""
    listed = list(items)
    by_area: dict[AssessmentArea, list[Scored]] = {}
    for item in listed:
        by_area.setdefault(item.area, []).append(item)
    areas = tuple(_score(area, by_area[area]) for area in AssessmentArea if area in by_area)
    return Result(_score(None, listed), areas)


def as_json(result: Result, lang: str = "id") -> dict[str, object]:
    """The result for the API."""

    def one(part: AreaScore) -> Mapping[str, object]:
        return {
            "score": part.score,
            "rating": part.rating.value if part.rating else None,
            "rating_label": part.rating.label(lang) if part.rating else None,
            "answered": part.answered,
            "applicable": part.applicable,
            "total": part.total,
        }

    return {
        **one(result.overall),
        "complete": result.overall.is_complete,
        "areas": [
            {
                "area": a.area.value if a.area else None,
                "label": a.area.label(lang) if a.area else None,
                **one(a),
            }
            for a in result.areas
        ],
    }
