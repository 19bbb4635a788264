"""Checking setting values against their type, merging updates, and masking secrets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from leadhub.domains.integrations.catalog import IntegrationType, Setting, SettingValue
from leadhub.domains.leads.validation import Errors
from leadhub.kit.contact import InvalidEmail, normalize_email

MASK = "••••"
MASK_TAIL_FROM = 12  # secrets this long show their last 4 characters
MAX_TEXT = 500
MAX_SECRET = 4000
MAX_URL = 2000
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def mask(secret: str) -> str:
    """`••••` and, for secrets of 12 or more characters, their last 4 characters."""
    return MASK + secret[-4:] if len(secret) >= MASK_TAIL_FROM else MASK


def merge(
    spec: IntegrationType,
    given: Mapping[str, Any],
    *,
    plain: Mapping[str, Any],
    secrets: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, str], Errors]:
    """The stored values with `given` applied: plain values, secrets, and every problem.

    `null` (or a blank string) removes a value; a secret left out, or sent back as its own mask,
    keeps its stored value.
    """
    new_plain, new_secrets, errors = dict(plain), dict(secrets), Errors()
    for name, raw in given.items():
        setting = spec.setting(name)
        if setting is None:
            errors.add(f"settings.{name}", f"{spec.label} integrations have no {name} setting.")
            continue
        target: dict[str, Any] = new_secrets if setting.is_secret else new_plain
        if setting.is_secret and isinstance(raw, str) and raw.startswith(MASK):
            if raw != mask(new_secrets.get(name, "")):
                errors.add(f"settings.{name}", f"Send the {setting.label} itself, not a mask.")
            continue
        try:
            value = check(setting, raw)
        except ValueError as exc:
            errors.add(f"settings.{name}", str(exc))
            continue
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    for setting in spec.settings:
        present = setting.name in (new_secrets if setting.is_secret else new_plain)
        if setting.required and not present and f"settings.{setting.name}" not in errors:
            errors.add(f"settings.{setting.name}", f"The {setting.label} setting is required.")
    return new_plain, new_secrets, errors


def check(setting: Setting, raw: Any) -> SettingValue | None:
    """The value to store for one setting (None removes it); ValueError with a message."""
    if raw is None:
        return None
    if setting.kind == "integer":
        return _integer(setting, raw)
    if setting.kind == "boolean":
        if not isinstance(raw, bool):
            raise ValueError(f"The {setting.label} setting must be true or false.")
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"The {setting.label} setting must be a string.")
    text = raw.strip()
    if not text:
        return None
    if "\x00" in text:
        raise ValueError(f"The {setting.label} setting must not contain NUL characters.")
    return _text(setting, text)


def _integer(setting: Setting, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValueError(f"The {setting.label} setting must be an integer.")
    low = setting.minimum if setting.minimum is not None else -(2**31)
    high = setting.maximum if setting.maximum is not None else 2**31 - 1
    if not low <= raw <= high:
        raise ValueError(f"The {setting.label} setting must be between {low} and {high}.")
    return raw


def _text(setting: Setting, text: str) -> str:
    if setting.kind == "email":
        try:
            return normalize_email(text)
        except InvalidEmail as exc:
            raise ValueError(f"The {setting.label} setting must be a valid email address.") from exc
    if setting.kind == "url":
        if len(text) > MAX_URL or not _URL.match(text):
            raise ValueError(f"The {setting.label} setting must be an http or https URL.")
        return text
    limit = MAX_SECRET if setting.is_secret else MAX_TEXT
    if len(text) > limit:
        raise ValueError(
            f"The {setting.label} setting must not be greater than {limit} characters."
        )
    return text


def shown(
    spec: IntegrationType, plain: Mapping[str, Any], secrets: Mapping[str, str]
) -> dict[str, SettingValue | None]:
    """Every setting of the type as a response shows it: plain values (or their default),
    secrets masked, None where nothing is set."""
    values: dict[str, SettingValue | None] = {}
    for setting in spec.settings:
        if setting.is_secret:
            secret = secrets.get(setting.name)
            values[setting.name] = mask(secret) if secret else None
        else:
            values[setting.name] = plain.get(setting.name, setting.default)
    return values
