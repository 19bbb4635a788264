"""The rate limiter's counts in memory: fixed windows from the first hit, expired counts dropped
without a thread of their own."""

from __future__ import annotations

import threading
import time

import pytest

from leadhub.surfaces.common.ratelimit import RateLimiter, WindowCounts


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def test_a_window_counts_from_its_first_hit_until_it_ends(clock: Clock) -> None:
    limiter = RateLimiter()
    first = limiter.hit("key", 3, seconds=60)
    assert (first.remaining, first.reset, first.allowed) == (2, int(clock.now + 60), True)
    clock.now += 30
    assert limiter.hit("key", 3, seconds=60).remaining == 1
    assert limiter.hit("key", 3, seconds=60).remaining == 0
    refused = limiter.hit("key", 3, seconds=60)
    assert refused.allowed is False and refused.retry_after == 30
    assert limiter.peek("other", 3, seconds=60).remaining == 3  # each key its own window
    clock.now += 30  # the window has ended: the next hit starts a new one
    again = limiter.hit("key", 3, seconds=60)
    assert (again.remaining, again.reset, again.allowed) == (2, int(clock.now + 60), True)


def test_expired_counts_are_swept_by_a_later_hit(clock: Clock) -> None:
    counts = WindowCounts()
    for n in range(100):
        counts.incr(f"address-{n}", 10)
    clock.now += 11
    counts.incr("late", 10)
    assert len(counts._counts) == 101  # read lazily until the sweep is due
    clock.now += WindowCounts.SWEEP_SECONDS
    counts.incr("later", 10)
    assert set(counts._counts) == {"later"}
    assert set(counts._expiries) == {"later"}


def test_spending_budgets_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[threading.Thread] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        started.append(thread)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    limiter = RateLimiter()
    for n in range(200):
        limiter.hit(f"key-{n % 7}", 1_000)
        time.sleep(0.0005)
    assert started == []
