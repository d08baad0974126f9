"""The web app's job queue: one computation per key, a bounded queue, errors reported."""

from __future__ import annotations

import threading

import pytest

from hedgewatch.errors import InsufficientDataError
from hedgewatch.web._jobs import Jobs, QueueFull


def test_same_key_joins_one_computation():
    gate = threading.Event()
    calls = []

    def slow(progress):
        calls.append(1)
        progress("working", 1, 2)
        gate.wait(5)
        return b"result"

    jobs = Jobs(max_pending=4)
    first = jobs.submit("k", slow)
    second = jobs.submit("k", slow)
    assert first is second
    gate.set()
    assert first.wait(5) and first.status == "done" and first.result == b"result"
    assert jobs.submit("k", slow) is first  # finished results are kept
    assert calls == [1]
    jobs.close()


def test_queue_is_bounded_and_serial():
    gate = threading.Event()
    running = []

    def job(progress):
        running.append(threading.current_thread().name)
        gate.wait(5)

    jobs = Jobs(max_pending=2)
    a = jobs.submit("a", job)
    jobs.submit("b", job)
    with pytest.raises(QueueFull, match="limit"):
        jobs.submit("c", job)
    stats = jobs.stats()
    assert stats["running"] + stats["queued"] == 2
    gate.set()
    assert a.wait(5)
    jobs.submit("b", job).wait(5)
    assert set(running) == {"hedgewatch-jobs"}  # one worker thread did everything
    jobs.submit("c", job).wait(5)  # room again
    jobs.close()


def test_errors_are_reported_not_raised():
    def finding(progress):
        raise InsufficientDataError("no votes in the window")

    def bug(progress):
        raise ZeroDivisionError("oops")

    jobs = Jobs()
    f = jobs.submit("f", finding)
    b = jobs.submit("b", bug)
    assert f.wait(5) and b.wait(5)
    assert (f.status, f.error) == ("failed", "no votes in the window")
    assert b.status == "failed" and b.error.startswith("internal error (ZeroDivisionError")
    jobs.close()
