"""Tags: names unique per workspace regardless of case; leads refer to them by id, so a rename
shows on every lead and a delete takes the tag off every lead."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.tags.repository import TagRepository
from leadhub.domains.tags.schemas import TagCreate, TagRead, TagUpdate
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Tag

_TAKEN = "The name has already been taken."


def list_tags(session: Session, principal: Principal, *, page: PageRequest) -> Page[TagRead]:
    """The workspace's tags by name, with how many leads carry each."""
    repo = TagRepository(session, principal.workspace_id)
    tags, total = repo.page(page)
    return Page(items=_read(repo, tags), total=total, request=page)


def get_tag(session: Session, principal: Principal, tag_id: int) -> TagRead:
    """One tag."""
    repo = TagRepository(session, principal.workspace_id)
    return _read(repo, [_require(repo, tag_id)])[0]


def create_tag(session: Session, principal: Principal, *, data: TagCreate) -> TagRead:
    """A new tag."""
    repo = TagRepository(session, principal.workspace_id)
    name = data.name.strip()
    if not name or repo.find_by_names([name]):
        raise Invalid.field("name", _TAKEN if name else "The name field is required.")
    tag = repo.add(Tag(name=name, color=data.color))
    _flush(session)
    return _read(repo, [tag])[0]


def update_tag(session: Session, principal: Principal, tag_id: int, *, data: TagUpdate) -> TagRead:
    """Rename or recolour a tag."""
    repo = TagRepository(session, principal.workspace_id)
    tag = _require(repo, tag_id)
    if data.name is not None:
        name = data.name.strip()
        clash = [other for other in repo.find_by_names([name]) if other.id != tag.id]
        if not name or clash:
            raise Invalid.field("name", _TAKEN if name else "The name field is required.")
        tag.name = name
    if "color" in data.model_fields_set:
        tag.color = data.color
    _flush(session)
    return _read(repo, [tag])[0]


def delete_tag(session: Session, principal: Principal, tag_id: int) -> None:
    """Delete a tag; it comes off every lead."""
    repo = TagRepository(session, principal.workspace_id)
    session.delete(_require(repo, tag_id))
    session.flush()


def _require(repo: TagRepository, tag_id: int) -> Tag:
    tag = repo.get(Tag, tag_id)
    if tag is None:
        raise NotFound.of("Tag")
    return tag


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the name
        raise Invalid.field("name", _TAKEN) from exc


def _read(repo: TagRepository, tags: list[Tag]) -> list[TagRead]:
    counts = repo.lead_counts([tag.id for tag in tags])
    return [
        TagRead(
            id=tag.id,
            name=tag.name,
            color=tag.color,
            leads_count=counts.get(tag.id, 0),
            created_at=tag.created_at,
            updated_at=tag.updated_at,
        )
        for tag in tags
    ]
