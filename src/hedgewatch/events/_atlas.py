"""The event atlas: every state's event position between two powers, period by period.

For each state X (other than the powers A and B) and period, with ``n_P`` the state's net
amount of the measure with P and ``vol`` its volume with *every* partner (see
:mod:`hedgewatch.events._measures`; both directions of every pair, domestic rows left out)::

    position    = (n_B - n_A) / (|n_A| + |n_B|)        in [-1, 1]  (-1: A, +1: B)
    value_P     = n_P / vol                            net cooperation per unit of volume
    share_P     = vol(X, P) / vol                      P's share of X's event volume
    other_share = 1 - share_A - share_B                volume involving neither power

exactly the quantities of :func:`~hedgewatch.events.event_position`, computed for every
state at once: the daily rows are oriented once (each pair in both orientations), summed per
state and day with one ``np.bincount``, and the intervals drawn per state and period with the
same block bootstrap over days (Carlstein 1986; Kunsch 1989) and the same random stream per
period, so a state's row equals :func:`event_position` on its own rows, intervals included.

The count column is ``n_days``: the days of the period on which the state has an event with
A or B (the dyad layout has no event counts; ``events`` is NaN there). It plays the part of
the vote atlas's ``n_votes`` (:func:`hedgewatch.alignment.movers` and the web map leave out
periods with few of them).

References
----------
Carlstein, E. (1986). The use of subseries values for estimating the variance of a general
statistic from a stationary sequence. *Annals of Statistics* 14(3): 1171-1179.
Kunsch, H. R. (1989). The jackknife and the bootstrap for general stationary observations.
*Annals of Statistics* 17(3): 1217-1241.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import caller, check_columns
from hedgewatch.errors import InsufficientDataError
from hedgewatch.events._aggregate import period_labels
from hedgewatch.events._measures import check_measure, net, volume
from hedgewatch.events.position import NO_POWER, _derive, _period_rng

#: Periods with fewer days with an event with either power get a note (and are left off
#: the web map).
FEW_DAYS = 10
#: The periods the event atlas offers (movers need whole-number periods).
PERIODS = ("year", None)


def _state_days(daily: pd.DataFrame, a: str, b: str, measure: str) -> dict[str, Any]:
    """Per state and day with events (state-major, days in order): net and volume with each
    power, the state's volume, its events, and whether it had an event with either power.

    Every row counts for both its sides (domestic rows for neither). The sums are dense
    ``np.bincount`` over ``(state, day)`` cells: no sort of the rows."""
    names = pd.Index(pd.unique(np.concatenate([daily["country_a"].unique(),
                                               daily["country_b"].unique()])))  # fmt: skip
    ca = names.get_indexer(pd.Index(daily["country_a"]))
    cb = names.get_indexer(pd.Index(daily["country_b"]))
    keep = ca != cb
    day_codes, days = pd.factorize(daily["date"], sort=True)
    n, v = net(daily, measure)[keep], volume(daily, measure)[keep]
    ca, cb, dc = ca[keep], cb[keep], day_codes[keep]
    n_cells = len(names) * len(days)
    x = np.concatenate([ca, cb])
    partner = np.concatenate([cb, ca])
    cell = x.astype(np.int64) * len(days) + np.concatenate([dc, dc])
    n2, v2 = np.concatenate([n, n]), np.concatenate([v, v])
    ia, ib = names.get_indexer(pd.Index([a, b]))
    is_a, is_b = partner == ia, partner == ib

    def total(w: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=w, minlength=n_cells)

    present = np.flatnonzero(np.bincount(cell, minlength=n_cells) > 0)
    if "events" in daily:
        ev = daily["events"].to_numpy(dtype=float)[keep]
        e2 = np.concatenate([ev, ev])
        has = ~np.isnan(e2)
        events = np.where(total(has.astype(float)) > 0, total(np.where(has, e2, 0.0)), np.nan)
    else:
        events = np.full(n_cells, np.nan)
    sums = np.stack(
        [
            total(np.where(is_a, n2, 0.0)),
            total(np.where(is_b, n2, 0.0)),
            total(np.where(is_a, v2, 0.0)),
            total(np.where(is_b, v2, 0.0)),
            total(v2),
        ],
        axis=1,
    )
    return {
        "names": np.asarray(names, dtype=object),
        "days": pd.DatetimeIndex(days),
        "state": present // len(days),
        "day": present % len(days),
        "sums": sums[present],
        "events": events[present],
        "with_powers": total((is_a | is_b).astype(float))[present] > 0,
        "powers": np.array([ia, ib]),
    }


def _interval(sums: np.ndarray, n_boot: int, alpha: float, block: int, rng) -> dict[str, float]:
    """Block-bootstrap percentile bounds of position and other_share (as event_position)."""
    starts = np.arange(0, len(sums), block)
    blocks = np.add.reduceat(sums, starts, axis=0)
    k = len(blocks)
    weights = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot)
    boot = _derive(weights @ blocks)
    out = {}
    for key in ("position", "other_share"):
        v = boot[key]
        ok = np.isfinite(v)
        lo, hi = np.quantile(v[ok], [alpha / 2, 1 - alpha / 2]) if ok.any() else (np.nan, np.nan)
        out[f"{key}_lo"], out[f"{key}_hi"] = float(lo), float(hi)
    return out


def event_atlas(
    daily: pd.DataFrame,
    *,
    powers: Sequence[str],
    by: str | None = "year",
    level: float = 0.95,
    n_boot: int = 200,
    seed: int | None = 0,
    measure: str = "weight",
    block: int = 7,
    **_ignored: object,
) -> pd.DataFrame:
    """Every state's event position between two powers, per period, with intervals.

    The ``events`` measure of :func:`hedgewatch.alignment.atlas` (which checks the common
    parameters); the formulas are in :mod:`hedgewatch.events._atlas`.

    Parameters
    ----------
    daily
        Daily dyad rows of every country (:func:`hedgewatch.store.event_days`): each state's
        volume needs all its partners.
    powers
        The two powers ``(A, B)``: position -1 is A, +1 is B.
    by
        ``"year"`` or None (one row per state over the window, period ``"all"``).
    level, n_boot, seed
        Interval coverage, block-bootstrap replicates per state and period (0: none), seed
        (one stream per period, as :func:`~hedgewatch.events.event_position`).
    measure, block
        The event measure (``"weight"``, ``"cooperation"``, ``"goldstein"``) and the
        bootstrap block length in days, as in :func:`~hedgewatch.events.event_position`.

    Returns
    -------
    DataFrame, one row per state and period in which it had an event with either power:
    ``period, country, n_days, days, events, value_<A>, value_<B>, share_<A>, share_<B>,
    position, position_lo, position_hi, other_share, other_share_lo, other_share_hi, note``.
    ``n_days``: days with an event with A or B; ``days``: days with any event (the bootstrap
    resamples them); ``events``: the state's events (NaN for weights-only data).
    """
    check_columns(
        daily, "data", ["date", "country_a", "country_b", "weight"], source="event_days()"
    )
    check_measure(measure, daily)
    a, b = (_countries.resolve(p, where=f"{caller()}() powers") for p in powers)
    cells = _state_days(daily, a, b, measure)
    mine = ~np.isin(cells["state"], cells["powers"])
    if not cells["with_powers"][mine].any():
        raise InsufficientDataError(
            f"{caller()}(): no state has an event with {a} or {b} in the event data given. "
            "Widen the window, or check the powers and the dataset."
        )
    # periods of the days (in order, so cells stay sorted by state, period, day)
    period_codes, period_names = pd.factorize(period_labels(pd.Series(cells["days"]), by))
    group = cells["state"] * len(period_names) + period_codes[cells["day"]]
    alpha = 1 - level
    sums_all, with_powers, events = cells["sums"], cells["with_powers"], cells["events"]
    starts = np.flatnonzero(mine & np.r_[True, group[1:] != group[:-1]])
    stops = np.r_[np.flatnonzero(np.r_[group[1:] != group[:-1]]) + 1, len(group)]
    stops = stops[np.searchsorted(stops, starts, side="right")]
    rows = []
    for lo, hi in zip(starts, stops, strict=True):
        n_days = int(with_powers[lo:hi].sum())
        if n_days == 0:
            continue
        state = cells["names"][cells["state"][lo]]
        period = period_names[period_codes[cells["day"][lo]]]
        sums = sums_all[lo:hi]
        point = _derive(sums.sum(0))
        ev = events[lo:hi]
        row: dict[str, object] = {
            "period": period,
            "country": state,
            "n_days": n_days,
            "days": hi - lo,
            "events": float(np.nansum(ev)) if np.isfinite(ev).any() else np.nan,
            **{k: float(v) for k, v in point.items()},
        }
        if n_boot > 0:
            row.update(_interval(sums, n_boot, alpha, block, _period_rng(seed, period)))
        notes = []
        if not np.isfinite(point["position"]):
            notes.append(NO_POWER)
        if n_days < FEW_DAYS:
            notes.append(f"only {n_days} day(s) with an event with {a} or {b}")
        row["note"] = "; ".join(notes)
        rows.append(row)
    out = pd.DataFrame(rows).rename(
        columns={
            "value_A": f"value_{a}",
            "value_B": f"value_{b}",
            "share_A": f"share_{a}",
            "share_B": f"share_{b}",
        }  # fmt: skip
    )
    order = ["period", "country", "n_days", "days", "events"]
    order += [f"value_{a}", f"value_{b}", f"share_{a}", f"share_{b}"]
    for key in ("position", "other_share"):
        order += [c for c in (key, f"{key}_lo", f"{key}_hi") if c in out]
    out = out[[*order, "note"]]
    out["n_days"] = out["n_days"].astype(np.int64)
    out["days"] = out["days"].astype(np.int64)
    return out.sort_values(["period", "country"], kind="stable").reset_index(drop=True)
