"""Absolute links to public pages, built from the node's base URL."""

from __future__ import annotations

from html import escape


def form_links(base_url: str, form_id: int) -> dict[str, str]:
    """The public link of a form and two ways to embed it on any website."""
    url = f"{base_url}/f/{form_id}"
    iframe = (
        f'<iframe src="{escape(url)}?embed=1" title="Form" loading="lazy" '
        'style="width:100%;min-height:480px;border:0"></iframe>'
    )
    script = f'<script src="{escape(url)}/embed.js" async></script>'
    return {"public_url": url, "embed_html": iframe, "embed_script": script}
