"""Benchmark of the reliability targets (issue 15): slow paths, memory, bounded input.

Prints, with the machine and its load:

* ``rhetoric PRK RUS CHN --from 2000``: the per-pair computation the command used to run
  (three ``convergence`` calls, then neighbours and narratives, nothing cached) against
  :func:`hedgewatch.workflows.compare_rhetoric` on a fresh cache (pairs with the years as the
  outer loop) and again (read from the store's cache);
* peak resident memory of ``hedgewatch report STATE`` on a fresh ``HEDGEWATCH_HOME``, measured
  by ``/usr/bin/time -v`` (target <= 1 GiB; UKR and IND peaked at 1.06 GB before);
* the 1.4 KB YAML alias bomb: seconds and peak memory to refuse it (target < 1 s, < 100 MB;
  before: 113 s, 16.6 GB and a 2 GiB error message, figures of the issue).

Usage::

    python benchmarks/bench_reliability.py [--skip-rhetoric] [--skip-reports]
        [--states UKR IND PRK]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TARGET_PEAK_GIB = 1.0


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return (
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f}, Python {platform.python_version()}"
    )


def bench_rhetoric(home: Path) -> None:
    import itertools

    os.environ["HEDGEWATCH_HOME"] = str(home)
    from hedgewatch import rhetoric as rh
    from hedgewatch.store import Store, speeches
    from hedgewatch.workflows import compare_rhetoric

    Store().ensure("speeches")  # load the bundled corpus first (not timed)
    codes = ["PRK", "RUS", "CHN"]

    rh.clear_cache()
    t0 = time.perf_counter()
    corpus = speeches(start=2000)
    for a, b in itertools.combinations(codes, 2):
        rh.convergence(corpus, a, b, n_boot=200)
    latest = int(corpus.loc[corpus["country"] == "PRK", "year"].max())
    rh.nearest_neighbours(corpus, "PRK", latest)
    rh.shared_narratives(corpus, "PRK", "RUS", contrast="CHN", n_terms=10)
    before = time.perf_counter() - t0
    del corpus
    rh.clear_cache()

    t0 = time.perf_counter()
    compare_rhetoric(codes, start=2000)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    compare_rhetoric(codes, start=2000)
    second = time.perf_counter() - t0
    print("rhetoric PRK RUS CHN --from 2000 (bundled corpus, n_boot 200):")
    print(f"  per-pair, uncached (the command before)  {before:7.1f} s")
    print(f"  compare_rhetoric, first run              {first:7.1f} s  ({before / first:.1f}x)")
    print(f"  compare_rhetoric, second run (cached)    {second:7.1f} s  ({before / second:.0f}x)")


def bench_report_memory(states: list[str]) -> None:
    print("peak resident memory of 'hedgewatch report STATE' on a fresh HEDGEWATCH_HOME:")
    for state in states:
        home = Path(tempfile.mkdtemp(prefix=f"hw-bench-{state}-"))
        try:
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    "/usr/bin/time",
                    "-v",
                    sys.executable,
                    "-m",
                    "hedgewatch.cli",
                    "report",
                    state,
                    "--between",
                    "CHN",
                    "RUS",
                    "--out",
                    str(home / "r.html"),
                ],
                capture_output=True,
                text=True,
                env={**os.environ, "HEDGEWATCH_HOME": str(home)},
            )
            wall = time.perf_counter() - t0
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
            peak = int(m.group(1)) / 1024**2 if m else float("nan")
            ok = "ok" if peak <= TARGET_PEAK_GIB else "OVER TARGET"
            status = "" if proc.returncode == 0 else f" (exit {proc.returncode})"
            print(f"  {state}: {peak:.3f} GiB peak, {wall:.0f} s wall{status} [{ok}]")
        finally:
            shutil.rmtree(home, ignore_errors=True)


def bench_bomb() -> None:
    from hedgewatch.errors import DataFormatError
    from hedgewatch.report.claims import load_claims

    lines = ["state: PRK", "powers: [CHN, RUS]", 'l0: &l0 {measure: position, op: ">=", value: 0}']
    for i in range(1, 11):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    lines += ["claims:", "  - id: boom", "    claim: alias bomb", "    rule: *l10"]
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "bomb.yaml"
        p.write_text(text + "#" * (1400 - len(text)) + "\n", encoding="utf-8")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            load_claims(p)
            refused = False
        except DataFormatError:
            refused = True
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
        size = p.stat().st_size
    print(f"YAML alias bomb ({size} bytes, 10^10 conditions once expanded):")
    print(
        f"  refused={refused} in {seconds * 1000:.1f} ms; Python allocations peak "
        f"{peak / 2**20:.2f} MiB; process peak grew {grew:.1f} MiB "
        "(before: 113 s, 16.6 GB peak, per the issue)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-rhetoric", action="store_true")
    ap.add_argument("--skip-reports", action="store_true")
    ap.add_argument("--states", nargs="+", default=["UKR", "IND", "PRK"])
    args = ap.parse_args()
    print(machine())
    bench_bomb()
    if not args.skip_rhetoric:
        home = Path(tempfile.mkdtemp(prefix="hw-bench-rhetoric-"))
        try:
            bench_rhetoric(home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    if not args.skip_reports:
        bench_report_memory(args.states)
    print(machine())


if __name__ == "__main__":
    main()
