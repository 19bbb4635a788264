"""What acting for a client may reach: the scope each of the web app's pages and actions needs.

In their own workspace people are bounded by their role (the admin-only pages); acting for a
client through a grant, every request also needs the scope of what it touches, which the lent
principal allows only when both the person's role and the grant's permissions do. A path that is
not listed here is refused while acting, so a page added later is closed until it is mapped.
"""

from __future__ import annotations

from leadhub.auth.principal import Principal

# Paths that only move the person between workspaces: always open.
_FREE = frozenset({"/clients/act", "/clients/leave", "/switch", "/settings"})
# Path prefixes, longest first where they overlap, and the resource they work on.
_RESOURCES = (
    ("/settings/workspace", "account"),
    ("/settings/api-keys", "account"),
    ("/settings/users", "users"),
    ("/settings/integrations", "integrations"),
    ("/settings/conversion-labels", "integrations"),
    ("/settings/tags", "tags"),
    ("/settings/clients", "clients"),
    ("/settings/privacy", "privacy"),
    ("/leads", "leads"),
    ("/lists", "lists"),
    ("/imports", "leads"),
    ("/exports", "exports"),
    ("/inbox", "activity"),
    ("/conversions", "leads"),
    ("/pipelines", "pipelines"),
    ("/forms", "forms"),
    ("/lead-magnets", "lead_magnets"),
    ("/posts", "posts"),
    ("/automations", "automations"),
    ("/webhooks", "webhooks"),
    ("/account", "account"),
)
_READ_METHODS = frozenset({"GET", "HEAD"})
# Privacy forms that only read (a look-up, an export, the erasure's confirmation page): posted so
# that a person's email never sits in a URL. Erasing itself (…/delete) needs delete:privacy.
_PRIVACY_READS = frozenset(
    {"/settings/privacy/lookup", "/settings/privacy/export", "/settings/privacy/erase"}
)


def required_scope(method: str, path: str) -> str | None:
    """The scope a request needs while acting; None when it needs none; '' when it is closed."""
    path = path.rstrip("/") or "/"
    if path in _FREE:
        return None
    if path == "/":  # the dashboard: how the client's leads come in
        return "read:leads"
    if path.startswith("/pipelines/") and path.endswith("/move"):  # a card moved on the board
        return "write:leads"
    if path.startswith("/lead-magnets/") and path.endswith("/analytics"):  # as the API's
        return "read:analytics"
    if path in _PRIVACY_READS:
        return "read:privacy"
    resource = next((res for prefix, res in _RESOURCES if _under(path, prefix)), None)
    if resource is None:
        return ""
    return f"{_action(method, path)}:{resource}"


def allows(principal: Principal, method: str, path: str) -> bool:
    """Whether this principal, acting for a client, may make this request."""
    scope = required_scope(method, path)
    return scope is None or (bool(scope) and principal.allows(scope))


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _action(method: str, path: str) -> str:
    if path.endswith("/delete"):
        return "delete"
    if method.upper() in _READ_METHODS and not path.endswith(("/new", "/edit")):
        return "read"
    return "write"
