"""Google Ads lead form webhook: POST the lead form's body; its `google_key` authenticates it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from leadhub.domains.integrations import connectors
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=ThreadedRoute,
    prefix="/integrations/google",
    tags=["Google Ads lead forms"],
    responses=ERROR_RESPONSES,
    # Provider callbacks: authenticated by their own token, signature or key, not an API key.
)
IntegrationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/{integration_id}/webhook")
def receive_lead(
    integration_id: IntegrationId,
    runtime: RuntimeDep,
    session: SessionDep,
    body: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Check `google_key` (403 on mismatch), map `user_column_data` onto a lead, answer {}."""
    connectors.google_receive(session, integration_id, body=body, secret_box=runtime.secret_box)
    return {}
