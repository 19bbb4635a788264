from __future__ import annotations

from fastapi.testclient import TestClient


def test_create_then_get_a_lead(client: TestClient, headers: dict[str, str]) -> None:
    created = client.post(
        "/api/v1/leads", json={"first_name": "Sarah", "email": "S@X.com"}, headers=headers
    )
    assert created.status_code == 201, created.text
    lead = created.json()["data"]
    assert lead["email"] == "s@x.com"
    fetched = client.get(f"/api/v1/leads/{lead['id']}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json()["data"] == lead
    listed = client.get("/api/v1/leads", headers=headers)
    assert listed.json()["meta"]["total"] == 1
    assert listed.headers["X-RateLimit-Limit"] == "1000"
