"""The atlas: every state's hedging position between two powers, period by period.

For each state X and period, on the roll calls on which X and both powers A and B voted
yes, abstain or no, with ``d = 1 - agreement`` (see :mod:`hedgewatch.alignment.hedging`):

``position = (d(X, A) - d(X, B)) / d(A, B)`` in [-1, 1] (-1 votes as A, +1 as B),
``free_agency = (d(X, A) + d(X, B) - d(A, B)) / 2`` in [0, 1],

exactly the quantities of :func:`~hedgewatch.alignment.hedging_index`, plus the side-taking
shares of :mod:`hedgewatch.alignment._side_taking` (on the roll calls that divided A and B).

The whole world is computed at once. The record is one ``int8`` matrix of vote codes
(countries by roll calls); each state's per-roll-call distance to A and to B is one table
look-up for all states, and the sums per period are one ``np.add.reduceat``. There is no loop
over states.

Intervals: a nonparametric bootstrap over roll calls within each period (Efron & Tibshirani
1993), drawn once per period for all states together: the roll calls on which A and B both
voted are resampled with replacement (multinomial weights), and every state's sums are the
weighted sums over the drawn roll calls it voted on (one matrix product ``weights @
distances.T`` per period). For a state that voted on every roll call of the axis this is
:func:`hedging_index`'s bootstrap; for one that missed some, its number of roll calls varies
between replicates (a ratio estimator), which widens its interval slightly. Percentile
intervals at ``level``.

Measures are a registry (:data:`MEASURES`, :func:`register_measure`): the vote-based ones
(``agreement``, ``identical``) read the votes table; ``events`` reads the daily event table
(:mod:`hedgewatch.events._atlas`), and :func:`hedgewatch.atlas` fetches the table a measure
names. Every atlas frame has ``period, country``, a count column named by its measure
(``n_votes``: roll calls; ``n_days``: days with an event with either power) and
``position`` (with ``_lo``/``_hi``); the other columns depend on the measure.

References
----------
Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2): 185-215.
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Gromov, M. (1987). Hyperbolic groups. In *Essays in Group Theory*, MSRI Publications 8: 75-263.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from hedgewatch._validation import (
    caller,
    check_choice,
    check_level,
    check_number,
    check_param,
    validated,
)
from hedgewatch.alignment._side_taking import resolve_powers, side_counts, side_frame
from hedgewatch.alignment._votematrix import VoteMatrix, vote_matrix
from hedgewatch.alignment.agreement import DISTANCE
from hedgewatch.alignment.hedging import FEW_VOTES, NO_AXIS, _period_rng
from hedgewatch.errors import InsufficientDataError

#: A measure's function: ``(data, *, powers, by, level, n_boot, seed, drop_unanimous)`` ->
#: the tidy atlas frame (see :func:`atlas`).
MeasureFn = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class AtlasMeasure:
    """One way of placing states between two powers.

    Attributes
    ----------
    name
        The ``measure=`` value.
    description
        One line for help texts and the web app.
    table
        The store table its data comes from (``"votes"``); :func:`hedgewatch.atlas` fetches
        it and passes it to ``compute``.
    compute
        The function computing the atlas frame from that table.
    count
        The frame's count column (what :func:`~hedgewatch.alignment.movers` and the web map
        filter on): ``"n_votes"`` (common roll calls) or ``"n_days"`` (days with events).
    periods
        The ``by=`` values the measure offers.
    """

    name: str
    description: str
    table: str
    compute: MeasureFn
    count: str = "n_votes"
    periods: tuple[str | None, ...] = ("year", "session", None)


#: The count columns an atlas frame may carry, one per frame (see :class:`AtlasMeasure`).
COUNT_COLUMNS = ("n_votes", "n_days")


def count_column(frame: pd.DataFrame) -> str:
    """The count column of an atlas frame: ``n_votes`` (votes) or ``n_days`` (events)."""
    found = [c for c in COUNT_COLUMNS if c in frame.columns]
    check_param(
        len(found) == 1,
        "atlas",
        f"an atlas frame (from atlas()), with one count column among {COUNT_COLUMNS}",
        list(frame.columns)[:8],
    )
    return found[0]


#: The registered measures, by name.
MEASURES: dict[str, AtlasMeasure] = {}


def register_measure(measure: AtlasMeasure) -> None:
    """Add (or replace) a measure of the atlas, e.g. an event-based one."""
    MEASURES[measure.name] = measure


def _percentiles(x: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Linear-interpolation percentiles along axis 0, ignoring NaN (vectorised over columns;
    ``np.nanquantile`` loops over them in Python)."""
    s = np.sort(x, axis=0)  # NaN sorts last
    k = (~np.isnan(x)).sum(0)
    out = []
    for q in qs:
        pos = q * np.maximum(k - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(k - 1, 0))
        frac = pos - lo
        a = np.take_along_axis(s, lo[None], 0)[0]
        b = np.take_along_axis(s, hi[None], 0)[0]
        out.append(np.where(k > 0, a + frac * (b - a), np.nan))
    return out


