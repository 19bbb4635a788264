"""Budgets (per API key, per client address) with `limits`: in memory on one node, in Redis
across nodes."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import cast

import redis
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import RedisStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter


@dataclass(frozen=True)
class Budget:
    limit: int
    remaining: int
    reset: int  # unix time at which the window starts afresh
    allowed: bool

    @property
    def retry_after(self) -> int:
        return max(1, self.reset - int(time.time()))

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class WindowCounts(Storage):
    """The windows' counts of `limits`' fixed-window strategy, in this process's memory.

    `limits`' own memory storage drops expired counts from a timer thread that runs once, 10 ms
    after it starts, and is started again by the next hit: under load that made a new thread
    every few requests (364 for 2,000 requests in process, 7% of their time), each taking the
    interpreter's lock from the requests; and two hits at once could start the same timer twice
    ("threads can only be started once"). Here an expired count is dropped when it is next read,
    and every expired one on the first hit after each sweep interval, in the hit's thread.
    Not safe across threads on its own: the RateLimiter takes a lock around its calls.
    """

    STORAGE_SCHEME = None  # made by RateLimiter, not from a storage URL
    SWEEP_SECONDS = 60.0

    def __init__(self) -> None:
        super().__init__()
        self._counts: dict[str, int] = {}
        self._expiries: dict[str, float] = {}
        self._next_sweep = time.time() + self.SWEEP_SECONDS

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        if now >= self._next_sweep:
            self._sweep(now)
        count = self.get(key) + amount
        if count == amount:  # the window starts with its first hit
            self._expiries[key] = now + expiry
        self._counts[key] = count
        return count

    def get(self, key: str) -> int:
        if self._expiries.get(key, 0.0) <= time.time():
            self.clear(key)
            return 0
        return self._counts.get(key, 0)

    def get_expiry(self, key: str) -> float:
        return self._expiries.get(key, time.time())

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        dropped = len(self._counts)
        self._counts.clear()
        self._expiries.clear()
        return dropped

    def clear(self, key: str) -> None:
        self._counts.pop(key, None)
        self._expiries.pop(key, None)

    def _sweep(self, now: float) -> None:
        for key in [key for key, expiry in self._expiries.items() if expiry <= now]:
            self.clear(key)
        self._next_sweep = now + self.SWEEP_SECONDS


class RateLimiter:
    """`prefix` namespaces the budgets on Redis: every node of a deployment uses the same one."""

    def __init__(self, redis_url: str | None = None, *, prefix: str = "leadhub") -> None:
        self.storage: Storage = self._redis(redis_url, prefix) if redis_url else WindowCounts()
        self._strategy = FixedWindowRateLimiter(self.storage)
        # The budgets are spent from the thread pool: the counts in memory take a lock here.
        # Redis is atomic on its own.
        self._turn: AbstractContextManager[object] = (
            nullcontext() if redis_url else threading.Lock()
        )

    @staticmethod
    def _redis(url: str, prefix: str) -> Storage:
        storage = storage_from_string(url, key_prefix=prefix)
        assert isinstance(storage, Storage)
        return storage

    def hit(self, key: str, limit: int, seconds: int = 3600) -> Budget:
        """Spend one request of the key's budget (`limit` per `seconds`) and say what is left."""
        item = RateLimitItemPerSecond(limit, seconds)
        with self._turn:
            allowed = self._strategy.hit(item, key)
            return self._budget(item, key, allowed)

    def peek(self, key: str, limit: int, seconds: int = 3600) -> Budget:
        """What is left of the key's budget, without spending any of it."""
        item = RateLimitItemPerSecond(limit, seconds)
        with self._turn:
            return self._budget(item, key, self._strategy.test(item, key))

    def _budget(self, item: RateLimitItemPerSecond, key: str, allowed: bool) -> Budget:
        stats = self._strategy.get_window_stats(item, key)
        return Budget(
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset=int(self._window_end(item, key) or stats.reset_time),
            allowed=allowed,
        )

    def _window_end(self, item: RateLimitItem, key: str) -> float | None:
        """When the window ends, to the millisecond, from Redis (None elsewhere: memory is exact).

        `limits` answers Redis's TTL (whole seconds, rounded) plus this node's clock, so the
        reset wobbled by a second from one request, or one node, to the next. The key's absolute
        expiry is the same for every request of the window on every node.
        """
        if not isinstance(self.storage, RedisStorage):
            return None
        name = self.storage.prefixed_key(item.key_for(key))
        # The client `limits` connected (typed there as a protocol of the few calls it makes).
        connection = cast(redis.Redis, self.storage.get_connection())
        try:
            expires_ms = int(connection.pexpiretime(name))
        except redis.ResponseError:  # Redis before 7.0: the remaining milliseconds will do
            remaining_ms = cast(int, connection.pttl(name))
            return time.time() + remaining_ms / 1000 if remaining_ms > 0 else None
        return expires_ms / 1000 if expires_ms > 0 else None
