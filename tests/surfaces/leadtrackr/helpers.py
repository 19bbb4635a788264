"""Checks and data shared by the LeadTrackr surface's tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.models import Lead

BASE = "/compat/leadtrackr/api/leads"
CREATE = f"{BASE}/createLead"
CREATE_SERVER_SIDE = f"{BASE}/createServerSideLead"
GET_LEADS = f"{BASE}/getLeads"
GET_LEAD = f"{BASE}/getLead"
UPDATE_STATUS = f"{BASE}/updateLeadStatus"
LEAD_KEYS = {
    "id",
    "status",
    "formName",
    "firstName",
    "lastName",
    "phone",
    "email",
    "companyName",
    "price",
    "note",
    "formData",
    "userData",
    "attributionData",
    "channelFlow",
    "uniqueIdentifier",
    "createdAt",
}
PAGE_KEYS = {"message", "leads", "total", "page", "limit", "totalPages", "hasMore"}


def assert_message(response: Response, status: int, containing: str = "") -> str:
    """The response is LeadTrackr's error shape, `{"message": …}`, with this status; its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"message"}, body
    message = body["message"]
    assert isinstance(message, str) and message
    assert containing.lower() in message.lower(), message
    return message


def get_leads(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(GET_LEADS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == PAGE_KEYS
    return body


def ids(body: dict[str, Any]) -> list[int]:
    return [lead["id"] for lead in body["leads"]]


def native_lead(client: TestClient, headers: dict[str, str], lead_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/leads/{lead_id}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def set_created(db: Database, lead_id: int, moment: datetime) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Lead).where(Lead.id == lead_id).values(created_at=moment))
