"""The budget holds no personal data."""

from __future__ import annotations

from pontive.budget.models import BudgetLine
from pontive.privacy.declare import names_of_things

names_of_things(BudgetLine.name)
