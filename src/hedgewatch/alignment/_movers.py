"""Movers: the states whose position between two powers shifted most, and stayed shifted.

Each state's series in an atlas (its ``position`` per year, by default) is cut into
piecewise-constant segments by exact penalised least squares with the BIC penalty of
:func:`~hedgewatch.alignment.pivots` (``2 sigma^2 ln n``, sigma from first differences). A
*shift* is a change point: ``size = after - before``, the difference of the segment means on
either side. Its *stability* is the share of residual-bootstrap replicates (segment means plus
residuals drawn with replacement, segmented again) with a change point within ``tol``
periods of it. A mover is a state with a shift of stability at least ``min_stability`` in the
window asked for; its largest such shift ranks it.

Holes: a state's series holds only its periods with enough common roll calls, so years
without votes (2022-2024 in the bundled record) are absent rather than values. A shift found
at the first period after a hole may have happened anywhere in it: ``earliest`` gives the
first missing period (as :func:`~hedgewatch.alignment.pivots` does), ``period`` the first
period observed on the new level.

States *move together* when their shifts go the same way within ``tol`` periods of one
another (single linkage in time): each such run of shifts is one ``group``.

Every series, and every bootstrap replicate of every series, is segmented at once (see
:mod:`hedgewatch.alignment._segmentation`): the whole world with 100 replicates takes about a
second, where looping PELT over states would take minutes.

References
----------
Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints with
a linear computational cost. *JASA* 107(500): 1590-1598.
Yao, Y.-C. (1988). Estimating the number of change-points via Schwarz' criterion.
*Statistics & Probability Letters* 6(3): 181-189.
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._periods import earliest
from hedgewatch._validation import check_columns, check_number, check_param, fail, validated
from hedgewatch.alignment._atlas import count_column
from hedgewatch.alignment._segmentation import bic_penalties, segment, segment_means

COLUMNS = [
    "country",
    "name",
    "period",
    "earliest",
    "before",
    "after",
    "size",
    "direction",
    "stability",
    "n_votes",
    "group",
]


def powers_of(frame: pd.DataFrame) -> tuple[str, str]:
    """The two powers of an atlas frame, read from its ``agree_<P>`` columns (votes) or
    ``value_<P>`` columns (events), A first."""
    for prefix in ("agree_", "value_"):
        found = [
            c[len(prefix) :] for c in frame.columns if c.startswith(prefix) and c.count("_") == 1
        ]
        found = [p for p in found if not p.endswith(("lo", "hi"))]
        if len(found) >= 2:
            return found[0], found[1]
    raise fail(
        "atlas",
        "an atlas frame (from atlas()), with agree_<A> and agree_<B> (or value_<A> and "
        "value_<B>) columns",
        list(frame.columns)[:8],
    )


def _series(frame: pd.DataFrame, column: str, count: str):
    """Per state, its values in period order, left-aligned in a NaN-padded array."""
    f = frame[["country", "period", column, count]].sort_values(["country", "period"])
    states, pos = np.unique(f["country"].to_numpy(), return_inverse=True)
    lengths = np.bincount(pos, minlength=len(states))
    t_max = int(lengths.max()) if len(lengths) else 0
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    col = np.arange(len(f)) - starts[pos]
    y = np.full((len(states), t_max), np.nan)
    periods = np.empty((len(states), t_max), dtype=object)
    votes = np.zeros((len(states), t_max), dtype=np.int64)
    y[pos, col] = f[column].to_numpy(dtype=float)
    periods[pos, col] = f["period"].to_numpy()
    votes[pos, col] = f[count].to_numpy()
    return list(states), y, periods, votes, lengths


def _stability(y, lengths, pen, breaks, rows, min_size, n_boot, tol, rng) -> dict:
    """Share of bootstrap replicates that find each break (``{(row, break): share}``)."""
    if not rows:
        return {}
    t_max = y.shape[1]
    reps, rep_len, rep_pen, owner = [], [], [], []
    for i in rows:
        n = int(lengths[i])
        means = segment_means(y[i], breaks[i], n)
        fitted = np.repeat(means, np.diff([0, *breaks[i], n]))
        resid = y[i, :n] - fitted
        draw = rng.integers(0, n, size=(n_boot, n))
        block = np.zeros((n_boot, t_max))
        block[:, :n] = fitted[None, :] + resid[draw]
        reps.append(block)
        rep_len.append(np.full(n_boot, n))
        rep_pen.append(np.full(n_boot, pen[i]))
        owner.append(np.full(n_boot, i))
    found = segment(np.vstack(reps), np.concatenate(rep_len), np.concatenate(rep_pen), min_size)
    own = np.concatenate(owner)
    share = {}
    for i in rows:
        got = [found[k] for k in np.flatnonzero(own == i)]
        for b in breaks[i]:
            hits = sum(1 for f in got if f and min(abs(x - b) for x in f) <= tol)
            share[(i, b)] = hits / n_boot
    return share


def _in_window(period, window) -> bool:
    if window is None:
        return True
    if isinstance(window, tuple):
        lo, hi = window
        return (lo is None or period >= lo) and (hi is None or period <= hi)
    return period == window


def _groups(out: pd.DataFrame, tol: int) -> np.ndarray:
    group = np.zeros(len(out), dtype=np.int64)
    label = 0
    for _direction, part in out.sort_values("period").groupby("direction", sort=True):
        last = None
        for idx, p in zip(part.index, part["period"], strict=True):
            if last is None or p - last > tol:
                label += 1
            group[out.index.get_loc(idx)] = label
            last = p
    return group


@validated
def movers(
    atlas: pd.DataFrame,
    *,
    period: object = None,
    column: str = "position",
    toward: str | None = None,
    top: int | None = 10,
    one_per_state: bool = True,
    min_votes: int = 10,
    min_size: int = 3,
    min_stability: float = 0.5,
    n_boot: int = 100,
    tol: int = 1,
    seed: int | None = 0,
) -> pd.DataFrame:
    """The largest stable shifts of states in an atlas, and which states moved together.

    Parameters
    ----------
    atlas
        The frame of :func:`atlas` (``period, country``, its count column ``n_votes`` or
        ``n_days``, and ``column``).
    period
        Where the shift must fall: one period (``2016``: the new regime starts then), a
        ``(first, last)`` pair (either may be None), or None for any period.
    column
        The series scanned: ``"position"`` (default), ``"free_agency"``, ``"agree_<P>"``...
    toward
        Keep only shifts toward this power (one of the atlas's two); None keeps both ways.
        Applies to ``position`` (toward A is a fall, toward B a rise).
    top
        How many rows to return (None: all).
    one_per_state
        Keep only each state's largest shift (default); False keeps every qualifying shift
        (e.g. to list each year's movers).
    min_votes
        Periods in which a state had fewer common roll calls (an event atlas: fewer days
        with an event with either power) are left out of its series.
    min_size
        Shortest segment, in periods.
    min_stability
        Smallest bootstrap stability kept.
    n_boot
        Bootstrap replicates for the stability.
    tol
        Periods by which a replicate's change point may miss and still count; also the gap
        within which shifts are grouped.
    seed
        Seed of the random generator.

    Returns
    -------
    DataFrame ``country, name, period, earliest, before, after, size, direction, stability,
    n_votes, group`` (``n_days`` in place of ``n_votes`` for an event atlas): one row per
    state (its largest qualifying shift; every shift when
    ``one_per_state`` is False), largest ``|size|`` first.
    ``period`` is the first period observed on the new level, ``earliest`` the first period
    the shift may have started (earlier only when a hole precedes ``period``),
    ``before``/``after`` the segment means,
    ``direction`` ``"toward <A>"``/``"toward <B>"`` for ``position`` (else ``up``/``down``),
    ``n_votes`` the state's common roll calls in that period (``n_days`` its days with
    an event with either power), and ``group`` numbers the states
    that shifted the same way within ``tol`` periods of each other.

    References
    ----------
    Killick, Fearnhead & Eckley (2012), JASA 107(500); Yao (1988), Statistics & Probability
    Letters 6(3). See :mod:`hedgewatch.alignment._movers`.
    """
    check_columns(atlas, "atlas", ["period", "country"], source="atlas()")
    count = count_column(atlas)
    check_param(column in atlas.columns, "column", "a column of the atlas", column)
    a, b = powers_of(atlas)
    if toward is not None:
        toward = toward if toward in (a, b) else _countries.resolve(toward)
        check_param(
            column == "position" and toward in (a, b),
            "toward",
            f"None or one of the atlas's powers {a!r}, {b!r} (with column='position')",
            toward,
        )
    if top is not None:
        top = check_number(top, "top", low=1, integer=True)
    min_votes = check_number(min_votes, "min_votes", low=0, integer=True)
    min_size = check_number(min_size, "min_size", low=1, integer=True)
    min_stability = check_number(min_stability, "min_stability", low=0, high=1)
    n_boot = check_number(n_boot, "n_boot", low=1, integer=True)
    tol = check_number(tol, "tol", low=0, integer=True)
    window = tuple(period) if isinstance(period, list | tuple) else period
    check_param(
        not isinstance(window, tuple) or len(window) == 2,
        "period",
        "a period, a (first, last) pair or None",
        period,
    )
    columns = [count if c == "n_votes" else c for c in COLUMNS]
    f = atlas[atlas[count] >= min_votes].dropna(subset=[column])
    if f.empty:
        return pd.DataFrame({c: [] for c in columns})
    states, y, periods, votes, lengths = _series(f, column, count)
    pen = bic_penalties(y, lengths)
    breaks = segment(y, lengths, pen, min_size)
    rows = []
    for i, found in enumerate(breaks):
        if not found:
            continue
        means = segment_means(y[i], found, int(lengths[i]))
        for k, bk in enumerate(found):
            size = float(means[k + 1] - means[k])
            if not _in_window(periods[i, bk], window):
                continue
            if toward is not None and (size < 0) != (toward == a):
                continue
            rows.append((i, bk, float(means[k]), float(means[k + 1]), size))
    rng = np.random.default_rng(seed)
    share = _stability(
        y, lengths, pen, breaks, sorted({r[0] for r in rows}), min_size, n_boot, tol, rng
    )

    def direction(size: float) -> str:
        if column == "position":
            return f"toward {a}" if size < 0 else f"toward {b}"
        return "up" if size > 0 else "down"

    out = pd.DataFrame(
        [
            {
                "country": states[i],
                "name": _countries.name(states[i]),
                "period": periods[i, bk],
                "earliest": earliest(periods[i, : int(lengths[i])], [bk])[0],
                "before": before,
                "after": after,
                "size": size,
                "direction": direction(size),
                "stability": share[(i, bk)],
                count: int(votes[i, bk]),
            }
            for i, bk, before, after, size in rows
            if share[(i, bk)] >= min_stability
        ],
        columns=columns[:-1],
    )
    if out.empty:
        return out.assign(group=pd.Series(dtype="int64"))
    out = out.assign(_abs=out["size"].abs()).sort_values(
        ["_abs", "country"], ascending=[False, True]
    )
    if one_per_state:
        out = out.drop_duplicates("country")
    out = out.drop(columns="_abs")
    if top is not None:
        out = out.head(top)
    out = out.reset_index(drop=True)
    out["group"] = _groups(out, tol)
    return out
