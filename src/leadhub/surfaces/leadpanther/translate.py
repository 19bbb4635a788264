"""Pure functions between LeadPanther's wire shapes and LeadHub's domain (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from leadhub.domains.activity.schemas import (
    ActivityFilters,
    ActivityRead,
    SocialLeadFilters,
    SocialLeadRead,
)
from leadhub.domains.grants.clients import ClientRead
from leadhub.domains.lead_magnets import schemas as magnets
from leadhub.domains.media.schemas import UploadTicket
from leadhub.domains.posts.schemas import EngagementRead, PostRead
from leadhub.domains.workspaces.service import Identity
from leadhub.surfaces.leadpanther import schemas as wire

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
ACCOUNT_STATUS = "active"
SAVED = "saved"


def timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and `Z` (`2026-05-25T00:00:00.000Z`); naive is UTC."""
    if value is None:
        return None
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def required_timestamp(value: datetime) -> str:
    return timestamp(value) or ""


def scope(canonical: str) -> str:
    """LeadHub's `read:leads` in LeadPanther's spelling, `leads:read` (`*` stays `*`)."""
    action, sep, resource = canonical.partition(":")
    return f"{resource}:{action}" if sep else canonical


def scopes(canonical: Iterable[str]) -> list[str]:
    return sorted(scope(item) for item in canonical)


def limit(value: int) -> int:
    """LeadPanther's page size: 50 by default, at most 100 (larger asks are clamped)."""
    return max(1, min(value, MAX_LIMIT))


# -- identity and clients -------------------------------------------------------------------


def me(identity: Identity, *, owner_name: str | None = None) -> wire.Me:
    workspace = identity.workspace
    return wire.Me(
        owner=wire.Owner(
            user_id=workspace.public_id,
            full_name=owner_name or workspace.name,
            business_name=workspace.name,
            account_status=ACCOUNT_STATUS,
        ),
        actor_type="agency" if identity.actor_type == "agency" else "user",
        scopes=scopes(identity.scopes),
        subject=wire.Subject(user_id=workspace.public_id),
    )


def client(found: ClientRead) -> wire.Client:
    grant = found.grant
    return wire.Client(
        user_id=found.id,
        full_name=found.name,
        business_name=found.name,
        account_status=ACCOUNT_STATUS,
        grant=wire.Grant(
            id=str(grant.id),
            label=grant.label,
            status=grant.status,
            permissions=scopes(grant.permissions),
            created_at=required_timestamp(grant.created_at),
            updated_at=required_timestamp(grant.updated_at),
        ),
    )


# -- lead magnets ---------------------------------------------------------------------------


def magnet_saved(magnet: magnets.MagnetRead) -> wire.MagnetSaved:
    return wire.MagnetSaved(
        lead_magnet=wire.MagnetRef(
            id=magnet.uuid,
            delivery_mode=magnet.delivery_mode,
            keyword=magnet.keyword,
            resource_name=magnet.resource_name,
        ),
        result=wire.SaveResult(status=SAVED),
    )


def magnet_analytics(
    found: magnets.MagnetAnalytics, lead_ids: Mapping[int, str]
) -> wire.MagnetAnalytics:
    """The native analytics with uuids for ids; `lead_ids` maps a lead to its /leads id."""
    page = found.page
    return wire.MagnetAnalytics(
        lead_magnet=wire.MagnetSummary(
            id=found.lead_magnet.uuid,
            keyword=found.lead_magnet.keyword,
            resource_name=found.lead_magnet.resource_name,
        ),
        page=(
            wire.PageSummary(
                id=page.id,
                title=page.title,
                slug=page.slug,
                status=page.status,
                published_at=timestamp(page.published_at),
                created_at=required_timestamp(page.created_at),
                updated_at=timestamp(page.updated_at),
            )
            if page is not None
            else None
        ),
        metrics=wire.MagnetMetrics(**found.metrics.model_dump()),
        recent_captures=[
            wire.Capture(
                id=capture.id,
                source=capture.source,
                lead_id=lead_ids.get(capture.lead_id) if capture.lead_id is not None else None,
                tracking_link_id=capture.tracking_link_id,
                created_at=required_timestamp(capture.created_at),
            )
            for capture in found.recent_captures
        ],
        pagination=wire.Pagination(**found.pagination.model_dump()),
    )


