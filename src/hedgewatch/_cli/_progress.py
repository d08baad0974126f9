"""Progress of long commands on stderr: a live bar on a terminal, plain lines otherwise.

A live bar redraws one line with control characters, which a pipe or a log file cannot show;
when stderr is not a terminal the same progress is written as plain lines
(``[2/5] reading kcna.jsonl.gz``), one per step and at most one a second within a step, from
two seconds on, so that ``hedgewatch report PRK 2>log`` or a CI job still shows what a long
command is doing while a quick one prints nothing but its result.
Standard output carries only the command's results, so it can be piped.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator

#: ``progress(step, done, total)``: what is being done, and how far along (``total`` may be 0
#: when unknown).
Progress = Callable[[str, int, int], None]

_MIN_INTERVAL = 1.0  # seconds between two plain lines of one step
#: Seconds before the first plain line (``$HEDGEWATCH_PROGRESS_DELAY``; 0 shows every step).
ENV_DELAY = "HEDGEWATCH_PROGRESS_DELAY"
_QUIET_START = 2.0


@contextlib.contextmanager
def progress_on_stderr(title: str = "") -> Iterator[Progress]:
    """A ``progress(step, done, total)`` callback drawing on stderr while the block runs."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(title or "starting", total=None)

            def draw(step: str, done: int, total: int) -> None:
                bar.update(task, description=escape(step), completed=done, total=total or None)

            yield draw
        return
    lines = _PlainLines(title)
    try:
        yield lines.step
    finally:
        lines.close()


class _PlainLines:
    """Plain progress lines: one per step, at most one a second within a step, and none in
    the first two seconds (a quick command, or one that fails at once,
    prints only its result or its one-line error)."""

    def __init__(self, title: str) -> None:
        self.title, self.t0 = title, time.monotonic()
        try:
            self.quiet = max(0.0, float(os.environ.get(ENV_DELAY, _QUIET_START)))
        except ValueError:
            self.quiet = _QUIET_START
        self.shown: str | None = None
        self.at = 0.0
        self.pending: str | None = None
        self.lock = threading.Lock()
        self.timer = threading.Timer(self.quiet, self._flush)
        self.timer.daemon = True
        self.timer.start()

    def step(self, step: str, done: int, total: int) -> None:
        text = f"[{done}/{total}] {step}" if total else step
        with self.lock:
            if time.monotonic() - self.t0 < self.quiet:
                self.pending = text
                return
            if step == self.shown and time.monotonic() - self.at < _MIN_INTERVAL:
                return
            self._write(text, step)

    def _flush(self) -> None:
        with self.lock:
            if self.pending is not None:
                self._write(self.pending, None)

    def _write(self, text: str, step: str | None) -> None:
        if self.title and self.shown is None:
            print(self.title, file=sys.stderr, flush=True)
        self.shown, self.at, self.pending = step or text, time.monotonic(), None
        print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        self.timer.cancel()
