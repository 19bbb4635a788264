"""Building a service's input from a posted form, with the API's messages when it is invalid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from leadhub.errors import Invalid
from leadhub.surfaces.common.messages import field_errors

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Mapping[str, Any]) -> M:
    """`model` from the posted values; Invalid with per-field messages (as the API words them)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(messages(exc)) from exc


def messages(exc: ValidationError) -> dict[str, list[str]]:
    """Field paths ("fields.2.name") to readable messages; a rule's own words kept as written."""
    result: dict[str, list[str]] = {}
    for error in exc.errors():
        if error["type"] == "value_error":
            field = ".".join(str(part) for part in error["loc"]) or "body"
            reason = str(error.get("ctx", {}).get("error", error["msg"]))
            label = field.rsplit(".", 1)[-1].replace("_", " ")
            # "must …" reads as the field's rule; anything else is a sentence of its own.
            message = (
                f"The {label} field {reason}."
                if reason.startswith("must")
                else reason[:1].upper() + reason[1:] + "."
            )
            result.setdefault(field, []).append(message)
            continue
        for field, found in field_errors([error]).items():
            result.setdefault(field, []).extend(found)
    return result
