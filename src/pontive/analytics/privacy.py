"""Analytics holds no personal data of its own: the workspace export leaves sealed and
declared-personal columns out (``workspace_rule.py``)."""

from __future__ import annotations

from pontive.analytics.workspace_models import SavedQuery
from pontive.privacy.declare import NotPersonal, not_personal

not_personal(
    NotPersonal(SavedQuery.name, "the title of a saved query"),
    NotPersonal(SavedQuery.owner_id, "a reference to the user who saved it, no data of theirs"),
)
