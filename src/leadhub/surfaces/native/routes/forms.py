"""/api/v1/forms: CRUD, and submissions (with a key, or from a browser with the form's key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel

from leadhub.auth.principal import Principal
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import (
    FormCreate,
    FormRead,
    FormUpdate,
    SubmissionMeta,
    SubmissionRead,
)
from leadhub.domains.idempotency.schemas import FORM_ACTOR
from leadhub.errors import RateLimited
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.context import Caller, set_caller
from leadhub.surfaces.common.deps import (
    RequireScope,
    RuntimeDep,
    SessionDep,
    api_key_scheme,
    authenticate,
    bearer_scheme,
)
from leadhub.surfaces.common.forms import attribution_from, channel_flow_from, client_ip
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.links import form_links
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/forms", tags=["Forms"], responses=ERROR_RESPONSES
)

ReadForms = Annotated[Principal, Depends(RequireScope("read:forms"))]
WriteForms = Annotated[Principal, Depends(RequireScope("write:forms"))]
DeleteForms = Annotated[Principal, Depends(RequireScope("delete:forms"))]
FormId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Submissions from browsers with the form's public key, per client address.
PUBLIC_SUBMISSIONS_PER_10_MINUTES = 20


class FormOut(FormRead):
    public_url: str
    embed_html: str
    embed_script: str


def _out(request: Request, runtime: RuntimeDep, form: FormRead) -> FormOut:
    links = form_links(runtime.settings.effective_base_url, form.id)
    return FormOut(**form.model_dump(), **links)


@router.get("", response_model=PageEnvelope[FormOut])
def list_forms(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadForms,
    page: PageQuery,
) -> PageEnvelope[FormOut]:
    """List forms."""
    result = forms.list_forms(session, principal, page=page)
    envelope = paginate(request, runtime, result)
    return PageEnvelope(
        data=[_out(request, runtime, form) for form in result.items],
        meta=envelope.meta,
        links=envelope.links,
    )


@router.post("", status_code=201, response_model=DataEnvelope[FormOut])
def create_form(
    request: Request,
    runtime: RuntimeDep,
    body: FormCreate,
    session: SessionDep,
    principal: WriteForms,
) -> DataEnvelope[FormOut]:
    """Create a form: typed fields, their mapping to lead fields, and the defaults of new leads."""
    return DataEnvelope(
        data=_out(request, runtime, forms.create_form(session, principal, data=body))
    )


@router.get("/{form_id}", response_model=DataEnvelope[FormOut])
def get_form(
    form_id: FormId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadForms,
) -> DataEnvelope[FormOut]:
    """Get a form, with its public link and embed snippets."""
    return DataEnvelope(data=_out(request, runtime, forms.get_form(session, principal, form_id)))


@router.put("/{form_id}", response_model=DataEnvelope[FormOut])
@router.patch("/{form_id}", response_model=DataEnvelope[FormOut])
def update_form(
    form_id: FormId,
    body: FormUpdate,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteForms,
) -> DataEnvelope[FormOut]:
    """Change a form."""
    updated = forms.update_form(session, principal, form_id, data=body)
    return DataEnvelope(data=_out(request, runtime, updated))


@router.delete("/{form_id}", status_code=204, response_class=Response)
def delete_form(form_id: FormId, session: SessionDep, principal: DeleteForms) -> Response:
    """Delete a form and its stored submissions (its leads stay)."""
    forms.delete_form(session, principal, form_id)
    return Response(status_code=204)


@router.get("/{form_id}/submissions", response_model=PageEnvelope[SubmissionRead])
def list_submissions(
    form_id: FormId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadForms,
    page: PageQuery,
) -> PageEnvelope[SubmissionRead]:
    """List a form's submissions, newest first."""
    result = forms.list_submissions(session, principal, form_id, page=page)
    return paginate(request, runtime, result)


class SubmissionCreated(BaseModel):
    data: SubmissionRead


@dataclass(frozen=True)
class Submitter:
    """Who submits: a key's principal, or (None) a browser holding the form's public key."""

    principal: Principal | None
    form_key: str | None = None


def submitter(
    form_id: FormId,
    request: Request,
    runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
    form_key: Annotated[
        str | None, Header(alias="X-Form-Key", description="The form's public key, for browsers.")
    ] = None,
) -> Submitter:
    """A browser with the form's public key (limited per address; an unknown form or a wrong
    key is 404), or a key holding `write:forms`."""
    if form_key:
        _limit_address(runtime, client_ip(request), form_id)
        with runtime.db.unit_of_work(write=False) as session:
            workspace_id = forms.public_form_workspace(session, form_id, public_key=form_key)
        set_caller(request, Caller(workspace_id, FORM_ACTOR))
        return Submitter(principal=None, form_key=form_key)
    principal = authenticate(request, runtime, bearer, api_key)
    principal.require("write:forms")
    return Submitter(principal=principal)


@router.post(
    "/{form_id}/submissions",
    status_code=201,
    response_model=SubmissionCreated,
    openapi_extra={"x-required-scopes": ["write:forms"]},
)
def submit_form(
    form_id: FormId,
    values: Annotated[dict[str, Any], Body(description="The form field values by name.")],
    request: Request,
    session: SessionDep,
    by: Annotated[Submitter, Depends(submitter)],
) -> SubmissionCreated:
    """Submit a form: with an API key (`write:forms`), or from any web page with `X-Form-Key`.

    The lead is created or merged like inbound intake; the raw submission is kept.
    """
    meta = SubmissionMeta(
        attribution=attribution_from(values, request),
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        channel_flow=channel_flow_from(values, request),
    )
    if by.principal is None:
        recorded = forms.record_public(
            session, form_id, values=values, meta=meta, public_key=by.form_key
        )
        return SubmissionCreated(data=recorded)
    return SubmissionCreated(
        data=forms.submit(session, by.principal, form_id, values=values, meta=meta)
    )


def _limit_address(runtime: RuntimeDep, address: str | None, form_id: int) -> None:
    budget = runtime.limiter.hit(
        f"form-ip:{form_id}:{address}", PUBLIC_SUBMISSIONS_PER_10_MINUTES, seconds=600
    )
    if not budget.allowed:
        raise RateLimited(
            budget.retry_after, "Too many submissions from this address; retry later."
        )
