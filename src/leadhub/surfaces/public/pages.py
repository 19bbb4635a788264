"""Rendering public pages with Jinja2 (autoescaped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("embedded", request.query_params.get("embed") == "1")
    context.setdefault("assets", f"{request.scope.get('root_path', '')}/assets")
    return templates.TemplateResponse(request, name, context, status_code=status)


def message(request: Request, heading: str, text: str, status: int) -> HTMLResponse:
    return render(request, "message.html", status, title=heading, heading=heading, message=text)
