"""What one node holds while it runs: settings, database, rate limiter."""

from __future__ import annotations

from dataclasses import dataclass

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter


@dataclass
class Runtime:
    settings: Settings
    db: Database
    limiter: RateLimiter

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        settings.ensure_data_dir()
        return cls(
            settings=settings,
            db=Database(settings.effective_database_url),
            limiter=RateLimiter(settings.redis_url),
        )

    def close(self) -> None:
        self.db.dispose()
