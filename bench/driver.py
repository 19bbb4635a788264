"""An asyncio load driver: `concurrency` keep-alive connections request as fast as answers come.

The first `warmup` seconds are run but not counted (connections open, caches fill); then every
answer that arrives within `duration` seconds counts, its latency measured from send to body.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

WARMUP_SECONDS = 0.5


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, str] | None = None
    headers: dict[str, str] | None = None


@dataclass
class Stats:
    requests: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    error_sample: str | None = None

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            **percentiles(self.latencies_ms),
            "errors": self.errors,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "error_sample": self.error_sample,
        }


@dataclass
class Window:
    """Which answers count: those arriving after the warm-up and before the end. When none has
    arrived by the end (each answer is slower than the window), the window stays open until the
    first one, so a slow scenario shows its true rate instead of nothing."""

    counted_from: float
    until: float
    last: float = 0.0

    @classmethod
    def starting_now(cls, warmup: float, duration: float) -> Window:
        start = time.perf_counter()
        return cls(start + warmup, start + warmup + duration)

    def is_open(self, stats: Stats) -> bool:
        return time.perf_counter() < self.until or stats.requests == 0

    def counts(self, done: float, stats: Stats) -> bool:
        if done < self.counted_from or (done > self.until and stats.requests):
            return False
        self.last = max(self.last, done)
        return True

    @property
    def seconds(self) -> float:
        return max(self.until, self.last) - self.counted_from


def percentiles(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"p50": None, "p95": None, "p99": None}
    ordered = sorted(samples)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def prime(base_url: str, calls: list[Call]) -> None:
    """One request of each kind before measuring: the server's first-request work (imports,
    compiled queries, templates) is not any scenario's cost."""
    with httpx.Client(base_url=base_url, timeout=60, trust_env=False) as client:
        for call in calls:
            client.request(
                call.method,
                call.path,
                params=call.params,
                json=call.json,
                data=call.data,
                headers=call.headers,
            )


def drive(
    base_url: str,
    make_call: Callable[[], Call],
    *,
    duration: float,
    concurrency: int,
    warmup: float = WARMUP_SECONDS,
) -> Stats:
    return asyncio.run(_drive(base_url, make_call, duration, concurrency, warmup))


async def _drive(
    base_url: str, make_call: Callable[[], Call], duration: float, concurrency: int, warmup: float
) -> Stats:
    stats = Stats()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=60, trust_env=False
    ) as client:
        window = Window.starting_now(warmup, duration)
        workers = [_worker(client, make_call, stats, window) for _ in range(concurrency)]
        await asyncio.gather(*workers)
    stats.seconds = window.seconds
    return stats


async def _worker(
    client: httpx.AsyncClient,
    make_call: Callable[[], Call],
    stats: Stats,
    window: Window,
) -> None:
    while window.is_open(stats):
        sent = time.perf_counter()
        call = make_call()
        try:
            response = await client.request(
                call.method,
                call.path,
                params=call.params,
                json=call.json,
                data=call.data,
                headers=call.headers,
            )
            status, body = response.status_code, response.text
        except httpx.HTTPError as exc:
            status, body = 599, f"{type(exc).__name__}: {exc}"
        done = time.perf_counter()
        if not window.counts(done, stats):
            continue
        stats.requests += 1
        stats.latencies_ms.append((done - sent) * 1000)
        stats.statuses[status] += 1
        if not 200 <= status < 300 and stats.error_sample is None:
            stats.error_sample = f"{call.method} {call.path} -> {status}: {body[:300]}"
