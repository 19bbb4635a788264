"""Facebook Lead Ads: the subscription handshake, signed leadgen events, the Graph API lead."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION
from leadhub.models import Job, Lead
from leadhub.surfaces.common.runtime import Runtime
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, http_server
from tests.factories import Workspace

APP_SECRET = "fb-app-secret"
# The leadgen webhook from Meta's documentation (Webhooks for Lead Ads).
LEADGEN_EVENT = {
    "object": "page",
    "entry": [
        {
            "id": "153125381133",
            "time": 1438292065,
            "changes": [
                {
                    "field": "leadgen",
                    "value": {
                        "leadgen_id": "123123123123",
                        "page_id": "153125381133",
                        "form_id": "567567567567",
                        "adgroup_id": "69696969696969",
                        "ad_id": "12312312312",
                        "created_time": 1440120384,
                    },
                },
                {"field": "feed", "value": {"item": "status"}},
            ],
        }
    ],
}
# The lead as the Graph API returns it (Retrieving Leads, GET /{lead-id}).
GRAPH_LEAD = {
    "created_time": "2015-02-28T08:49:14+0000",
    "id": "123123123123",
    "ad_id": "12312312312",
    "form_id": "567567567567",
    "campaign_id": "7777777",
    "field_data": [
        {"name": "car_make", "values": ["Honda"]},
        {"name": "full_name", "values": ["Joe Example"]},
        {"name": "email", "values": ["joe@example.com"]},
        {"name": "phone_number", "values": ["+14155550123"]},
        {"name": "company_name", "values": ["Example Motors"]},
        {"name": "selected_dealer", "values": ["99213450"]},
    ],
}


def facebook_integration(app: FastAPI, workspace: Workspace, graph_url: str) -> int:
    return make_integration(
        app,
        workspace,
        "facebook_lead_ads",
        {
            "page_id": "153125381133",
            "app_secret": APP_SECRET,
            "verify_token": "my-verify-token",
            "access_token": "page-token",
            "graph_base_url": graph_url,
        },
    )


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _graph(received: Received) -> tuple[int, Any]:
    if received.path == f"/{DEFAULT_GRAPH_VERSION}/123123123123?access_token=page-token":
        return 200, GRAPH_LEAD
    if received.path == "/me?access_token=page-token":
        return 200, {"name": "Acme Page", "id": "153125381133"}
    return 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}


def test_the_subscription_handshake(app: FastAPI, client: TestClient, workspace: Workspace) -> None:
    integration_id = facebook_integration(app, workspace, "https://graph.facebook.com")
    url = f"/api/integrations/facebook/{integration_id}/webhook"
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": "my-verify-token",
    }
    answer = client.get(url, params=params)
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert client.get(url, params={**params, "hub.verify_token": "nope"}).status_code == 403
    assert client.get(url, params={**params, "hub.mode": "unsubscribe"}).status_code == 403
    assert (
        client.get(
            f"/api/integrations/facebook/{integration_id + 1}/webhook", params=params
        ).status_code
        == 404
    )


def test_a_signed_leadgen_event_becomes_a_lead(
    app: FastAPI, client: TestClient, workspace: Workspace
) -> None:
    runtime: Runtime = app.state.runtime
    with http_server(_graph) as graph:
        integration_id = facebook_integration(app, workspace, graph.url)
        body = json.dumps(LEADGEN_EVENT).encode()
        answer = client.post(
            f"/api/integrations/facebook/{integration_id}/webhook",
            content=body,
            headers={"X-Hub-Signature-256": sign(body), "Content-Type": "application/json"},
        )
        assert (answer.status_code, answer.json()) == (200, {"received": 1})
        assert runtime.jobs.run_pending() == ["done"]
    [request] = graph.received
    assert request.path == f"/{DEFAULT_GRAPH_VERSION}/123123123123?access_token=page-token"
    with runtime.db.unit_of_work(write=False) as session:
        lead = session.scalars(select(Lead)).one()
        assert (lead.first_name, lead.last_name, lead.email) == (
            "Joe",
            "Example",
            "joe@example.com",
        )
        assert (lead.company, lead.source) == ("Example Motors", "facebook")
        assert lead.phone is not None and lead.phone.endswith("4155550123")
        assert lead.custom_fields["car_make"] == "Honda"
        assert lead.custom_fields["selected_dealer"] == "99213450"
        assert lead.custom_fields["facebook_form_id"] == "567567567567"
        assert lead.custom_fields["facebook_ad_id"] == "12312312312"
        assert lead.custom_fields["facebook_lead_id"] == "123123123123"
        assert lead.utm_source == "facebook"
        assert lead.utm_content == "12312312312"
        assert lead.utm_campaign == "7777777"


def test_a_bad_signature_is_refused_and_nothing_is_stored(
    app: FastAPI, client: TestClient, workspace: Workspace
) -> None:
    runtime: Runtime = app.state.runtime
    integration_id = facebook_integration(app, workspace, "https://graph.facebook.com")
    body = json.dumps(LEADGEN_EVENT).encode()
    url = f"/api/integrations/facebook/{integration_id}/webhook"
    for signature in (sign(body, "another-secret"), "sha1=abc", None, sign(body + b" ")):
        headers = {"X-Hub-Signature-256": signature} if signature else {}
        assert client.post(url, content=body, headers=headers).status_code == 403
    with runtime.db.unit_of_work(write=False) as session:
        assert session.scalars(select(Job).where(Job.kind.like("connectors.%"))).all() == []


def test_a_graph_error_fails_the_job_for_good(
    app: FastAPI, client: TestClient, workspace: Workspace
) -> None:
    runtime: Runtime = app.state.runtime
    with http_server(lambda _r: (400, {"error": {"code": 190}})) as graph:
        integration_id = facebook_integration(app, workspace, graph.url)
        body = json.dumps(LEADGEN_EVENT).encode()
        client.post(
            f"/api/integrations/facebook/{integration_id}/webhook",
            content=body,
            headers={"X-Hub-Signature-256": sign(body)},
        )
        assert runtime.jobs.run_pending() == ["failed"]
