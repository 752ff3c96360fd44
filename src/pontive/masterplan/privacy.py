"""The masterplan holds no personal data: names of programmes, activities and indicators."""

from __future__ import annotations

from pontive.masterplan.models import EvaluationFramework, Indicator, Programme, ProgrammeActivity
from pontive.privacy.declare import names_of_things

names_of_things(
    ProgrammeActivity.name,
    EvaluationFramework.name,
    Indicator.name_id,
    Indicator.name_en,
    Programme.name,
)
