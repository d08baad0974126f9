"""Event-based hedging position of a state between two powers, with block-bootstrap intervals.

For state X between powers A and B over a period, with ``n_P = net(X, P)`` the signed amount
of the measure over the events between X and P (see :mod:`hedgewatch.events._measures`)::

    position = (n_B - n_A) / (|n_A| + |n_B|),   in [-1, 1]

-1: all of X's net cooperation with the two powers goes to A (or X is hostile to B only);
+1: all to B; 0: even-handed. It is a ratio of two amounts of the same state in the same
period, so the state's news volume cancels: a period in which X is reported twice as much
does not move it. The levels beside it are normalised by the state's total volume
(``value_P = n_P / volume(X)``, ``share_P = volume(X, P) / volume(X)``), and
``other_share = 1 - share_A - share_B`` is the share of the state's event volume that
involves neither power: the event analogue of *free agency*
(:mod:`hedgewatch.alignment.hedging`). Undefined (NaN) when X has no event with either power.

Intervals come from a block bootstrap over days (Carlstein 1986; Kunsch 1989): the period's
days with events are cut into consecutive blocks of ``block`` days, blocks are drawn with
replacement, the sums recomputed, and the percentile interval reported. Blocks keep the
serial dependence of a news cycle (a summit is reported for days) inside a block, which an
independent resampling of days would ignore and so understate the uncertainty.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution* 36(2): 369-385.
Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone,
1979-2012. ISA Annual Convention, San Francisco.
Carlstein, E. (1986). The use of subseries values for estimating the variance of a general
statistic from a stationary sequence. *Annals of Statistics* 14(3): 1171-1179.
Kunsch, H. R. (1989). The jackknife and the bootstrap for general stationary observations.
*Annals of Statistics* 17(3): 1217-1241.
Kuik, C.-C. (2008). The essence of hedging: Malaysia and Singapore's response to a rising
China. *Contemporary Southeast Asia* 30(2): 159-185.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_choice, check_level, check_number, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.events._aggregate import PERIODS, period_labels
from hedgewatch.events._measures import check_measure, net, volume

NO_POWER = "no event with either power"
FEW_DAYS = 10


def _position(n_a: np.ndarray, n_b: np.ndarray) -> np.ndarray:
    den = np.abs(n_a) + np.abs(n_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (n_b - n_a) / np.where(den > 0, den, 1.0), np.nan)


def _derive(s: np.ndarray) -> dict[str, np.ndarray]:
    """Quantities from the sums ``[n_A, n_B, vol_A, vol_B, vol]`` on the last axis."""
    n_a, n_b, v_a, v_b, vol = (s[..., i] for i in range(5))
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(vol > 0, vol, np.nan)
        return {
            "value_A": n_a / safe,
            "value_B": n_b / safe,
            "share_A": v_a / safe,
            "share_B": v_b / safe,
            "position": _position(n_a, n_b),
            "other_share": np.clip(1 - (v_a + v_b) / safe, 0.0, 1.0),
        }


@validated
def event_position(
    daily: pd.DataFrame,
    state: str,
    powers: Sequence[str],
    *,
    by: str | None = "year",
    measure: str = "weight",
    n_boot: int = 200,
    level: float = 0.95,
    block: int = 7,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Where ``state`` stands between two powers in event data, per period, with intervals.

    Parameters
    ----------
    daily
        Daily dyad rows (:func:`hedgewatch.store.event_days`) holding every row of the state
        (all partners: the volume needs them).
    state
        The state (code or name).
    powers
        Two powers: the first is the -1 pole, the second +1.
    by
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` (default), or None for
        one row over the whole window (period ``"all"``).
    measure
        ``"weight"`` (default; any layout), ``"cooperation"`` or ``"goldstein"``.
    n_boot
        Bootstrap replicates per period (0 for none).
    level
        Coverage of the percentile intervals.
    block
        Length in days of the bootstrap blocks.
    seed
        Seed of the random generator (one stream per period, so a period's interval does not
        depend on the window).

    Returns
    -------
    DataFrame, one row per period in which the state has events: ``period, days, events,
    value_<A>, value_<B>, share_<A>, share_<B>, position, position_lo, position_hi,
    other_share, other_share_lo, other_share_hi, note``. The formulas are in
    :mod:`hedgewatch.events.position`.

    References
    ----------
    Goldstein (1992); Leetaru and Schrodt (2013); Carlstein (1986); Kunsch (1989).
    """
    check_choice(by, "by", (*PERIODS, None))
    check_measure(measure, daily)
    check_number(n_boot, "n_boot", low=0, integer=True)
    check_number(block, "block", low=1, integer=True)
    alpha = 1 - check_level(level)
    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a sequence of two countries",
        powers,
    )
    x = _countries.resolve(state, where="state")
    a, b = (_countries.resolve(p, where="powers") for p in powers)
    check_param(len({x, a, b}) == 3, "powers", f"two countries other than {x!r}", powers)
    per_day = _per_day(daily, x, a, b, measure)
    if per_day.empty:
        raise InsufficientDataError(
            f"{x} has no event with another country in the data given. Check the state, the "
            "dates, or the dataset."
        )
    per_day["period"] = period_labels(per_day["date"], by)
    rows = []
    for period, grp in per_day.groupby("period", sort=True):
        rows.append(_period_row(period, grp, n_boot, alpha, block, seed))
    out = pd.DataFrame(rows)
    return _named(out, a, b)


