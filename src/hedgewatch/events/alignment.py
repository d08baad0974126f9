"""Event-based alignment: a state's net cooperation with each partner, per unit of its volume.

For state X, partner P and period t::

    value(X, P, t) = net(X, P, t) / volume(X, t)

where ``net`` is the signed amount of the measure (event weight, cooperative minus
conflictual events, or the Goldstein sum) over the events between X and P in either
direction, and ``volume(X, t)`` the state's total over *every* partner (see
:mod:`hedgewatch.events._measures`). Dividing by the state's own volume is what keeps news
coverage from reading as warmth: a summit that doubles everything written about X doubles the
denominator too. ``share`` is the partner's share of that volume (attention), and
``goldstein_mean`` the mean Goldstein score per event between them (tone, free of volume).

It is the event analogue of the vote agreement of :func:`hedgewatch.alignment.dyadic`: the
same long layout ``period, country_a, country_b, value``.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution* 36(2): 369-385.
Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone,
1979-2012. ISA Annual Convention, San Francisco.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_choice, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.events._aggregate import PERIODS, period_labels
from hedgewatch.events._measures import check_measure, net, state_rows, volume

COLUMNS = [
    "period",
    "country_a",
    "country_b",
    "value",
    "share",
    "events",
    "goldstein_mean",
    "days",
    "note",
]


@validated
def event_alignment(
    daily: pd.DataFrame,
    state: str,
    partners: Sequence[str] | str,
    *,
    by: str = "year",
    measure: str = "weight",
) -> pd.DataFrame:
    """Net cooperation of ``state`` with each partner per period, normalised by its volume.

    Parameters
    ----------
    daily
        Daily dyad rows (:func:`hedgewatch.store.event_days`) holding every row of the state
        (all partners: the volume needs them).
    state
        The state (code or name).
    partners
        Countries to report.
    by
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"`` or ``"year"`` (default).
    measure
        ``"weight"`` (default; any layout), ``"cooperation"`` or ``"goldstein"`` (event
        counts needed). See :mod:`hedgewatch.events._measures`.

    Returns
    -------
    DataFrame ``period, country_a, country_b, value, share, events, goldstein_mean, days,
    note`` (``country_a`` = the state): one row per period in which the state has events and
    partner, 0 where the state had none with that partner.

    References
    ----------
    Goldstein (1992), Journal of Conflict Resolution 36(2); Leetaru and Schrodt (2013).
    """
    check_choice(by, "by", PERIODS)
    check_measure(measure, daily)
    x = _countries.resolve(state, where="state")
    plist = [partners] if isinstance(partners, str) else list(partners)
    check_param(len(plist) >= 1, "partners", "at least one country", partners)
    ps = [_countries.resolve(p, where="partners") for p in plist]
    rows = state_rows(daily, x)
    if rows.empty:
        raise InsufficientDataError(
            f"{x} has no event with another country in the data given. Check the state, the "
            "dates, or the dataset."
        )
    rows["period"] = period_labels(rows["date"], by)
    rows["_net"], rows["_vol"] = net(rows, measure), volume(rows, measure)
    total = rows.groupby("period")["_vol"].sum()
    sub = rows[rows["country_b"].isin(ps)]
    g = sub.groupby(["period", "country_b"])
    agg = pd.DataFrame(
        {
            "_net": g["_net"].sum(),
            "_vol": g["_vol"].sum(),
            "events": g["events"].sum(min_count=1) if "events" in sub else np.nan,
            "goldstein_sum": g["goldstein_sum"].sum(min_count=1)
            if "goldstein_sum" in sub
            else np.nan,
            "days": g["date"].nunique(),
        }
    )
    full = pd.MultiIndex.from_product([total.index, ps], names=["period", "country_b"])
    agg = agg.reindex(full)
    agg[["_net", "_vol", "days"]] = agg[["_net", "_vol", "days"]].fillna(0)
    per = agg.index.get_level_values("period")
    tot = total.reindex(per).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(tot > 0, agg["_net"].to_numpy() / tot, np.nan)
        share = np.where(tot > 0, agg["_vol"].to_numpy() / tot, np.nan)
        gmean = agg["goldstein_sum"].to_numpy(dtype=float) / agg["events"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "period": per,
            "country_a": x,
            "country_b": agg.index.get_level_values("country_b"),
            "value": value,
            "share": share,
            "events": agg["events"].to_numpy(dtype=float),
            "goldstein_mean": gmean,
            "days": agg["days"].astype(int).to_numpy(),
            "note": np.where(agg["days"].to_numpy() == 0, "no event with this partner", ""),
        }
    )
    return out[COLUMNS].reset_index(drop=True)
