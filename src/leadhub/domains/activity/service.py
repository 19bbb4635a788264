"""Social activity: comments and DMs recorded, matched to lead magnets, and turned into leads.

Every event makes its author a lead (LeadPanther counts every commenter with its sources): the
profile URL names the person, so the same person commenting and then writing a DM is one lead
with two interactions. A keyword that matches a lead magnet (see matching.py) makes the event a
lead-magnet request: the lead gains the keyword, the intent signal "Requested <resource name>" and
the qualification `qualified` (a `disqualified` lead stays disqualified: that is a person's call),
and the answer carries the reply to send with its tracking link.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.activity import matching, profiles
from leadhub.domains.activity.repository import ActivityRepository
from leadhub.domains.activity.schemas import (
    CAPTURE_SOURCE,
    ActivityCreate,
    ActivityFilters,
    ActivityMetadata,
    ActivityRead,
    ActivityUpdate,
    LeadEmails,
    LeadSources,
    Recorded,
    Slice,
    SocialLeadFilters,
    SocialLeadRead,
)
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import LEAD_CREATED, SOCIAL_ACTIVITY, Actor
from leadhub.domains.lead_magnets.schemas import HOSTED_MODES, RESOURCE_LINK
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Activity, Lead, LeadMagnet, SocialProfile, TrackingLink

MAGNET_FIELD = "submitted_via_magnet_id"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# Builds a hosted page's public URL from its slug (the surface knows the base URL and the path).
PageUrl = Callable[[str], str]


def record(
    session: Session, principal: Principal, *, data: ActivityCreate, page_url: PageUrl
) -> Recorded:
    """Record a comment or a DM: its author becomes (or stays) a lead; a keyword gets a reply."""
    try:
        url = profiles.normalize_url(data.linkedin_profile_url)
    except profiles.NotAProfileUrl as exc:
        raise Invalid.field("linkedin_profile_url", f"The linkedin profile url {exc}.") from exc
    at = data.occurred_at or utcnow()
    repo = ActivityRepository(session, principal.workspace_id)
    magnets = repo.magnets()
    keyword = matching.match(data.content, [magnet.keyword for magnet in magnets])
    magnet = next((m for m in magnets if m.keyword == keyword), None) if keyword else None
    name, headline = _blank_none(data.author_name), _blank_none(data.author_headline)
    profile, created = profiles.upsert(repo, url, name=name, headline=headline, at=at)
    _touch(profile, data, magnet, name=name, headline=headline, at=at)
    activity = repo.add(_activity(data, url, magnet, profile, at))
    session.flush()
    actor = Actor.of(principal)
    if created:
        origin = {"source": profiles.LEAD_SOURCE, "tags": []}
        events.record(
            session, repo.workspace_id, profile.lead_id, LEAD_CREATED, actor=actor, data=origin
        )
    events.record(
        session,
        repo.workspace_id,
        profile.lead_id,
        SOCIAL_ACTIVITY,
        actor=actor,
        data={"activity_id": activity.uuid, "source": data.source, "keyword": activity.keyword},
    )
    reply, link = _reply(repo, magnet, activity, data, page_url) if magnet else (None, None)
    lead = session.get(Lead, profile.lead_id)
    assert lead is not None  # the profile's foreign key holds it
    return Recorded(
        activity=activity_read(activity),
        lead=social_lead_read(profile, lead),
        reply=reply,
        resource_link=link,
    )


def get_activity(session: Session, principal: Principal, reference: int | str) -> ActivityRead:
    """One activity, by id or uuid."""
    return activity_read(_require(ActivityRepository(session, principal.workspace_id), reference))


def update_activity(
    session: Session, principal: Principal, reference: int | str, *, data: ActivityUpdate
) -> ActivityRead:
    """Set an activity's status (new, replied, ignored, archived)."""
    activity = _require(ActivityRepository(session, principal.workspace_id), reference)
    activity.status = data.status
    session.flush()
    return activity_read(activity)


