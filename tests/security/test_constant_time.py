"""Secrets are compared in constant time, so a guess cannot be refined byte by byte from how long
a refusal takes: a structural scan finds no `==`/`!=` between a secret-named value and anything
else in the code, and each check of a presented secret (session signature, CSRF token, upload
and download tokens, the magnet unlock cookie, form keys, provider signatures and tokens) is
seen to go through `hmac.compare_digest`.

API keys are looked up by their SHA-256 digest in an indexed column: the database compares
digests of whatever was presented, which tells nothing about any real key.
"""

from __future__ import annotations

import ast
import hmac
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.conftest import BASE_URL
from tests.connectors.conftest import make_integration
from tests.factories import Workspace
from tests.lead_magnets.helpers import create as create_magnet
from tests.security.test_headers import make_form
from tests.web.conftest import WebSession

SOURCE = Path(__file__).parents[2] / "src" / "leadhub"
SECRET_NAME = re.compile(
    r"(^|_)(token|tokens|signature|sig|secret|secrets|password|passwd|digest|mac|hmac|csrf"
    r"|key_hash|api_key|raw_key|verify_token|webhook_key|google_key|public_key|form_key)($|_)",
    re.I,
)
# Arguments of these calls build SQL (a lookup by an indexed digest or id), not a comparison.
SQL_CALLS = {"where", "filter", "filter_by", "join", "outerjoin", "having"}
# Comparisons of secret-named values that compare nothing secret, and why.
NOT_SECRET = {
    # A submitted value against the masked form (••••1234) that the page itself showed.
    ("domains/integrations/values.py", "raw != mask(new_secrets.get(name, ''))"),
}


def secret_comparisons(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, source) of each `==`/`!=` outside SQL whose operands name a secret and that does
    not compare with a literal."""
    for node, in_sql in _walk(tree, in_sql=False):
        if in_sql or not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(isinstance(operand, ast.Constant) for operand in operands):
            continue
        if any(SECRET_NAME.search(name) for operand in operands for name in _names(operand)):
            yield node.lineno, ast.unparse(node)


def _walk(node: ast.AST, *, in_sql: bool) -> Iterator[tuple[ast.AST, bool]]:
    yield node, in_sql
    if isinstance(node, ast.Call) and _called(node) in SQL_CALLS:
        in_sql = True
    for child in ast.iter_child_nodes(node):
        yield from _walk(child, in_sql=in_sql)


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _names(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        elif isinstance(child, ast.Subscript) and isinstance(child.slice, ast.Constant):
            yield str(child.slice.value)


def test_the_scan_finds_a_plain_comparison_of_a_secret() -> None:
    code = """
def check(header, expected_signature, request, row):
    if header != expected_signature:
        return False
    if request.headers["X-Csrf-Token"] == row.csrf:
        return True
    session.scalars(select(Key).where(Key.key_hash == digest))
    return token == "" or hmac.compare_digest(header, expected_signature)
"""
    found = [source for _line, source in secret_comparisons(ast.parse(code))]
    assert found == [
        "header != expected_signature",
        "request.headers['X-Csrf-Token'] == row.csrf",
    ]


def test_no_secret_is_compared_with_equals() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        for line, source in secret_comparisons(ast.parse(path.read_text())):
            if (relative, source) not in NOT_SECRET:
                found.append(f"{relative}:{line}: {source}")
    assert found == [], "use hmac.compare_digest (kit.tokens.constant_time_equal):\n" + "\n".join(
        found
    )


@pytest.fixture
def compare_digest_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls to hmac.compare_digest, which every check below must make."""
    calls: list[int] = []
    real = hmac.compare_digest

    def counting(left: Any, right: Any) -> bool:
        calls.append(1)
        return real(left, right)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    return calls


def _expect_compare_digest(calls: list[int], action: Callable[[], int], status: int) -> None:
    calls.clear()
    assert action() == status
    assert calls, "the check did not go through hmac.compare_digest"


def test_each_presented_secret_is_checked_with_compare_digest(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    owner: WebSession,
    db: Database,
    workspace: Workspace,
    compare_digest_calls: list[int],
) -> None:
    facebook = make_integration(
        app,
        workspace,
        "facebook_lead_ads",
        {"page_id": "1", "app_secret": "s", "verify_token": "v", "access_token": "a"},
    )
    google = make_integration(app, workspace, "google_ads_lead_forms", {"webhook_key": "k"})
    form_id = make_form(client, headers)
    create_magnet(client, headers, delivery_mode="gated")
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    visitor.cookies.set("lh_unlock", "1.forged-signature", path="/m/example-guide")
    checks: dict[str, tuple[Callable[[], int], int]] = {
        "session signature": (lambda: owner.get("/").status_code, 200),
        "CSRF token": (
            lambda: owner.client.post("/settings/tags", data={"csrf_token": "x"}).status_code,
            403,
        ),
        "upload token": (lambda: client.put("/uploads/abc.forged", content=b"x").status_code, 403),
        "download token": (
            lambda: (
                client.get(
                    "/downloads/00000000-0000-0000-0000-000000000000/x.csv?token=abc.forged"
                ).status_code
            ),
            403,
        ),
        "magnet unlock cookie": (lambda: visitor.get("/m/example-guide").status_code, 200),
        "form key": (
            lambda: (
                client.post(
                    f"/api/v1/forms/{form_id}/submissions",
                    json={"email": "a@example.com"},
                    headers={"X-Form-Key": "forged"},
                ).status_code
            ),
            404,
        ),
        "Facebook verify token": (
            lambda: (
                client.get(
                    f"/api/integrations/facebook/{facebook}/webhook",
                    params={"hub.mode": "subscribe", "hub.verify_token": "w", "hub.challenge": "1"},
                ).status_code
            ),
            403,
        ),
        "Facebook signature": (
            lambda: (
                client.post(
                    f"/api/integrations/facebook/{facebook}/webhook",
                    content=b"{}",
                    headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
                ).status_code
            ),
            403,
        ),
        "Google key": (
            lambda: (
                client.post(
                    f"/api/integrations/google/{google}/webhook", json={"google_key": "j"}
                ).status_code
            ),
            403,
        ),
    }
    for name, (action, status) in checks.items():
        try:
            _expect_compare_digest(compare_digest_calls, action, status)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
