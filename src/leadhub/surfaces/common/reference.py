"""The API reference page: Swagger UI from its CDN, under a policy that lets that page run and
nothing else (its one inline script is allowed by its hash, and the page may not be framed)."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

from leadhub.surfaces.common.security import csp

CDN = "https://cdn.jsdelivr.net"
FAVICON_HOST = "https://fastapi.tiangolo.com"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def reference_page(openapi_url: str, title: str) -> HTMLResponse:
    page = get_swagger_ui_html(openapi_url=openapi_url, title=title)
    allowed = " ".join(_hash_source(script) for script in _INLINE_SCRIPT.findall(page.body))
    page.headers["Content-Security-Policy"] = csp(
        default_src="'none'",
        script_src=f"{CDN} {allowed}",
        # Swagger UI sets style attributes as it renders.
        style_src=f"{CDN} 'unsafe-inline'",
        img_src=f"'self' data: {FAVICON_HOST}",
        connect_src="'self'",
        form_action="'self'",
        base_uri="'none'",
        frame_ancestors="'none'",
    )
    page.headers["X-Frame-Options"] = "DENY"
    return page


def _hash_source(script: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    return f"'sha256-{digest}'"
