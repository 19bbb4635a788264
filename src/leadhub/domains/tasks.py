"""Importing this module registers the job handlers of every domain."""

from leadhub.domains.events import tasks as event_tasks

__all__ = ["event_tasks"]
