"""Settings, read from LEADHUB_* environment variables and an optional .env file."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Meta retires each Graph API version about two years after its release (v21.0: January 2027).
DEFAULT_META_GRAPH_VERSION = "v23.0"


class Settings(BaseSettings):
    """Every knob of a LeadHub node. Nothing is built at import time."""

    model_config = SettingsConfigDict(
        env_prefix="LEADHUB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("./leadhub-data")
    database_url: str | None = None
    # Seconds a SQLite writer waits for its turn, and for another process's write lock, before
    # giving up (a request answers 503).
    sqlite_busy_timeout: float = Field(default=30.0, gt=0, le=3600)
    base_url: str | None = None
    secret_key: str | None = None
    redis_url: str | None = None
    # Nodes of one deployment share this queue; deployments sharing a Redis database must not.
    queue_name: str = Field(default="leadhub", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    webhook_allow_private: bool = False
    # Addresses or networks (comma-separated) of the reverse proxies whose X-Forwarded-For and
    # X-Forwarded-Proto are believed; empty: those headers are ignored, the peer is the client.
    trusted_proxies: str = ""
    # Strict-Transport-Security's max-age on answers to HTTPS requests; 0 sends no such header.
    hsts_seconds: int = Field(default=365 * 24 * 3600, ge=0)
    # Media uploads: an S3-compatible bucket when named, else files under <data_dir>/media.
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_path_style: bool = False
    upload_url_ttl: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    # Seconds a signed export download link stays valid.
    download_url_ttl: int = Field(default=3600, ge=1, le=7 * 24 * 3600)
    # The Graph API version of Facebook Lead Ads and the Meta Conversions API calls.
    meta_graph_version: str = Field(default=DEFAULT_META_GRAPH_VERSION, pattern=r"^v\d+\.\d+$")
    # Seconds a running job may go without its consumer's heartbeat before it runs again.
    job_lease_seconds: float = Field(default=60, ge=1, le=3600)
    # The largest CSV or XLSX file an import accepts, in bytes.
    import_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1)
    # How `leadhub serve` and `leadhub worker` write their logs to stderr: lines for people, or
    # one JSON object per line for a log collector.
    log_format: Literal["text", "json"] = "text"
    # The largest request body any other route accepts (JSON, forms), in bytes.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        for item in _split(value):
            if item != "*":
                ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'leadhub.db').resolve()}"

    @property
    def effective_base_url(self) -> str:
        return self.base_url or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def effective_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.ensure_data_dir() / "secret_key"
        if not path.exists():
            _create_once(path, secrets.token_urlsafe(48))
        return path.read_text().strip()


def _create_once(path: Path, content: str) -> None:
    """Write `content` to `path` unless it exists, never leaving it visible half-written.

    Nodes sharing a data directory may start together: the content goes to a file of this process
    first, then is linked into place, which fails when another process got there first, so every
    one of them reads the same complete secret.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
