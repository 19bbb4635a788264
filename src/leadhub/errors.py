"""Domain errors: they carry meaning (a stable code, field messages), never HTTP.

Each surface maps them to its own documented shape in its errors.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class LeadHubError(Exception):
    code = "SERVER_ERROR"
    default_message = "An unexpected error occurred."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class Unauthorized(LeadHubError):
    code = "UNAUTHORIZED"
    default_message = "Unauthenticated. Provide a valid API key."


class Forbidden(LeadHubError):
    code = "FORBIDDEN"
    default_message = "This API key is not allowed to perform this action."


class NotFound(LeadHubError):
    code = "NOT_FOUND"
    default_message = "Record not found."

    @classmethod
    def of(cls, what: str) -> NotFound:
        return cls(f"{what} not found.")


class Invalid(LeadHubError):
    """Input that breaks a rule; `fields` maps each field to its messages."""

    code = "VALIDATION_FAILED"
    default_message = "The given data was invalid."

    def __init__(
        self, fields: Mapping[str, Sequence[str]] | None = None, message: str | None = None
    ) -> None:
        super().__init__(message)
        self.fields = {name: list(messages) for name, messages in (fields or {}).items()}

    @classmethod
    def field(cls, name: str, message: str) -> Invalid:
        return cls({name: [message]})


class Conflict(LeadHubError):
    code = "CONFLICT"
    default_message = "The request conflicts with the current state of the record."


class RateLimited(LeadHubError):
    code = "RATE_LIMITED"
    default_message = "Too many requests. Slow down and retry later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class InsufficientCredits(LeadHubError):
    code = "INSUFFICIENT_CREDITS"
    default_message = "Not enough credits for this action."


class PayloadTooLarge(LeadHubError):
    code = "PAYLOAD_TOO_LARGE"
    default_message = "The content is larger than allowed."


class UnsupportedMediaType(LeadHubError):
    code = "UNSUPPORTED_MEDIA_TYPE"
    default_message = "The content is not of an accepted type."