def _derive(n, s_xa, s_xb, s_ab) -> dict[str, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        dxa, dxb, dab = s_xa / n, s_xb / n, s_ab / n
        pos = np.where(dab > 1e-12, (dxa - dxb) / dab, np.nan)
    return {
        "agree_a": 1.0 - dxa,
        "agree_b": 1.0 - dxb,
        "agree_ab": 1.0 - dab,
        "position": np.clip(pos, -1.0, 1.0),
        "free_agency": np.clip((dxa + dxb - dab) / 2, 0.0, 1.0),
    }


def _distance_rows(sub: VoteMatrix, a: str, b: str, measure: str) -> np.ndarray:
    """``(4, countries, roll calls)``: voted (0/1), d(X, A), d(X, B), d(A, B) where X voted."""
    dist = DISTANCE if measure == "agreement" else 1.0 - np.eye(3)
    ext = np.zeros((4, 3))
    ext[:3] = dist  # row 3: "no vote" (code -1 indexes the last row) adds nothing
    c = sub.codes.astype(np.intp)
    va, vb = sub.row(a).astype(np.intp), sub.row(b).astype(np.intp)
    voted = (c >= 0).astype(np.float64)
    return np.stack([voted, ext[c, va[None, :]], ext[c, vb[None, :]], voted * dist[va, vb]])


def _bootstrap(sub, rows, n_boot, level, seed) -> dict[str, np.ndarray]:
    """Percentile bounds ``(countries, periods)`` of each derived quantity."""
    alpha = 1 - level
    n_c = rows.shape[1]
    bounds: dict[str, list] = {}
    # Small products, one per period: threaded BLAS only adds contention (see crosstab).
    with threadpool_limits(1, user_api="blas"):
        for p, sl in enumerate(sub.period_slices()):
            r = sl.stop - sl.start
            rng = _period_rng(seed, sub.periods[p])
            w = rng.multinomial(r, np.full(r, 1.0 / r), size=n_boot).astype(np.float64)
            flat = rows[:, :, sl].reshape(4 * n_c, r)
            sums = (w @ flat.T).reshape(n_boot, 4, n_c)
            boot = _derive(sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3])
            for key, v in boot.items():
                lo, hi = _percentiles(v, (alpha / 2, 1 - alpha / 2))
                bounds.setdefault(key + "_lo", []).append(lo)
                bounds.setdefault(key + "_hi", []).append(hi)
    return {k: np.stack(v, axis=1) for k, v in bounds.items()}


def _vote_atlas(
    votes: pd.DataFrame,
    *,
    powers: Sequence[str],
    measure: str,
    by: str | None,
    level: float,
    n_boot: int,
    seed: int | None,
    drop_unanimous: bool,
) -> pd.DataFrame:
    mat = vote_matrix(votes, by=by, drop_unanimous=drop_unanimous)
    a, b = resolve_powers(powers, set(mat.countries))
    va, vb = mat.row(a), mat.row(b)
    sub = mat.select((va >= 0) & (vb >= 0))
    if not len(sub.rcids):
        raise InsufficientDataError(
            f"{caller()}(): {a} and {b} never both voted yes/abstain/no on one roll call in the votes "
            "given. Widen the window, or check membership dates (e.g. CHN as the PRC from 1971)."
        )
    rows = _distance_rows(sub, a, b, measure)
    sums = sub.period_sums(rows)  # (4, countries, periods)
    point = _derive(*sums)
    bounds = _bootstrap(sub, rows, n_boot, level, seed) if n_boot > 0 else {}
    states = [c for c in mat.countries if c not in (a, b)]
    idx = np.array([mat.countries.index(s) for s in states], dtype=np.intp)
    n = sums[0][idx]
    r, p = np.nonzero(n > 0)
    frame = pd.DataFrame(
        {"period": np.asarray(sub.periods, dtype=object)[p], "country": np.asarray(states)[r]}
    )
    frame["n_votes"] = n[r, p].astype(np.int64)
    names = {"agree_a": f"agree_{a}", "agree_b": f"agree_{b}", "agree_ab": f"agree_{a}_{b}"}
    for key in ("agree_a", "agree_b", "position", "free_agency", "agree_ab"):
        col = names.get(key, key)
        frame[col] = point[key][idx][r, p]
        if bounds and key != "agree_ab":
            frame[f"{col}_lo"] = bounds[f"{key}_lo"][idx][r, p]
            frame[f"{col}_hi"] = bounds[f"{key}_hi"][idx][r, p]
    sides = side_frame(
        {k: (v[idx] if k != "periods" else v) for k, v in side_counts(mat, a, b).items()},
        states,
        a,
        b,
        level,
    )
    frame = frame.merge(sides, on=["period", "country"], how="left")
    frame["n_divided"] = frame["n_divided"].fillna(0).astype(np.int64)
    for c in (f"with_{a}", f"with_{b}", "with_neither"):
        frame[c] = frame[c].fillna(0).astype(np.int64)
    few = np.where(
        frame["n_votes"] < FEW_VOTES,
        "only " + frame["n_votes"].astype(str) + " common roll calls",
        "",
    )
    axis = np.where(frame["position"].isna(), NO_AXIS, "")
    frame["note"] = ["; ".join(x for x in pair if x) for pair in zip(axis, few, strict=True)]
    frame = frame.infer_objects()
    return frame.sort_values(["period", "country"], kind="stable").reset_index(drop=True)


