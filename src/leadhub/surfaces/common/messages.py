"""Readable, per-field messages for request validation errors ("The email field is required.")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_TEMPLATES = {
    "missing": "The {label} field is required.",
    "blank": "The {label} field is required.",
    "string_type": "The {label} field must be a string.",
    "int_type": "The {label} field must be an integer.",
    "int_parsing": "The {label} field must be an integer.",
    "int_from_float": "The {label} field must be an integer.",
    "bool_type": "The {label} field must be true or false.",
    "bool_parsing": "The {label} field must be true or false.",
    "float_type": "The {label} field must be a number.",
    "float_parsing": "The {label} field must be a number.",
    "decimal_type": "The {label} field must be a number.",
    "decimal_parsing": "The {label} field must be a number.",
    "decimal_max_places": "The {label} field must not have more than {decimal_places} decimals.",
    "decimal_max_digits": "The {label} field has too many digits.",
    "finite_number": "The {label} field must be a finite number.",
    "string_too_long": "The {label} field must not be greater than {max_length} characters.",
    "string_too_short": "The {label} field must be at least {min_length} characters.",
    "too_long": "The {label} field must not have more than {max_length} items.",
    "too_short": "The {label} field must have at least {min_length} items.",
    "greater_than_equal": "The {label} field must be at least {ge}.",
    "greater_than": "The {label} field must be greater than {gt}.",
    "less_than_equal": "The {label} field must not be greater than {le}.",
    "less_than": "The {label} field must be less than {lt}.",
    "dict_type": "The {label} field must be an object.",
    "model_type": "The {label} field must be an object.",
    "model_attributes_type": "The {label} field must be an object.",
    "list_type": "The {label} field must be an array.",
    "literal_error": "The selected {label} is invalid.",
    "enum": "The selected {label} is invalid.",
    "datetime_parsing": "The {label} field must be a valid date.",
    "datetime_from_date_parsing": "The {label} field must be a valid date.",
    "date_parsing": "The {label} field must be a valid date.",
    "datetime_type": "The {label} field must be a valid date.",
    "string_unicode": "The {label} field must be valid UTF-8 text.",
    "no_nul": "The {label} field must not contain NUL characters.",
    "duplicate_parameter": "The {label} parameter may be given only once.",
}
_BODY_MESSAGES = {
    "json_invalid": "The request body must be valid JSON.",
    "missing": "The request body is required.",
    "model_attributes_type": "The request body must be a JSON object.",
    "dict_type": "The request body must be a JSON object.",
    "model_type": "The request body must be a JSON object.",
}
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_LENGTH_KINDS = {"too_long": "string_too_long", "too_short": "string_too_short"}


def field_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Pydantic/FastAPI error dicts as {field: [message, …]}."""
    result: dict[str, list[str]] = {}
    for error in errors:
        field, message = _describe(error)
        messages = result.setdefault(field, [])
        if message not in messages:
            messages.append(message)
    return result


def _describe(error: Mapping[str, Any]) -> tuple[str, str]:
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] in _LOCATIONS:
        location, loc = loc[0], loc[1:]
    else:
        location = "body"
    kind = str(error.get("type", ""))
    if kind in _LENGTH_KINDS and isinstance(error.get("input"), str):
        # Pydantic says too_long, not string_too_long, when the constraint sits outside the str
        # (`Annotated[str, AfterValidator(…)] | None`): it is still a length in characters.
        kind = _LENGTH_KINDS[kind]
    if location == "body" and (not loc or kind == "json_invalid"):
        return "body", _BODY_MESSAGES.get(kind, "The request body is invalid.")
    field = ".".join(loc) or location
    template = _TEMPLATES.get(kind)
    if template is None:
        return field, f"The {field.replace('_', ' ')} field is invalid: {error.get('msg', '')}."
    context = {key: value for key, value in (error.get("ctx") or {}).items()}
    try:
        return field, template.format(label=field.replace("_", " "), **context)
    except (KeyError, IndexError):
        return field, f"The {field.replace('_', ' ')} field is invalid."


def unreadable_input(errors: Iterable[Mapping[str, Any]]) -> str | None:
    """The message of the first error outside the path (a query parameter, a header): the pages
    answer a malformed path as a page that does not exist, anything else as a bad request."""
    for error in errors:
        loc = error.get("loc") or ("",)
        if loc[0] != "path":
            return _describe(error)[1]
    return None
