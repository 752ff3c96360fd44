"""Helpers shared by the datastore tests: actors, action contexts, committed resources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from pontive.core.db import Database
from pontive.core.identity import ANONYMOUS, Actor, system_actor
from pontive.core.storage import MediaStore
from pontive.opendata import datastore
from pontive.opendata.actions import ActionContext, get_action
from pontive.opendata.models import Dataset, Resource
from pontive.settings import Settings
from tests.opendata.conftest import make_dataset, make_resource

PUBLISHER = system_actor("tests")

FIELDS = [
    {"id": "kelurahan", "type": "text", "info": {"label": "Kelurahan"}},
    {"id": "tahun", "type": "int"},
    {"id": "nilai", "type": "numeric"},
    {"id": "aktif", "type": "bool"},
    {"id": "tanggal", "type": "date"},
    {"id": "waktu", "type": "timestamp"},
]
RECORDS = [
    {"kelurahan": "Benua Melayu Darat", "tahun": 2022, "nilai": 10.5, "aktif": True,
     "tanggal": "2022-01-31", "waktu": "2022-01-31T08:00:00"},
    {"kelurahan": "Darat Sekip", "tahun": 2023, "nilai": 3, "aktif": False,
     "tanggal": "2023-02-01", "waktu": "2023-02-01 09:30:00"},
    {"kelurahan": "Tengah", "tahun": 2023, "nilai": 7.25, "aktif": True,
     "tanggal": "15/03/2023", "waktu": None},
    {"kelurahan": "Mariana", "tahun": 2024, "nilai": None, "aktif": None,
     "tanggal": None, "waktu": "2024-05-05T10:00:00+07:00"},
]  # fmt: skip


def call(
    name: str,
    session: Session,
    settings: Settings,
    media: MediaStore,
    data: dict[str, Any],
    actor: Actor = ANONYMOUS,
) -> Any:
    """Call a registered CKAN action as ``ckan.py`` would."""
    registered = get_action(name)
    assert registered is not None, name
    context = ActionContext(session=session, actor=actor, settings=settings, media=media)
    return registered.function(context, data)


def filled_resource(session: Session, name: str = "ds-test", **dataset: Any) -> Resource:
    """A resource with a table holding ``RECORDS``."""
    resource = make_resource(session, make_dataset(session, name, **dataset))
    datastore.create_table(session, resource, FIELDS)
    datastore.upsert(session, resource, RECORDS, method="insert")
    return resource


@contextmanager
def committed_resource(database: Database, name: str) -> Iterator[str]:
    """A committed dataset and resource (for loads, which commit); removed afterwards."""
    with database.begin() as session:
        resource = make_resource(session, make_dataset(session, name))
        resource_id, dataset_id = resource.id, resource.dataset_id
    try:
        yield resource_id
    finally:
        with database.begin() as session:
            resource = session.get(Resource, resource_id)
            if resource is not None:
                datastore.drop(session, resource)
            session.execute(delete(Dataset).where(Dataset.id == dataset_id))
