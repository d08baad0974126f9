"""Pivots: change points in an alignment series, with their size, direction and stability.

A series (agreement of a pair per year, a hedging position per session, ...) is modelled as
piecewise constant plus noise. Change points are found by exact penalised least squares, cost
``l2``: minimise ``sum over segments of SSE + penalty * (number of changes)``, solved by the
optimal-partitioning recursion (Jackson et al. 2005) that PELT (Killick, Fearnhead & Eckley
2012) prunes, for the series and all its bootstrap replicates at once
(:mod:`hedgewatch.alignment._segmentation`, the kernel of :func:`~hedgewatch.alignment.movers`
too, so both find the same change points). ``ruptures`` (Truong, Oudre & Vayatis 2020) is
the reference it is tested against: the same change points on at least 95% of series, and
where they differ the lower penalised cost (ruptures' pruning with ``min_size > 1`` is not
always exact).

Penalty rule (``penalty="bic"``): ``pen = 2 * sigma^2 * ln(n)``. Each change adds two
parameters (a location and a new mean); with Gaussian noise of variance ``sigma^2`` the
Schwarz/BIC criterion charges ``ln(n)`` per parameter on the scale of ``SSE / sigma^2``
(Yao 1988). ``sigma`` is estimated robustly from first differences,
``sigma = MAD(diff(y)) / (0.6745 * sqrt(2))``, so the level shifts themselves barely inflate
it (Hampel 1974; the difference-based estimator of Hall, Kay & Titterington 1990).
``penalty="aic"`` uses ``2 * 2 * sigma^2``; a number is used as given (in units of the
squared series).

Holes in the series. NaN periods are dropped and PELT runs on the periods observed, so no
missing year enters the fit as a value; but a change found at the first period after a hole
(2025, after the missing 2022-2024) may have happened at any time in the hole. Its
``earliest`` column then gives the first missing period (2022): the change is dated
"2022-2025", not 2025. Where the periods are consecutive, ``earliest`` equals ``period``.

Stability: each pivot's share of replicates in which a change point falls within ``tol``
periods of it. ``stability="bootstrap"`` (default) rebuilds the series as the fitted segment
means plus residuals drawn with replacement and reruns the detection ``n_boot`` times;
``stability="loo"`` drops one period at a time (leave-one-period-out).

References
----------
Jackson, B. et al. (2005). An algorithm for optimal partitioning of data on an interval.
*IEEE Signal Processing Letters* 12(2): 105-108.
Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints with
a linear computational cost. *Journal of the American Statistical Association* 107(500):
1590-1598.
Truong, C., Oudre, L. and Vayatis, N. (2020). Selective review of offline change point
detection methods. *Signal Processing* 167: 107299.
Yao, Y.-C. (1988). Estimating the number of change-points via Schwarz' criterion.
*Statistics & Probability Letters* 6(3): 181-189.
Hall, P., Kay, J. W. and Titterington, D. M. (1990). Asymptotically optimal difference-based
estimation of variance in nonparametric regression. *Biometrika* 77(3): 521-528.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hedgewatch._periods import earliest
from hedgewatch._validation import caller, check_param, validated
from hedgewatch.alignment._segmentation import segment
from hedgewatch.errors import InsufficientDataError, ParameterError

_COLUMNS = ["period", "earliest", "before", "after", "size", "direction", "stability"]
_DTYPES: list[Any] = ["object", "object", float, float, float, "object", float]


def noise_scale(y: np.ndarray) -> float:
    """Robust noise standard deviation from first differences (MAD / 0.6745 / sqrt 2)."""
    d = np.diff(y)
    mad = float(np.median(np.abs(d - np.median(d))))
    sigma = mad / (0.6745 * np.sqrt(2.0))
    if sigma <= 0:  # more than half the differences equal: fall back to the plain SD
        sigma = float(np.std(d, ddof=1) / np.sqrt(2.0)) if len(d) > 1 else 0.0
    return sigma


def penalty_value(y: np.ndarray, penalty: str | float) -> float:
    """The PELT penalty for series ``y`` under rule ``penalty`` ('bic', 'aic' or a number)."""
    if isinstance(penalty, int | float) and not isinstance(penalty, bool):
        check_param(penalty > 0, "penalty", "'bic', 'aic' or a positive number", penalty)
        return float(penalty)
    check_param(penalty in ("bic", "aic"), "penalty", "'bic', 'aic' or a positive number", penalty)
    sigma2 = noise_scale(y) ** 2
    per_param = np.log(len(y)) if penalty == "bic" else 2.0
    return max(2.0 * per_param * sigma2, 1e-12)


def _detect(y: np.ndarray, pen: float, min_size: int) -> list[int]:
    """Indices where a new segment starts (exact penalised least squares, l2 cost)."""
    return _detect_many(y[None, :], pen, min_size)[0]


def _detect_many(ys: np.ndarray, pen: float, min_size: int) -> list[list[int]]:
    """:func:`_detect` of each row of ``ys`` (rows of one length), all rows at once."""
    n, t = ys.shape
    if t < 2 * min_size:
        return [[] for _ in range(n)]
    return segment(ys, np.full(n, t), np.full(n, float(pen)), min_size)


def _segment_means(y: np.ndarray, breaks: list[int]) -> np.ndarray:
    edges = [0, *breaks, len(y)]
    return np.array([y[a:b].mean() for a, b in zip(edges[:-1], edges[1:], strict=True)])


def _as_series(series: pd.Series | pd.DataFrame, column: str | None) -> pd.Series:
    if isinstance(series, pd.DataFrame):
        col = column or ("value" if "value" in series else None)
        if col is None or col not in series or "period" not in series:
            raise ParameterError(
                f"{caller()}(): a DataFrame needs a 'period' column and the column to scan "
                f"(column={column!r}); columns are {list(series.columns)}."
            )
        series = series.set_index("period")[col]
    return series.astype(float)


@validated
def pivots(
    series: pd.Series | pd.DataFrame,
    *,
    column: str | None = None,
    penalty: str | float = "bic",
    min_size: int = 3,
    stability: str = "bootstrap",
    n_boot: int = 200,
    tol: int = 1,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Change points of an alignment series: when it shifted, by how much, how surely.

    Parameters
    ----------
    series
        Values indexed by period (years, sessions), in order; or a DataFrame with a
        ``period`` column and ``column`` (default ``value``), such as one pair from
        :func:`dyadic` or the output of :func:`hedging_index` with ``column="position"``.
        NaN periods are dropped.
    column
        Column to scan when ``series`` is a DataFrame.
    penalty
        ``"bic"`` (``2 sigma^2 ln n``), ``"aic"`` (``4 sigma^2``) or a positive number.
    min_size
        Shortest segment, in periods.
    stability
        ``"bootstrap"`` (residual bootstrap) or ``"loo"`` (leave one period out).
    n_boot
        Bootstrap replicates.
    tol
        How many periods away a replicate's change point may fall and still count.
    seed
        Seed of the random generator.

    Returns
    -------
    DataFrame ``period, earliest, before, after, size, direction, stability``: ``period``
    is the first period of the new regime observed, ``earliest`` the first period the
    change may have started (before ``period`` only when a hole in the series precedes it),
    ``before``/``after`` the segment means on either side,
    ``size = after - before``, ``direction`` 'up' or 'down', ``stability`` in [0, 1]. Empty
    when no change clears the penalty. Raises
    :class:`~hedgewatch.errors.InsufficientDataError` if fewer than ``2 * min_size`` periods
    have values.

    References
    ----------
    Killick, Fearnhead & Eckley (2012), JASA 107(500); Truong, Oudre & Vayatis (2020),
    Signal Processing 167; Yao (1988), Statistics & Probability Letters 6(3).
    """
    check_param(
        isinstance(min_size, int) and min_size >= 1,
        "min_size",
        "a positive integer",
        min_size,
    )
    check_param(stability in ("bootstrap", "loo"), "stability", "'bootstrap' or 'loo'", stability)
    check_param(isinstance(n_boot, int) and n_boot >= 1, "n_boot", "a positive integer", n_boot)
    check_param(isinstance(tol, int) and tol >= 0, "tol", "a non-negative integer", tol)
    s = _as_series(series, column).dropna().sort_index()
    if len(s) < 2 * min_size:
        raise InsufficientDataError(
            f"{caller()}(): the series has {len(s)} non-missing period(s); at least "
            f"{2 * min_size} (2 * min_size) are needed. Use a longer window or a smaller "
            "min_size."
        )
    y = s.to_numpy()
    pen = penalty_value(y, penalty)
    breaks = _detect(y, pen, min_size)
    if not breaks:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(_COLUMNS, _DTYPES, strict=True)})
    rng = np.random.default_rng(seed)
    share = (
        _bootstrap_stability(y, breaks, pen, min_size, n_boot, tol, rng)
        if stability == "bootstrap"
        else _loo_stability(y, breaks, pen, min_size, tol)
    )
    means = _segment_means(y, breaks)
    size = means[1:] - means[:-1]
    return pd.DataFrame(
        {
            "period": list(s.index[breaks]),
            "earliest": earliest(s.index, breaks),
            "before": means[:-1],
            "after": means[1:],
            "size": size,
            "direction": np.where(size > 0, "up", "down"),
            "stability": share,
        }
    )


