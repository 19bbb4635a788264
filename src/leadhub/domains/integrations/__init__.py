"""Integrations: connections to other services, their settings, and their secrets encrypted."""
