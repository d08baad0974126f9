"""Benchmark: full imports of the staged UN vote records (issues 2 and 12).

Two parts, each run in its own process so that each peak memory is its own:

* ``voeten``: Voeten's CSV (1,066,613 rows) and the R unvotes files (870,109 votes), read,
  merged and imported atomically. Target <= 30 s, <= 2 GiB on 2 cores. Peer floor: pandas'
  bare ``read_csv`` of the Voeten file.
* ``scrape``: the scraped UN Digital Library file in the long layout (Parquet, 934,994 rows,
  GA and SC 1946-2021 and 2025), read (every row checked), matched against the held record
  (one record, no double counting) and imported atomically with its Council part. Target
  <= 20 s, <= 2 GiB. Peer floor: pandas' bare ``read_parquet`` of the file.

Both import into a fresh store; the bundled snapshot is loaded into it first (untimed), as on
a user's first import.

Usage: python benchmarks/bench_import.py [voeten|scrape|all] [SHARED_DATA_DIR]
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCRAPE = "unga/undl_votes_scraped_1946_2021_2025.parquet"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux


def _fresh_store(tmp: str):
    from hedgewatch.store import Store

    os.environ["HEDGEWATCH_HOME"] = tmp
    store = Store(Path(tmp) / "bench.duckdb")
    store.ensure("roll_calls", "votes", "council_resolutions", "council_votes", "council_vetoes")
    return store


def bench_voeten(shared: Path) -> None:
    from hedgewatch import store as hw_store
    from hedgewatch.sources.unga import merge_records, read_unvotes, read_voeten

    src = shared / "unga"
    print(f"data: {src / 'UNVotesPublished.csv.gz'} + unvotes .rda files")
    with tempfile.TemporaryDirectory() as tmp:
        store = _fresh_store(tmp)
        t0 = time.perf_counter()
        voeten = read_voeten(src / "UNVotesPublished.csv.gz")
        t1 = time.perf_counter()
        unvotes = read_unvotes(src)
        t2 = time.perf_counter()
        record = merge_records(voeten, unvotes)
        t3 = time.perf_counter()
        hw_store.import_record(record, store=store)
        t4 = time.perf_counter()
        facts = hw_store.info(store)
    print(f"read Voeten CSV   {t1 - t0:6.2f} s")
    print(f"read unvotes .rda {t2 - t1:6.2f} s")
    print(f"merge             {t3 - t2:6.2f} s")
    print(f"atomic import     {t4 - t3:6.2f} s")
    print(f"TOTAL             {t4 - t0:6.2f} s   (target <= 30 s)")
    print(f"peak RSS          {_peak_mib():8.0f} MiB (target <= 2048 MiB)")
    print(
        f"store after: {facts['roll_calls']:,} roll calls, {facts['votes']:,} votes, "
        f"{facts['absences']:,} absences, {facts['countries']} countries"
    )
    t5 = time.perf_counter()
    pd.read_csv(src / "UNVotesPublished.csv.gz")
    peer = time.perf_counter() - t5
    print(
        f"peer floor: pandas.read_csv of the Voeten file alone {peer:.2f} s; "
        f"hedgewatch full import / that = {(t4 - t0) / peer:.1f}x"
    )


def bench_scrape(shared: Path) -> None:
    from hedgewatch import store as hw_store
    from hedgewatch.sources.undl_long import read_undl_long

    path = shared / SCRAPE
    print(f"data: {path} ({path.stat().st_size:,} bytes)")
    with tempfile.TemporaryDirectory() as tmp:
        store = _fresh_store(tmp)
        t0 = time.perf_counter()
        record = read_undl_long(path)
        t1 = time.perf_counter()
        counts = hw_store.import_library(record, store=store)
        t2 = time.perf_counter()
        facts = hw_store.info(store)
    print(f"read + check      {t1 - t0:6.2f} s")
    print(f"match + import    {t2 - t1:6.2f} s")
    print(f"TOTAL             {t2 - t0:6.2f} s   (target <= 20 s)")
    print(f"peak RSS          {_peak_mib():8.0f} MiB (target <= 2048 MiB)")
    print(
        f"imported: {counts['roll_calls_added']:,} GA roll calls added, "
        f"{counts['roll_calls_matched']:,} matched (held already), "
        f"{counts['roll_calls_replaced']:,} replaced; {counts['vote_disagreements']:,} vote "
        f"disagreements on matched roll calls; {counts['council_resolutions']:,} SC "
        f"resolutions; store after: {facts['roll_calls']:,} roll calls"
    )
    t3 = time.perf_counter()
    pd.read_parquet(path)
    peer = time.perf_counter() - t3
    print(
        f"peer floor: pandas.read_parquet of the file alone {peer:.2f} s; "
        f"hedgewatch full import / that = {(t2 - t0) / peer:.1f}x"
    )


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    shared = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data"
    if part == "all":
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} cores, python "
            f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
        )
        for p in ("voeten", "scrape"):
            print(f"--- {p} ---", flush=True)
            subprocess.run([sys.executable, __file__, p, str(shared)], check=True)
        return
    {"voeten": bench_voeten, "scrape": bench_scrape}[part](shared)


if __name__ == "__main__":
    main()
