"""Periods with holes: how a yearly (or per-session) series shows the years it lacks.

The vote record has years without data (2022-2024 in the bundled snapshot; 1964, when the
Assembly took no recorded vote). A series indexed by year must neither draw a line across
such a hole nor let a measure treat it as a value. The helpers here are shared by the
figures (NaN rows break lines: :func:`with_gaps`), the change-point detection (a change
found right after a hole is dated to the hole: :func:`earliest`) and the messages that list
what a series covers (:func:`ranges`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def ranges(values: Iterable[int]) -> str:
    """``[1946, 1947, 1948, 2025]`` -> ``"1946-1948, 2025"``."""
    vals = sorted({int(v) for v in values})
    out: list[str] = []
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[j] + 1:
            j += 1
        out.append(str(vals[i]) if i == j else f"{vals[i]}-{vals[j]}")
        i = j + 1
    return ", ".join(out) if out else "none"


def _integers(values: pd.Series) -> np.ndarray | None:
    """The values as integers, or None when they are not all whole numbers."""
    num = pd.to_numeric(values, errors="coerce")
    if num.isna().any() or not np.all(np.mod(num.to_numpy(float), 1) == 0):
        return None
    return num.to_numpy(float).astype(np.int64)


def missing(values: Iterable[object]) -> list[int]:
    """Whole-number periods between the first and last of ``values`` that are absent."""
    ints = _integers(pd.Series(list(values)))
    if ints is None or len(ints) == 0:
        return []
    have = set(ints.tolist())
    return [p for p in range(int(ints.min()), int(ints.max()) + 1) if p not in have]


def with_gaps(frame: pd.DataFrame, x: str = "period") -> pd.DataFrame:
    """``frame`` with a row of NaN for every missing whole-number period of column ``x``.

    matplotlib breaks a line at NaN, so a series plotted from the result shows its holes
    instead of a straight segment across them. Frames whose ``x`` is not whole numbers (or
    holds duplicates) are returned unchanged.
    """
    ints = _integers(frame[x]) if len(frame) else None
    if ints is None or len(set(ints.tolist())) != len(ints):
        return frame
    holes = missing(ints)
    if not holes:
        return frame
    filler = pd.DataFrame({x: holes})
    out = pd.concat([frame.assign(**{x: ints}), filler], ignore_index=True)
    return out.sort_values(x, ignore_index=True)


def earliest(periods: pd.Index | pd.Series, positions: Iterable[int]) -> list[object]:
    """For each change starting at ``periods[pos]``, the first period it may have started.

    When whole-number periods skip values just before ``pos`` (a hole in the record), the
    change happened somewhere from the first missing period to ``periods[pos]``: the data
    cannot date it more precisely. Otherwise it is ``periods[pos]`` itself.
    """
    seq = list(periods)
    ints = _integers(pd.Series(seq))
    out: list[object] = []
    for pos in positions:
        if ints is not None and pos > 0 and ints[pos] - ints[pos - 1] > 1:
            out.append(int(ints[pos - 1]) + 1)
        else:
            out.append(seq[pos])
    return out