def capture_lead_ids(found: magnets.MagnetAnalytics) -> list[int]:
    return sorted({c.lead_id for c in found.recent_captures if c.lead_id is not None})


# -- media and posts ------------------------------------------------------------------------


def upload_url(
    ticket: UploadTicket, *, upload_url: str, public_url: str, bucket: str
) -> wire.UploadUrl:
    return wire.UploadUrl(
        upload_url=upload_url,
        token=ticket.token,
        path=ticket.path,
        public_url=public_url,
        bucket=bucket,
        content_type=ticket.content_type,
    )


def post(found: PostRead) -> wire.Post:
    return wire.Post(
        id=found.uuid,
        status=found.status,
        scheduled_at=timestamp(found.scheduled_at),
        template_id=found.template_uuid,
        metrics=found.metrics,
        theme=found.theme,
        followups=found.followups,
    )


def engagement(found: EngagementRead) -> wire.Engagement:
    return wire.Engagement(
        post_id=found.post_uuid,
        published_url=found.published_url,
        metrics_available=found.metrics_available,
        metrics=wire.EngagementMetrics(**found.metrics.model_dump()),
    )


# -- leads and activity ---------------------------------------------------------------------


def _blank_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def lead_filters(
    *,
    keyword: str | None = None,
    source: str | None = None,
    has_email: bool | None = None,
    has_intent: bool | None = None,
    qualification: str | None = None,
    search: str | None = None,
) -> SocialLeadFilters:
    return SocialLeadFilters(
        keyword=_blank_none(keyword),
        source=source,
        has_email=has_email,
        has_intent=has_intent,
        qualification=qualification,
        search=_blank_none(search),
    )


def activity_filters(
    *,
    source: str | None = None,
    status: str | None = None,
    keyword: str | None = None,
    search: str | None = None,
) -> ActivityFilters:
    """LeadPanther filters with the plural (`source=comments`); the singular works too."""
    return ActivityFilters(
        source=source.removesuffix("s") if source else None,
        status=status,
        keyword=_blank_none(keyword),
        search=_blank_none(search),
    )


def lead(found: SocialLeadRead) -> wire.Lead:
    return wire.Lead(
        id=found.uuid,
        linkedin_profile_url=found.linkedin_profile_url,
        name=found.name,
        headline=found.headline,
        emails=wire.Emails(**found.emails.model_dump()),
        submitted_name=found.submitted_name,
        submitted_at=timestamp(found.submitted_at),
        submitted_via_magnet_id=found.submitted_via_magnet_id,
        sources=wire.Sources(**found.sources.model_dump()),
        total_interactions=found.total_interactions,
        latest_keyword=found.latest_keyword,
        keywords=found.keywords,
        has_intent=found.has_intent,
        intent_signals=found.intent_signals,
        qualification_status=found.qualification_status,
        first_seen_at=required_timestamp(found.first_seen_at),
        last_seen_at=required_timestamp(found.last_seen_at),
        created_at=required_timestamp(found.created_at),
        updated_at=timestamp(found.updated_at),
    )


def activity(found: ActivityRead) -> wire.Activity:
    return wire.Activity(
        id=found.id,
        source=found.source,
        author_name=found.author_name,
        author_headline=found.author_headline,
        linkedin_profile_url=found.linkedin_profile_url,
        content=found.content,
        keyword=found.keyword,
        status=found.status,
        occurred_at=required_timestamp(found.occurred_at),
        metadata=wire.ActivityMetadata(**found.metadata.model_dump()),
    )
