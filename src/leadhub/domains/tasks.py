"""Importing this module registers the job handlers of every domain."""

from leadhub.domains.automations import tasks as automation_tasks
from leadhub.domains.conversions import tasks as conversion_tasks
from leadhub.domains.events import tasks as event_tasks
from leadhub.domains.exports import tasks as export_tasks
from leadhub.domains.imports import tasks as import_tasks
from leadhub.domains.integrations import tasks as connector_tasks
from leadhub.domains.posts import tasks as post_tasks
from leadhub.domains.webhooks import tasks as webhook_tasks

__all__ = [
    "automation_tasks",
    "connector_tasks",
    "conversion_tasks",
    "event_tasks",
    "export_tasks",
    "import_tasks",
    "post_tasks",
    "webhook_tasks",
]
