"""Rate limits on Redis, as every node of a deployment sees them: one window with one reset, and
the deployment's own namespace on a Redis database that other deployments share."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from leadhub.config import Settings
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime

HOUR = 3600


@pytest.fixture
def namespace(redis_url: str) -> Iterator[str]:
    """A prefix of this test alone; its keys are removed afterwards."""
    prefix = f"leadhub-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    connection = redis.Redis.from_url(redis_url)
    try:
        for name in connection.scan_iter(match=f"{prefix}*"):
            connection.delete(name)
    finally:
        connection.close()


def test_the_reset_is_the_same_for_every_request_of_a_window_on_every_node(
    redis_url: str, namespace: str
) -> None:
    nodes = [RateLimiter(redis_url, prefix=namespace) for _ in range(2)]
    resets = set()
    started = time.monotonic()
    hits = 0
    # Over more than a second: a reset made of a TTL in whole seconds and the local clock
    # wobbles by one within any second.
    while time.monotonic() - started < 1.3:
        budget = nodes[hits % 2].hit("key", 1000)
        hits += 1
        assert budget.allowed
        assert budget.remaining == 1000 - hits
        resets.add(budget.reset)
        time.sleep(0.03)
    assert len(resets) == 1, resets
    reset = resets.pop()
    assert time.time() < reset <= time.time() + HOUR


def test_without_pexpiretime_the_reset_comes_from_the_remaining_milliseconds(
    redis_url: str, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown_command(*_args: object, **_kwargs: object) -> int:
        raise redis.ResponseError("unknown command 'PEXPIRETIME'")  # as Redis 6 answers

    monkeypatch.setattr(redis.Redis, "pexpiretime", unknown_command)
    budget = RateLimiter(redis_url, prefix=namespace).hit("key", 5)
    assert budget.allowed and budget.remaining == 4
    assert abs(budget.reset - (time.time() + HOUR)) <= 2


def test_deployments_on_one_redis_keep_their_own_budgets(redis_url: str, namespace: str) -> None:
    ours = [RateLimiter(redis_url, prefix=f"{namespace}-ours") for _ in range(2)]
    theirs = RateLimiter(redis_url, prefix=f"{namespace}-theirs")
    assert ours[0].hit("203.0.113.9", 2).allowed
    assert ours[1].hit("203.0.113.9", 2).allowed
    assert not ours[0].hit("203.0.113.9", 2).allowed  # the nodes of one deployment share
    assert theirs.hit("203.0.113.9", 2).remaining == 1  # another deployment does not


def test_a_nodes_budgets_live_under_its_queue_name(
    redis_url: str, namespace: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path, redis_url=redis_url, queue_name=namespace, secret_key="s", _env_file=None
    )
    runtime = Runtime.build(settings)
    try:
        runtime.limiter.hit("key", 10)
    finally:
        runtime.close()
    connection = redis.Redis.from_url(redis_url)
    try:
        assert [name.decode() for name in connection.scan_iter(match=f"{namespace}:*")]
    finally:
        connection.close()
