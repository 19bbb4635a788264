"""Errors on the LeadPanther surface: `{"error": {code, message, details?}, "request_id"}` with
400, 401, 403, 404, 405, 413-free validation, 429 with Retry-After, 500 without a trace; the
document's unsupported paths are 404."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.activity import service as activity_service
from tests.apiroutes import LEADPANTHER_PREFIX, authenticated_operations
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_key
from tests.surfaces.leadpanther.helpers import (
    BASE,
    GUIDE_BODY,
    REQUEST_ID,
    UNSUPPORTED,
    assert_error,
    create_magnet,
    draft_post,
    headers,
    key_headers,
)

MISSING = "00000000-0000-4000-8000-000000000099"


@pytest.mark.parametrize("path", UNSUPPORTED)
def test_each_unsupported_path_is_404(
    client: TestClient, db: Database, workspace: Workspace, path: str
) -> None:
    hdrs = key_headers(db, workspace)
    for method in ("GET", "POST"):
        response = client.request(method, f"{BASE}{path}", headers=hdrs, json={})
        assert_error(response, 404, "not_found")
        assert response.json()["request_id"] == REQUEST_ID


@pytest.mark.parametrize(
    "path",
    [
        "/compat/leadpanther/",
        "/compat/leadpanther/v1/me",
        f"{BASE}/posts",
        f"{BASE}/lead-magnets/{MISSING}",
        f"{BASE}/clients/ws_x/accounts",
    ],
)
def test_other_unknown_paths_are_404(
    client: TestClient, db: Database, workspace: Workspace, path: str
) -> None:
    response = client.get(path, headers=key_headers(db, workspace))
    assert response.status_code in (404, 405)
    assert_error(
        response,
        response.status_code,
        "not_found" if response.status_code == 404 else "method_not_allowed",
    )


def test_unknown_records_are_404(client: TestClient, db: Database, workspace: Workspace) -> None:
    hdrs = key_headers(db, workspace)
    for path in (
        f"{BASE}/posts/{MISSING}/engagement",
        f"{BASE}/lead-magnets/{MISSING}/analytics",
        f"{BASE}/posts/123/engagement",
    ):
        assert_error(client.get(path, headers=hdrs), 404, "not_found")


def test_a_post_naming_an_unknown_lead_magnet_is_400(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    response = client.post(
        f"{BASE}/posts", json=draft_post(MISSING), headers=key_headers(db, workspace)
    )
    error = assert_error(response, 400, "validation_failed")
    assert "template_id" in error["details"]


def test_a_missing_or_invalid_key_is_401(client: TestClient) -> None:
    missing = client.get(f"{BASE}/me", headers={"X-Request-Id": REQUEST_ID})
    assert_error(missing, 401, "unauthorized")
    assert missing.json()["request_id"] == REQUEST_ID
    assert_error(client.get(f"{BASE}/leads", headers=headers("lh_wrong")), 401, "unauthorized")


def test_a_key_without_the_scope_is_403_with_rate_limit_headers(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    response = client.get(f"{BASE}/leads", headers=key_headers(db, workspace, "activity:read"))
    assert_error(response, 403, "forbidden")
    assert "X-RateLimit-Limit" in response.headers
    assert "X-RateLimit-Remaining" in response.headers


def test_a_wrong_method_is_405_naming_the_allowed_ones(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    response = client.delete(f"{BASE}/leads", headers=key_headers(db, workspace))
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**GUIDE_BODY, "delivery_mode": "carrier_pigeon"}, "delivery_mode"),
        ({k: v for k, v in GUIDE_BODY.items() if k != "keyword"}, "keyword"),
        (
            {**GUIDE_BODY, "hosted_page": {**GUIDE_BODY["hosted_page"], "markdown_content": ""}},
            "hosted_page.markdown_content",
        ),
        ({**GUIDE_BODY, "text_template": "No link here."}, "text_template"),
    ],
)
def test_an_invalid_lead_magnet_is_400_with_field_details(
    client: TestClient, db: Database, workspace: Workspace, body: object, field: str
) -> None:
    response = client.post(f"{BASE}/lead-magnets", json=body, headers=key_headers(db, workspace))
    error = assert_error(response, 400, "validation_failed")
    assert any(name.startswith(field.split(".", maxsplit=1)[0]) for name in error["details"]), error


def test_a_body_that_is_not_json_is_400(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = {**key_headers(db, workspace), "Content-Type": "application/json"}
    response = client.post(f"{BASE}/posts", content=b"{not json", headers=hdrs)
    error = assert_error(response, 400, "validation_failed")
    assert "body" in error["details"]


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (
            {"filename": "x.exe", "content_type": "application/x-msdownload", "file_size": 10},
            "content_type",
        ),
        ({"filename": "big.png", "content_type": "image/png", "file_size": 6 * MB}, "file_size"),
        (
            {"filename": "big.pdf", "content_type": "application/pdf", "file_size": 16 * MB},
            "file_size",
        ),
        ({"filename": "x.png", "content_type": "image/png"}, "file_size"),
    ],
)
def test_a_refused_upload_is_400(
    client: TestClient, db: Database, workspace: Workspace, upload: object, field: str
) -> None:
    response = client.post(
        f"{BASE}/media/upload-url", json=upload, headers=key_headers(db, workspace)
    )
    error = assert_error(response, 400, "validation_failed")
    assert field in error["details"]


def test_a_keyword_taken_is_refused(client: TestClient, db: Database, workspace: Workspace) -> None:
    hdrs = key_headers(db, workspace)
    create_magnet(client, hdrs)
    response = client.post(f"{BASE}/lead-magnets", json=GUIDE_BODY, headers=hdrs)
    assert response.status_code in (400, 409)
    assert_error(
        response,
        response.status_code,
        "validation_failed" if response.status_code == 400 else "conflict",
    )


def test_the_rate_limit_is_429_with_retry_after(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = headers(make_key(db, workspace, rate_limit=1))
    assert client.get(f"{BASE}/me", headers=hdrs).status_code == 200
    response = client.get(f"{BASE}/me", headers=hdrs)
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-RateLimit-Remaining"] == "0"


def test_an_unexpected_error_is_500_without_a_trace(
    app: FastAPI, db: Database, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(activity_service, "activity_slice", broken)
    client = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    response = client.get(f"{BASE}/activity", headers=key_headers(db, workspace))
    assert_error(response, 500, "server_error")
    assert "secret" not in response.text and "Traceback" not in response.text


def test_every_route_answers_errors_in_the_leadpanther_shape(
    app: FastAPI, client: TestClient
) -> None:
    operations = [
        op for op in authenticated_operations(app) if op.path.startswith(LEADPANTHER_PREFIX)
    ]
    assert len(operations) == 9
    for operation in operations:
        response = client.request(operation.method, operation.example_path(), json={})
        assert_error(response, 401, "unauthorized")
