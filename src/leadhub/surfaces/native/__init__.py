"""The native LeadHub API: /api/v1 and /api/inbound."""
