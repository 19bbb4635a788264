"""The in-memory rate limiter is spent from many worker threads at once: authentication, form
posts, uploads and sign-ins each hit it from the thread pool."""

from __future__ import annotations

import sys
import threading
import time

from leadhub.surfaces.common.ratelimit import RateLimiter

THREADS = 8
ROUNDS = 150


def test_budgets_spent_from_many_threads_at_once_are_counted_and_never_fail() -> None:
    limiter = RateLimiter()
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def spend(thread: int) -> None:
        for round_ in range(ROUNDS):
            start.wait()
            try:
                limiter.hit(f"key-{thread}-{round_ % 3}", 1_000_000)
                limiter.hit("shared", 1_000_000)
            except BaseException as exc:  # any failure fails the test
                failures.append(exc)
            if thread == 0:
                # The storage's expiry timer has run out: the next hits all want to start one.
                time.sleep(0.015)

    workers = [threading.Thread(target=spend, args=(n,)) for n in range(THREADS)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as on a busy server's cores
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert limiter.peek("shared", 1_000_000).remaining == 1_000_000 - THREADS * ROUNDS
