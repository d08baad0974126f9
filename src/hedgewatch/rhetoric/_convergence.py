"""Rhetorical convergence of two states over time: similarity, confidence, trend, breaks.

For each year in which both states spoke, the similarity is the cosine of their speech
vectors in that year's debate (:func:`hedgewatch.rhetoric.similarity`). Its uncertainty comes
from a paragraph bootstrap: each replicate redraws both speeches' paragraphs with
replacement (as many as each speech has), re-weights the resampled counts with the year's
IDF, and recomputes the cosine. The interval is the normal bootstrap interval,
``similarity +/- z * sd(replicates)``, not the percentile interval: a resampled speech
repeats some paragraphs and loses about a third of the others, so its vocabulary is smaller
and every replicate's cosine falls below the observed one (the percentile interval of
PRK-RUS 2017 lies wholly below the estimate). The spread of the replicates is still a fair
measure of how much the similarity depends on which paragraphs were said. The bootstrap treats paragraphs as exchangeable units of a speech, which ignores their order
and any dependence between neighbouring paragraphs, so intervals are somewhat too narrow.

The trend is an ordinary least-squares slope per decade with its t-interval, beside Kendall's
tau; change points (shifts in the mean level) are found with PELT on the yearly series
under a penalty of twice the BIC (``4 sigma^2 log n``), the noise scale being the larger of the robust scale of first
differences and the median bootstrap standard error (a move within sampling noise is not a
break). A steady linear drift can show as a staircase of breaks; read them with the slope.

References
----------
Efron, B. and Tibshirani, R. (1993) An Introduction to the Bootstrap. Chapman & Hall.
Killick, R., Fearnhead, P. and Eckley, I. A. (2012) "Optimal detection of changepoints with a
linear computational cost", Journal of the American Statistical Association 107(500).
Truong, C., Oudre, L. and Vayatis, N. (2020) "Selective review of offline change point
detection methods", Signal Processing 167.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import ndtri

from hedgewatch import countries as _countries
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_level, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.rhetoric._similarity import YearVectors, _years, check_speeches, year_vectors
from hedgewatch.rhetoric.backends import Backend, get_backend

_MIN_CHANGE_SEGMENT = 3
# Twice the BIC factor: in simulation (33 years of white noise, 200 draws) the false-alarm
# rate is 2 % (18 % with the BIC's 2), and a 2-sigma step is still found 79 % of the time.
_PENALTY_FACTOR = 4.0


@dataclass(frozen=True)
class TrendResult:
    """Trend and change points of a yearly similarity series.

    Attributes
    ----------
    slope_per_decade, slope_lower, slope_upper
        OLS slope (similarity units per ten years) and its 95 % t-interval.
    p_value
        Two-sided p-value of the slope.
    kendall_tau, kendall_p
        Kendall's rank correlation of similarity with year, and its p-value.
    change_points
        First years of each new segment found by PELT (empty when none).
    series
        ``year, similarity, trend, segment, segment_mean``.
    """

    slope_per_decade: float
    slope_lower: float
    slope_upper: float
    p_value: float
    kendall_tau: float
    kendall_p: float
    change_points: tuple[int, ...]
    series: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The yearly series with fitted trend and segment means."""
        return self.series.copy()


