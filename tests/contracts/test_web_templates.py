"""Template rules a page test cannot see: macros see the page's context, posts carry CSRF."""

from __future__ import annotations

import re
from pathlib import Path

import leadhub.surfaces.web

TEMPLATES = Path(leadhub.surfaces.web.__file__).parent / "templates"
ALL = sorted(TEMPLATES.rglob("*.html"))


def test_there_are_templates() -> None:
    assert len(ALL) > 10


def test_macros_are_imported_with_the_page_context() -> None:
    # Without it, ui.csrf() renders an empty token and every post is refused in a browser.
    for template in ALL:
        for line in re.findall(r"{%-?\s*import [^%]*%}", template.read_text()):
            assert "with context" in line, f"{template.relative_to(TEMPLATES)}: {line}"


def test_every_post_form_carries_the_csrf_token() -> None:
    form = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
    for template in ALL:
        for body in form.findall(template.read_text()):
            assert "csrf" in body, f"{template.relative_to(TEMPLATES)} has a post form without CSRF"
