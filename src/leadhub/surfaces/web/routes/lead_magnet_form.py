"""The lead-magnet editor's form: its values as typed, the service's input, and where each of the
service's messages goes.

The editor is one HTML form: the magnet's fields under their own names, the hosted page's under
`page_<field>`, and a `has_page` box (a magnet without it has no page, and unticking it removes the
page with its counts). Every field is sent on each save, so an edit is the API's PUT.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from leadhub.domains.lead_magnets.schemas import DELIVERY_MODES, MagnetRead

DELIVERY_OPTIONS = (
    ("hosted_content", "Hosted page: the reply links to the page"),
    ("gated", "Gated page: the page behind an email form"),
    ("external_link", "External link: the reply links straight to a URL"),
)
# The list's short names of the same modes.
MODE_LABELS = {
    "hosted_content": "Hosted page",
    "gated": "Gated page",
    "external_link": "External link",
}
STATUS_OPTIONS = (("draft", "Draft: not public yet"), ("published", "Published at /m/…"))
TEXTS = (
    "delivery_mode",
    "keyword",
    "resource_name",
    "description",
    "text_template",
    "not_connected_reply",
    "linked_posts",
    "external_resource_url",
)
FLAGS = ("confirm_missing_magnet_url", "confirm_legacy_placeholder")
PAGE_TEXTS = (
    "title",
    "markdown_content",
    "external_resource_url",
    "cta_label",
    "cta_url",
    "status",
)
PAGE_PREFIX = "page_"
# The service's name for a missing page, shown beside the box that adds one.
HAS_PAGE = "has_page"
Values = dict[str, Any]


def blank_values() -> Values:
    """A new magnet: a hosted page in draft, with the link in the reply."""
    values: Values = dict.fromkeys(TEXTS, "")
    values.update(dict.fromkeys(FLAGS, False))
    values.update({PAGE_PREFIX + name: "" for name in PAGE_TEXTS})
    values.update(
        delivery_mode=DELIVERY_MODES[0],
        text_template="Here it is: {{resource_link}}",
        page_status="draft",
        has_page=True,
    )
    return values


def values_of(magnet: MagnetRead) -> Values:
    """A saved magnet as the editor shows it."""
    values: Values = {name: getattr(magnet, name) or "" for name in TEXTS if name != "linked_posts"}
    values["linked_posts"] = "\n".join(magnet.linked_posts)
    values.update({name: getattr(magnet, name) for name in FLAGS})
    page = magnet.hosted_page
    for name in PAGE_TEXTS:
        values[PAGE_PREFIX + name] = (getattr(page, name) or "") if page else ""
    values["page_status"] = values["page_status"] or "draft"
    values[HAS_PAGE] = page is not None
    return values


def values_from(form: FormData) -> Values:
    """The editor's values as posted, to save them or show them again."""
    values: Values = {name: _text(form, name) for name in TEXTS}
    values.update({PAGE_PREFIX + name: _text(form, PAGE_PREFIX + name) for name in PAGE_TEXTS})
    values.update({name: name in form for name in (*FLAGS, HAS_PAGE)})
    values["page_status"] = values["page_status"] or "draft"
    return values


def data_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The service's input (the API's body) from the editor's values."""
    data: dict[str, Any] = {name: values[name] for name in TEXTS if name != "linked_posts"}
    data["linked_posts"] = [
        post.strip() for post in re.split(r"[\n,]", values["linked_posts"]) if post.strip()
    ]
    data.update({name: bool(values[name]) for name in FLAGS})
    data["hosted_page"] = (
        {name: values[PAGE_PREFIX + name] for name in PAGE_TEXTS} if values[HAS_PAGE] else None
    )
    return data


def place_errors(fields: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The service's field paths as the editor's input names ("hosted_page.title" → page_title)."""
    placed: dict[str, list[str]] = {}
    for path, messages in fields.items():
        head, _, rest = path.partition(".")
        if head == "hosted_page":
            name = PAGE_PREFIX + rest.split(".")[0] if rest else HAS_PAGE
        else:
            name = head if head in (*TEXTS, *FLAGS) else "form"
        placed.setdefault(name, []).extend(messages)
    return placed


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
