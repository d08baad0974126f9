"""Benchmark of the strategy models: wall time and peak memory.

Run: python benchmarks/bench_strategy.py
Measures (1) the BDM forecast on the published EU example (10 actors) and on 100 random
actors, (2) OutbiddingModel.solve() with the default grids, in a case with a pure pledge
equilibrium and in an outbidding war (mixed), (3) a 21-point comparative static.
Peer: no runnable peer exists (the public BDM re-implementation by D. Masad is Python 2 and
does not reproduce the paper; there is no public outbidding model), so no ratio is printed.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from pathlib import Path

import numpy as np

from hedgewatch.strategy import (
    OutbiddingModel,
    Scenario,
    comparative_statics,
    forecast,
    read_scenario,
)

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    eu = read_scenario(ROOT / "examples" / "eu_emissions.yaml")
    print(
        f"forecast, EU example (10 actors, 10 rounds): {best_of(lambda: forecast(eu)) * 1e3:.1f} ms"
    )
    rng = np.random.default_rng(0)
    big = Scenario.from_records(
        {
            "name": f"a{i}",
            "capability": rng.uniform(0.1, 1),
            "position": rng.uniform(0, 100),
            "salience": rng.uniform(10, 100),
        }
        for i in range(100)
    )
    print(f"forecast, 100 random actors, 10 rounds: {best_of(lambda: forecast(big), 3):.3f} s")
    pure = OutbiddingModel(guarantee=0.8)
    print(f"OutbiddingModel.solve(), defaults (pure): {best_of(pure.solve) * 1e3:.1f} ms")
    war = OutbiddingModel(ideal_alignment=0.0, blame_a=0.0, support_cost=1.0)
    print(f"OutbiddingModel.solve(), outbidding war (mixed): {best_of(war.solve, 2):.2f} s")
    t = time.perf_counter()
    comparative_statics(pure, "guarantee", np.linspace(0, 1, 21))
    print(f"comparative_statics over 21 guarantees: {time.perf_counter() - t:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.0f} MiB")
    print("peer: none runnable (see module docstring); no ratio")


if __name__ == "__main__":
    main()
