"""Lead magnets: CRUD with every rule as a field error, and their hosted pages' slugs.

A magnet is delivered one of three ways (`delivery_mode`):
- `hosted_content`: the reply links to the magnet's hosted page at /m/{slug};
- `gated`: the same page, but behind an email form that captures the lead first;
- `external_link`: the reply links straight to `external_resource_url`; no page is needed.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.lead_magnets import repository as queries
from leadhub.domains.lead_magnets.repository import MagnetRepository
from leadhub.domains.lead_magnets.schemas import (
    HOSTED_MODES,
    RESOURCE_LINK,
    HostedPageRead,
    MagnetCreate,
    MagnetFields,
    MagnetRead,
    MagnetUpdate,
)
from leadhub.errors import Conflict, Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.kit.tokens import random_token
from leadhub.models import HostedPage, LeadMagnet

MAGNET_FIELDS = (
    "delivery_mode",
    "keyword",
    "resource_name",
    "description",
    "text_template",
    "not_connected_reply",
    "linked_posts",
    "external_resource_url",
    "confirm_missing_magnet_url",
    "confirm_legacy_placeholder",
)
PAGE_FIELDS = (
    "title",
    "markdown_content",
    "external_resource_url",
    "cta_label",
    "cta_url",
    "status",
)
_REQUIRED = frozenset({"delivery_mode", "keyword", "resource_name"})
_FLAGS = frozenset({"confirm_missing_magnet_url", "confirm_legacy_placeholder"})
# Placeholders older templates used for the link: {{link}}, {{url}}, {link}, {resource_link}, …
LEGACY_PLACEHOLDER = re.compile(
    r"\{\{\s*(?:link|url|magnet_link|magnet_url|resource_url)\s*\}\}"
    r"|(?<!\{)\{(?:link|url|resource_link|magnet_link)\}(?!\})"
)
# Paths of the public app that a slug must not take.
RESERVED_SLUGS = frozenset({"assets"})
SLUG_LENGTH = 80
Values = dict[str, Any]


def list_magnets(session: Session, principal: Principal, *, page: PageRequest) -> Page[MagnetRead]:
    """The workspace's lead magnets, oldest first."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnets, total = repo.page(page)
    pages = repo.pages_of([magnet.id for magnet in magnets])
    items = [to_read(magnet, pages.get(magnet.id)) for magnet in magnets]
    return Page(items=items, total=total, request=page)


def get_magnet(session: Session, principal: Principal, reference: int | str) -> MagnetRead:
    """One lead magnet, by id or uuid."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnet = require(repo, reference)
    return to_read(magnet, repo.pages_of([magnet.id]).get(magnet.id))


def create_magnet(session: Session, principal: Principal, *, data: MagnetCreate) -> MagnetRead:
    """A new lead magnet, with its hosted page when one is given."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnet = LeadMagnet(
        uuid=str(uuid.uuid4()),
        linked_posts=[],
        confirm_missing_magnet_url=False,
        confirm_legacy_placeholder=False,
    )
    page = _apply(repo, magnet, None, data)
    return to_read(magnet, page)


def update_magnet(
    session: Session, principal: Principal, reference: int | str, *, data: MagnetUpdate
) -> MagnetRead:
    """Change a lead magnet; only the fields sent change (`hosted_page: null` removes the page)."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnet = require(repo, reference)
    page = _apply(repo, magnet, repo.pages_of([magnet.id]).get(magnet.id), data)
    return to_read(magnet, page)


def delete_magnet(session: Session, principal: Principal, reference: int | str) -> None:
    """Delete a lead magnet with its page, its counts and its captures (the leads stay)."""
    repo = MagnetRepository(session, principal.workspace_id)
    session.delete(require(repo, reference))
    session.flush()


def require(repo: MagnetRepository, reference: int | str) -> LeadMagnet:
    magnet = repo.find(reference)
    if magnet is None:
        raise NotFound.of("Lead magnet")
    return magnet


# -- applying a change ----------------------------------------------------------------------


def _apply(
    repo: MagnetRepository, magnet: LeadMagnet, page: HostedPage | None, data: MagnetFields
) -> HostedPage | None:
    """Check the magnet as it would be after the change, then make the change."""
    errors: dict[str, list[str]] = {}
    state = _merged_magnet(magnet, data, errors)
    page_state = _merged_page(page, data, state)
    if not errors:
        _check(repo, magnet.id, state, page_state, errors)
    if errors:
        raise Invalid(errors)
    for name, value in state.items():
        setattr(magnet, name, value)
    magnet.keyword_key = magnet.keyword.lower()
    if magnet.id is None:
        repo.add(magnet)
    _flush(repo.session)
    page = _save_page(repo, magnet, page, page_state)
    _flush(repo.session)
    return page


def _merged_magnet(magnet: LeadMagnet, data: MagnetFields, errors: dict[str, list[str]]) -> Values:
    state: Values = {name: getattr(magnet, name) for name in MAGNET_FIELDS}
    for name in [name for name in MAGNET_FIELDS if name in data.model_fields_set]:
        value = getattr(data, name)
        if isinstance(value, str):
            value = value.strip() or None
        if name in _REQUIRED and value is None:
            errors.setdefault(name, []).append(f"The {name.replace('_', ' ')} field is required.")
        elif name in _FLAGS:
            state[name] = bool(value)
        elif name == "linked_posts":
            state[name] = [post.strip() for post in value or []]
        else:
            state[name] = value
    return state


def _merged_page(page: HostedPage | None, data: MagnetFields, magnet: Values) -> Values | None:
    """The page's fields after the change, or None when the magnet will have no page."""
    if "hosted_page" not in data.model_fields_set:
        return None if page is None else {name: getattr(page, name) for name in PAGE_FIELDS}
    if data.hosted_page is None:
        return None
    state: Values = (
        {name: getattr(page, name) for name in PAGE_FIELDS}
        if page is not None
        else dict.fromkeys(PAGE_FIELDS)
    )
    for name in [name for name in PAGE_FIELDS if name in data.hosted_page.model_fields_set]:
        value = getattr(data.hosted_page, name)
        state[name] = value.strip() or None if isinstance(value, str) else value
    state["status"] = state["status"] or "draft"
    state["title"] = state["title"] or magnet["resource_name"]
    return state