def _hits(found: list[int], breaks: list[int], tol: int) -> np.ndarray:
    if not found:
        return np.zeros(len(breaks), dtype=bool)
    f = np.asarray(found)
    return np.array([np.abs(f - b).min() <= tol for b in breaks])


def _bootstrap_stability(y, breaks, pen, min_size, n_boot, tol, rng) -> np.ndarray:
    means = _segment_means(y, breaks)
    fitted = np.repeat(means, np.diff([0, *breaks, len(y)]))
    resid = y - fitted
    # One draw per replicate, in order (the random stream of one-at-a-time replicates),
    # then every replicate segmented together.
    reps = np.vstack([fitted + rng.choice(resid, size=len(y), replace=True) for _ in range(n_boot)])
    hits = np.zeros(len(breaks))
    for found in _detect_many(reps, pen, min_size):
        hits += _hits(found, breaks, tol)
    return hits / n_boot


def _loo_stability(y, breaks, pen, min_size, tol) -> np.ndarray:
    hits = np.zeros(len(breaks))
    idx = np.arange(len(y))
    keeps = [idx[idx != drop] for drop in range(len(y))]
    for keep, found in zip(
        keeps, _detect_many(np.vstack([y[k] for k in keeps]), pen, min_size), strict=True
    ):
        hits += _hits([int(keep[b]) for b in found], breaks, tol)
    return hits / len(y)
