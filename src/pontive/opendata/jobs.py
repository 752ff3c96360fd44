"""Background jobs of the open data domain, run by ``pontive worker``.

- ``opendata.datastore_load`` (every 10 s): load uploaded files whose datastore table the web
  layer queued (state PENDING) — the upload form and ``datastore_create`` without fields
  only queue, so a web request never holds a connection for a million-row load. Each load
  claims its table first (PENDING → LOADING), so two workers never load the same file; a
  file that fails validation leaves the state FAILED with its report, and is not retried
  until it is queued again. A load still LOADING an hour after it began (its process
  stopped) is queued again.
- ``opendata.publish_*``: the datasets Pontive publishes from its own data (``publish.py``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from pontive.core.db import Database
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.core.worker import Job, JobContext
from pontive.opendata import datastore_load, publish
from pontive.opendata.choices import LoadState
from pontive.opendata.models import DatastoreTable, Resource
from pontive.settings import get_settings

log = logging.getLogger(__name__)

LOADS_PER_RUN = 5
# A million rows load in about a minute: a load still running after an hour was abandoned.
STALE_LOAD = timedelta(hours=1)


def load_pending(context: JobContext) -> None:
    """Load every queued upload (a few per run); a load left half-done by a process that
    stopped (still LOADING after ``STALE_LOAD``) is queued again."""
    session = context.session
    session.execute(
        update(DatastoreTable)
        .where(
            DatastoreTable.state == LoadState.LOADING,
            DatastoreTable.started_at < utcnow() - STALE_LOAD,
        )
        .values(state=LoadState.PENDING)
    )
    pending = session.execute(
        select(Resource.id, Resource.storage_key)
        .join(DatastoreTable, DatastoreTable.resource_id == Resource.id)
        .where(DatastoreTable.state == LoadState.PENDING, Resource.storage_key.is_not(None))
        .limit(LOADS_PER_RUN)
    ).all()
    session.commit()  # the loads write in their own transactions (SQLite: one writer)
    if not pending:
        return
    # The loader works in many short transactions of its own, beside the job's session.
    database = Database(session.get_bind().engine.url.render_as_string(hide_password=False))
    media = MediaStore(get_settings().media_dir)
    try:
        for resource_id, storage_key in pending:
            path = media.path(str(storage_key))
            table = datastore_load.load_upload(database, resource_id, path)
            done = {"resource": resource_id, "state": table.state.value, "rows": table.rows_read}
            log.info("datastore load finished", extra=done)
    finally:
        database.dispose()


# The publications of Pontive's own data (``publish.py``) run beside the loads.
JOBS = (Job("opendata.datastore_load", 10.0, load_pending), *publish.JOBS)
