"""What the event services take and give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from leadhub.auth.principal import Principal

LEAD_CREATED = "lead_created"
LEAD_UPDATED = "lead_updated"
LEAD_DELETED = "lead_deleted"
STAGE_CHANGED = "stage_changed"
STATUS_CHANGED = "status_changed"
LEAD_ASSIGNED = "lead_assigned"
TAG_ADDED = "tag_added"
TAG_REMOVED = "tag_removed"
FORM_SUBMITTED = "form_submitted"
# A comment or a DM of the lead seen on the social network.
SOCIAL_ACTIVITY = "social_activity"
# Offline conversions: rated, queued for the ad platforms, each send's outcome, settled.
LEAD_RATED = "lead_rated"
CONVERSION_QUEUED = "conversion_queued"
CONVERSION_SENT = "conversion_sent"
CONVERSION_FAILED = "conversion_failed"
CONVERSION_PROCESSED = "conversion_processed"
# Workspace events: about no one lead, so not recorded as lead events; webhooks deliver them.
POST_PUBLISHED = "post.published"
POST_FOLLOWUP = "post.followup"

AUTOMATION = "automation"
# Where an event caused by an automation records how many automations led to it.
DEPTH_KEY = "automation_depth"


@dataclass(frozen=True)
class Actor:
    """Who caused an event: a user, an API key, an automation (with the depth of its chain),
    or LeadHub itself (public pages, jobs)."""

    kind: str
    id: int | None = None
    depth: int = 0

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        if principal.automation_id is not None:
            return cls(AUTOMATION, principal.automation_id, principal.automation_depth)
        if principal.user_id is not None:
            return cls("user", principal.user_id)
        if principal.api_key_id is not None:
            return cls("api_key", principal.api_key_id)
        return SYSTEM


SYSTEM = Actor("system")


class EventRead(BaseModel):
    id: int
    lead_id: int
    type: str
    changes: dict[str, Any]
    data: dict[str, Any]
    actor_type: str
    actor_id: int | None
    created_at: datetime
