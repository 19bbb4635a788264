"""/api/v1/webhooks and their deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.webhooks import service as webhooks
from leadhub.domains.webhooks.schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/webhooks", tags=["Webhooks"], responses=ERROR_RESPONSES
)

ReadWebhooks = Annotated[Principal, Depends(RequireScope("read:webhooks"))]
WriteWebhooks = Annotated[Principal, Depends(RequireScope("write:webhooks"))]
# The contract names only read and write here: `write:webhooks` also allows deleting.
DeleteWebhooks = Annotated[Principal, Depends(RequireScope("delete:webhooks"))]
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[WebhookRead])
def list_webhooks(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadWebhooks,
    page: PageQuery,
) -> PageEnvelope[WebhookRead]:
    """List webhooks; secrets are masked."""
    return paginate(request, runtime, webhooks.list_webhooks(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[WebhookRead])
def create_webhook(
    body: WebhookCreate, runtime: RuntimeDep, session: SessionDep, principal: WriteWebhooks
) -> DataEnvelope[WebhookRead]:
    """Create a webhook; the answer holds its signing secret, shown only this once."""
    created = webhooks.create_webhook(
        session,
        principal,
        data=body,
        secret_box=runtime.secret_box,
        allow_private=runtime.settings.webhook_allow_private,
    )
    return DataEnvelope(data=created)


@router.get("/{webhook_id}", response_model=DataEnvelope[WebhookRead])
def get_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: ReadWebhooks
) -> DataEnvelope[WebhookRead]:
    """Get a webhook; its secret is masked."""
    return DataEnvelope(data=webhooks.get_webhook(session, principal, webhook_id))


@router.put("/{webhook_id}", response_model=DataEnvelope[WebhookRead])
@router.patch("/{webhook_id}", response_model=DataEnvelope[WebhookRead])
def update_webhook(
    webhook_id: WebhookId,
    body: WebhookUpdate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteWebhooks,
) -> DataEnvelope[WebhookRead]:
    """Change a webhook; a secret left out keeps its value."""
    updated = webhooks.update_webhook(
        session,
        principal,
        webhook_id,
        data=body,
        secret_box=runtime.secret_box,
        allow_private=runtime.settings.webhook_allow_private,
    )
    return DataEnvelope(data=updated)


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: DeleteWebhooks
) -> Response:
    """Delete a webhook and its deliveries."""
    webhooks.delete_webhook(session, principal, webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=PageEnvelope[DeliveryRead])
def list_deliveries(
    webhook_id: WebhookId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadWebhooks,
    page: PageQuery,
) -> PageEnvelope[DeliveryRead]:
    """List a webhook's deliveries, newest first, with their status and response time."""
    found = webhooks.list_deliveries(session, principal, webhook_id, page=page)
    return paginate(request, runtime, found)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=201,
    response_model=DataEnvelope[DeliveryRead],
)
def redeliver(
    webhook_id: WebhookId, delivery_id: DeliveryId, session: SessionDep, principal: WriteWebhooks
) -> DataEnvelope[DeliveryRead]:
    """Send a delivery's event again, as a new delivery."""
    return DataEnvelope(data=webhooks.redeliver(session, principal, webhook_id, delivery_id))
