"""Dynamic ideal points from UN General Assembly votes, and the "rational wildcard" test.

Public API: :class:`DynamicIdealPoints` (fit), :class:`IdealPointResult` (with
``to_frame()``), :func:`predictability`, :func:`overall_fit`, :func:`surprising_votes`,
:func:`rank_predictability` (in-sample), :func:`rolling_forecast` (out of sample, with
baselines; :class:`RollingForecast`, :class:`ForecastSummary`), :func:`forecast_scores`,
:func:`calibration_counts`, :func:`calibration_table`, :func:`rank_forecasts`,
:func:`plot_ideal_points`, :func:`plot_calibration`, :func:`title_bridges`.
:func:`hedgewatch.fit_unga` and :func:`hedgewatch.forecast_unga` (in
:mod:`hedgewatch.workflows`) fetch from the store, compute and cache.
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
from hedgewatch.idealpoints.outofsample import (
    ForecastSummary,
    RollingForecast,
    calibration_counts,
    calibration_table,
    forecast_scores,
    rank_forecasts,
    rolling_forecast,
)
from hedgewatch.idealpoints.plot import plot_calibration, plot_ideal_points

__getattr__ = moved(
    "hedgewatch.idealpoints",
    {"fit_unga": "hedgewatch.workflows:fit_unga", "load_bridges": "hedgewatch.store:bridges"},
)

__all__ = [
    "DynamicIdealPoints",
    "ForecastSummary",
    "IdealPointResult",
    "RollingForecast",
    "calibration_counts",
    "calibration_table",
    "forecast_scores",
    "overall_fit",
    "plot_calibration",
    "plot_ideal_points",
    "predictability",
    "rank_forecasts",
    "rank_predictability",
    "rolling_forecast",
    "surprising_votes",
    "title_bridges",
]
