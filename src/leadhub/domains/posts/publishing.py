"""Publishing a due post, through the workspace's publisher, and its follow-ups.

- `webhook` (the default): a `post.published` event goes to every active webhook subscribed to it
  (or to "*"), signed, retried and logged like every delivery; the user's own tooling posts it.
  The post is `publishing` until a delivery settles: the first that succeeds marks it `published`
  (at that time) with the `published_url` its receiver answered (`{"published_url": "…"}`), if
  any; a later receiver's URL fills one still missing. When every delivery has failed for good,
  the post is `failed` with the error. With no webhook subscribed, nobody could post it: it is
  marked `published` at once, without a URL, and `publish_note` says so.
- `manual`: LeadHub sends nothing and marks the post `published` at its time (a reminder); the URL
  can be recorded with the engagement.

Follow-ups (the reaction, the repost, each comment) are due at the publish time plus their delay;
each is then a `post.followup` event to the webhooks.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from leadhub.domains.events.schemas import POST_FOLLOWUP, POST_PUBLISHED
from leadhub.domains.jobs import service as jobs
from leadhub.domains.posts import service as posts
from leadhub.domains.posts.repository import PostRepository
from leadhub.domains.posts.schemas import FAILED, MANUAL, PUBLISHED, PUBLISHING
from leadhub.domains.webhooks import service as webhooks
from leadhub.kit.clock import utcnow
from leadhub.models import LeadMagnet, Post, PostFollowup, WebhookDelivery

NOBODY_NOTE = (
    "No active webhook subscribes to post.published, so nothing posted it: LeadHub only marked "
    "it published. Add a webhook for post.published, or record the URL with the engagement."
)
MANUAL_NOTE = (
    "The workspace publishes posts manually: LeadHub sent nothing at the scheduled time. "
    "Record the post's URL with the engagement."
)
NO_URL_NOTE = "The webhook receiver took the post but answered no published_url."
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
URL_MAX = 2000
ERROR_MAX = 1000


def publish(session: Session, post: Post, *, now: datetime | None = None) -> None:
    """Publish a due post through the workspace's publisher (`now`: the job's clock)."""
    now = now or utcnow()
    repo = PostRepository(session, post.workspace_id)
    if posts.publisher_of(repo) == MANUAL:
        mark_published(repo, post, now, url=None, note=MANUAL_NOTE)
        return
    event_id = str(uuid.uuid4())
    post.status = PUBLISHING
    post.publish_event_id = event_id
    post.last_error = None
    session.flush()
    body = event_body(repo, post, event_id, POST_PUBLISHED, {})
    deliveries = webhooks.deliver_event(session, post.workspace_id, POST_PUBLISHED, body)
    if not deliveries:
        mark_published(repo, post, now, url=None, note=NOBODY_NOTE)
        return
    post.publish_delivery_ids = [delivery.id for delivery in deliveries]
    session.flush()


def publish_failed(session: Session, post: Post, error: str) -> None:
    """The publish job gave up: the post is failed with the error."""
    post.status = FAILED
    post.last_error = error[:ERROR_MAX]
    session.flush()


def delivery_settled(
    session: Session,
    delivery: WebhookDelivery,
    answer: dict[str, Any] | None,
    *,
    now: datetime | None = None,
) -> None:
    """A `post.published` delivery ended: publish the post, fill its URL, or fail it."""
    body = delivery.request_body or {}
    post_id = ((body.get("data") or {}).get("post") or {}).get("id")
    if not isinstance(post_id, int):
        return
    repo = PostRepository(session, delivery.workspace_id)
    post = repo.find(post_id, lock=True)
    # An answer to an earlier publication (the post was rescheduled since) changes nothing.
    if post is None or post.publish_event_id != body.get("id"):
        return
    if delivery.status == "succeeded":
        _succeeded(repo, post, published_url(answer), now or utcnow())
    elif post.status == PUBLISHING:
        statuses = repo.delivery_statuses(post.publish_delivery_ids or [])
        if all(status == "failed" for status in statuses):
            error = delivery.error or "The delivery failed."
            publish_failed(
                session, post, f"No webhook delivery of post.published succeeded: {error}"
            )


def _succeeded(repo: PostRepository, post: Post, url: str | None, now: datetime) -> None:
    # A failed post's delivery sent again (redelivered) that succeeds publishes it after all.
    if post.status in (PUBLISHING, FAILED):
        mark_published(repo, post, now, url=url, note=None if url else NO_URL_NOTE)
    elif post.status == PUBLISHED and post.published_url is None and url:
        post.published_url = url
        post.publish_note = None
        repo.session.flush()


def published_url(answer: dict[str, Any] | None) -> str | None:
    """The receiver's `published_url`, when it is an http(s) URL."""
    url = (answer or {}).get("published_url")
    if not isinstance(url, str) or len(url) > URL_MAX or not _HTTP_URL.match(url.strip()):
        return None
    return url.strip()


