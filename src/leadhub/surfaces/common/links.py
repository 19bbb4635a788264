"""Absolute links to public pages, built from the node's base URL."""

from __future__ import annotations

from html import escape
from urllib.parse import quote


def form_links(base_url: str, form_id: int) -> dict[str, str]:
    """The public link of a form and two ways to embed it on any website."""
    url = f"{base_url}/f/{form_id}"
    iframe = (
        f'<iframe src="{escape(url)}?embed=1" title="Form" loading="lazy" '
        'style="width:100%;min-height:480px;border:0"></iframe>'
    )
    script = f'<script src="{escape(url)}/embed.js" async></script>'
    return {"public_url": url, "embed_html": iframe, "embed_script": script}


UPLOADS_PATH = "/uploads"


def upload_links(base_url: str, token: str, path: str) -> dict[str, str]:
    """Where a signed upload is PUT, and where the stored file is served afterwards."""
    return {
        "upload_url": f"{base_url}{UPLOADS_PATH}/{quote(token, safe='')}",
        "public_url": f"{base_url}{UPLOADS_PATH}/{quote(path)}",
    }


MAGNETS_PATH = "/m"


def magnet_page_url(base_url: str, slug: str) -> str:
    """The public address of a lead magnet's hosted page."""
    return f"{base_url}{MAGNETS_PATH}/{quote(slug)}"