for _name, _text in (
    ("agreement", "UN votes: Voeten's agreement (abstain = half agreement)"),
    ("identical", "UN votes: share of identical votes"),
):
    register_measure(
        AtlasMeasure(
            _name,
            _text,
            "votes",
            lambda data, _m=_name, **kw: _vote_atlas(data, measure=_m, **kw),
        )
    )


def _events(data: pd.DataFrame, **kw) -> pd.DataFrame:
    from hedgewatch.events._atlas import event_atlas

    return event_atlas(data, **kw)


register_measure(
    AtlasMeasure(
        "events",
        "Events: net cooperation with each power, normalised by the state's event volume",
        "events",
        _events,
        count="n_days",
        periods=("year", None),
    )
)


@validated
def atlas(
    data: pd.DataFrame,
    powers: Sequence[str],
    *,
    by: str | None = "year",
    measure: str = "agreement",
    level: float = 0.95,
    n_boot: int = 200,
    seed: int | None = 0,
    drop_unanimous: bool = False,
) -> pd.DataFrame:
    """Every state's position between two powers, each period, with intervals.

    Parameters
    ----------
    data
        The measure's data: tidy votes (``rcid, country, vote`` and ``year``/``session``/
        ``date``, as from :func:`hedgewatch.votes`) for the vote-based measures, every
        country's votes; daily event rows of every country
        (:func:`hedgewatch.store.event_days`) for ``"events"``.
    powers
        The two powers ``(A, B)``: position -1 is A, +1 is B.
    by
        ``"year"`` (default), ``"session"`` (votes only) or None (one row per state for the
        window).
    measure
        A name in :data:`MEASURES`: ``"agreement"`` (default), ``"identical"`` or
        ``"events"`` (the event position of :mod:`hedgewatch.events._atlas`).
    level
        Coverage of the percentile intervals.
    n_boot
        Bootstrap replicates over roll calls per period (0: no intervals).
    seed
        Seed of the random generator (intervals are reproducible per period).
    drop_unanimous
        Leave out roll calls on which every vote was the same.

    Returns
    -------
    DataFrame, one row per state (other than the powers) and period in which it voted with
    both powers: ``period, country, n_votes, agree_<A>, agree_<B>, position, free_agency``
    (each with ``_lo``/``_hi``), ``agree_<A>_<B>`` (the powers' agreement on the state's
    roll calls), the side-taking counts and shares ``n_divided, with_<A>, with_<B>,
    with_neither, side_<A>, side_<B>, side_neither`` (with Wilson ``_lo``/``_hi``) and
    ``note`` (why a value is missing or rests on few roll calls).

    With ``measure="events"``: one row per state and period in which it had an event with
    either power: ``period, country, n_days`` (the count column: days with an event with A
    or B), ``days, events, value_<A>, value_<B>, share_<A>, share_<B>, position,
    other_share`` (the last two with ``_lo``/``_hi``) and ``note``; see
    :func:`hedgewatch.events._atlas.event_atlas`.

    References
    ----------
    Voeten (2000), International Organization 54(2); Efron & Tibshirani (1993), An
    Introduction to the Bootstrap. See :mod:`hedgewatch.alignment._atlas`.

    Examples
    --------
    >>> import hedgewatch as hw                                    # doctest: +SKIP
    >>> from hedgewatch.alignment import atlas                     # doctest: +SKIP
    >>> world = atlas(hw.votes(), ("CHN", "USA"))                  # doctest: +SKIP
    """
    spec = MEASURES[check_choice(measure, "measure", MEASURES)]
    level = check_level(level)
    n_boot = check_number(n_boot, "n_boot", low=0, integer=True)
    check_param(
        by in spec.periods,
        "by",
        f"one of {', '.join(repr(p) for p in spec.periods)} (measure {measure!r})",
        by,
    )
    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a pair of two countries, e.g. ('CHN', 'USA')",
        powers,
    )
    return spec.compute(
        data,
        powers=tuple(powers),
        by=by,
        level=level,
        n_boot=n_boot,
        seed=seed,
        drop_unanimous=drop_unanimous,
    )
