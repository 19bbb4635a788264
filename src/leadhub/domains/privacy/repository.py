"""Every query that finds a person's records: by their leads (current, and deleted before, as
a deletion's snapshot names them), by their profile URLs, and, for free text that points at no
lead, by their email or phone written in it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Text, cast, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from leadhub.db.base import WorkspaceOwned
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.events.schemas import LEAD_DELETED
from leadhub.domains.privacy.needles import Needles
from leadhub.models import (
    Activity,
    AutomationRun,
    Conversion,
    ConversionSend,
    FormSubmission,
    Job,
    Lead,
    LeadEvent,
    LeadExport,
    LeadList,
    LeadTag,
    ListMember,
    MagnetCapture,
    PageEvent,
    SearchRecord,
    SocialProfile,
    Tag,
    TrackingLink,
    WebhookDelivery,
)

M = TypeVar("M", bound=WorkspaceOwned)
# A job's payload names the records it works on with these keys.
JOB_KEYS = ("lead_id", "event_id", "run_id", "delivery_id", "send_id", "conversion_id")


class PrivacyRepository(ScopedRepository):
    def rows(
        self, model: type[M], column: InstrumentedAttribute[Any], values: Iterable[Any]
    ) -> list[M]:
        """The workspace's rows whose column holds one of the values, in id order."""
        wanted = sorted({value for value in values if value is not None})
        if not wanted:
            return []
        statement = self.select(model).where(column.in_(wanted))
        return list(self.session.scalars(statement.order_by(model.id)))  # type: ignore[attr-defined]

    def leads(self, lead_ids: Sequence[int]) -> list[Lead]:
        return self.rows(Lead, Lead.id, lead_ids)

    def tag_names(self, lead_ids: Sequence[int]) -> dict[int, list[str]]:
        if not lead_ids:
            return {}
        statement = (
            self.select_columns(LeadTag, LeadTag.lead_id, Tag.name)
            .join(Tag, Tag.id == LeadTag.tag_id)
            .where(LeadTag.lead_id.in_(lead_ids))
            .order_by(Tag.name)
        )
        names: dict[int, list[str]] = {}
        for lead_id, name in self.session.execute(statement):
            names.setdefault(lead_id, []).append(name)
        return names

    def memberships(self, lead_ids: Sequence[int]) -> list[tuple[ListMember, str]]:
        if not lead_ids:
            return []
        statement = (
            self.select_columns(ListMember, ListMember, LeadList.name)
            .join(LeadList, LeadList.id == ListMember.list_id)
            .where(ListMember.lead_id.in_(lead_ids))
            .order_by(ListMember.list_id, ListMember.lead_id)
        )
        return [(member, name) for member, name in self.session.execute(statement)]

    def gone_lead_ids(self, needles: Needles, current: Sequence[int]) -> set[int]:
        """Leads deleted before whose deletion snapshot holds the person's email or phone. An
        id that names a lead again (SQLite may reuse the highest id) is someone else's."""
        statement = self.select_columns(LeadEvent, LeadEvent.lead_id, LeadEvent.data).where(
            LeadEvent.type == LEAD_DELETED, _mentions(LeadEvent.data, needles)
        )
        rows = self.session.execute(statement)
        found = {lead_id for lead_id, data in rows if needles.in_value(data)} - set(current)
        if not found:
            return set()
        reused = set(self.session.scalars(select(Lead.id).where(Lead.id.in_(found))))
        return found - reused

    def submissions(self, lead_ids: Sequence[int], needles: Needles) -> list[FormSubmission]:
        """The leads' submissions, and the ones whose lead is gone that hold the person's
        email or phone."""
        orphaned = FormSubmission.lead_id.is_(None) & _mentions(FormSubmission.data, needles)
        ours = FormSubmission.lead_id.in_(lead_ids) if lead_ids else false()
        statement = self.select(FormSubmission).where(or_(ours, orphaned))
        return [
            row
            for row in self.session.scalars(statement.order_by(FormSubmission.id))
            if row.lead_id in lead_ids or needles.in_value(row.data)
        ]

    def activities(self, lead_ids: Sequence[int], urls: Iterable[str]) -> list[Activity]:
        conditions = []
        if lead_ids:
            conditions.append(Activity.lead_id.in_(lead_ids))
        if wanted := sorted(set(urls)):
            conditions.append(Activity.linkedin_profile_url.in_(wanted))
        if not conditions:
            return []
        statement = self.select(Activity).where(or_(*conditions)).order_by(Activity.id)
        return list(self.session.scalars(statement))

    def tracking_links(
        self, lead_ids: Sequence[int], activity_ids: Sequence[int]
    ) -> list[TrackingLink]:
        conditions = []
        if lead_ids:
            conditions.append(TrackingLink.lead_id.in_(lead_ids))
        if activity_ids:
            conditions.append(TrackingLink.activity_id.in_(activity_ids))
        if not conditions:
            return []
        statement = self.select(TrackingLink).where(or_(*conditions)).order_by(TrackingLink.id)
        return list(self.session.scalars(statement))

    def page_events(self, visitor_ids: Iterable[str]) -> list[PageEvent]:
        return self.rows(PageEvent, PageEvent.visitor_id, visitor_ids)

    def conversions(self, lead_ids: Sequence[int]) -> list[Conversion]:
        return self.rows(Conversion, Conversion.lead_id, lead_ids)

    def conversion_sends(self, conversion_ids: Sequence[int]) -> list[ConversionSend]:
        return self.rows(ConversionSend, ConversionSend.conversion_id, conversion_ids)

    def profiles(self, lead_ids: Sequence[int]) -> list[SocialProfile]:
        return self.rows(SocialProfile, SocialProfile.lead_id, lead_ids)

    def captures(self, lead_ids: Sequence[int]) -> list[MagnetCapture]:
        return self.rows(MagnetCapture, MagnetCapture.lead_id, lead_ids)

    def events(self, lead_ids: Sequence[int]) -> list[LeadEvent]:
        return self.rows(LeadEvent, LeadEvent.lead_id, lead_ids)

    def runs(self, lead_ids: Sequence[int]) -> list[AutomationRun]:
        return self.rows(AutomationRun, AutomationRun.lead_id, lead_ids)

    def deliveries(self, event_ids: Sequence[int]) -> list[WebhookDelivery]:
        return self.rows(WebhookDelivery, WebhookDelivery.event_id, event_ids)

    def jobs(self, named: Mapping[str, Sequence[int]]) -> list[Job]:
        """The workspace's jobs whose payload names one of these records (`{"lead_id": […]}`)."""
        # Compared as text: a payload value that is not a number (none is today) is no match
        # rather than a failed cast on PostgreSQL.
        conditions = [
            Job.payload[key].as_string().in_(sorted({str(i) for i in ids}))
            for key, ids in named.items()
            if ids
        ]
        if not conditions:
            return []
        statement = select(Job).where(Job.workspace_id == self.workspace_id, or_(*conditions))
        return list(self.session.scalars(statement.order_by(Job.id)))

    def searches(self, needles: Needles) -> list[SearchRecord]:
        found = self._mentioning(SearchRecord, SearchRecord.query, needles)
        return [row for row in found if needles.in_text(row.query)]

    def export_filters(self, needles: Needles) -> list[LeadExport]:
        found = self._mentioning(LeadExport, LeadExport.filters, needles)
        return [row for row in found if needles.in_value(row.filters)]

    def finished_exports(self) -> list[LeadExport]:
        statement = self.select(LeadExport).where(
            LeadExport.status == "done", LeadExport.file_key.is_not(None)
        )
        return list(self.session.scalars(statement.order_by(LeadExport.id)))

    def _mentioning(
        self, model: type[M], column: InstrumentedAttribute[Any], needles: Needles
    ) -> list[M]:
        if not needles:
            return []
        statement = self.select(model).where(_mentions(column, needles))
        return list(self.session.scalars(statement.order_by(model.id)))  # type: ignore[attr-defined]


def _mentions(column: InstrumentedAttribute[Any], needles: Needles) -> ColumnElement[bool]:
    """Whether the column's text (a JSON column's serialised text) may hold a needle, whatever
    its case: the candidates, which the caller checks for whole values."""
    if not needles:
        return false()
    text = func.lower(cast(column, Text))
    return or_(*(text.contains(needle, autoescape=True) for needle in needles.texts))
