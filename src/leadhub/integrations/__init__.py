"""Connectors to the outside world: small protocols (a mailer, a poster) and a registry by type.

This package knows nothing of the database: domain task handlers load an integration's settings
and secrets and hand them in. Every failure is a ConnectorError that says whether retrying can help.
"""
