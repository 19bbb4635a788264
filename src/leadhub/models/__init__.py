"""ORM models, one module per aggregate. Importing this package registers every table."""

from leadhub.models.account import ApiUsage, AuditEntry, SearchRecord
from leadhub.models.activity import Activity, SocialProfile, TrackingLink
from leadhub.models.apikey import ApiKey
from leadhub.models.automation import Automation
from leadhub.models.automation_run import AutomationCursor, AutomationRun
from leadhub.models.conversion import Conversion, ConversionLabel, ConversionSend
from leadhub.models.credits import CreditEntry
from leadhub.models.event import LeadEvent
from leadhub.models.form import Form, FormSubmission
from leadhub.models.grant import AgencyGrant
from leadhub.models.idempotency import IdempotencyRecord
from leadhub.models.integration import Integration
from leadhub.models.job import Job
from leadhub.models.lead import Lead, LeadTag
from leadhub.models.lead_export import LeadExport
from leadhub.models.lead_ids import reserve as reserve_lead_ids  # the rule registers with it
from leadhub.models.lead_import import LeadImport
from leadhub.models.lead_list import LeadList, ListMember
from leadhub.models.lead_magnet import HostedPage, LeadMagnet, MagnetCapture, PageEvent
from leadhub.models.media import MediaObject
from leadhub.models.pipeline import Pipeline, PipelineStage
from leadhub.models.post import Post, PostFollowup
from leadhub.models.tag import Tag
from leadhub.models.user import User
from leadhub.models.webhook import Webhook, WebhookDelivery
from leadhub.models.workspace import Workspace

__all__ = [
    "Activity",
    "AgencyGrant",
    "ApiKey",
    "ApiUsage",
    "AuditEntry",
    "Automation",
    "AutomationCursor",
    "AutomationRun",
    "Conversion",
    "ConversionLabel",
    "ConversionSend",
    "CreditEntry",
    "Form",
    "FormSubmission",
    "HostedPage",
    "IdempotencyRecord",
    "Integration",
    "Job",
    "Lead",
    "LeadEvent",
    "LeadExport",
    "LeadImport",
    "LeadList",
    "LeadMagnet",
    "LeadTag",
    "ListMember",
    "MagnetCapture",
    "MediaObject",
    "PageEvent",
    "Pipeline",
    "PipelineStage",
    "Post",
    "PostFollowup",
    "SearchRecord",
    "SocialProfile",
    "Tag",
    "TrackingLink",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Workspace",
    "reserve_lead_ids",
]
