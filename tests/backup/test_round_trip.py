"""`leadhub backup` then `leadhub restore` into a fresh node gives back the same leads, tags,
stored media and readable integration secrets, on SQLite and on PostgreSQL (whichever the suite
runs on); a restore refuses what it must, and changes nothing when it fails."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from leadhub.db.migrate import head_revisions
from leadhub.kit.crypto import SecretBox
from tests.backup.conftest import Leadhub, Node
from tests.factories import make_key, make_workspace
from tests.media.samples import ask, sample

LEADS = "/api/v1/leads"
SMTP_PASSWORD = "smtp-password-1234"


def load(node: Node) -> tuple[str, dict[str, Any]]:
    """A workspace with tagged leads, an SMTP integration and a stored image; its key and what
    the API answers about them."""
    client = node.client()
    workspace = make_workspace(node.database(), "acme")
    headers = {"Authorization": f"Bearer {make_key(node.database(), workspace)}"}
    for number in range(12):
        created = client.post(
            LEADS,
            json={
                "first_name": f"Lead {number}",
                "email": f"lead{number}@example.com",
                "tags": ["vip", f"batch-{number % 3}"],
                "custom_fields": {"number": number},
            },
            headers=headers,
        )
        assert created.status_code == 201, created.text
    smtp = {
        "type": "smtp",
        "settings": {
            "host": "mail.example.com",
            "username": "robot",
            "password": SMTP_PASSWORD,
            "from_email": "sales@example.com",
        },
    }
    assert client.post("/api/v1/integrations", json=smtp, headers=headers).status_code == 201
    upload = ask(client, headers)
    image = sample("image/png")
    put = client.put(upload["upload_url"], content=image, headers={"Content-Type": "image/png"})
    assert put.status_code == 201, put.text
    return headers["Authorization"], snapshot(client, headers, upload["public_url"])


def snapshot(client: TestClient, headers: dict[str, str], media_url: str) -> dict[str, Any]:
    leads = client.get(LEADS, params={"per_page": 100, "sort": "email"}, headers=headers)
    tags = client.get("/api/v1/tags", headers=headers)
    media = client.get(media_url)
    assert (leads.status_code, tags.status_code, media.status_code) == (200, 200, 200)
    return {
        "leads": leads.json()["data"],
        "tags": tags.json()["data"],
        "media": media.content,
        "media_url": media_url,
    }


def integration_secrets(node: Node) -> Any:
    token = node.scalar("SELECT secrets_encrypted FROM integrations")
    key = (node.data_dir / "secret_key").read_text().strip()
    return SecretBox(key).decrypt_json(token)


def test_a_backup_restores_into_a_fresh_node_with_its_leads_tags_media_and_secrets(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source, target = make_node("source"), make_node("target")
    authorization, before = load(source)
    archive = Path(leadhub("backup", str(tmp_path), node=source).value())
    assert archive.parent == tmp_path and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data and the secret key

    assert leadhub("restore", str(archive), node=target).value() == target.where()
    after = snapshot(target.client(), {"Authorization": authorization}, before["media_url"])
    assert after == before
    assert len(after["leads"]) == 12
    assert {tag["name"]: tag["leads_count"] for tag in after["tags"]}["vip"] == 12
    assert (target.data_dir / "secret_key").read_text() == (
        source.data_dir / "secret_key"
    ).read_text()
    assert integration_secrets(target)["password"] == SMTP_PASSWORD


def test_the_archive_has_a_manifest_first(make_node: Any, leadhub: Leadhub, tmp_path: Path) -> None:
    source = make_node("source")
    load(source)
    archive = leadhub("backup", str(tmp_path / "nightly.tar.gz"), node=source).value()
    with tarfile.open(archive, "r:gz") as tar:
        first = tar.next()
        assert first is not None and first.name == "manifest.json"
        handle = tar.extractfile(first)
        assert handle is not None
        manifest = json.load(handle)
        names = tar.getnames()
    assert manifest["format"] == "leadhub-backup"
    assert manifest["leadhub_version"] == "1.0.0"
    assert manifest["schema_revision"] == ",".join(head_revisions())
    assert manifest["database_kind"] in ("sqlite", "postgresql")
    assert manifest["secret_key"] == "included"
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["database_file"] in names
    assert "files/secret_key" in names
    assert any(name.startswith("files/media/api-uploads/") for name in names)


def test_restore_refuses_to_replace_data_unless_forced(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source, target = make_node("source"), make_node("target")
    load(source)
    archive = leadhub("backup", str(tmp_path), node=source).value()
    make_workspace(target.database(), "other")
    target.close()

    refused = leadhub("restore", archive, node=target)
    assert "--force" in refused.one_line_error()
    assert target.scalar("SELECT slug FROM workspaces") == "other"

    target.close()
    leadhub("restore", archive, "--force", node=target).value()
    assert target.scalar("SELECT count(*) FROM workspaces") == 1
    assert target.scalar("SELECT slug FROM workspaces") == "acme"
    assert target.scalar("SELECT count(*) FROM leads") == 12


def test_a_key_from_the_environment_stays_out_of_the_archive_and_restore_warns_without_it(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source, target = make_node("source"), make_node("target")
    make_workspace(source.database(), "acme")
    source.close()
    archive = leadhub("backup", str(tmp_path), node=source, LEADHUB_SECRET_KEY="kept-apart")
    with tarfile.open(archive.value(), "r:gz") as tar:
        assert "files/secret_key" not in tar.getnames()

    without = leadhub("restore", archive.value(), node=target)
    assert without.value() == target.where()
    assert without.stderr.startswith("warning: ") and "LEADHUB_SECRET_KEY" in without.stderr
    with_it = leadhub(
        "restore", archive.value(), "--force", node=target, LEADHUB_SECRET_KEY="kept-apart"
    )
    assert with_it.value() == target.where()
    assert with_it.stderr == ""
