"""The import job: read an uploaded file into leads, resuming where a previous run stopped."""

from __future__ import annotations

from typing import Any

from leadhub.domains.imports import runner
from leadhub.domains.jobs.registry import JobContext, PermanentFailure, handler


@handler("imports.run")
def run_import(context: JobContext, payload: dict[str, Any]) -> None:
    """Run the import; each batch commits on its own, so the job's session is left untouched."""
    if context.database is None or context.store is None or context.workspace_id is None:
        raise PermanentFailure("an import job needs the database, the file store and a workspace")
    runner.run_import(
        context.database, context.store, context.workspace_id, int(payload["import_id"])
    )
