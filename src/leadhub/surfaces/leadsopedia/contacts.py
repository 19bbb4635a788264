"""Leadsopedia's contacts: the leads in lists, read and changed by list, by id and by email."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.leads.schemas import LeadReference
from leadhub.domains.lists import contacts
from leadhub.kit.types import MAX_ID, Text
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadsopedia import translate
from leadhub.surfaces.leadsopedia.errors import ERROR_RESPONSES, BadRequest
from leadhub.surfaces.leadsopedia.paging import PageDep, page_fields
from leadhub.surfaces.leadsopedia.schemas import (
    LeadsopediaContact,
    LeadsopediaContactBody,
    LeadsopediaContacts,
)

router = APIRouter(
    route_class=ThreadedRoute, prefix="/contacts", tags=["Leadsopedia"], responses=ERROR_RESPONSES
)

ReadContacts = Annotated[Principal, Depends(RequireScope("read:lists"))]
# Contacts are leads: changing one needs both the lists and the leads scope.
WriteContacts = Annotated[Principal, Depends(RequireScope("write:lists"))]
WRITES_LEADS = [Depends(RequireScope("write:leads"))]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
ListQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="The list's id.")]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A contact's id.")]
EmailQuery = Annotated[Text | None, Query(max_length=254, description="A contact's email.")]
_ONE_OR_PAGE = LeadsopediaContacts | LeadsopediaContact


def _reference(contact_id: int | None, email: str | None) -> LeadReference | None:
    if contact_id is not None:
        return LeadReference(lead_id=contact_id)
    if email is not None:
        if not email.strip():
            raise BadRequest("The email must not be empty.", "email")
        return LeadReference(email=email.strip())
    return None


def _contacts(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: Principal,
    page: PageDep,
    *,
    list_id: int | None,
    contact_id: int | None,
    email: str | None,
) -> LeadsopediaContacts | LeadsopediaContact:
    reference = _reference(contact_id, email)
    if reference is not None:
        found = contacts.find(session, principal, list_id=list_id, reference=reference)
        return translate.contact_out(found)
    listed = contacts.page(session, principal, list_id=list_id, page=page)
    return LeadsopediaContacts(
        contacts=[translate.contact_out(item) for item in listed.items],
        **page_fields(request, runtime, listed),
    )


@router.get("", response_model=_ONE_OR_PAGE, summary="Contacts")
def get_contacts(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadContacts,
    page: PageDep,
    list_id: ListQuery = None,
    id: IdQuery = None,  # the document's parameter name
    email: EmailQuery = None,
) -> LeadsopediaContacts | LeadsopediaContact:
    """The contacts of `list_id` (or of every list); with `id` or `email`, that one contact."""
    return _contacts(
        request, runtime, session, principal, page, list_id=list_id, contact_id=id, email=email
    )


@router.get("/{list_id}", response_model=_ONE_OR_PAGE, summary="Contacts (By Email / By ID)")
def get_list_contacts(
    list_id: PathId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadContacts,
    page: PageDep,
    id: IdQuery = None,  # the document's parameter name
    email: EmailQuery = None,
) -> LeadsopediaContacts | LeadsopediaContact:
    """The contact of this list with `email` or `id`; without either, the list's contacts."""
    return _contacts(
        request, runtime, session, principal, page, list_id=list_id, contact_id=id, email=email
    )


@router.post(
    "",
    status_code=201,
    response_model=LeadsopediaContact,
    dependencies=WRITES_LEADS,
    summary="Add List Contact / Update List Contact (By Email)",
    responses={200: {"model": LeadsopediaContact, "description": "The contact was updated"}},
)
def save_contact(
    body: LeadsopediaContactBody,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteContacts,
) -> LeadsopediaContact:
    """Add a contact to `list_id` by email; a contact with that email already is updated."""
    if body.list_id is None:
        raise BadRequest("The list_id field is required.", "list_id")
    saved, created = contacts.save(
        session, principal, list_id=body.list_id, data=translate.contact_in(body)
    )
    if created:
        base = f"{runtime.settings.effective_base_url}{request.url.path.rstrip('/')}"
        response.headers["Location"] = f"{base}/{body.list_id}?id={saved.lead.id}"
    else:
        response.status_code = 200
    return translate.contact_out(saved)


@router.post(
    "/{contact_id}",
    response_model=LeadsopediaContact,
    dependencies=WRITES_LEADS,
    summary="Update List Contact (By ID)",
)
def update_contact(
    contact_id: PathId, body: LeadsopediaContactBody, session: SessionDep, principal: WriteContacts
) -> LeadsopediaContact:
    """Change a contact's fields by its id."""
    data = translate.contact_in(body)
    return translate.contact_out(contacts.update(session, principal, contact_id, data=data))


@router.delete("", status_code=204, response_class=Response, summary="Delete Contact (By Email)")
def delete_contact_by_email(
    session: SessionDep,
    principal: WriteContacts,
    list_id: ListQuery = None,
    id: IdQuery = None,  # the document's parameter name
    email: EmailQuery = None,
) -> Response:
    """Take the contact with `email` (or `id`) out of `list_id`, or out of every list."""
    reference = _reference(id, email)
    if reference is None:
        raise BadRequest("Give the contact's email or id.", "email")
    contacts.remove(session, principal, list_id=list_id, reference=reference)
    return Response(status_code=204)


@router.delete(
    "/{path_id}", status_code=204, response_class=Response, summary="Delete Contact (By ID)"
)
def delete_contact(
    path_id: Annotated[
        int,
        Path(ge=1, le=MAX_ID, description="A list's id with ?id= or ?email=; else a contact's id."),
    ],
    session: SessionDep,
    principal: WriteContacts,
    id: IdQuery = None,  # the document's parameter name
    email: EmailQuery = None,
) -> Response:
    """`/contacts/{list_id}?id=…` (or `?email=…`) takes the contact out of that list;
    `/contacts/{contact_id}` takes the contact out of every list. The lead stays."""
    reference = _reference(id, email)
    if reference is None:
        contacts.remove(session, principal, list_id=None, reference=LeadReference(lead_id=path_id))
    else:
        contacts.remove(session, principal, list_id=path_id, reference=reference)
    return Response(status_code=204)
