"""The export job: write the file; when it fails for good, the export fails and is refunded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadhub.domains.exports import producing
from leadhub.domains.exports.service import JOB_KIND, MAX_ATTEMPTS
from leadhub.domains.jobs.registry import JobContext, PermanentFailure, handler
from leadhub.storage.base import BlobStore
from leadhub.storage.local import LocalStore

SCRATCH_DIR = "tmp"


@handler(JOB_KIND)
def run_export(context: JobContext, payload: dict[str, Any]) -> None:
    """Write one export's file; its completion commits with the job's."""
    if context.database is None or context.store is None:
        raise PermanentFailure("export jobs need the node's database and blob store")
    export_id = int(payload["export_id"])
    try:
        producing.produce(
            context.database,
            context.store,
            export_id,
            finish_in=context.session,
            scratch=scratch_dir(context.store),
        )
    except Exception as exc:
        if isinstance(exc, PermanentFailure) or context.attempt >= MAX_ATTEMPTS:
            # The job's own transaction is dropped first: on SQLite it would hold the write lock.
            context.session.rollback()
            producing.fail(context.database, context.store, export_id, failure_message(exc))
        raise


def scratch_dir(store: BlobStore) -> Path | None:
    """Where files are written before they are stored: the data dir when the store is local."""
    if isinstance(store, LocalStore):
        return store.root.parent / SCRATCH_DIR
    return None


def failure_message(exc: Exception) -> str:
    if isinstance(exc, PermanentFailure):
        return f"{exc} The credits were refunded."
    return f"The file could not be written ({type(exc).__name__}). The credits were refunded."
