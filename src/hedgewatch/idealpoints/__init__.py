"""Dynamic ideal points from UN General Assembly votes, and the "rational wildcard" test.

Public API: :class:`DynamicIdealPoints` (fit), :class:`IdealPointResult` (with
``to_frame()``), :func:`predictability`, :func:`overall_fit`, :func:`surprising_votes`,
:func:`rank_predictability`, :func:`plot_ideal_points`, :func:`title_bridges` and
:func:`hedgewatch.fit_unga` (in :mod:`hedgewatch.workflows`) fetches from the store and fits.
"""

from __future__ import annotations

from hedgewatch._deprecation import moved
from hedgewatch.idealpoints._predictability import (
    overall_fit,
    predictability,
    rank_predictability,
    surprising_votes,
)
from hedgewatch.idealpoints.bridging import title_bridges
from hedgewatch.idealpoints.dynamic import DynamicIdealPoints, IdealPointResult
from hedgewatch.idealpoints.plot import plot_ideal_points

__getattr__ = moved(
    "hedgewatch.idealpoints",
    {"fit_unga": "hedgewatch.workflows:fit_unga", "load_bridges": "hedgewatch.store:bridges"},
)

__all__ = [
    "DynamicIdealPoints",
    "IdealPointResult",
    "overall_fit",
    "plot_ideal_points",
    "predictability",
    "rank_predictability",
    "surprising_votes",
    "title_bridges",
]
