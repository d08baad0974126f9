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

__all__ = [
    "MEASURES",
    "AgreementMatrix",
    "Crosstabs",
    "agreement_matrix",
    "crosstab",
    "dyadic",
    "score_tables",
]
