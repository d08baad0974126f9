"""Benchmark: the whole world between two powers over the whole record, and its movers.

Measures, on the stored record (bundled snapshot unless HEDGEWATCH_HOME holds more):

* ``hedgewatch.alignment.atlas`` for every state between CHN and USA, every year, with a
  200-replicate bootstrap (the target: seconds);
* the peer: looping ``hedging_index`` (same bootstrap) over every state for a few years,
  the way one would without the atlas, scaled to the whole record, as a ratio;
* ``hedgewatch.alignment.movers`` on that atlas (batched exact segmentation plus a
  100-replicate stability bootstrap), and the peer: ruptures' PELT looped over the states
  (one run each, no stability), scaled the same way;
* that the atlas's point values equal hedging_index's for the states of the peer run.

Run: python benchmarks/bench_atlas.py [--peer-years 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powers", nargs=2, default=["CHN", "USA"])
    parser.add_argument("--peer-years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-boot", type=int, default=200)
    args = parser.parse_args()

    import hedgewatch as hw
    from hedgewatch.alignment import atlas, hedging_index, movers
    from hedgewatch.alignment._pivots import _detect, penalty_value

    a, b = args.powers
    t = time.perf_counter()
    v = hw.votes()
    t_load = time.perf_counter() - t
    years = sorted(v["year"].unique())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; load {os.getloadavg()}")
    print(
        f"record: {len(v):,} votes, {v['rcid'].nunique():,} roll calls, "
        f"{v['country'].nunique()} countries, {years[0]}-{years[-1]} (loaded in {t_load:.1f} s)"
    )

    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        world = atlas(v, powers=(a, b), n_boot=args.n_boot)
        times.append(time.perf_counter() - t)
    print(
        f"atlas {a}-{b}, by year, n_boot={args.n_boot}: {len(world):,} state-years, "
        f"{world['country'].nunique()} states; best {min(times):.2f} s, "
        f"median {np.median(times):.2f} s of {args.repeat}"
    )
    t = time.perf_counter()
    atlas(v, powers=(a, b), n_boot=0)
    print(f"atlas without intervals: {time.perf_counter() - t:.2f} s")

    # Peer: hedging_index per state, for the last few years (then scaled to all years).
    peer_years = years[-1 - args.peer_years : -1]
    sub = v[v["year"].isin(peer_years)]
    states = sorted(set(sub["country"]) - {a, b})
    t = time.perf_counter()
    rows = []
    for s in states:
        with contextlib.suppress(hw.InsufficientDataError):
            rows.append(hedging_index(sub, s, (a, b), n_boot=args.n_boot).assign(country=s))
    t_peer = time.perf_counter() - t
    share = len(sub) / len(v)
    scaled = t_peer / share
    print(
        f"peer: hedging_index looped over {len(states)} states, years {peer_years[0]}-"
        f"{peer_years[-1]}: {t_peer:.1f} s; scaled to the whole record by vote count: "
        f"~{scaled:.0f} s; ratio peer/atlas ~{scaled / min(times):.0f}x"
    )
    import pandas as pd

    peer = pd.concat(rows).set_index(["period", "country"])
    mine = world.set_index(["period", "country"]).loc[peer.index]
    diff = np.nanmax(np.abs(mine["position"].to_numpy() - peer["position"].to_numpy()))
    print(f"check: max |position difference| over {len(peer)} state-years: {diff:.2e}")

    t = time.perf_counter()
    m = movers(world, top=None)
    t_movers = time.perf_counter() - t
    print(f"movers (all periods, stability n_boot=100): {len(m)} states in {t_movers:.2f} s")
    t = time.perf_counter()
    n_series = 0
    for _, g in world[world["n_votes"] >= 10].dropna(subset=["position"]).groupby("country"):
        y = g.sort_values("period")["position"].to_numpy()
        if len(y) >= 6:
            _detect(y, penalty_value(y, "bic"), 3)
            n_series += 1
    t_pelt = time.perf_counter() - t
    print(
        f"peer: ruptures PELT looped over {n_series} states, one run each, no stability: "
        f"{t_pelt:.2f} s (with a 100-replicate stability: ~{t_pelt * 101:.0f} s)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
