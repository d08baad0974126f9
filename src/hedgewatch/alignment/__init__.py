"""Alignment: whom a state votes with in the UN General Assembly, and whether it is moving.

Dyadic similarity (:func:`dyadic`, :func:`agreement_matrix`), the hedging index of a state
between powers (:func:`hedging_index`), change points in any alignment series
(:func:`pivots`) and a plot (:func:`plot_hedging`). Every function takes a tidy votes
DataFrame (as returned by :func:`hedgewatch.votes`); :func:`align` and :func:`hedge` fetch
it from the store first.
"""

from __future__ import annotations

from hedgewatch.alignment.agreement import (
    MEASURES,
    AgreementMatrix,
    agreement_matrix,
    dyadic,
    score_tables,
)
from hedgewatch.alignment.crosstab import Crosstabs, crosstab
from hedgewatch.alignment.fetch import HedgingResult, align, hedge
from hedgewatch.alignment.hedging import hedging_index
from hedgewatch.alignment.pivots import pivots
from hedgewatch.alignment.plot import plot_hedging

__all__ = [
    "MEASURES",
    "AgreementMatrix",
    "Crosstabs",
    "HedgingResult",
    "agreement_matrix",
    "align",
    "crosstab",
    "dyadic",
    "hedge",
    "hedging_index",
    "pivots",
    "plot_hedging",
    "score_tables",
]
