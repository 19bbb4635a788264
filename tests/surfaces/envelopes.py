"""The error envelope of each API surface, as its documents describe it, checked strictly: the
keys it has and no others, with the types they promise."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NativeError(_Strict):
    status: Literal["error"]
    message: str
    code: str
    errors: dict[str, list[str]]


class LeadPantherErrorBody(_Strict):
    code: str
    message: str
    details: dict[str, list[str]] | None = None


class LeadPantherError(_Strict):
    error: LeadPantherErrorBody
    request_id: str


class LeadsopediaError(_Strict):
    message: str
    errors: dict[str, list[str]] | None = None


class LeadTrackrError(_Strict):
    message: str


class UploadError(_Strict):
    status: Literal["error"]
    code: str
    message: str


Envelope = NativeError | LeadPantherError | LeadsopediaError | LeadTrackrError | UploadError

# Path prefixes and their envelopes, the most specific first.
ENVELOPES: tuple[tuple[str, type[Envelope]], ...] = (
    ("/compat/leadpanther/", LeadPantherError),
    ("/compat/leadsopedia/", LeadsopediaError),
    ("/compat/leadtrackr/", LeadTrackrError),
    ("/uploads/", UploadError),
    ("/api/", NativeError),
)


def envelope_of(path: str) -> type[Envelope]:
    """The envelope the surface serving `path` answers its errors in."""
    return next(model for prefix, model in ENVELOPES if path.startswith(prefix))


def message_of(body: Envelope) -> str:
    return body.error.message if isinstance(body, LeadPantherError) else body.message


def parse_error(path: str, content_type: str, content: bytes) -> Envelope:
    """The error body, checked to be JSON in the envelope of the surface serving `path`, with a
    message; AssertionError says what is wrong."""
    model = envelope_of(path)
    assert content_type.startswith("application/json"), f"an error answered as {content_type!r}"
    try:
        body = model.model_validate_json(content)
    except ValidationError as exc:
        raise AssertionError(
            f"not in the {model.__name__} envelope: {exc}\n{content[:500]!r}"
        ) from None
    assert message_of(body).strip(), "the error's message is empty"
    return body