def mark_published(
    repo: PostRepository, post: Post, at: datetime, *, url: str | None, note: str | None
) -> None:
    """The post is published at `at`; its follow-ups become due from then."""
    post.status = PUBLISHED
    post.published_at = at
    post.published_url = url
    post.publish_note = note
    post.last_error = None
    repo.session.flush()
    schedule_followups(repo, post, at)


def schedule_followups(repo: PostRepository, post: Post, at: datetime) -> None:
    """A tracked row and a job for each follow-up, due at `at` (the publish time) plus its
    delay."""
    for kind, position, delay in followups_of(post):
        due = at + timedelta(minutes=delay)
        row = repo.add(PostFollowup(post_id=post.id, kind=kind, position=position, due_at=due))
        repo.session.flush()
        job = jobs.enqueue(
            repo.session,
            posts.FOLLOWUP_KIND,
            {"followup_id": row.id},
            workspace_id=repo.workspace_id,
            delay_seconds=max(0.0, (due - at).total_seconds()),
        )
        job.run_after = due


def followups_of(post: Post) -> list[tuple[str, int, int]]:
    """(kind, position, delay in minutes) of each follow-up the post asks for."""
    config = post.followups or {}
    found: list[tuple[str, int, int]] = []
    for kind in ("reaction", "repost"):
        item = config.get(kind)
        if item and item.get("enabled"):
            found.append((kind, 0, int(item.get("delay_minutes") or 0)))
    for position, comment in enumerate(config.get("comments") or []):
        found.append(("comment", position, int(comment.get("delay_minutes") or 0)))
    return found


def send_followup(session: Session, followup: PostFollowup) -> None:
    """A due follow-up: a `post.followup` event to the webhooks (skipped when none listens)."""
    post = session.get(Post, followup.post_id)
    if post is None or post.status != PUBLISHED:
        followup.status = "skipped"
        session.flush()
        return
    repo = PostRepository(session, post.workspace_id)
    body = event_body(
        repo, post, str(uuid.uuid4()), POST_FOLLOWUP, {"followup": _followup_data(post, followup)}
    )
    deliveries = webhooks.deliver_event(session, post.workspace_id, POST_FOLLOWUP, body)
    followup.status = "sent" if deliveries else "skipped"
    followup.sent_at = utcnow()
    session.flush()


def _followup_data(post: Post, followup: PostFollowup) -> dict[str, Any]:
    config = post.followups or {}
    if followup.kind == "comment":
        comments = config.get("comments") or []
        item = comments[followup.position] if followup.position < len(comments) else {}
    else:
        item = config.get(followup.kind) or {}
    data: dict[str, Any] = {
        "id": followup.id,
        "type": followup.kind,
        "index": followup.position,
        "delay_minutes": item.get("delay_minutes"),
        "due_at": followup.due_at.isoformat(),
    }
    if followup.kind == "reaction":
        data["reaction_type"] = item.get("reaction_type")
    if followup.kind == "comment":
        data["text"] = item.get("text")
    return data


def event_body(
    repo: PostRepository, post: Post, event_id: str, event: str, extra: dict[str, Any]
) -> dict[str, Any]:
    """{"id", "event", "created_at", "data": {"post", "template", …}}: the post as the API shows
    it, and the lead magnet it promotes."""
    read = posts.read_many(repo, [post])[0]
    magnet = repo.session.get(LeadMagnet, post.template_id) if post.template_id else None
    template = (
        {
            "id": magnet.id,
            "uuid": magnet.uuid,
            "keyword": magnet.keyword,
            "resource_name": magnet.resource_name,
        }
        if magnet is not None
        else None
    )
    return {
        "id": event_id,
        "event": event,
        "created_at": utcnow().isoformat(),
        "data": {**extra, "post": read.model_dump(mode="json"), "template": template},
    }
