"""A small multi-year event file in the daily dyad layout, with one planted shift.

The staged dyad file is GPL data and not bundled (docs/events.md), so the tests that need
years of event data write this one: eleven countries (Palestine, which casts no UN vote,
among them), every third day of 2015-2024, each pair reported on about half of those days
with a normally drawn net weight. North Korea's mean
weight with China falls from 3 to 0.5 in 2021 and its mean weight with Russia rises from 0.5
to 3: a shift toward Russia on the China-Russia axis. Deterministic (seeded).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COUNTRIES = ("CHN", "RUS", "USA", "PRK", "KOR", "JPN", "VNM", "MNG", "IND", "DEU", "PSE")
SHIFT_YEAR = 2021


def _mean(x: str, y: str, year: int) -> float:
    pair = {x, y}
    after = year >= SHIFT_YEAR
    if pair == {"PRK", "CHN"}:
        return 0.5 if after else 3.0
    if pair == {"PRK", "RUS"}:
        return 3.0 if after else 0.5
    return 1.0


def dyad_frame(seed: int = 0) -> pd.DataFrame:
    """``date, iso3_a, iso3_b, edge_weight`` rows (unordered pairs, a < b)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2015-01-01", "2024-12-31", freq="3D")
    years = days.year.to_numpy()
    parts = []
    for i, x in enumerate(COUNTRIES):
        for y in COUNTRIES[i + 1 :]:
            a, b = sorted((x, y))
            keep = rng.random(len(days)) < 0.5
            mean = np.array([_mean(x, y, int(t)) for t in years])
            weight = np.round(mean + rng.normal(0.0, 2.0, len(days)), 3)
            parts.append(
                pd.DataFrame(
                    {
                        "date": days[keep].strftime("%Y-%m-%d"),
                        "iso3_a": a,
                        "iso3_b": b,
                        "edge_weight": weight[keep],
                    }  # fmt: skip
                )
            )
    return pd.concat(parts, ignore_index=True)


def write_dyad_csv(path: Path, seed: int = 0) -> Path:
    """Write :func:`dyad_frame` as a CSV in the daily dyad layout."""
    dyad_frame(seed).to_csv(path, index=False)
    return path
