"""Exact penalised least-squares segmentation of many short series at once.

:func:`hedgewatch.alignment.pivots` runs PELT (``ruptures``) on one series: ~40 ms for a
75-year series, so the whole world (190 states) with a bootstrap of their change points
would take minutes. The atlas needs the same optimum for hundreds of series and thousands of
bootstrap replicates, so this module solves the *optimal partitioning* recursion (Jackson et
al. 2005) for every series together, vectorised over series:

``F(t) = min_s F(s) + C(y[s:t]) + pen``, ``F(0) = -pen``,

with ``C`` the l2 cost (sum of squared deviations from the segment mean, from cumulative
sums) and segments of at least ``min_size`` points. PELT (Killick, Fearnhead & Eckley 2012)
prunes this same recursion without changing its optimum, so the change points are those
:func:`~hedgewatch.alignment.pivots` finds (tested against ``ruptures``). The work is
``O(T^2)`` per series, in numpy: for 200 series of 75 points, a few milliseconds.

References
----------
Jackson, B. et al. (2005). An algorithm for optimal partitioning of data on an interval.
*IEEE Signal Processing Letters* 12(2): 105-108.
Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints with
a linear computational cost. *JASA* 107(500): 1590-1598.
"""

from __future__ import annotations

import numpy as np


def noise_scales(y: np.ndarray) -> np.ndarray:
    """Per row, as :func:`hedgewatch.alignment._pivots.noise_scale` (NaN-padded rows)."""
    d = np.diff(y, axis=1)
    with np.errstate(invalid="ignore"), _quiet():
        med = np.nanmedian(d, axis=1)
        mad = np.nanmedian(np.abs(d - med[:, None]), axis=1)
        sigma = mad / (0.6745 * np.sqrt(2.0))
        k = (~np.isnan(d)).sum(1)
        sd = np.where(k > 1, np.nanstd(d, axis=1, ddof=1) / np.sqrt(2.0), 0.0)
    sigma = np.where(np.isfinite(sigma), sigma, 0.0)
    return np.where(sigma > 0, sigma, np.nan_to_num(sd))


def bic_penalties(y: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``2 * ln(n) * sigma^2`` per row (the ``penalty="bic"`` rule of ``pivots``)."""
    sigma2 = noise_scales(y) ** 2
    with np.errstate(divide="ignore"):
        per = np.log(np.maximum(lengths, 1))
    return np.maximum(2.0 * per * sigma2, 1e-12)


def segment(y: np.ndarray, lengths: np.ndarray, pen: np.ndarray, min_size: int) -> list[list[int]]:
    """Change points (indices where a new segment starts) of each row of ``y``.

    ``y`` is ``(series, T)``, each row's first ``lengths[i]`` values real (the rest any
    value); ``pen`` is one penalty per row. A row shorter than ``2 * min_size`` has none.
    """
    n, t_max = y.shape
    z = np.where(np.arange(t_max)[None, :] < lengths[:, None], y, 0.0)
    c1 = np.concatenate([np.zeros((n, 1)), np.cumsum(z, axis=1)], axis=1)
    c2 = np.concatenate([np.zeros((n, 1)), np.cumsum(z * z, axis=1)], axis=1)
    f = np.full((n, t_max + 1), np.inf)
    f[:, 0] = -pen
    prev = np.zeros((n, t_max + 1), dtype=np.int32)
    for t in range(min_size, t_max + 1):
        s = np.arange(0, t - min_size + 1)
        s = s[(s == 0) | (s >= min_size)]
        span = (t - s).astype(np.float64)
        s1 = c1[:, t, None] - c1[:, s]
        cost = (c2[:, t, None] - c2[:, s]) - s1 * s1 / span
        total = f[:, s] + cost
        best = np.argmin(total, axis=1)
        f[:, t] = total[np.arange(n), best] + pen
        prev[:, t] = s[best]
    out: list[list[int]] = []
    for i in range(n):
        length = int(lengths[i])
        found: list[int] = []
        if length >= 2 * min_size:
            t = length
            while t > 0:
                t = int(prev[i, t])
                if t > 0:
                    found.append(t)
        out.append(found[::-1])
    return out


def segment_means(y: np.ndarray, breaks: list[int], length: int) -> np.ndarray:
    """Mean of each segment of ``y[:length]`` cut at ``breaks``."""
    edges = [0, *breaks, length]
    return np.array([y[a:b].mean() for a, b in zip(edges[:-1], edges[1:], strict=True)])


class _quiet:
    """Silence numpy's 'All-NaN slice' warnings (an empty row is expected here)."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)
