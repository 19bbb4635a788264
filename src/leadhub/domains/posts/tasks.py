"""The jobs of posts: publish a due post, send a due follow-up; and the reaction to how each
`post.published` delivery ends."""

from __future__ import annotations

from typing import Any

from leadhub.domains.events.schemas import POST_PUBLISHED
from leadhub.domains.jobs.registry import JobContext, handler
from leadhub.domains.posts import publishing
from leadhub.domains.posts import service as posts
from leadhub.domains.posts.schemas import SCHEDULED
from leadhub.domains.webhooks.outcomes import on_settled
from leadhub.models import Job, Post, PostFollowup, WebhookDelivery


@handler(posts.PUBLISH_KIND)
def publish(context: JobContext, payload: dict[str, Any]) -> None:
    """Publish the post, unless it was rescheduled, unscheduled or deleted since the job began."""
    post = context.session.get(Post, int(payload["post_id"]), with_for_update=True)
    if post is None or post.status != SCHEDULED:
        return
    if post.schedule_version != int(payload["version"]):
        return
    try:
        with context.session.begin_nested():
            publishing.publish(context.session, post, now=context.clock())
    except Exception as exc:
        if context.attempt < _max_attempts(context):
            raise
        publishing.publish_failed(context.session, post, f"{type(exc).__name__}: {exc}")


@handler(posts.FOLLOWUP_KIND)
def followup(context: JobContext, payload: dict[str, Any]) -> None:
    """Send a due follow-up to the webhooks."""
    row = context.session.get(PostFollowup, int(payload["followup_id"]))
    if row is None or row.status != "scheduled":
        return
    publishing.send_followup(context.session, row)


@on_settled(POST_PUBLISHED)
def published_delivery_settled(
    context: JobContext, delivery: WebhookDelivery, answer: dict[str, Any] | None
) -> None:
    """Record what a receiver of post.published answered, or that nobody took the post."""
    publishing.delivery_settled(context.session, delivery, answer, now=context.clock())


def _max_attempts(context: JobContext) -> int:
    job = context.session.get(Job, context.job_id)
    return job.max_attempts if job is not None else posts.PUBLISH_ATTEMPTS