def list_activities(
    session: Session, principal: Principal, *, filters: ActivityFilters, page: PageRequest
) -> Page[ActivityRead]:
    """The workspace's activity, newest first (page/per_page)."""
    repo = ActivityRepository(session, principal.workspace_id)
    rows = repo.activities(filters, limit=page.per_page, offset=page.offset)
    items = [activity_read(row) for row in rows]
    return Page(items=items, total=repo.count_activities(filters), request=page)


def activity_slice(
    session: Session,
    principal: Principal,
    *,
    filters: ActivityFilters,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Slice[ActivityRead]:
    """The workspace's activity, newest first (limit/offset, as LeadPanther pages)."""
    limit, offset = _clamp(limit, offset)
    repo = ActivityRepository(session, principal.workspace_id)
    rows = repo.activities(filters, limit=limit + 1, offset=offset)
    items = [activity_read(row) for row in rows[:limit]]
    return Slice(items=items, limit=limit, offset=offset, has_more=len(rows) > limit)


def list_social_leads(
    session: Session, principal: Principal, *, filters: SocialLeadFilters, page: PageRequest
) -> Page[SocialLeadRead]:
    """The people seen on the social network, most recently seen first (page/per_page)."""
    repo = ActivityRepository(session, principal.workspace_id)
    rows = repo.social_leads(filters, limit=page.per_page, offset=page.offset)
    items = [social_lead_read(profile, lead) for profile, lead in rows]
    return Page(items=items, total=repo.count_social_leads(filters), request=page)


def social_lead_slice(
    session: Session,
    principal: Principal,
    *,
    filters: SocialLeadFilters,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Slice[SocialLeadRead]:
    """The people seen on the social network, most recently seen first (limit/offset)."""
    limit, offset = _clamp(limit, offset)
    repo = ActivityRepository(session, principal.workspace_id)
    rows = repo.social_leads(filters, limit=limit + 1, offset=offset)
    items = [social_lead_read(profile, lead) for profile, lead in rows[:limit]]
    return Slice(items=items, limit=limit, offset=offset, has_more=len(rows) > limit)


def social_lead_ids(session: Session, principal: Principal, lead_ids: list[int]) -> dict[int, str]:
    """The social-lead id (the profile's uuid) of each lead that has one, as LeadPanther names
    a lead."""
    if not lead_ids:
        return {}
    return ActivityRepository(session, principal.workspace_id).profile_uuids(lead_ids)


# -- recording ------------------------------------------------------------------------------


def _touch(
    profile: SocialProfile,
    data: ActivityCreate,
    magnet: LeadMagnet | None,
    *,
    name: str | None,
    headline: str | None,
    at: datetime,
) -> None:
    """Count the interaction; the latest event (by when it happened) names the person."""
    latest = at >= profile.last_seen_at
    if name and (latest or not profile.name):
        profile.name = name
    if headline and (latest or not profile.headline):
        profile.headline = headline
    profile.source_comments = profile.source_comments or data.source == "comment"
    profile.source_dms = profile.source_dms or data.source == "dm"
    profile.total_interactions = (profile.total_interactions or 0) + 1
    profile.first_seen_at = min(profile.first_seen_at, at)
    profile.last_seen_at = max(profile.last_seen_at, at)
    if magnet is None:
        return
    known = list(profile.keywords or [])
    if magnet.keyword.lower() not in {str(k).lower() for k in known}:
        profile.keywords = [*known, magnet.keyword]
    if latest or not profile.latest_keyword:
        profile.latest_keyword = magnet.keyword
    signal = f"Requested {magnet.resource_name}"
    signals = list(profile.intent_signals or [])
    if signal not in signals:
        profile.intent_signals = [*signals, signal]
    profile.has_intent = True
    if profile.qualification_status != profiles.DISQUALIFIED:
        profile.qualification_status = profiles.QUALIFIED


def _activity(
    data: ActivityCreate,
    url: str,
    magnet: LeadMagnet | None,
    profile: SocialProfile,
    at: datetime,
) -> Activity:
    metadata = ActivityMetadata(
        post_id=_blank_none(data.post_id),
        comment_id=_blank_none(data.comment_id),
        is_lead_magnet_request=magnet is not None,
        matched_template_id=magnet.uuid if magnet is not None else None,
    )
    return Activity(
        uuid=str(uuid.uuid4()),
        source=data.source,
        author_name=_blank_none(data.author_name),
        author_headline=_blank_none(data.author_headline),
        linkedin_profile_url=url,
        content=data.content,
        keyword=magnet.keyword if magnet is not None else None,
        status="new",
        occurred_at=at,
        meta=metadata.model_dump(),
        profile_id=profile.id,
        lead_id=profile.lead_id,
        magnet_id=magnet.id if magnet is not None else None,
    )


def _reply(
    repo: ActivityRepository,
    magnet: LeadMagnet,
    activity: Activity,
    data: ActivityCreate,
    page_url: PageUrl,
) -> tuple[str | None, str | None]:
    """The reply to send and the link in it.

    An author who is not connected gets `not_connected_reply` (no link: it cannot be sent yet).
    Hosted magnets link to their page through a new tracking link; external ones link straight
    to their resource.
    """
    if data.connected is False:
        return magnet.not_connected_reply, None
    page = repo.page_of_magnet(magnet.id)
    link: str | None
    if magnet.delivery_mode in HOSTED_MODES and page is not None:
        tracking = repo.add(
            TrackingLink(
                uuid=str(uuid.uuid4()),
                magnet_id=magnet.id,
                activity_id=activity.id,
                lead_id=activity.lead_id,
                source=CAPTURE_SOURCE[activity.source],
                clicks=0,
            )
        )
        repo.session.flush()
        link = f"{page_url(page.slug)}?t={tracking.uuid}"
    else:
        link = magnet.external_resource_url or (page.external_resource_url if page else None)
    template = magnet.text_template
    if not template:
        return link, link
    return template.replace(RESOURCE_LINK, link or ""), link


# -- reading --------------------------------------------------------------------------------


def activity_read(activity: Activity) -> ActivityRead:
    return ActivityRead(
        id=activity.uuid,
        source=activity.source,
        author_name=activity.author_name,
        author_headline=activity.author_headline,
        linkedin_profile_url=activity.linkedin_profile_url,
        content=activity.content,
        keyword=activity.keyword,
        status=activity.status,
        occurred_at=activity.occurred_at,
        metadata=ActivityMetadata.model_validate(activity.meta or {}),
        lead_id=activity.lead_id,
        created_at=activity.created_at,
    )


def social_lead_read(profile: SocialProfile, lead: Lead) -> SocialLeadRead:
    submitted = lead.email is not None
    full_name = " ".join(part for part in (lead.first_name, lead.last_name) if part) or None
    magnet_id = (lead.custom_fields or {}).get(MAGNET_FIELD)
    return SocialLeadRead(
        id=lead.id,
        uuid=profile.uuid,
        linkedin_profile_url=profile.linkedin_profile_url,
        name=profile.name,
        headline=profile.headline,
        emails=LeadEmails(
            submitted=lead.email, work=profile.work_email, personal=profile.personal_email
        ),
        submitted_name=full_name if submitted else None,
        submitted_at=profile.submitted_at,
        submitted_via_magnet_id=str(magnet_id) if magnet_id else None,
        sources=LeadSources(
            comments=profile.source_comments,
            dms=profile.source_dms,
            intent=profile.source_intent,
        ),
        total_interactions=profile.total_interactions,
        latest_keyword=profile.latest_keyword,
        keywords=[str(keyword) for keyword in profile.keywords or []],
        has_intent=profile.has_intent,
        intent_signals=[str(signal) for signal in profile.intent_signals or []],
        qualification_status=profile.qualification_status,
        first_seen_at=profile.first_seen_at,
        last_seen_at=profile.last_seen_at,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


def _require(repo: ActivityRepository, reference: int | str) -> Activity:
    activity = repo.find_activity(reference)
    if activity is None:
        raise NotFound.of("Activity")
    return activity


def _clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_LIMIT)), max(0, offset)


def _blank_none(value: str | None) -> str | None:
    stripped = (value or "").strip()
    return stripped or None
