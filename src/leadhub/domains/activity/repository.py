"""Every activity, social-profile and tracking-link query, scoped to one workspace.

A tracking link is found by its token across workspaces by design (it is part of a public URL),
so that lookup is a module function rather than a scoped method.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.activity.schemas import ActivityFilters, SocialLeadFilters
from leadhub.models import Activity, HostedPage, Lead, LeadMagnet, SocialProfile, TrackingLink

Row = tuple[SocialProfile, Lead]


def _like(term: str) -> str:
    escaped = term.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, term: str) -> ColumnElement[bool]:
    return func.lower(column).like(_like(term), escape="\\")


class ActivityRepository(ScopedRepository):
    # -- matching ---------------------------------------------------------------------------

    def magnets(self) -> list[LeadMagnet]:
        return list(self.session.scalars(self.select(LeadMagnet).order_by(LeadMagnet.id)))

    def page_of_magnet(self, magnet_id: int) -> HostedPage | None:
        statement = self.select(HostedPage).where(HostedPage.magnet_id == magnet_id)
        return self.session.scalars(statement).first()

    # -- profiles ---------------------------------------------------------------------------

    def profile_for_update(self, url: str) -> SocialProfile | None:
        statement = (
            self.select(SocialProfile)
            .where(SocialProfile.linkedin_profile_url == url)
            .with_for_update()
        )
        return self.session.scalars(statement).first()

    def profile_of_lead(self, lead_id: int) -> SocialProfile | None:
        statement = self.select(SocialProfile).where(SocialProfile.lead_id == lead_id)
        return self.session.scalars(statement).first()

    def profile_uuids(self, lead_ids: list[int]) -> dict[int, str]:
        """The social profile uuid of each of these leads that has a profile."""
        statement = self.select_columns(
            SocialProfile, SocialProfile.lead_id, SocialProfile.uuid
        ).where(SocialProfile.lead_id.in_(lead_ids))
        return {lead_id: uuid for lead_id, uuid in self.session.execute(statement)}

    def social_leads(self, filters: SocialLeadFilters, *, limit: int, offset: int) -> list[Row]:
        """One query: the profiles with their leads, newest activity first."""
        statement = self._filtered_leads(filters).offset(offset).limit(limit)
        return [(profile, lead) for profile, lead in self.session.execute(statement)]

    def count_social_leads(self, filters: SocialLeadFilters) -> int:
        statement = (
            self._filtered_leads(filters)
            .order_by(None)
            .with_only_columns(func.count(SocialProfile.id))
        )
        return int(self.session.scalar(statement) or 0)

    def _social_leads(self) -> Select[SocialProfile, Lead]:
        return (
            select(SocialProfile, Lead)
            .join(Lead, Lead.id == SocialProfile.lead_id)
            .where(SocialProfile.workspace_id == self.workspace_id)
        )

    def _filtered_leads(self, filters: SocialLeadFilters) -> Select[SocialProfile, Lead]:
        statement = self._social_leads()
        if filters.keyword:
            said = exists().where(
                Activity.workspace_id == self.workspace_id,
                Activity.profile_id == SocialProfile.id,
                func.lower(Activity.keyword) == filters.keyword.strip().lower(),
            )
            statement = statement.where(said)
        if filters.source:
            column = {
                "comments": SocialProfile.source_comments,
                "dms": SocialProfile.source_dms,
                "intent": SocialProfile.source_intent,
            }[filters.source]
            statement = statement.where(column.is_(True))
        if filters.has_email is not None:
            any_email = or_(
                Lead.email.is_not(None),
                SocialProfile.work_email.is_not(None),
                SocialProfile.personal_email.is_not(None),
            )
            statement = statement.where(any_email if filters.has_email else ~any_email)
        if filters.has_intent is not None:
            statement = statement.where(SocialProfile.has_intent.is_(filters.has_intent))
        if filters.qualification:
            statement = statement.where(SocialProfile.qualification_status == filters.qualification)
        if filters.search and filters.search.strip():
            term = filters.search
            statement = statement.where(
                or_(
                    _contains(SocialProfile.name, term),
                    _contains(SocialProfile.headline, term),
                    _contains(SocialProfile.linkedin_profile_url, term),
                    _contains(Lead.email, term),
                )
            )
        return statement.order_by(SocialProfile.last_seen_at.desc(), SocialProfile.id.desc())

    # -- activities -------------------------------------------------------------------------

    def find_activity(self, reference: int | str) -> Activity | None:
        """By the integer id, or by the uuid the API shows."""
        column = Activity.id if isinstance(reference, int) else Activity.uuid
        statement = self.select(Activity).where(column == reference)
        return self.session.scalars(statement).first()

    def activities(self, filters: ActivityFilters, *, limit: int, offset: int) -> list[Activity]:
        statement = self._filtered_activities(filters).offset(offset).limit(limit)
        return list(self.session.scalars(statement))

    def count_activities(self, filters: ActivityFilters) -> int:
        statement = (
            self._filtered_activities(filters)
            .order_by(None)
            .with_only_columns(func.count(Activity.id))
        )
        return int(self.session.scalar(statement) or 0)

    def _filtered_activities(self, filters: ActivityFilters) -> Select[Activity]:
        statement = self.select(Activity)
        if filters.source:
            statement = statement.where(Activity.source == filters.source)
        if filters.status:
            statement = statement.where(Activity.status == filters.status)
        if filters.keyword:
            statement = statement.where(
                func.lower(Activity.keyword) == filters.keyword.strip().lower()
            )
        if filters.search and filters.search.strip():
            statement = statement.where(
                or_(
                    _contains(Activity.content, filters.search),
                    _contains(Activity.author_name, filters.search),
                )
            )
        return statement.order_by(Activity.occurred_at.desc(), Activity.id.desc())


def tracking_link_for_update(session: Session, token: str) -> TrackingLink | None:
    """The tracking link with this token, locked: its click count is about to change."""
    statement = select(TrackingLink).where(TrackingLink.uuid == token).with_for_update()
    return session.scalars(statement).first()
