"""Lists: named sets of leads, names unique per workspace regardless of case. A lead can be in
many lists; deleting a list leaves its leads in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.audit import service as audit
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.lists.repository import ListRepository
from leadhub.domains.lists.schemas import ListCreate, ListRead, ListUpdate, MembershipChange
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import LeadList

_TAKEN = "The name has already been taken."


def list_lists(session: Session, principal: Principal, *, page: PageRequest) -> Page[ListRead]:
    """The workspace's lists, oldest first, with how many leads each holds."""
    repo = ListRepository(session, principal.workspace_id)
    lists, total = repo.page(page)
    return Page(items=_read(repo, lists), total=total, request=page)


def get_list(session: Session, principal: Principal, list_id: int) -> ListRead:
    """One list."""
    repo = ListRepository(session, principal.workspace_id)
    return _read(repo, [require(repo, list_id)])[0]


def create_list(session: Session, principal: Principal, *, data: ListCreate) -> ListRead:
    """A new list; a name in use is refused."""
    repo = ListRepository(session, principal.workspace_id)
    name = data.name.strip()
    if repo.by_name(name) is not None:
        raise Invalid.field("name", _TAKEN)
    lead_list = repo.add(LeadList(name=name, description=data.description))
    _flush(session)
    _note(session, principal, "list.created", lead_list, {"name": name})
    return _read(repo, [lead_list])[0]


def save_by_name(
    session: Session, principal: Principal, *, data: ListCreate
) -> tuple[ListRead, bool]:
    """The list with this name, created when missing, else updated; answers (list, created)."""
    repo = ListRepository(session, principal.workspace_id)
    existing = repo.by_name(data.name.strip())
    if existing is None:
        return create_list(session, principal, data=data), True
    update = ListUpdate.model_validate(data.model_dump(exclude_unset=True))
    return update_list(session, principal, existing.id, data=update), False


def update_list(
    session: Session, principal: Principal, list_id: int, *, data: ListUpdate
) -> ListRead:
    """Rename a list or change its description."""
    repo = ListRepository(session, principal.workspace_id)
    lead_list = require(repo, list_id)
    before = lead_list.name
    if data.name is not None:
        name = data.name.strip()
        clash = repo.by_name(name)
        if clash is not None and clash.id != lead_list.id:
            raise Invalid.field("name", _TAKEN)
        lead_list.name = name
    if "description" in data.model_fields_set:
        lead_list.description = data.description
    _flush(session)
    if lead_list.name != before:
        details = {"from": before, "to": lead_list.name}
        _note(session, principal, "list.renamed", lead_list, details)
    return _read(repo, [lead_list])[0]


def delete_list(session: Session, principal: Principal, list_id: int) -> None:
    """Delete a list; its leads stay."""
    repo = ListRepository(session, principal.workspace_id)
    lead_list = require(repo, list_id)
    _note(session, principal, "list.deleted", lead_list, {"name": lead_list.name})
    session.delete(lead_list)
    session.flush()


def add_leads(
    session: Session, principal: Principal, list_id: int, lead_ids: Sequence[int]
) -> MembershipChange:
    """Put leads in a list; every id must be a lead of the workspace (else 422, nothing added)."""
    repo = ListRepository(session, principal.workspace_id)
    lead_list = require(repo, list_id)
    wanted = list(dict.fromkeys(lead_ids))
    _require_leads(session, principal, wanted)
    already = repo.members_among(list_id, wanted)
    repo.add_members(list_id, [lead_id for lead_id in wanted if lead_id not in already])
    _touch(session, lead_list)
    return _change(repo, list_id, changed=len(wanted) - len(already), unchanged=len(already))


def remove_leads(
    session: Session, principal: Principal, list_id: int, lead_ids: Sequence[int]
) -> MembershipChange:
    """Take leads out of a list (the leads stay in the workspace)."""
    repo = ListRepository(session, principal.workspace_id)
    lead_list = require(repo, list_id)
    wanted = list(dict.fromkeys(lead_ids))
    removed = repo.remove_members(list_id, wanted)
    _touch(session, lead_list)
    return _change(repo, list_id, changed=removed, unchanged=len(wanted) - removed)


def remove_lead(session: Session, principal: Principal, list_id: int, lead_id: int) -> None:
    """Take one lead out of a list; 404 when it is not in it."""
    if remove_leads(session, principal, list_id, [lead_id]).changed == 0:
        raise NotFound("The lead is not in this list.")


def added_at(
    session: Session, principal: Principal, list_id: int, lead_ids: Sequence[int]
) -> dict[int, datetime]:
    """When each of these leads joined the list."""
    return ListRepository(session, principal.workspace_id).added_at(list_id, lead_ids)


def lists_of(
    session: Session, principal: Principal, lead_ids: Sequence[int]
) -> dict[int, list[int]]:
    """The ids of the lists each lead is in."""
    return ListRepository(session, principal.workspace_id).lists_of(lead_ids)


def require(repo: ListRepository, list_id: int) -> LeadList:
    lead_list = repo.get(LeadList, list_id)
    if lead_list is None:
        raise NotFound.of("List")
    return lead_list


def _require_leads(session: Session, principal: Principal, lead_ids: Sequence[int]) -> None:
    found = set(LeadRepository(session, principal.workspace_id).existing_ids(lead_ids))
    missing = [lead_id for lead_id in lead_ids if lead_id not in found]
    if missing:
        shown = ", ".join(str(lead_id) for lead_id in missing[:10])
        raise Invalid.field("lead_ids", f"These leads do not exist: {shown}.")


def _touch(session: Session, lead_list: LeadList) -> None:
    lead_list.updated_at = utcnow()
    session.flush()


def _change(
    repo: ListRepository, list_id: int, *, changed: int, unchanged: int
) -> MembershipChange:
    total = repo.member_counts([list_id]).get(list_id, 0)
    return MembershipChange(
        list_id=list_id, changed=changed, unchanged=unchanged, total_contacts=total
    )


def _note(
    session: Session,
    principal: Principal,
    action: str,
    lead_list: LeadList,
    details: dict[str, str],
) -> None:
    audit.record(
        session,
        principal.workspace_id,
        principal,
        action,
        target_type="list",
        target_id=lead_list.id,
        details=details,
    )


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the name
        raise Invalid.field("name", _TAKEN) from exc


def _read(repo: ListRepository, lists: list[LeadList]) -> list[ListRead]:
    counts = repo.member_counts([lead_list.id for lead_list in lists])
    return [
        ListRead(
            id=lead_list.id,
            name=lead_list.name,
            description=lead_list.description,
            total_contacts=counts.get(lead_list.id, 0),
            created_at=lead_list.created_at,
            updated_at=lead_list.updated_at,
        )
        for lead_list in lists
    ]