@deprecated_args(renamed={"a": "country_a", "b": "country_b"})
@validated
def convergence(
    speeches: pd.DataFrame,
    country_a: str,
    country_b: str,
    *,
    start: int | None = None,
    end: int | None = None,
    backend: str | Backend = "tfidf",
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Speech similarity of two states per year, with paragraph-bootstrap intervals.

    Parameters
    ----------
    speeches
        Speeches with ``country, year, text`` for all states of the years studied (they set
        the term weights), e.g. ``hedgewatch.speeches(start=2000)``.
    country_a, country_b
        The two states (ISO3 codes or names; ``a=``/``b=`` are the deprecated keywords).
    start, end
        First and last year, inclusive.
    backend
        ``"tfidf"`` (default) or ``"embeddings"`` (needs ``hedgewatch[embeddings]``).
    n_boot
        Bootstrap replicates per year (0 for no intervals, which are then NaN).
    seed
        Seed of the bootstrap's random generator.
    level
        Coverage of the normal bootstrap interval (see the module notes).

    Returns
    -------
    DataFrame with ``year, country_a, country_b, similarity, lower, upper, n_paragraphs_a,
    n_paragraphs_b``, one row per year in which both spoke. Pass it to
    :func:`convergence_trend` for the trend and change points (the bootstrap intervals set
    the noise level there).

    References
    ----------
    Efron, B. and Tibshirani, R. (1993) An Introduction to the Bootstrap. Chapman & Hall.
    """
    check_speeches(speeches)
    ca, cb = _countries.resolve(country_a), _countries.resolve(country_b)
    check_param(ca != cb, "country_b", "a state other than 'country_a'", country_b)
    return convergence_many(
        speeches,
        ca,
        [cb],
        start=start,
        end=end,
        backend=backend,
        n_boot=n_boot,
        seed=seed,
        level=level,
    )[cb]


@deprecated_args(renamed={"a": "state", "others": "powers"})
@validated
def convergence_many(
    speeches: pd.DataFrame,
    state: str,
    powers: Sequence[str],
    *,
    start: int | None = None,
    end: int | None = None,
    backend: str | Backend = "tfidf",
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
    cache: bool = True,
) -> dict[str, pd.DataFrame]:
    """:func:`convergence` of one state with several others, each year represented once.

    Equal to ``{p: convergence(speeches, state, p, ...) for p in powers}`` (same seed, same
    figures), but the years are the outer loop: each year's vectors are built once for all
    the pairs, so the year cache need not hold the whole period at once (memory).

    Parameters
    ----------
    speeches, start, end, backend, n_boot, seed, level
        As for :func:`convergence`.
    state
        The state compared (``country_a`` of every frame; ``a=`` is the deprecated keyword).
    powers
        The states compared with it (ISO3 codes or names), all different from ``state``
        (``others=`` is the deprecated keyword).
    cache
        Keep each year's full representation in the year cache (faster repeated calls on
        the same years, ~15 MB a year). With False each is dropped after its year; only its
        vectors and terms are kept (what :func:`shared_narratives` reads).

    Returns
    -------
    Dict from each power's ISO3 code to its :func:`convergence` frame.

    References
    ----------
    Efron, B. and Tibshirani, R. (1993) An Introduction to the Bootstrap. Chapman & Hall.
    """
    ca = _countries.resolve(state)
    codes = [_countries.resolve(p) for p in powers]
    check_param(
        len(codes) > 0 and ca not in codes and len(set(codes)) == len(codes),
        "powers",
        "distinct states other than 'state'",
        list(powers),
    )
    out = convergence_pairs(
        speeches,
        [(ca, cb) for cb in codes],
        start=start,
        end=end,
        backend=backend,
        n_boot=n_boot,
        seed=seed,
        level=level,
        cache=cache,
    )
    return {cb: out[(ca, cb)] for cb in codes}


@validated
def convergence_pairs(
    speeches: pd.DataFrame,
    pairs: Sequence[tuple[str, str]],
    *,
    start: int | None = None,
    end: int | None = None,
    backend: str | Backend = "tfidf",
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    rngs: Mapping[tuple[str, str], np.random.Generator] | None = None,
) -> dict[tuple[str, str], pd.DataFrame]:
    """:func:`convergence` of several pairs of states, each year represented once.

    Equal to ``{(a, b): convergence(speeches, a, b, ...) for a, b in pairs}`` (same seed,
    same figures): the years are the outer loop, so each year's speeches are represented
    once for all the pairs (``hedgewatch rhetoric PRK RUS CHN`` compares three pairs).

    Parameters
    ----------
    speeches, start, end, backend, n_boot, seed, level, cache
        As for :func:`convergence_many`.
    pairs
        ``(a, b)`` pairs of distinct states (ISO3 codes or names).
    progress
        Called as ``progress(years done, years)`` after each year.
    rngs
        The bootstrap's random generators, one per pair (ISO3 codes), drawn from in year
        order; default one per pair seeded with ``seed``. Passing the same generators to
        calls on consecutive spans of years gives the figures of one call on the whole span,
        so a long series can be computed a few years of speeches at a time (memory).

    Returns
    -------
    Dict from each ``(country_a, country_b)`` pair, as ISO3 codes, to its
    :func:`convergence` frame.
    """
    check_speeches(speeches)
    check_param(
        isinstance(n_boot, int | np.integer) and n_boot >= 0,
        "n_boot",
        "a non-negative integer",
        n_boot,
    )
    check_level(level)
    codes = [(_countries.resolve(a), _countries.resolve(b)) for a, b in pairs]
    check_param(
        len(codes) > 0 and all(a != b for a, b in codes) and len(set(codes)) == len(codes),
        "pairs",
        "distinct pairs of two different states",
        list(pairs),
    )
    years = {p: set(_shared_years(speeches, *p, start, end)) for p in codes}
    be = get_backend(backend)
    if be.context_free:  # embeddings: no need to encode the other speakers
        speeches = speeches[speeches["country"].isin({c for p in codes for c in p})]
    # One generator per pair, drawn over that pair's years in order: as if run alone.
    gens = {p: np.random.default_rng(seed) for p in codes} if rngs is None else dict(rngs)
    rows: dict[tuple[str, str], list[tuple[object, ...]]] = {p: [] for p in codes}
    todo = sorted(set().union(*years.values()))
    for i, y in enumerate(todo, start=1):
        yv = year_vectors(speeches, y, be, keep=cache)
        here = [p for p in codes if y in years[p]]
        for p, row in zip(here, _year_rows(yv, here, n_boot, level, gens), strict=True):
            rows[p].append(row)
        if progress is not None:
            progress(i, len(todo))
    return {p: pd.DataFrame(rows[p], columns=_COLUMNS) for p in codes}


_COLUMNS = [
    "year",
    "country_a",
    "country_b",
    "similarity",
    "lower",
    "upper",
    "n_paragraphs_a",
    "n_paragraphs_b",
]


def _shared_years(
    speeches: pd.DataFrame, a: str, b: str, start: int | None, end: int | None
) -> list[int]:
    years = set(_years(speeches, start, end))
    ya = set(speeches.loc[speeches["country"] == a, "year"])
    yb = set(speeches.loc[speeches["country"] == b, "year"])
    both = sorted(years & ya & yb)
    if not both:
        raise InsufficientDataError(
            f"{_countries.name(a)} ({a}) and {_countries.name(b)} ({b}) never both spoke in "
            f"the General Debate in the years given ({a}: {len(ya)} speeches, {b}: "
            f"{len(yb)}). Widen start/end or check the codes."
        )
    return [int(y) for y in both]


def _year_rows(
    yv: YearVectors,
    pairs: list[tuple[str, str]],
    n_boot: int,
    level: float,
    gens: Mapping[tuple[str, str], np.random.Generator],
) -> list[tuple[object, ...]]:
    """One year's row of every pair. With sparse paragraph units, the replicates of all the
    pairs are one sparse product: each speech resampled is a block of ``n_boot`` rows of
    multinomial paragraph counts (drawn from its pair's generator, ``a`` then ``b``, as
    :func:`_year_row` draws them), over the stacked paragraphs of the speeches; each row of
    the product is the one :func:`_resample` computes for it, entry for entry."""
    if n_boot <= 1 or not pairs:
        return [_year_row(yv, *p, n_boot, level, gens[p]) for p in pairs]
    speakers = {c: yv.row(c) for p in pairs for c in p}
    units = {c: yv.units.paragraph_units(r) for c, r in speakers.items()}
    if not all(sparse.issparse(u) for u in units.values()):
        return [_year_row(yv, *p, n_boot, level, gens[p]) for p in pairs]
    order = list(units)
    start = dict(zip(order, np.cumsum([0, *(units[c].shape[0] for c in order)]), strict=False))
    rows, cols, vals = [], [], []
    for k, (p, c) in enumerate((q, c) for q in pairs for c in q):
        n = units[c].shape[0]
        w = gens[p].multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(np.float32)
        r, j = np.nonzero(w)
        rows.append(r + k * n_boot)
        cols.append(j + start[c])
        vals.append(w[r, j])
    n_rows = 2 * len(pairs) * n_boot
    weights = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, int(start[order[-1]] + units[order[-1]].shape[0])),
    )
    replicates = yv.units.combine(weights @ sparse.vstack([units[c] for c in order], "csr"))
    z = float(ndtri(0.5 + level / 2))
    out: list[tuple[object, ...]] = []
    for k, (a, b) in enumerate(pairs):
        va, vb = yv.units.vectors[speakers[a]], yv.units.vectors[speakers[b]]
        point = float(_rowdot(va, vb)[0])
        at = 2 * k * n_boot
        sims = _rowdot(replicates[at : at + n_boot], replicates[at + n_boot : at + 2 * n_boot])
        half = z * float(np.std(sims, ddof=1))
        out.append(
            (yv.year, a, b, point, point - half, point + half)
            + (units[a].shape[0], units[b].shape[0])
        )
    return out


def _year_row(
    yv: YearVectors, a: str, b: str, n_boot: int, level: float, rng: np.random.Generator
) -> tuple[object, ...]:
    ia, ib = yv.row(a), yv.row(b)
    va, vb = yv.units.vectors[ia], yv.units.vectors[ib]
    point = float(_rowdot(va, vb)[0])
    ua = yv.units.paragraph_units(ia)
    ub = yv.units.paragraph_units(ib)
    lo = hi = np.nan
    if n_boot > 1:
        sims = _rowdot(_resample(ua, n_boot, rng, yv), _resample(ub, n_boot, rng, yv))
        half = float(ndtri(0.5 + level / 2)) * float(np.std(sims, ddof=1))
        lo, hi = point - half, point + half
    return (yv.year, a, b, point, float(lo), float(hi), ua.shape[0], ub.shape[0])


def _resample(units: object, n_boot: int, rng: np.random.Generator, yv: YearVectors) -> object:
    n = units.shape[0]  # type: ignore[attr-defined]
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(np.float32)
    if sparse.issparse(units):
        # sparse x sparse: the replicates stay sparse (a dense n_boot x vocabulary block
        # costs more to scan back into sparse form than the product itself)
        summed = sparse.csr_matrix(weights) @ units
    else:
        summed = (units.T @ weights.T).T  # type: ignore[attr-defined]
    return yv.units.combine(summed)


def _rowdot(x: Any, y: Any) -> np.ndarray:
    if sparse.issparse(x):
        return np.asarray(x.multiply(y).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", np.atleast_2d(x), np.atleast_2d(y))


@validated
def convergence_trend(
    series: pd.DataFrame,
    *,
    column: str = "similarity",
    penalty: float | None = None,
    noise: float | None = None,
    level: float = 0.95,
) -> TrendResult:
    """Linear trend, Kendall's tau and PELT change points of a yearly series.

    Parameters
    ----------
    series
        A frame with ``year`` and ``column`` (e.g. the output of :func:`convergence`).
    column
        The value column.
    penalty
        PELT penalty; default ``4 * sigma**2 * log(n)`` (twice the BIC) with sigma the larger of
        ``noise`` and the robust scale of first differences (their median absolute value
        / (0.6745 * sqrt 2)).
    noise
        Known sampling noise of one year's value, so that moves within sampling noise are
        not breaks. Default: the median bootstrap standard error implied by the ``lower`` and
        ``upper`` columns when the frame has them (the output of :func:`convergence`).
    level
        Coverage of those ``lower``/``upper`` intervals.

    Returns
    -------
    :class:`TrendResult`.

    References
    ----------
    Killick, R., Fearnhead, P. and Eckley, I. A. (2012) "Optimal detection of changepoints
    with a linear computational cost", Journal of the American Statistical Association
    107(500).
    """
    from scipy import stats  # imported here: scipy.stats alone takes ~1 s to import

    if noise is None and {"lower", "upper"} <= set(series.columns):
        se = ((series["upper"] - series["lower"]) / (2 * stats.norm.ppf(0.5 + level / 2))).median()
        noise = None if pd.isna(se) else float(se)
    df = series[["year", column]].dropna().sort_values("year")
    if len(df) < 3:
        raise InsufficientDataError(
            f"A trend needs at least 3 years of {column!r}; got {len(df)}. Widen the years."
        )
    x, y = df["year"].to_numpy(float), df[column].to_numpy(float)
    fit = stats.linregress(x, y)
    t = stats.t.ppf(0.975, len(x) - 2)
    tau = stats.kendalltau(x, y)
    breaks = _change_points(y, penalty, noise)
    seg = np.searchsorted(breaks, np.arange(len(y)), side="right")
    frame = pd.DataFrame(
        {
            "year": df["year"].to_numpy(),
            "similarity": y,
            "trend": fit.intercept + fit.slope * x,
            "segment": seg,
        }
    )
    frame["segment_mean"] = frame.groupby("segment")["similarity"].transform("mean")
    return TrendResult(
        slope_per_decade=float(fit.slope * 10),
        slope_lower=float((fit.slope - t * fit.stderr) * 10),
        slope_upper=float((fit.slope + t * fit.stderr) * 10),
        p_value=float(fit.pvalue),
        kendall_tau=float(tau.statistic),
        kendall_p=float(tau.pvalue),
        change_points=tuple(int(df["year"].iloc[i]) for i in breaks),
        series=frame,
    )


def _change_points(y: np.ndarray, penalty: float | None, noise: float | None) -> list[int]:
    """Indices where a new segment starts (PELT, l2 cost)."""
    if len(y) < 2 * _MIN_CHANGE_SEGMENT:
        return []
    import ruptures

    if penalty is None:
        sigma = max(np.median(np.abs(np.diff(y))) / (0.6745 * np.sqrt(2)), noise or 0.0)
        penalty = _PENALTY_FACTOR * max(sigma, 1e-6) ** 2 * np.log(len(y))
    ends = (
        ruptures.Pelt(model="l2", min_size=_MIN_CHANGE_SEGMENT, jump=1).fit(y).predict(pen=penalty)
    )
    return [int(e) for e in ends[:-1]]
