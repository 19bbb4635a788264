"""A workspace with a few records of every kind, made through the native API as a client would,
so that generated requests naming a record by its id reach real records too."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from tests.factories import Workspace, make_key, make_workspace

# A budget no generated run reaches: the rate limiter is not what is under test.
RATE_LIMIT = 10_000_000


@dataclass
class SeededWorkspace:
    workspace: Workspace
    key: str
    # Each kind of record: two of them, the first for operations that read or change it, the
    # second ("spare") for the ones that delete it, so deletes leave the others something to read.
    ids: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def real_value(self, path: str, parameter: str, generated: Any, *, deleting: bool) -> Any:
        """The id of a seeded record for this path parameter, or None when there is none."""
        kind = _KINDS.get((_surface(path), parameter))
        if kind == "leadpanther_id":  # a magnet's uuid, or a post's
            kind = "magnet_uuid" if "/lead-magnets/" in path else "post_uuid"
        if kind is None or kind not in self.ids:
            return None
        keep, spare = self.ids[kind]
        if deleting and _deletes(path, parameter):
            return spare
        return keep

    def aims_at_real_records(self, generated: Any) -> bool:
        """Two generated values in three name a seeded record (chosen by the value itself, so the
        run stays reproducible); the others keep what was generated (mostly unknown records)."""
        digest = zlib.crc32(repr(generated).encode())
        return digest % 3 != 0


def _surface(path: str) -> str:
    for prefix in ("/compat/leadpanther", "/compat/leadsopedia", "/compat/leadtrackr"):
        if path.startswith(prefix):
            return prefix
    return "/api"


def _deletes(path: str, parameter: str) -> bool:
    """Whether the parameter names the record a DELETE on this path removes (the last one)."""
    return path.rstrip("/").endswith("{" + parameter + "}")


# (surface, path parameter) -> the kind of record it names.
_KINDS: dict[tuple[str, str], str] = {
    ("/api", "lead_id"): "lead",
    ("/api", "pipeline_id"): "pipeline",
    ("/api", "stage_id"): "stage",
    ("/api", "tag_id"): "tag",
    ("/api", "tag"): "tag_name",
    ("/api", "list_id"): "list",
    ("/api", "import_id"): "import",
    ("/api", "export_id"): "export",
    ("/api", "user_id"): "user",
    ("/api", "form_id"): "form",
    ("/api", "automation_id"): "automation",
    ("/api", "label_id"): "label",
    ("/api", "webhook_id"): "webhook",
    ("/api", "magnet_id"): "magnet",
    ("/api", "activity_id"): "activity",
    ("/api", "post_id"): "post",
    ("/compat/leadpanther", "id"): "leadpanther_id",
    ("/compat/leadsopedia", "list_id"): "list",
    ("/compat/leadsopedia", "contact_id"): "lead",
    ("/compat/leadsopedia", "path_id"): "list",
    ("/compat/leadsopedia", "download_id"): "export",
}


def seed(client: TestClient, db: Database, slug: str = "fuzzed") -> SeededWorkspace:
    """The workspace, its key (every scope) and two records of each kind."""
    workspace = make_workspace(db, slug)
    seeded = SeededWorkspace(workspace, make_key(db, workspace, rate_limit=RATE_LIMIT))
    with db.unit_of_work() as session:
        credits.grant(session, workspace.id, 1000, reason="exports of the generated requests")
    api = _Api(client, seeded.headers)
    ids = seeded.ids

    users = [
        api.create(
            "/users",
            name=f"User {n}",
            email=f"user{n}@example.com",
            password="long-secret-123",
            role="member",
        )
        for n in (1, 2)
    ]
    ids["user"] = (users[0]["id"], users[1]["id"])
    pipelines = [
        api.create("/pipelines", name=f"Sales {n}", stages=[{"name": "New"}, {"name": "Won"}])
        for n in (1, 2)
    ]
    ids["pipeline"] = (pipelines[0]["id"], pipelines[1]["id"])
    stages = [stage["id"] for stage in pipelines[0]["stages"]]
    ids["stage"] = (stages[0], stages[1])
    tags = [api.create("/tags", name=f"tag-{n}") for n in (1, 2)]
    ids["tag"] = (tags[0]["id"], tags[1]["id"])
    ids["tag_name"] = (tags[0]["name"], tags[1]["name"])
    lists = [api.create("/lists", name=f"List {n}") for n in (1, 2)]
    ids["list"] = (lists[0]["id"], lists[1]["id"])
    forms = [
        api.create(
            "/forms",
            name=f"Form {n}",
            fields=[{"name": "email", "label": "Email", "type": "email", "required": True}],
        )
        for n in (1, 2)
    ]
    ids["form"] = (forms[0]["id"], forms[1]["id"])
    leads = [
        api.create(
            "/leads",
            first_name=f"Lead {n}",
            email=f"lead{n}@example.com",
            phone=f"+1415555010{n}",
            tags=[tags[0]["name"]],
            pipeline_id=pipelines[0]["id"],
            pipeline_stage_id=stages[0],
            assigned_user_id=users[0]["id"],
            custom_fields={"plan": "pro"},
        )
        for n in (1, 2, 3)
    ]
    ids["lead"] = (leads[0]["id"], leads[1]["id"])
    api.post(f"/lists/{lists[0]['id']}/leads", lead_ids=[lead["id"] for lead in leads])
    api.post(f"/lists/{lists[1]['id']}/leads", lead_ids=[leads[2]["id"]])
    automations = [
        api.create(
            "/automations",
            name=f"Automation {n}",
            trigger="lead_created",
            actions=[{"type": "add_tag", "tag": "auto"}],
            is_active=False,
        )
        for n in (1, 2)
    ]
    ids["automation"] = (automations[0]["id"], automations[1]["id"])
    labels = [api.create("/conversion-labels", name=f"Label {n}", value=10) for n in (1, 2)]
    ids["label"] = (labels[0]["id"], labels[1]["id"])
    webhooks = [
        api.create("/webhooks", url=f"http://127.0.0.1:9/hook/{n}", is_active=False) for n in (1, 2)
    ]
    ids["webhook"] = (webhooks[0]["id"], webhooks[1]["id"])
    magnets = [
        api.create(
            "/lead-magnets",
            delivery_mode="external_link",
            keyword=f"GUIDE{n}",
            resource_name=f"Guide {n}",
            external_resource_url="https://example.com/guide.pdf",
            text_template="Here it is: {{resource_link}}",
        )
        for n in (1, 2)
    ]
    ids["magnet"] = (magnets[0]["id"], magnets[1]["id"])
    posts = [api.create("/posts", text=f"Comment GUIDE1 for the guide ({n}).") for n in (1, 2)]
    ids["post"] = (posts[0]["id"], posts[1]["id"])
    ids["magnet_uuid"] = (str(magnets[0]["uuid"]), str(magnets[1]["uuid"]))
    ids["post_uuid"] = (str(posts[0]["uuid"]), str(posts[1]["uuid"]))
    activities = [
        api.post(
            "/activity",
            source="comment",
            author_name=f"Author {n}",
            linkedin_profile_url=f"https://www.linkedin.com/in/author-{n}",
            content="GUIDE1 please",
        )["data"]["activity"]
        for n in (1, 2)
    ]
    ids["activity"] = (activities[0]["id"], activities[1]["id"])
    exports = [api.post(f"/lists/{lists[0]['id']}/exports", format="csv")["data"] for _ in (1, 2)]
    ids["export"] = (exports[0]["id"], exports[1]["id"])
    return seeded


class _Api:
    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def post(self, path: str, **body: Any) -> dict[str, Any]:
        response = self.client.post("/api/v1" + path, json=body, headers=self.headers)
        assert response.status_code in (200, 201, 202), (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    def create(self, path: str, **body: Any) -> dict[str, Any]:
        created: dict[str, Any] = self.post(path, **body)["data"]
        return created
