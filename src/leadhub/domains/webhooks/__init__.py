"""Outbound webhooks: lead events POSTed to subscribers' URLs, signed, retried, logged."""
