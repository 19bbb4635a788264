"""Everything held about one person, gathered kind by kind: what an export shows and what an
erasure removes or anonymises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from leadhub.domains.privacy import files
from leadhub.domains.privacy.person import Person
from leadhub.domains.privacy.repository import PrivacyRepository
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
    ListMember,
    MagnetCapture,
    MediaObject,
    PageEvent,
    SearchRecord,
    SocialProfile,
    TrackingLink,
    WebhookDelivery,
)
from leadhub.storage.base import BlobStore


@dataclass
class Holdings:
    person: Person
    leads: list[Lead] = field(default_factory=list)
    tags: dict[int, list[str]] = field(default_factory=dict)
    memberships: list[tuple[ListMember, str]] = field(default_factory=list)
    submissions: list[FormSubmission] = field(default_factory=list)
    events: list[LeadEvent] = field(default_factory=list)
    profiles: list[SocialProfile] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    tracking_links: list[TrackingLink] = field(default_factory=list)
    captures: list[MagnetCapture] = field(default_factory=list)
    page_events: list[PageEvent] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    sends: list[ConversionSend] = field(default_factory=list)
    runs: list[AutomationRun] = field(default_factory=list)
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    searches: list[SearchRecord] = field(default_factory=list)
    # Export files that hold the person's row (deleted), and exports whose filter names them.
    exports: list[LeadExport] = field(default_factory=list)
    export_filters: list[LeadExport] = field(default_factory=list)
    media: list[MediaObject] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "leads": len(self.leads),
            "list_memberships": len(self.memberships),
            "form_submissions": len(self.submissions),
            "lead_events": len(self.events),
            "social_profiles": len(self.profiles),
            "social_activities": len(self.activities),
            "tracking_links": len(self.tracking_links),
            "magnet_captures": len(self.captures),
            "page_events": len(self.page_events),
            "conversions": len(self.conversions),
            "conversion_sends": len(self.sends),
            "automation_runs": len(self.runs),
            "webhook_deliveries": len(self.deliveries),
            "jobs": len(self.jobs),
            "search_history": len(self.searches),
            "exports": len(self.exports),
            "media": len(self.media),
        }


def gather(session: Session, person: Person, store: BlobStore) -> Holdings:
    """Every record of the person in the workspace (the rows, loaded)."""
    repo = PrivacyRepository(session, person.workspace_id)
    needles = person.needles
    person.gone_lead_ids = repo.gone_lead_ids(needles, person.lead_ids)
    every_lead = person.all_lead_ids
    held = Holdings(person=person, leads=repo.leads(person.lead_ids))
    held.tags = repo.tag_names(person.lead_ids)
    held.memberships = repo.memberships(person.lead_ids)
    held.submissions = repo.submissions(person.lead_ids, needles)
    held.events = repo.events(every_lead)
    held.profiles = repo.profiles(person.lead_ids)
    held.activities = repo.activities(every_lead, person.profile_urls)
    held.tracking_links = repo.tracking_links(every_lead, [a.id for a in held.activities])
    held.captures = repo.captures(person.lead_ids)
    held.page_events = repo.page_events(c.visitor_id for c in held.captures if c.visitor_id)
    held.conversions = repo.conversions(person.lead_ids)
    held.sends = repo.conversion_sends([c.id for c in held.conversions])
    held.runs = repo.runs(every_lead)
    held.deliveries = repo.deliveries([e.id for e in held.events])
    held.jobs = repo.jobs(_job_references(held))
    held.searches = repo.searches(needles)
    held.exports = files.exports_holding(repo.finished_exports(), store, needles)
    held.export_filters = [
        record for record in repo.export_filters(needles) if record not in held.exports
    ]
    held.media = files.attached_media(
        session, person, _texts(held), [row.id for row in held.submissions]
    )
    return held


def _job_references(held: Holdings) -> dict[str, list[int]]:
    return {
        "lead_id": held.person.all_lead_ids,
        "event_id": [event.id for event in held.events],
        "run_id": [run.id for run in held.runs],
        "delivery_id": [delivery.id for delivery in held.deliveries],
        "send_id": [send.id for send in held.sends],
        "conversion_id": [conversion.id for conversion in held.conversions],
    }


def _texts(held: Holdings) -> list[Any]:
    """What the person wrote or was given, where a link to an uploaded file can sit."""
    texts: list[Any] = []
    for lead in held.leads:
        texts += [lead.notes, lead.custom_fields, lead.form_data]
    texts += [submission.data for submission in held.submissions]
    texts += [activity.content for activity in held.activities]
    return texts
