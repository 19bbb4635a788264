"""XSS: known payloads (in the spirit of OWASP's filter-evasion cheat sheet) submitted as lead
fields, custom fields, form titles, labels and options, magnet pages, activity and lists come
out inert on the hosted form, the hosted magnet pages and every page of the web app: no script
element but the app's own files, no event handler, no `javascript:` (or `data:`/`vbscript:`)
URL in any link, source or action, no frame or plugin of another origin."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.activity.helpers import record as record_activity
from tests.conftest import BASE_URL
from tests.lead_magnets.helpers import create as create_magnet
from tests.lead_magnets.helpers import guide
from tests.security.policies import web_operations
from tests.web.conftest import WebSession

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(2)>",
    "<svg><script>alert(3)</script></svg>",
    '<a href="javascript:alert(4)">click</a>',
    '<iframe src="javascript:alert(5)"></iframe>',
    "</textarea><script>alert(6)</script>",
    "</title><script>alert(7)</script>",
    '" autofocus onfocus="alert(8)',
    "' onmouseover='alert(9)",
    "<body onload=alert(10)>",
    '<div style="background:url(javascript:alert(11))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "<scr<script>ipt>alert(13)</scr</script>ipt>",
    "<IMG SRC=JaVaScRiPt:alert(14)>",
    "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=></object>",
    "{{ 7*7 }}<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(16)">',
    "\u2028\u2029</script><script>alert(17)</script>",
]
BAD_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcdoc"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.inline_script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data


def assert_inert(html: str, where: str) -> None:
    parser = _Elements()
    parser.feed(html)
    assert not parser.inline_script.strip(), f"inline script on {where}"
    for tag, attrs in parser.elements:
        values = {name.lower(): value or "" for name, value in attrs}
        problem = f"<{tag} {values}> on {where}"
        assert not any(name.startswith("on") for name in values), problem
        for name in URL_ATTRIBUTES & values.keys():
            url = re.sub(r"[\x00-\x20]", "", values[name]).lower()
            assert not url.startswith(DANGEROUS_SCHEMES), problem
        assert "javascript:" not in values.get("style", "").lower(), problem
        if tag == "script":
            assert values.get("src", "").startswith("/"), problem
        if tag in ("iframe", "frame"):
            assert values.get("src", "").startswith("/f/"), problem
        assert tag not in ("object", "embed", "base", "applet"), problem
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            assert re.fullmatch(r"\d+", values.get("content", "")), problem


def test_the_checker_sees_live_payloads() -> None:
    for live in [
        *PAYLOADS[:6],
        '<a href=" javascript:x">',
        "<meta http-equiv=refresh content='0;url=x'>",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(f"<p>{live}</p>", "a page without escaping")
    assert_inert("<p>" + "&lt;script&gt;alert(1)&lt;/script&gt;" + "</p>", "an escaped page")


def make_form(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {
        "name": payload(0),
        "description": payload(1),
        "success_message": payload(2),
        "fields": [
            {"name": "email", "label": payload(3), "type": "email", "required": True},
            {
                "name": "interest",
                "label": payload(4),
                "type": "select",
                "options": [payload(5), payload(6)],
            },
            {"name": "notes", "label": payload(7), "type": "textarea", "placeholder": payload(8)},
            {"name": "first_name", "label": payload(9), "placeholder": payload(10)},
            {"name": "hint", "type": "hidden", "default": payload(11)},
            {"name": "agree", "label": payload(12), "type": "checkbox"},
        ],
        **changes,
    }
    response = client.post("/api/v1/forms", json=body, headers=headers)
    assert response.status_code == 201, response.text
    form: dict[str, Any] = response.json()["data"]
    return form


def test_the_hosted_form_renders_payloads_inert(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    title = payload(0) + payload(18)  # with the line separators that end a JS string
    form = make_form(client, headers, name=title)
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    query = {"utm_source": payload(13), "embed": "1"}
    shown = visitor.get(f"/f/{form['id']}", params=query, headers={"Referer": payload(14)})
    values = {"email": payload(15), "interest": payload(5), "notes": payload(16)}
    values.update(first_name=payload(17), _lh_landing=payload(18), _lh_referrer=payload(1))
    invalid = visitor.post(f"/f/{form['id']}", data=values)
    thanks = visitor.post(f"/f/{form['id']}", data={**values, "email": "ada@example.com"})
    assert (shown.status_code, invalid.status_code, thanks.status_code) == (200, 422, 200)
    for response in (shown, invalid, thanks):
        assert_inert(response.text, str(response.request.url))
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in shown.text  # shown, as text
    script = visitor.get(f"/f/{form['id']}/embed.js").text
    title = re.search(r'frame\.title = ("(?:[^"\\]|\\.)*");\n', script)
    assert title, script
    assert json.loads(title.group(1)) == form["name"]  # the title, a string and nothing more
    assert "</script" not in script.lower() and "\u2028" not in script and "\u2029" not in script


@pytest.mark.parametrize("bad", BAD_URLS)
def test_script_urls_are_refused_where_visitors_are_sent(
    client: TestClient, headers: dict[str, str], bad: str
) -> None:
    form = client.post(
        "/api/v1/forms",
        json={"name": "F", "fields": [{"name": "email"}], "redirect_url": bad},
        headers=headers,
    )
    assert form.status_code == 422, form.text
    for page in ({"cta_url": bad, "cta_label": "Go"}, {"external_resource_url": bad}):
        magnet = client.post("/api/v1/lead-magnets", json=guide(hosted_page=page), headers=headers)
        assert magnet.status_code == 422, magnet.text
    magnet = client.post(
        "/api/v1/lead-magnets",
        json=guide(delivery_mode="external_link", external_resource_url=bad),
        headers=headers,
    )
    assert magnet.status_code == 422, magnet.text
    activity = client.post(
        "/api/v1/activity",
        json={"source": "comment", "content": "hi", "linkedin_profile_url": bad},
        headers=headers,
    )
    assert activity.status_code == 422, activity.text


@pytest.mark.parametrize("mode", ["hosted_content", "gated"])
def test_lead_magnet_pages_render_payloads_inert(
    app: FastAPI, client: TestClient, headers: dict[str, str], mode: str
) -> None:
    markdown = "\n\n".join(
        [*PAYLOADS, "[x](javascript:alert(1))", "![y](javascript:alert(2))", "<a href=x>z</a>"]
    )
    magnet = create_magnet(
        client,
        headers,
        delivery_mode=mode,
        resource_name=payload(0),
        description=payload(1),
        hosted_page={
            "title": payload(2),
            "markdown_content": markdown,
            "cta_label": payload(3),
            "cta_url": "https://example.com/next",
            "external_resource_url": "https://example.com/file.pdf",
        },
    )
    slug = magnet["hosted_page"]["slug"]
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    pages = [visitor.get(f"/m/{slug}")]
    if mode == "gated":
        pages.append(visitor.post(f"/m/{slug}", data={"email": payload(4), "name": payload(5)}))
        pages.append(
            visitor.post(f"/m/{slug}", data={"email": "a@example.com", "name": payload(6)})
        )
    assert [page.status_code for page in pages] == [200, 422, 200][: len(pages)]
    for page in pages:
        assert_inert(page.text, str(page.request.url))
    assert visitor.get(f"/m/{slug}/cta").headers["location"] == "https://example.com/next"


def seed_payloads(client: TestClient, headers: dict[str, str]) -> dict[str, int]:
    """Records full of payloads, made through the API; their ids by path parameter."""
    lead = client.post(
        "/api/v1/leads",
        json={
            "first_name": payload(0),
            "last_name": payload(1),
            "email": "xss@example.com",
            "company": payload(2),
            "job_title": payload(3),
            "source": "web",
            "status": "new",
            "notes": payload(5),
            "custom_fields": {payload(6)[:60]: payload(7), "site": payload(8)},
            "tags": ["x<script>"],
            "unique_identifier": payload(9),
            "attribution": {
                "utm_source": payload(10),
                "utm_campaign": payload(11),
                "landing_page": "javascript:alert(1)",
                "referrer": payload(12),
                "gclid": payload(13),
            },
        },
        headers=headers,
    )
    assert lead.status_code == 201, lead.text
    form = make_form(client, headers)
    submitted = client.post(
        f"/api/v1/forms/{form['id']}/submissions",
        json={
            "email": "form@example.com",
            "notes": payload(14),
            "first_name": payload(15),
            "interest": payload(5),
            "hint": payload(16),
        },
        headers=headers,
    )
    assert submitted.status_code == 201, submitted.text
    listed = client.post(
        "/api/v1/lists", json={"name": payload(17), "description": payload(18)}, headers=headers
    )
    assert listed.status_code == 201, listed.text
    magnet = create_magnet(client, headers, resource_name=payload(2), description=payload(3))
    record_activity(
        client,
        headers,
        author_name=payload(4),
        author_headline=payload(5),
        content=f"GUIDE {payload(6)}",
    )
    return {
        "lead_id": lead.json()["data"]["id"],
        "form_id": form["id"],
        "list_id": listed.json()["data"]["id"],
        "magnet_id": magnet["id"],
    }


def test_every_page_of_the_web_app_renders_payloads_inert(
    app: FastAPI, client: TestClient, headers: dict[str, str], owner: WebSession
) -> None:
    ids = seed_payloads(client, headers)
    pages = [op for op in web_operations(app) if op.method == "GET"]
    seen = 0
    for op in pages:
        path = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), op.path)
        for query in ("", "?search=%3Cscript%3Ealert(1)%3C/script%3E&tag=x%3Cscript%3E"):
            response = owner.get(path + query, follow_redirects=False)
            assert response.status_code < 500, f"{op}: {response.status_code}"
            if response.headers.get("content-type", "").startswith("text/html"):
                assert_inert(response.text, path + query)
                seen += "alert(" in response.text
    assert seen > 20  # the payloads were on the pages, as text
    preview = owner.post("/lead-magnets/preview", {"markdown_content": "\n\n".join(PAYLOADS)})
    assert preview.status_code == 200
    assert_inert(preview.text, "the Markdown preview")
