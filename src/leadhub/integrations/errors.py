"""The one error connectors raise."""

from __future__ import annotations


class ConnectorError(Exception):
    """An outside service refused or failed; `permanent` when retrying cannot help (a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
