"""How the event-based and the vote-based positions relate, where both exist.

Given each state's hedging position between the same two powers from UN votes
(:func:`hedgewatch.alignment.hedging_index`, by year) and from events
(:func:`hedgewatch.events.event_positions`, by year), :func:`position_correlation` pairs them
over the (state, year) cells both have and reports Pearson's r with a Fisher-z interval
(Fisher 1921) and Spearman's rank correlation. The two measure different things on different
scales (how a state votes against how it is reported to act), so agreement in *rank*
matters more than in level.

References
----------
Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced from a
small sample. *Metron* 1: 3-32.
Spearman, C. (1904). The proof and measurement of association between two things. *American
Journal of Psychology* 15(1): 72-101.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgewatch._validation import check_level, check_param, validated
from hedgewatch.errors import InsufficientDataError


@dataclass(frozen=True)
class PositionCorrelation:
    """Correlation of vote-based and event-based positions over shared (state, period) cells.

    Attributes
    ----------
    n
        Cells with both positions.
    r, r_lo, r_hi
        Pearson's r and its Fisher-z interval at ``level``.
    rho, rho_p
        Spearman's rank correlation and its p-value.
    p_value
        Two-sided p-value of r = 0.
    level
        Coverage of the interval.
    pairs
        ``state, period, vote_position, event_position``.
    """

    n: int
    r: float
    r_lo: float
    r_hi: float
    p_value: float
    rho: float
    rho_p: float
    level: float
    pairs: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One-row summary."""
        return pd.DataFrame(
            [
                {
                    "n": self.n,
                    "r": self.r,
                    "r_lo": self.r_lo,
                    "r_hi": self.r_hi,
                    "p_value": self.p_value,
                    "rho": self.rho,
                    "rho_p": self.rho_p,
                    "level": self.level,
                }
            ]
        )


@validated
def position_correlation(
    vote_positions: pd.DataFrame,
    event_positions: pd.DataFrame,
    *,
    level: float = 0.95,
    min_pairs: int = 5,
) -> PositionCorrelation:
    """Correlate vote-based and event-based positions over the cells both have.

    Parameters
    ----------
    vote_positions, event_positions
        Frames with ``state, period, position`` (periods must match: years for both).
    level
        Coverage of the Fisher-z interval of r.
    min_pairs
        Fewest shared cells to report a correlation.

    Returns
    -------
    :class:`PositionCorrelation`.

    References
    ----------
    Fisher (1921), Metron 1; Spearman (1904), American Journal of Psychology 15(1).
    """
    check_level(level)
    for name, frame in (("vote_positions", vote_positions), ("event_positions", event_positions)):
        check_param(
            {"state", "period", "position"} <= set(frame.columns),
            name,
            "a DataFrame with columns state, period, position",
            list(frame.columns),
        )
    v = vote_positions[["state", "period", "position"]].rename(
        columns={"position": "vote_position"}
    )
    e = event_positions[["state", "period", "position"]].rename(
        columns={"position": "event_position"}
    )
    v = v.assign(period=v["period"].astype(str))
    e = e.assign(period=e["period"].astype(str))
    pairs = v.merge(e, on=["state", "period"]).dropna().reset_index(drop=True)
    n = len(pairs)
    if n < min_pairs:
        raise InsufficientDataError(
            f"only {n} (state, period) cell(s) have both a vote-based and an event-based "
            f"position; at least {min_pairs} are needed. Load votes and events that overlap."
        )
    from scipy import stats

    x, y = pairs["vote_position"].to_numpy(), pairs["event_position"].to_numpy()
    r, p = stats.pearsonr(x, y)
    rho, rho_p = stats.spearmanr(x, y)
    z, se = np.arctanh(np.clip(r, -0.999999, 0.999999)), 1 / np.sqrt(max(n - 3, 1))
    q = stats.norm.ppf(0.5 + level / 2)
    return PositionCorrelation(
        n,
        float(r),
        float(np.tanh(z - q * se)),
        float(np.tanh(z + q * se)),
        float(p),
        float(rho),
        float(rho_p),
        float(level),
        pairs,
    )
