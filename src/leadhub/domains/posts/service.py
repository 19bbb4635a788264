"""Posts: CRUD with every rule as a field error, scheduling, engagement, the publisher setting.

A post is a `draft` or `scheduled` (with a future `scheduled_at`). Scheduling enqueues a
`posts.publish` job due at `scheduled_at`; every schedule, reschedule or return to draft bumps the
post's `schedule_version`, so a job enqueued for another version does nothing. Publishing (see
`publishing`) moves it to `publishing`, then `published` or `failed`. A published post takes only
notes; a publishing one may still go back to draft or be rescheduled, which calls off the
publication under way (its receivers' answers are then ignored).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.jobs import service as jobs
from leadhub.domains.posts.repository import PostRepository
from leadhub.domains.posts.schemas import (
    DRAFT,
    LOCKED_STATUSES,
    PENDING_STATUSES,
    PUBLISHED,
    PUBLISHERS,
    SCHEDULED,
    EngagementRead,
    EngagementRecord,
    Metrics,
    PostCreate,
    PostFields,
    PostRead,
    PostSettings,
    PostSettingsRead,
    PostUpdate,
    ScheduledFollowup,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Post, PostFollowup

PUBLISH_KIND = "posts.publish"
FOLLOWUP_KIND = "posts.followup"
PUBLISH_ATTEMPTS = 5
# The most posts one calendar page shows (of a period, and of drafts without a time).
CALENDAR_MOST = 500
FIELDS = (
    "text",
    "status",
    "scheduled_at",
    "theme_id",
    "template_id",
    "images",
    "document_url",
    "document_type",
    "notes",
    "followups",
)
_CHOSEN = frozenset({DRAFT, SCHEDULED})
Values = dict[str, Any]
Errors = dict[str, list[str]]


def list_posts(
    session: Session, principal: Principal, *, page: PageRequest, status: str | None = None
) -> Page[PostRead]:
    """The workspace's posts, oldest first; optionally only those in one status."""
    repo = PostRepository(session, principal.workspace_id)
    rows, total = repo.page(page, status=status)
    return Page(items=read_many(repo, rows), total=total, request=page)


def get_post(session: Session, principal: Principal, reference: int | str) -> PostRead:
    """One post, by id or uuid."""
    repo = PostRepository(session, principal.workspace_id)
    return read_many(repo, [require(repo, reference)])[0]


def calendar(
    session: Session, principal: Principal, *, start: datetime, end: datetime
) -> tuple[list[PostRead], list[PostRead]]:
    """The posts of a period (by publish, else schedule time), and the drafts without a time."""
    repo = PostRepository(session, principal.workspace_id)
    dated = repo.between(_utc(start) or start, _utc(end) or end, limit=CALENDAR_MOST)
    return read_many(repo, dated), read_many(repo, repo.undated(limit=CALENDAR_MOST))


def create_post(session: Session, principal: Principal, *, data: PostCreate) -> PostRead:
    """A new post: a draft, or scheduled for a future `scheduled_at`."""
    repo = PostRepository(session, principal.workspace_id)
    post = Post(
        uuid=str(uuid.uuid4()),
        status=DRAFT,
        images=[],
        followups=_followups(None),
        metrics={},
        schedule_version=0,
        publish_delivery_ids=[],
    )
    _apply(repo, post, data)
    return read_many(repo, [post])[0]


def update_post(
    session: Session, principal: Principal, reference: int | str, *, data: PostUpdate
) -> PostRead:
    """Change a post; only the fields sent change. A published post takes only `notes`."""
    repo = PostRepository(session, principal.workspace_id)
    post = require(repo, reference, lock=True)
    _apply(repo, post, data)
    return read_many(repo, [post])[0]


def delete_post(session: Session, principal: Principal, reference: int | str) -> None:
    """Delete a post and its follow-ups; its pending jobs then do nothing."""
    repo = PostRepository(session, principal.workspace_id)
    session.delete(require(repo, reference, lock=True))
    session.flush()


def require(repo: PostRepository, reference: int | str, *, lock: bool = False) -> Post:
    post = repo.find(reference, lock=lock)
    if post is None:
        raise NotFound.of("Post")
    return post


