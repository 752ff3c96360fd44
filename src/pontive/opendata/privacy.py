"""Open data holds no personal data: datasets are published, and their contact is an office."""

from __future__ import annotations

from pontive.opendata.models import Dataset, DatasetTag, DatastoreTable, Resource
from pontive.privacy.declare import NotPersonal, names_of_things, not_personal

names_of_things(
    Dataset.name, DatasetTag.name, DatastoreTable.table_name, Resource.name, Dataset.owner_org
)
not_personal(NotPersonal(Dataset.maintainer_email, "an office's address, not a person's"))
