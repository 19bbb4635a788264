"""Log lines for people (text) or for machines (one JSON object per line, LEADHUB_LOG_FORMAT).

Each line written while a request or a job runs carries its id (`request_id`, `job_id`): the
ids live in context variables, which worker threads started for the request inherit.
"""

from __future__ import annotations

import logging
import logging.config
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

LogFormat = Literal["text", "json"]
REQUEST_ID: ContextVar[str | None] = ContextVar("leadhub_request_id", default=None)
JOB_ID: ContextVar[int | None] = ContextVar("leadhub_job_id", default=None)
_CONTEXT_FIELDS = ("request_id", "job_id")
# Record attributes that are not the line's fields (uvicorn adds a coloured copy of its message).
_NOT_FIELDS = [*RESERVED_ATTRS, "color_message"]


@contextmanager
def job_context(job_id: int) -> Iterator[None]:
    """Lines logged inside carry this job's id."""
    token = JOB_ID.set(job_id)
    try:
        yield
    finally:
        JOB_ID.reset(token)


class ContextFilter(logging.Filter):
    """Stamps the current request's and job's ids on each record (only those that are set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id is not None:
            record.request_id = request_id
        job_id = JOB_ID.get()
        if job_id is not None:
            record.job_id = job_id
        return True


class OutageFilter(logging.Filter):
    """While the queue's Redis does not answer, one line a minute for each thing that fails,
    not a trace for each try: huey's consumer logs the whole trace of every failed poll, several
    a second until its back-off grows.

    Only the job queue's loggers (`huey…`) are folded, and only for connection failures; any
    other error keeps its trace.
    """

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every = every
        self.clock = clock
        self._said: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        failure = _connection_failure(record)
        if failure is None:
            return True
        said = (record.name, str(record.msg))
        now = self.clock()
        with self._lock:
            last = self._said.get(said)
            if last is not None and now - last < self.every:
                return False
            self._said[said] = now
        message = record.getMessage().rstrip(".")
        record.msg = f"{message}: the queue does not answer ({failure}); said once a minute"
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _connection_failure(record: logging.LogRecord) -> str | None:
    if not record.exc_info or not record.name.startswith("huey"):
        return None
    return connection_failure(record.exc_info[1])


def connection_failure(exc: BaseException | None) -> str | None:
    """`Type: message` of the failure to reach a server (Redis, or any socket) behind `exc`,
    if that is what it is."""
    error = exc
    while error is not None:
        if isinstance(error, RedisConnectionError | RedisTimeoutError | ConnectionError):
            return f"{type(error).__name__}: {error}"
        error = error.__cause__ or error.__context__
    return None


class TextFormatter(logging.Formatter):
    """`2026-01-31 12:00:00,123 INFO leadhub.jobs: message [request_id=…]`, trace below."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        line = super().formatMessage(record)
        ids = " ".join(
            f"{name}={getattr(record, name)}" for name in _CONTEXT_FIELDS if hasattr(record, name)
        )
        return f"{line} [{ids}]" if ids else line


def formatter(log_format: LogFormat) -> logging.Formatter:
    """One JSON object per line (`json`), or one readable line (`text`)."""
    if log_format == "json":
        return JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="timestamp",
            reserved_attrs=_NOT_FIELDS,
        )
    return TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def config(log_format: LogFormat, *, info_loggers: tuple[str, ...] = ()) -> dict[str, Any]:
    """A `logging.config.dictConfig` for this process: every line to stderr in `log_format`.

    LeadHub's and uvicorn's loggers (and `info_loggers`) log from INFO up, the others (the
    libraries') from WARNING up.
    """
    loggers = ("leadhub", "uvicorn", *info_loggers)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": f"{__name__}.ContextFilter"},
            "outages": {"()": f"{__name__}.OutageFilter"},
        },
        "formatters": {"lines": {"()": f"{__name__}.formatter", "log_format": log_format}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "lines",
                "filters": ["context", "outages"],
            }
        },
        "loggers": {name: {"level": "INFO", "handlers": [], "propagate": True} for name in loggers},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
    }


def configure(log_format: LogFormat, *, info_loggers: tuple[str, ...] = ()) -> dict[str, Any]:
    """Apply `config(...)` to this process; answers it (uvicorn applies it in its workers)."""
    applied = config(log_format, info_loggers=info_loggers)
    logging.config.dictConfig(applied)
    logging.captureWarnings(True)  # Python's warnings become lines of the same log
    return applied
