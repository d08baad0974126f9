"""Alignment: whom a state votes with in the UN General Assembly, and whether it is moving.

Dyadic similarity (:func:`dyadic`, :func:`agreement_matrix`), the hedging index of a state
between powers (:func:`hedging_index`), change points in any alignment series
(:func:`pivots`) and a plot (:func:`plot_hedging`). The whole world between two powers:
:func:`atlas` (every state's position per period), :func:`movers` (the largest stable shifts)
and :func:`side_taking` (whose side a state takes when the powers split). Every function takes a tidy votes
DataFrame (as returned by :func:`hedgewatch.votes`); :func:`hedgewatch.align` and
:func:`hedgewatch.hedge` (in :mod:`hedgewatch.workflows`) fetch it from the store first.
"""

from __future__ import annotations

from hedgewatch._deprecation import moved
from hedgewatch.alignment._atlas import MEASURES as ATLAS_MEASURES
from hedgewatch.alignment._atlas import AtlasMeasure, atlas, count_column, register_measure
from hedgewatch.alignment._crosstab import Crosstabs, crosstab
from hedgewatch.alignment._movers import movers
from hedgewatch.alignment._pivots import pivots
from hedgewatch.alignment._side_taking import side_taking
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
    "ATLAS_MEASURES",
    "MEASURES",
    "AgreementMatrix",
    "AtlasMeasure",
    "Crosstabs",
    "agreement_matrix",
    "atlas",
    "count_column",
    "crosstab",
    "dyadic",
    "hedging_index",
    "movers",
    "pivots",
    "plot_hedging",
    "register_measure",
    "score_tables",
    "side_taking",
]
