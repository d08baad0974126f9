"""Benchmark: full import of the staged UNGA record (issue 2).

Reads Voeten's CSV (1,066,613 rows) and the R unvotes files (870,109 votes), merges them and
imports the merged record into a fresh store, atomically. Target: <= 30 s and <= 2 GiB peak
on 2 cores. Peer: R's `unvotes` ships the data pre-built, so no import to compare; the peer
figure printed is pandas' bare `read_csv` of the Voeten file, the floor any importer pays.

Usage: python benchmarks/bench_import.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from hedgewatch import store as hw_store
from hedgewatch.sources.unga import merge_records, read_unvotes, read_voeten
from hedgewatch.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    src = shared / "unga"
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(f"data: {src / 'UNVotesPublished.csv.gz'} + unvotes .rda files")
    t0 = time.perf_counter()
    voeten = read_voeten(src / "UNVotesPublished.csv.gz")
    t1 = time.perf_counter()
    unvotes = read_unvotes(src)
    t2 = time.perf_counter()
    record = merge_records(voeten, unvotes)
    t3 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HEDGEWATCH_HOME"] = tmp  # fresh, empty store (no bundled tables loaded)
        store = Store(Path(tmp) / "bench.duckdb")
        hw_store.import_record(record, store=store)
        t4 = time.perf_counter()
        facts = hw_store.info(store)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(f"read Voeten CSV   {t1 - t0:6.2f} s")
    print(f"read unvotes .rda {t2 - t1:6.2f} s")
    print(f"merge             {t3 - t2:6.2f} s")
    print(f"atomic import     {t4 - t3:6.2f} s")
    print(f"TOTAL             {t4 - t0:6.2f} s   (target <= 30 s)")
    print(f"peak RSS          {peak:8.0f} MiB (target <= 2048 MiB)")
    print(
        f"imported: {facts['roll_calls']:,} roll calls, {facts['votes']:,} votes, "
        f"{facts['absences']:,} absences, {facts['countries']} countries"
    )
    t5 = time.perf_counter()
    pd.read_csv(src / "UNVotesPublished.csv.gz")
    peer = time.perf_counter() - t5
    print(
        f"peer floor: pandas.read_csv of the Voeten file alone {peer:.2f} s; "
        f"hedgewatch full import / that = {(t4 - t0) / peer:.1f}x"
    )


if __name__ == "__main__":
    main()