def _per_day(daily: pd.DataFrame, x: str, a: str, b: str, measure: str) -> pd.DataFrame:
    """Per day: net and volume with each power, the state's volume, its events (both
    directions of every pair with the state; domestic rows left out)."""
    ca = daily["country_a"].to_numpy(dtype=object)
    cb = daily["country_b"].to_numpy(dtype=object)
    keep = ((ca == x) | (cb == x)) & (ca != cb)
    rows = daily[keep]
    partner = np.where(ca[keep] == x, cb[keep], ca[keep])
    n, v = net(rows, measure), volume(rows, measure)
    is_a, is_b = partner == a, partner == b
    events = (
        rows["events"].to_numpy(dtype=float) if "events" in rows else np.full(len(rows), np.nan)
    )
    codes, days = pd.factorize(rows["date"], sort=True)
    k = len(days)

    def total(w: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=w, minlength=k)

    has = ~np.isnan(events)
    return pd.DataFrame(
        {
            "date": days,
            "n_a": total(np.where(is_a, n, 0.0)),
            "n_b": total(np.where(is_b, n, 0.0)),
            "v_a": total(np.where(is_a, v, 0.0)),
            "v_b": total(np.where(is_b, v, 0.0)),
            "vol": total(v),
            "events": np.where(
                np.bincount(codes, weights=has, minlength=k) > 0,
                total(np.where(has, events, 0.0)),
                np.nan,
            ),
        }
    )


def _period_rng(seed: int | None, period: object) -> np.random.Generator:
    if seed is None:
        return np.random.default_rng()
    key = int(period) if isinstance(period, int | np.integer) else zlib.crc32(str(period).encode())
    return np.random.default_rng([int(seed), key])


def _period_row(period, grp: pd.DataFrame, n_boot: int, alpha: float, block: int, seed):
    sums = grp[["n_a", "n_b", "v_a", "v_b", "vol"]].to_numpy(dtype=float)
    point = _derive(sums.sum(0))
    days = len(grp)
    row: dict[str, object] = {
        "period": period,
        "days": days,
        "events": float(grp["events"].sum(min_count=1)),
        **{k: float(v) for k, v in point.items()},
    }
    if n_boot > 0:
        starts = np.arange(0, days, block)
        blocks = np.add.reduceat(sums, starts, axis=0)
        k = len(blocks)
        rng = _period_rng(seed, period)
        weights = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot)
        boot = _derive(weights @ blocks)
        for key in ("position", "other_share"):
            v = boot[key]
            ok = np.isfinite(v)
            lo, hi = (
                np.quantile(v[ok], [alpha / 2, 1 - alpha / 2]) if ok.any() else (np.nan, np.nan)
            )
            row[f"{key}_lo"], row[f"{key}_hi"] = float(lo), float(hi)
    notes = []
    if not np.isfinite(point["position"]):
        notes.append(NO_POWER)
    if days < FEW_DAYS:
        notes.append(f"only {days} day(s) with events")
    row["note"] = "; ".join(notes)
    return row


def _named(out: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    out = out.rename(
        columns={
            "value_A": f"value_{a}",
            "value_B": f"value_{b}",
            "share_A": f"share_{a}",
            "share_B": f"share_{b}",
        }  # fmt: skip
    )
    cols = ["period", "days", "events", f"value_{a}", f"value_{b}", f"share_{a}", f"share_{b}"]
    for key in ("position", "other_share"):
        cols += [c for c in (key, f"{key}_lo", f"{key}_hi") if c in out]
    return out[[*cols, "note"]]


@validated
def event_positions(
    daily: pd.DataFrame,
    powers: Sequence[str],
    *,
    by: str = "year",
    measure: str = "weight",
    states: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The event position of every state (or of ``states``) between two powers, per period.

    The point estimate of :func:`event_position` without intervals, computed for all states
    at once (the normalisation by each state's volume cancels in the position, so only the
    rows with the two powers are needed).

    Parameters
    ----------
    daily
        Daily dyad rows holding the rows of the two powers with other countries.
    powers
        The two powers (-1 pole first).
    by, measure
        As in :func:`event_position`.
    states
        States to report (default: every country with an event with either power).

    Returns
    -------
    DataFrame ``state, period, net_<A>, net_<B>, position``.
    """
    check_choice(by, "by", PERIODS)
    check_measure(measure, daily)
    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a sequence of two countries",
        powers,
    )
    a, b = (_countries.resolve(p, where="powers") for p in powers)
    ca, cb = daily["country_a"], daily["country_b"]
    fwd = daily[cb.isin([a, b]) & ~ca.isin([a, b])]
    back = daily[ca.isin([a, b]) & ~cb.isin([a, b])].rename(
        columns={"country_a": "country_b", "country_b": "country_a"}
    )
    rows = pd.concat([fwd, back], ignore_index=True)
    if states is not None:
        rows = rows[rows["country_a"].isin([_countries.resolve(s) for s in states])]
    rows = rows.assign(period=period_labels(rows["date"], by), _net=net(rows, measure))
    wide = rows.pivot_table(
        index=["country_a", "period"], columns="country_b", values="_net", aggfunc="sum"
    ).reindex(columns=[a, b])
    wide = wide.fillna(0.0)
    pos = _position(wide[a].to_numpy(), wide[b].to_numpy())
    out = pd.DataFrame(
        {
            "state": wide.index.get_level_values(0),
            "period": wide.index.get_level_values(1),
            f"net_{a}": wide[a].to_numpy(),
            f"net_{b}": wide[b].to_numpy(),
            "position": pos,
        }
    )
    return out.dropna(subset=["position"]).reset_index(drop=True)
