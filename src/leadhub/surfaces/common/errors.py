"""The HTTP status of each domain error, one table for every surface (each renders its shape)."""

from __future__ import annotations

from leadhub.errors import (
    Conflict,
    Forbidden,
    InsufficientCredits,
    Invalid,
    LeadHubError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    UnsupportedMediaType,
)

STATUS: dict[type[LeadHubError], int] = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    InsufficientCredits: 402,
    RateLimited: 429,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
}


def status_of(exc: LeadHubError, *, invalid: int) -> int | None:
    """The status of a domain error: `invalid` for bad input (422 natively, 400 in the product
    dialects, as their documents say); None for an error no surface expects (a 500)."""
    if isinstance(exc, Invalid):
        return invalid
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), None)
