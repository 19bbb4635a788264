"""Scopes: `read:X`, `write:X`, `delete:X`; LeadPanther's `X:read` is the same scope; `*` is all."""

from __future__ import annotations

from collections.abc import Iterable

RESOURCES = (
    "leads",
    "pipelines",
    "tags",
    "users",
    "forms",
    "automations",
    "integrations",
    "lead_magnets",
    "posts",
    "media",
    "activity",
    "lists",
    "exports",
    "account",
    "clients",
    "analytics",
    "webhooks",
    # Exporting (read) and erasing (delete) everything held about a person; write grants
    # neither delete nor anything else here.
    "privacy",
)
ACTIONS = ("read", "write", "delete")
ALL = "*"

# Resources whose documents name only read and write: there, write also allows deleting.
_DELETE_NAMED = frozenset({"leads", "users", "forms", "automations"})
# Resources whose delete is never implied by write: erasing a person needs `delete:privacy`.
_DELETE_ONLY_ITSELF = frozenset({"privacy"})

ALL_SCOPES = tuple(f"{action}:{resource}" for resource in RESOURCES for action in ACTIONS)


class UnknownScope(ValueError):
    pass


def canonical(scope: str) -> str:
    """`read:leads` for both `read:leads` and `leads:read`; raises UnknownScope otherwise."""
    text = scope.strip()
    if text == ALL:
        return ALL
    left, sep, right = text.partition(":")
    if sep:
        if left in ACTIONS and right in RESOURCES:
            return f"{left}:{right}"
        if right in ACTIONS and left in RESOURCES:
            return f"{right}:{left}"
    raise UnknownScope(f"Unknown scope {scope!r}: use read:X, write:X, delete:X (or X:read) or *.")


def canonical_set(scopes: Iterable[str]) -> frozenset[str]:
    return frozenset(canonical(scope) for scope in scopes)


def satisfies(granted: frozenset[str], required: str) -> bool:
    """Whether a set of canonical scopes allows the canonical `required` scope."""
    if ALL in granted or required in granted:
        return True
    action, _, resource = required.partition(":")
    if action != "delete" or resource in _DELETE_NAMED or resource in _DELETE_ONLY_ITSELF:
        return False
    return f"write:{resource}" in granted
