"""Facebook Lead Ads webhook: GET for the subscription handshake, POST for leadgen events.

Public by design: no API key; the integration id with its verify token (GET) or the
`X-Hub-Signature-256` HMAC of the raw body with the app secret (POST) authenticates Facebook.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from leadhub.domains.integrations import connectors
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.native.errors import ERROR_RESPONSES, json_error_responses

router = APIRouter(
    route_class=ThreadedRoute,
    prefix="/integrations/facebook",
    tags=["Facebook Lead Ads"],
    responses=ERROR_RESPONSES,
    # Provider callbacks: authenticated by their own token, signature or key, not an API key.
)
IntegrationId = Annotated[int, Path(ge=1, le=MAX_ID)]
MAX_BODY = 1_000_000


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature is over these bytes."""
    return (await request.body())[: MAX_BODY + 1]


class Received(BaseModel):
    received: int


@router.get(
    "/{integration_id}/webhook",
    response_class=PlainTextResponse,
    responses=json_error_responses(),
)
def verify_subscription(
    integration_id: IntegrationId,
    runtime: RuntimeDep,
    session: SessionDep,
    mode: Annotated[str | None, Query(alias="hub.mode", max_length=50)] = None,
    verify_token: Annotated[str | None, Query(alias="hub.verify_token", max_length=4000)] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=500)] = None,
) -> PlainTextResponse:
    """Answer `hub.challenge` when `hub.mode=subscribe` and the verify token matches (else 403)."""
    answer = connectors.facebook_challenge(
        session,
        integration_id,
        mode=mode,
        verify_token=verify_token,
        challenge=challenge,
        secret_box=runtime.secret_box,
    )
    return PlainTextResponse(answer)


@router.post("/{integration_id}/webhook", response_model=Received)
def receive_leadgen(
    integration_id: IntegrationId,
    runtime: RuntimeDep,
    session: SessionDep,
    body: Annotated[bytes, Depends(raw_body)],
    signature: Annotated[str | None, Header(alias="X-Hub-Signature-256", max_length=200)] = None,
) -> Received:
    """Verify the signature (403 on mismatch), then fetch each leadgen lead in a job."""
    count = connectors.facebook_receive(
        session,
        integration_id,
        raw_body=body,
        signature=signature,
        secret_box=runtime.secret_box,
    )
    return Received(received=count)
