"""LeadHub: a self-hosted lead-management hub."""

__version__ = "1.0.0"
