"""Benchmark: the event atlas, every state between two powers from the staged dyad file.

Measures, on a store holding event data (HEDGEWATCH_HOME, or a temporary store into which
``--import FILE`` is imported first, default the staged
``../shared/data/events/gdelt_dyad_daily_2018_2024.csv.gz``):

* reading the whole world's daily rows (``event_days``: every column sorted, and the two
  columns the atlas reads, unsorted);
* ``hedgewatch.alignment.atlas(..., measure="events")`` on them, without intervals and with a
  200-replicate block bootstrap, for every state and year;
* the peer: ``hedgewatch.events.event_position`` (the same bootstrap) looped over a sample of
  states, scaled to every state, as a ratio; and that the values are equal;
* ``hedgewatch.alignment.movers`` on the event atlas.

Run: python benchmarks/bench_event_atlas.py [--powers CHN RUS] [--peer-states 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

STAGED = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "events"
    / "gdelt_dyad_daily_2018_2024.csv.gz"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powers", nargs=2, default=["CHN", "RUS"])
    parser.add_argument("--peer-states", type=int, default=20)
    parser.add_argument("--n-boot", type=int, default=200)
    parser.add_argument("--import", dest="source", default=None, help="event file to import")
    args = parser.parse_args()

    from hedgewatch.alignment import atlas, movers
    from hedgewatch.events import event_position
    from hedgewatch.store import Store, event_days, get_store, has_events
    from hedgewatch.workflows import import_events

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    st = get_store()
    if args.source or not has_events(st):
        tmp = tempfile.mkdtemp(prefix="bench-event-atlas-")
        st = Store(Path(tmp) / "hedgewatch.duckdb")
        t = time.perf_counter()
        rep = import_events([str(args.source or STAGED)], store=st)
        print(f"import: {time.perf_counter() - t:.1f} s ({rep})")
    powers = tuple(args.powers)

    t = time.perf_counter()
    full = event_days(store=st)
    print(
        f"event_days, every column, sorted: {len(full):,} rows in {time.perf_counter() - t:.1f} s"
    )
    del full
    t = time.perf_counter()
    daily = event_days(columns=["events", "weight"], sort=False, store=st)
    print(f"event_days, two columns, unsorted: {time.perf_counter() - t:.1f} s")

    for n_boot in (0, args.n_boot):
        t = time.perf_counter()
        world = atlas(daily, powers, measure="events", n_boot=n_boot)
        took = time.perf_counter() - t
        print(
            f"atlas {powers[0]}-{powers[1]}, {n_boot} replicates: {took:.2f} s "
            f"({len(world):,} state-years, {world['country'].nunique()} states)"
        )
    states = sorted(world["country"].unique())
    rng = np.random.default_rng(0)
    sample = list(rng.choice(states, size=min(args.peer_states, len(states)), replace=False))
    t = time.perf_counter()
    worst = 0.0
    for s in sample:
        rows = daily[(daily["country_a"] == s) | (daily["country_b"] == s)]
        ref = event_position(rows, s, powers, n_boot=args.n_boot)
        mine = world[world["country"] == s].merge(ref, on="period", suffixes=("", "_ref"))
        diff = np.abs(mine["position_lo"] - mine["position_lo_ref"]).to_numpy()
        worst = max(worst, float(np.nanmax(diff, initial=0.0)))
    peer = (time.perf_counter() - t) / len(sample) * len(states)
    print(
        f"peer: event_position looped over {len(sample)} states, scaled to {len(states)}: "
        f"{peer:.1f} s (ratio {peer / took:.1f}x); largest difference of position_lo: {worst:.1e}"
    )
    t = time.perf_counter()
    moved = movers(world, top=None)
    print(f"movers: {time.perf_counter() - t:.2f} s, {len(moved)} states with a stable shift")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
