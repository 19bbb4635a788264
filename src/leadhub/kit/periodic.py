"""A background thread that does one thing every few seconds until it is stopped, and the
buffers that a thread like it writes out in batches."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable


class Periodic:
    """Calls `action` every `seconds` in a daemon thread named `name`, from `start` to `stop`.

    An exception is logged to `log` and the thread goes on: a buffer's writer must outlive one
    failed write.
    """

    def __init__(
        self, name: str, seconds: float, action: Callable[[], object], log: logging.Logger
    ) -> None:
        self.name, self.seconds, self.action, self.log = name, seconds, action, log
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, waiting for a call under way (at most 10 s)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.action()
            except Exception:  # never let the thread die
                self.log.exception("%s: the periodic call failed", self.name)


class BatchWriter:
    """A process's buffer written out in batches: every `seconds` by its thread from `start` to
    `stop`, by whoever finds it due, and once more at `stop`. Subclasses write in `_flush`."""

    def __init__(self, name: str, seconds: float, log: logging.Logger) -> None:
        self._flushing = threading.Lock()
        self._flusher = Periodic(name, seconds, self.flush, log)

    @property
    def running(self) -> bool:
        return self._flusher.running

    def flush(self, *, wait: bool = True) -> int:
        """Write what waits; answers how many were written. Without `wait`, a flush already
        under way in another thread is left to do it."""
        if not self._flushing.acquire(blocking=wait):
            return 0
        try:
            return self._flush()
        finally:
            self._flushing.release()

    def _flush(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        """Write every few seconds in a background thread, until `stop`."""
        self._flusher.start()

    def stop(self) -> None:
        """Stop the background writes and write what is left."""
        self._flusher.stop()
        self.flush()