# -- applying a change ----------------------------------------------------------------------


def _apply(repo: PostRepository, post: Post, data: PostFields) -> None:
    """Check the post as it would be after the change, then make it and (re)schedule."""
    errors: Errors = {}
    before: Values = {name: getattr(post, name) for name in FIELDS}
    state = _merged(repo, before, data, errors)
    if not errors:
        _check(post, before, state, errors)
    if errors:
        raise Invalid(errors)
    for name, value in state.items():
        setattr(post, name, value)
    if post.id is None:
        repo.add(post)
    _schedule(repo, post, before)
    repo.session.flush()


def _merged(repo: PostRepository, before: Values, data: PostFields, errors: Errors) -> Values:
    state = dict(before)
    for name in [name for name in FIELDS if name in data.model_fields_set]:
        value = getattr(data, name)
        if name in ("text", "status") and value is None:
            errors.setdefault(name, []).append(f"The {name} field is required.")
        elif name == "scheduled_at":
            state[name] = _utc(value)
        elif name == "theme_id":
            state[name] = _blank_none(None if value is None else str(value))
        elif name == "template_id":
            state[name] = _template(repo, value, errors)
        elif name == "images":
            state[name] = [image.model_dump(mode="json") for image in value or []]
        elif name == "followups":
            state[name] = _followups(value.model_dump(mode="json") if value else None)
        elif isinstance(value, str):
            state[name] = value if name == "text" else _blank_none(value)
        else:
            state[name] = value
    return state


def _check(post: Post, before: Values, state: Values, errors: Errors) -> None:
    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if post.status in LOCKED_STATUSES:
        for name in [n for n in FIELDS if n != "notes" and state[n] != before[n]]:
            add(name, f"A {post.status} post cannot be changed; only its notes can.")
        return
    status = state["status"]
    if status != before["status"] and status not in _CHOSEN:
        add("status", "The status must be draft or scheduled; LeadHub sets the others.")
    if status != SCHEDULED:
        return
    moved = before["status"] != SCHEDULED or state["scheduled_at"] != before["scheduled_at"]
    if state["scheduled_at"] is None:
        add("scheduled_at", "The scheduled at field is required when the status is scheduled.")
    elif moved and state["scheduled_at"] <= utcnow():
        add("scheduled_at", "The scheduled at must be a date in the future.")


def _schedule(repo: PostRepository, post: Post, before: Values) -> None:
    """A publish job for a new schedule; a new version makes every earlier job a no-op (and
    every answer to a publication under way ignored)."""
    if post.status == SCHEDULED:
        if before["status"] == SCHEDULED and post.scheduled_at == before["scheduled_at"]:
            return
        _new_version(post)
        post.last_error = None
        post.publish_note = None
        repo.session.flush()
        assert post.scheduled_at is not None
        now = utcnow()
        job = jobs.enqueue(
            repo.session,
            PUBLISH_KIND,
            {"post_id": post.id, "version": post.schedule_version},
            workspace_id=repo.workspace_id,
            delay_seconds=max(0.0, (post.scheduled_at - now).total_seconds()),
            max_attempts=PUBLISH_ATTEMPTS,
        )
        job.run_after = max(post.scheduled_at, now)
    elif before["status"] in PENDING_STATUSES and post.status != before["status"]:
        _new_version(post)


def _new_version(post: Post) -> None:
    post.schedule_version = (post.schedule_version or 0) + 1
    post.publish_event_id = None
    post.publish_delivery_ids = []


