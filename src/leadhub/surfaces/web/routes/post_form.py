"""The post editor's form: its values from a post or a posted form, and the service's input."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from leadhub.domains.posts.schemas import COMMENTS_MAX, PostRead
from leadhub.surfaces.web.routes.settings_common import text, texts

REACTIONS = ("like", "celebrate", "support", "love", "insightful", "funny", "curious")
# Blank comment rows the editor offers beyond the post's own.
SPARE_COMMENTS = 2


def empty_values(date: str = "") -> dict[str, Any]:
    """A new post's editor; a day picked on the calendar pre-fills its time (09:00 UTC)."""
    return {
        "text": "",
        "status": "scheduled" if date else "draft",
        "scheduled_at": f"{date}T09:00" if date else "",
        "template_id": "",
        "theme_id": "",
        "images": "",
        "document_url": "",
        "document_type": "",
        "notes": "",
        "reaction_enabled": False,
        "reaction_delay": "30",
        "reaction_type": "like",
        "repost_enabled": False,
        "repost_delay": "120",
        "comments": comment_rows([]),
    }


def values_of(post: PostRead) -> dict[str, Any]:
    followups = post.followups
    reaction = followups.get("reaction") or {}
    repost = followups.get("repost") or {}
    return {
        "text": post.text,
        "status": post.status,
        "scheduled_at": post.scheduled_at.strftime("%Y-%m-%dT%H:%M") if post.scheduled_at else "",
        "template_id": str(post.template_id or ""),
        "theme_id": post.theme_id or "",
        "images": "\n".join(str(image.get("url", "")) for image in post.images),
        "document_url": post.document_url or "",
        "document_type": post.document_type or "",
        "notes": post.notes or "",
        "reaction_enabled": bool(reaction.get("enabled")),
        "reaction_delay": str(reaction.get("delay_minutes", 30)),
        "reaction_type": reaction.get("reaction_type") or "like",
        "repost_enabled": bool(repost.get("enabled")),
        "repost_delay": str(repost.get("delay_minutes", 120)),
        "comments": comment_rows(
            [(c.get("text", ""), str(c.get("delay_minutes", 0))) for c in followups["comments"]]
        ),
    }


def posted_values(form: FormData) -> dict[str, Any]:
    """The editor's values as posted, to show them again beside their errors."""
    comments = list(zip(texts(form, "comment_text"), texts(form, "comment_delay"), strict=False))
    return {
        **{
            name: text(form, name)
            for name in (
                "text",
                "status",
                "scheduled_at",
                "template_id",
                "theme_id",
                "images",
                "document_url",
                "document_type",
                "notes",
                "reaction_delay",
                "reaction_type",
                "repost_delay",
            )
        },
        "reaction_enabled": bool(text(form, "reaction_enabled")),
        "repost_enabled": bool(text(form, "repost_enabled")),
        "comments": comment_rows([(t, d) for t, d in comments if t.strip()]),
    }


def comment_rows(filled: list[tuple[str, str]]) -> list[tuple[str, str]]:
    spare = max(0, min(SPARE_COMMENTS, COMMENTS_MAX - len(filled)))
    return filled + [("", "0")] * spare


def service_input(values: dict[str, Any]) -> dict[str, Any]:
    """The service's input (PostCreate / PostUpdate fields) from the editor's values."""
    return {
        "text": values["text"],
        "status": values["status"] or "draft",
        "scheduled_at": values["scheduled_at"] or None,
        "template_id": values["template_id"] or None,
        "theme_id": values["theme_id"] or None,
        "images": [{"url": line.strip()} for line in values["images"].splitlines() if line.strip()],
        "document_url": values["document_url"] or None,
        "document_type": values["document_type"] or None,
        "notes": values["notes"] or None,
        "followups": {
            "reaction": {
                "enabled": values["reaction_enabled"],
                "delay_minutes": values["reaction_delay"] or 0,
                "reaction_type": values["reaction_type"] or "like",
            },
            "repost": (
                {"enabled": True, "delay_minutes": values["repost_delay"] or 0}
                if values["repost_enabled"]
                else None
            ),
            "comments": [
                {"text": comment, "delay_minutes": delay or 0}
                for comment, delay in values["comments"]
                if comment.strip()
            ],
        },
    }