def _check(
    repo: MagnetRepository,
    magnet_id: int | None,
    state: Values,
    page: Values | None,
    errors: dict[str, list[str]],
) -> None:
    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    mode, template = state["delivery_mode"], state["text_template"] or ""
    if repo.keyword_taken(state["keyword"].lower(), other_than=magnet_id):
        add("keyword", "The keyword has already been taken.")
    if mode in HOSTED_MODES and page is None:
        add("hosted_page", f"A hosted page is required when the delivery mode is {mode}.")
    if page is not None and page["status"] == "published" and not page["markdown_content"]:
        add("hosted_page.markdown_content", "A published page needs markdown content.")
    confirmed_missing = state["confirm_missing_magnet_url"]
    if mode in HOSTED_MODES and RESOURCE_LINK not in template and not confirmed_missing:
        add(
            "text_template",
            f"The text template must include {RESOURCE_LINK}, "
            "or confirm_missing_magnet_url must be true.",
        )
    if LEGACY_PLACEHOLDER.search(template) and not state["confirm_legacy_placeholder"]:
        add(
            "text_template",
            f"The text template uses a legacy link placeholder; use {RESOURCE_LINK}, "
            "or set confirm_legacy_placeholder to true.",
        )
    if mode == "external_link" and not resource_url(state, page):
        add(
            "external_resource_url",
            "The external resource url field is required when the delivery mode is external_link.",
        )


def resource_url(magnet: Values, page: Values | None) -> str | None:
    """Where an external_link magnet points: its own URL, else its page's external resource."""
    own: str | None = magnet.get("external_resource_url")
    return own or (page or {}).get("external_resource_url")


def _save_page(
    repo: MagnetRepository, magnet: LeadMagnet, page: HostedPage | None, state: Values | None
) -> HostedPage | None:
    if state is None:
        if page is not None:
            repo.session.delete(page)
        return None
    if page is None:
        page = repo.add(
            HostedPage(
                uuid=str(uuid.uuid4()),
                magnet_id=magnet.id,
                slug=unique_slug(repo.session, state["title"], None),
            )
        )
    elif page.published_at is None and state["title"] != page.title:
        # The slug follows the title until the page is first published; then it is a URL.
        page.slug = unique_slug(repo.session, state["title"], page.id)
    for name, value in state.items():
        setattr(page, name, value)
    if page.status == "published" and page.published_at is None:
        page.published_at = utcnow()
    return page


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_LENGTH].strip("-") or "page"


def unique_slug(session: Session, title: str, page_id: int | None) -> str:
    """The title's slug, numbered when another page (of any workspace) has it."""
    base = slugify(title)
    candidates = [base] if base not in RESERVED_SLUGS else []
    candidates += [f"{base[: SLUG_LENGTH - 4]}-{number}" for number in range(2, 20)]
    for candidate in candidates:
        if not queries.slug_taken(session, candidate, other_than=page_id):
            return candidate
    return f"{base[: SLUG_LENGTH - 9]}-{random_token(6).lower().replace('_', 'x')[:8]}"


def _flush(session: Session) -> None:
    """Flush; a keyword or slug that a concurrent request took first is a conflict."""
    try:
        session.flush()
    except IntegrityError as exc:
        if "keyword" in str(exc.orig).lower():
            raise Invalid.field("keyword", "The keyword has already been taken.") from exc
        raise Conflict("Another request changed this lead magnet at the same time; retry.") from exc


# -- reading --------------------------------------------------------------------------------


def page_read(page: HostedPage) -> HostedPageRead:
    return HostedPageRead(
        id=page.uuid,
        title=page.title,
        slug=page.slug,
        markdown_content=page.markdown_content,
        external_resource_url=page.external_resource_url,
        cta_label=page.cta_label,
        cta_url=page.cta_url,
        status=page.status,
        published_at=page.published_at,
        created_at=page.created_at,
        updated_at=page.updated_at,
    )


def to_read(magnet: LeadMagnet, page: HostedPage | None) -> MagnetRead:
    return MagnetRead(
        id=magnet.id,
        uuid=magnet.uuid,
        delivery_mode=magnet.delivery_mode,
        keyword=magnet.keyword,
        resource_name=magnet.resource_name,
        description=magnet.description,
        text_template=magnet.text_template,
        not_connected_reply=magnet.not_connected_reply,
        linked_posts=[str(post) for post in magnet.linked_posts or []],
        external_resource_url=magnet.external_resource_url,
        confirm_missing_magnet_url=magnet.confirm_missing_magnet_url,
        confirm_legacy_placeholder=magnet.confirm_legacy_placeholder,
        hosted_page=page_read(page) if page is not None else None,
        created_at=magnet.created_at,
        updated_at=magnet.updated_at,
    )
