"""The event measures: a signed *net* amount per pair and the *volume* it is normalised by.

``weight``
    net = the event weight (Goldstein-signed, see :mod:`hedgewatch.events._aggregate`);
    volume = its absolute value. Works for every layout, the daily dyad file included.
``cooperation``
    net = cooperative minus conflictual events (quad classes 1-2 minus 3-4); volume = events.
``goldstein``
    net = the sum of Goldstein scores; volume = events.

The measure of a state X with a partner P over a period is ``net(X, P) / volume(X)``: the
state's net cooperation with P per unit of *all* its event volume (every partner, both
directions). Both ``cooperation`` and ``goldstein`` need event counts (event-level layouts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch._validation import check_choice
from hedgewatch.errors import InsufficientDataError

MEASURES = ("weight", "cooperation", "goldstein")


def check_measure(measure: str, daily: pd.DataFrame) -> str:
    """``measure`` if known and computable from ``daily`` (counts present where needed)."""
    check_choice(measure, "measure", MEASURES)
    if measure != "weight" and ("events" not in daily or daily["events"].isna().all()):
        raise InsufficientDataError(
            f"the measure {measure!r} needs event counts, and this dataset has weights only "
            "(the daily dyad layout). Use measure='weight', or import event-level data."
        )
    return measure


def net(frame: pd.DataFrame, measure: str) -> np.ndarray:
    """Signed amount of each row."""
    if measure == "weight":
        return frame["weight"].to_numpy(dtype=float)
    if measure == "goldstein":
        return frame["goldstein_sum"].to_numpy(dtype=float)
    coop = frame["verbal_coop"] + frame["material_coop"]
    conf = frame["verbal_conflict"] + frame["material_conflict"]
    return (coop - conf).to_numpy(dtype=float)


def volume(frame: pd.DataFrame, measure: str) -> np.ndarray:
    """Volume of each row (what a state's total is the sum of)."""
    if measure == "weight":
        return np.abs(frame["weight"].to_numpy(dtype=float))
    return frame["events"].to_numpy(dtype=float)


def state_rows(daily: pd.DataFrame, state: str) -> pd.DataFrame:
    """Rows between ``state`` and another country, oriented ``country_a = state``, both
    directions of a directed dataset summed per day and partner; domestic rows dropped."""
    a, b = daily["country_a"], daily["country_b"]
    out = daily[(a == state) & (b != state)]
    back = daily[(b == state) & (a != state)].rename(
        columns={"country_a": "country_b", "country_b": "country_a"}
    )
    both = pd.concat([out, back], ignore_index=True)
    num = [c for c in both.columns if c not in ("date", "country_a", "country_b")]
    return both.groupby(["date", "country_a", "country_b"], as_index=False)[num].sum(min_count=1)
