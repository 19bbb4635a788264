"""Pydantic building blocks shared by every schema."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# Ids are 32-bit on every backend; a larger number names no record, so it is refused early.
MAX_ID = 2_147_483_647


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise PydanticCustomError("blank", "must not be blank")
    return stripped


RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_no_nul)]
# A name: trimmed, and never only spaces.
Name = Annotated[str, AfterValidator(_no_nul), AfterValidator(_not_blank)]
