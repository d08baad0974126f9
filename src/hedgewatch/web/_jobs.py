"""The web app's work queue: heavy computations run one at a time, in one worker thread.

A request for an atlas or a state report becomes a *job* with a key (what is computed: the
powers, the state). A second request for the same key joins the job already queued or
running instead of starting another, so a burst of identical requests costs one
computation. At most ``max_pending`` distinct jobs wait; past that a request is refused
(the server answers 503 with ``Retry-After``) rather than queued, so a burst of distinct
requests cannot pile up work or memory. Finished results are kept, serialised, in a small
LRU (``keep`` entries).

The worker is also the only thread that opens the store: DuckDB does not allow a read-only
and a writable connection to the same file at once within one process, and the cache writes
of a computation would otherwise race with reads from request threads.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from hedgewatch.errors import HedgewatchError

#: ``progress(step, done, total)``, as in :func:`hedgewatch.build_report`.
Progress = Callable[[str, int, int], None]


class QueueFull(Exception):
    """Too many distinct computations are waiting; try again later."""


@dataclass
class Job:
    """One computation: its state, progress and, when finished, result or error."""

    key: Hashable
    status: str = "queued"  # queued | running | done | failed
    step: str = "waiting for the computations ahead of it"
    done: int = 0
    total: int = 1
    result: Any = None
    error: str = ""
    finished_at: float = 0.0
    event: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> bool:
        return self.event.wait(timeout)

    def progress(self) -> dict[str, Any]:
        return {"status": self.status, "step": self.step, "done": self.done, "total": self.total}


class Jobs:
    """A bounded FIFO of jobs served by one worker thread."""

    def __init__(self, *, max_pending: int = 8, keep: int = 32, failed_ttl: float = 30.0):
        self.max_pending = max_pending
        self.keep = keep
        self.failed_ttl = failed_ttl
        self._queue: queue.Queue[tuple[Job, Callable[[Progress], Any]] | None] = queue.Queue()
        self._active: dict[Hashable, Job] = {}
        self._finished: OrderedDict[Hashable, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name="hedgewatch-jobs", daemon=True)
        self._thread.start()

    def submit(self, key: Hashable, compute: Callable[[Progress], Any]) -> Job:
        """The job for ``key``: a finished one, the one in progress, or a new one queued."""
        with self._lock:
            job = self._finished.get(key)
            if job is not None:
                fresh = job.status == "done" or time.monotonic() - job.finished_at < self.failed_ttl
                if fresh:
                    self._finished.move_to_end(key)
                    return job
                del self._finished[key]
            job = self._active.get(key)
            if job is not None:
                return job
            if len(self._active) >= self.max_pending:
                raise QueueFull(
                    f"{len(self._active)} computations are queued or running (the limit); "
                    "try again in a minute."
                )
            job = Job(key)
            self._active[key] = job
            self._queue.put((job, compute))
            return job

    def peek(self, key: Hashable) -> Job | None:
        """The finished or pending job for ``key``, without starting one."""
        with self._lock:
            return self._finished.get(key) or self._active.get(key)

    def stats(self) -> dict[str, int]:
        with self._lock:
            running = sum(j.status == "running" for j in self._active.values())
            return {
                "running": running,
                "queued": len(self._active) - running,
                "max_pending": self.max_pending,
                "kept": len(self._finished),
            }

    def close(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, compute = item
            job.status, job.step = "running", "starting"

            def progress(step: str, done: int, total: int, job: Job = job) -> None:
                job.step, job.done, job.total = step, done, max(total, 1)

            try:
                job.result = compute(progress)
                job.status = "done"
            except HedgewatchError as exc:  # a finding about the data: the user reads it
                job.status, job.error = "failed", str(exc)
            except Exception as exc:  # a bug: logged in full, reported in one line
                traceback.print_exc()
                job.status, job.error = "failed", f"internal error ({type(exc).__name__}: {exc})"
            job.finished_at = time.monotonic()
            with self._lock:
                self._active.pop(job.key, None)
                self._finished[job.key] = job
                while len(self._finished) > self.keep:
                    self._finished.popitem(last=False)
            job.event.set()
