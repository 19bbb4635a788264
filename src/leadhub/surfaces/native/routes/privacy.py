"""/api/v1/privacy: export and erase everything held about one person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from leadhub.auth.principal import Principal
from leadhub.domains.privacy import service as privacy
from leadhub.domains.privacy.schemas import ErasureResult, PersonExport, PersonQuery
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.privacy import reference_key, with_links
from leadhub.surfaces.native.envelopes import DataEnvelope
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/privacy", tags=["Privacy"], responses=ERROR_RESPONSES
)

ReadPrivacy = Annotated[Principal, Depends(RequireScope("read:privacy"))]
# Erasing cannot be undone: only `delete:privacy` (or `*`) allows it, never `write:privacy`.
ErasePrivacy = Annotated[Principal, Depends(RequireScope("delete:privacy"))]


@router.post("/exports", response_model=DataEnvelope[PersonExport])
def export_person(
    body: PersonQuery, runtime: RuntimeDep, session: SessionDep, principal: ReadPrivacy
) -> DataEnvelope[PersonExport]:
    """Export everything held about a person (by `email`, `phone` and/or `lead_id`).

    One JSON document: `records` by kind (every kind listed, empty or not), `counts`, and the
    `files` that hold the person with a link to each. The export is written to the audit log
    as `privacy.exported`, naming the person by `reference` (a keyed hash), not their data.
    A `lead_id` that is not the workspace's is 404.
    """
    found = privacy.export(
        session, principal, body, store=runtime.store, key=reference_key(runtime)
    )
    files = with_links(runtime, session, principal, found.files)
    return DataEnvelope(data=found.model_copy(update={"files": files}))


@router.post("/erasures", status_code=201, response_model=DataEnvelope[ErasureResult])
def erase_person(
    body: PersonQuery, runtime: RuntimeDep, session: SessionDep, principal: ErasePrivacy
) -> DataEnvelope[ErasureResult]:
    """Erase everything held about a person (by `email`, `phone` and/or `lead_id`).

    In one transaction: their leads, events, profiles, activity, conversions, runs, webhook
    deliveries, pending jobs, export files and media are deleted; form submissions, captures,
    page events, tracking links, searches and export filters stay anonymised (counts hold).
    Stored files are deleted after the commit. No webhook or automation fires. The erasure is
    written to the audit log as `privacy.erased` with the counts, never the person's data.
    Needs `delete:privacy`.
    """
    result = privacy.erase(
        session, principal, body, store=runtime.store, key=reference_key(runtime)
    )
    return DataEnvelope(data=result)
