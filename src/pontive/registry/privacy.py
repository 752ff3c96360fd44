"""The registry's own tables hold no personal data (each registry's rows are declared by the
domain that owns the table)."""

from __future__ import annotations

from pontive.privacy.declare import names_of_things
from pontive.registry.models import RegistryChange, RegistryDocument, Reminder

names_of_things(
    RegistryChange.registry_name, RegistryDocument.registry_name, Reminder.registry_name
)
