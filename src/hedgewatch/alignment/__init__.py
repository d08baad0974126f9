"""Alignment: whom a state votes with in the UN General Assembly, and whether it is moving.

Dyadic similarity (:func:`dyadic`, :func:`agreement_matrix`), the hedging index of a state
between powers (:func:`hedging_index`), change points in any alignment series
(:func:`pivots`) and a plot (:func:`plot_hedging`). Every function takes a tidy votes
DataFrame (as returned by :func:`hedgewatch.votes`); :func:`hedgewatch.align` and
:func:`hedgewatch.hedge` (in :mod:`hedgewatch.workflows`) fetch it from the store first.
"""

from __future__ import annotations

from hedgewatch._deprecation import moved
from hedgewatch.alignment._crosstab import Crosstabs, crosstab
from hedgewatch.alignment._pivots import pivots
from hedgewatch.alignment.agreement import (
    MEASURES,
    AgreementMatrix,
    agreement_matrix,
    dyadic,
    score_tables,
)
from hedgewatch.alignment.hedging import hedging_index
from hedgewatch.alignment.plot import plot_hedging

__getattr__ = moved(
    "hedgewatch.alignment",
    {
        "align": "hedgewatch.workflows:align",
        "hedge": "hedgewatch.workflows:hedge",
        "HedgingResult": "hedgewatch.workflows:HedgingResult",
    },
)

__all__ = [
    "MEASURES",
    "AgreementMatrix",
    "Crosstabs",
    "agreement_matrix",
    "crosstab",
    "dyadic",
    "hedging_index",
    "pivots",
    "plot_hedging",
    "score_tables",
]