def _template(repo: PostRepository, value: int | str | None, errors: Errors) -> int | None:
    """The lead magnet's id for its id or uuid; a field error when the workspace has none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    reference: int | str = value.strip() if isinstance(value, str) else value
    if isinstance(reference, str) and reference.isdigit():
        reference = int(reference)
    magnet = repo.magnet(reference)
    if magnet is None:
        errors.setdefault("template_id", []).append(
            "The template id must be a lead magnet of this workspace."
        )
        return None
    return magnet.id


def _followups(given: dict[str, Any] | None) -> dict[str, Any]:
    followups = given or {}
    return {
        "reaction": followups.get("reaction"),
        "repost": followups.get("repost"),
        "comments": list(followups.get("comments") or []),
    }


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _blank_none(value: str | None) -> str | None:
    return (value or "").strip() or None


# -- engagement -----------------------------------------------------------------------------


def record_engagement(
    session: Session, principal: Principal, reference: int | str, *, data: EngagementRecord
) -> EngagementRead:
    """Record the counts seen on the network (only those sent change) and, if given, the URL."""
    repo = PostRepository(session, principal.workspace_id)
    post = require(repo, reference, lock=True)
    if post.status != PUBLISHED:
        raise Invalid.field("status", "Engagement can be recorded only for a published post.")
    current = Metrics.model_validate(post.metrics or {}).model_dump()
    sent = data.metrics.model_dump(exclude_none=True)
    post.metrics = {**current, **sent}
    post.metrics_recorded_at = utcnow()
    if data.published_url:
        post.published_url = data.published_url
        post.publish_note = None
    session.flush()
    return engagement_of(post)


def engagement(session: Session, principal: Principal, reference: int | str) -> EngagementRead:
    """The post's published URL and counts; `metrics_available` is false until some are recorded."""
    repo = PostRepository(session, principal.workspace_id)
    return engagement_of(require(repo, reference))


def engagement_of(post: Post) -> EngagementRead:
    return EngagementRead(
        post_id=post.id,
        post_uuid=post.uuid,
        published_url=post.published_url,
        metrics_available=post.metrics_recorded_at is not None,
        metrics=Metrics.model_validate(post.metrics or {}),
    )


# -- the publisher setting ------------------------------------------------------------------


def get_settings(session: Session, principal: Principal) -> PostSettingsRead:
    """How the workspace's posts are published."""
    return _settings(publisher_of(PostRepository(session, principal.workspace_id)))


def update_settings(
    session: Session, principal: Principal, *, data: PostSettings
) -> PostSettingsRead:
    """Choose how the workspace's posts are published (`webhook` or `manual`)."""
    workspace = PostRepository(session, principal.workspace_id).workspace()
    if workspace is None:
        raise NotFound.of("Workspace")
    workspace.post_publisher = data.publisher
    session.flush()
    return _settings(data.publisher)


def publisher_of(repo: PostRepository) -> str:
    workspace = repo.workspace()
    return workspace.post_publisher if workspace is not None else PUBLISHERS[0]


def _settings(publisher: str) -> PostSettingsRead:
    return PostSettingsRead.model_validate({"publisher": publisher, "publishers": PUBLISHERS})


# -- reading --------------------------------------------------------------------------------


def read_many(repo: PostRepository, posts: list[Post]) -> list[PostRead]:
    """The posts as the API shows them: two queries for all of them (magnets, follow-ups)."""
    magnets = repo.magnet_uuids([post.template_id for post in posts if post.template_id])
    followups = repo.followups_of([post.id for post in posts])
    return [
        to_read(post, magnets.get(post.template_id or 0), followups.get(post.id, []))
        for post in posts
    ]


def to_read(post: Post, template_uuid: str | None, followups: list[PostFollowup]) -> PostRead:
    return PostRead(
        id=post.id,
        uuid=post.uuid,
        text=post.text,
        status=post.status,
        scheduled_at=post.scheduled_at,
        theme_id=post.theme_id,
        theme={"id": post.theme_id} if post.theme_id else None,
        template_id=post.template_id,
        template_uuid=template_uuid,
        images=list(post.images or []),
        document_url=post.document_url,
        document_type=post.document_type,
        notes=post.notes,
        followups=_followups(post.followups),
        metrics=dict(post.metrics or {}),
        published_url=post.published_url,
        published_at=post.published_at,
        publish_note=post.publish_note,
        last_error=post.last_error,
        scheduled_followups=[
            ScheduledFollowup(
                type=row.kind,
                index=row.position,
                due_at=row.due_at,
                status=row.status,
                sent_at=row.sent_at,
            )
            for row in followups
        ],
        created_at=post.created_at,
        updated_at=post.updated_at,
    )
