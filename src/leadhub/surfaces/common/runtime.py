"""What one node holds while it runs: settings, database, rate limiter, secret box, job queue,
blob store."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadhub.config import Settings
from leadhub.db.engine import is_sqlite
from leadhub.db.probe import DatabaseProbe
from leadhub.db.uow import Database
from leadhub.jobs.queue import JobQueue
from leadhub.jobs.runner import Capabilities
from leadhub.kit.crypto import SecretBox
from leadhub.kit.signed import TokenSigner
from leadhub.storage.base import BlobStore
from leadhub.storage.factory import store_from_settings
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.turns import WriteTurns
from leadhub.surfaces.common.usage import UsageMeter


@dataclass
class Runtime:
    settings: Settings
    db: Database
    limiter: RateLimiter
    # Built from the settings' secret key; services that store secrets receive it explicitly.
    secret_box: SecretBox = field(init=False, repr=False)
    # Jobs written by this node's transactions go to this queue once they commit.
    jobs: JobQueue = field(init=False, repr=False)
    # Where uploaded media lives (the data dir or an S3 bucket), and what signs its upload URLs.
    store: BlobStore = field(init=False, repr=False)
    upload_signer: TokenSigner = field(init=False, repr=False)
    # API calls counted in memory and written in batches, checked against monthly quotas.
    usage: UsageMeter = field(init=False, repr=False)
    # On SQLite, the API's write requests take turns before their transaction (see turns.py).
    write_turns: WriteTurns = field(init=False, repr=False)
    # The health check's own bounded look at the database.
    db_probe: DatabaseProbe = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.secret_box = SecretBox(self.settings.effective_secret_key())
        capabilities = Capabilities(
            secret_box=self.secret_box,
            allow_private_targets=self.settings.webhook_allow_private,
            base_url=self.settings.effective_base_url,
            graph_version=self.settings.meta_graph_version,
        )
        self.store = store_from_settings(self.settings)
        self.jobs = JobQueue(self.settings, self.db, capabilities, store=self.store)
        self.upload_signer = TokenSigner(self.settings.effective_secret_key(), purpose="uploads")
        self.usage = UsageMeter(self.db)
        self.write_turns = WriteTurns(
            serialized=is_sqlite(self.db.engine), timeout=self.settings.sqlite_busy_timeout
        )
        self.db_probe = DatabaseProbe(self.db.url)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        settings.ensure_data_dir()
        return cls(
            settings=settings,
            db=Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout),
            limiter=RateLimiter(settings.redis_url, prefix=settings.queue_name),
        )

    def close(self) -> None:
        self.usage.stop()  # the calls counted since the last flush are written first
        self.db.deferred.stop()  # and the rows noted for later
        self.jobs.heartbeat.stop()
        self.db_probe.dispose()
        self.jobs.close_probe()
        self.db.dispose()
