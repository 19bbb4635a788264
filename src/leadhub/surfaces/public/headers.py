"""Security headers of the public pages, which show content their authors wrote.

Hosted lead-magnet pages run no script and may not be framed. The hosted form is made to be
embedded: any site may frame it, and it runs only its own `frame.js` (which sizes the frame).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from leadhub.surfaces.common.security import BASELINE, csp

IMAGES = "'self' https: data:"
MAGNET_HEADERS = {
    **BASELINE,
    # No script at all, styles and images from here (images also from any https site), forms
    # post only here, and no other site may frame the page.
    "Content-Security-Policy": csp(
        default_src="'none'",
        style_src="'self'",
        img_src=IMAGES,
        form_action="'self'",
        base_uri="'none'",
        frame_ancestors="'none'",
    ),
    "X-Frame-Options": "DENY",
}


def form_policy(redirect_url: str | None = None) -> str:
    """The hosted form's policy: its own script and styles, posting here (and, for a form that
    sends visitors on, redirected to that site), framed by any site."""
    targets = "'self'"
    origin = _origin(redirect_url)
    if origin:
        targets += f" {origin}"
    return csp(
        default_src="'none'",
        script_src="'self'",
        style_src="'self'",
        img_src=IMAGES,
        form_action=targets,
        base_uri="'none'",
        frame_ancestors="*",
    )


def _origin(url: str | None) -> str | None:
    """`https://example.com:8443` of an http(s) URL; None for anything else."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    # A plain host (no wildcard, nothing that could end the directive) and an optional port.
    if not _HOST.fullmatch(host):
        return None
    return f"{parts.scheme}://{host}"


_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


FORM_HEADERS = {**BASELINE, "Content-Security-Policy": form_policy()}
