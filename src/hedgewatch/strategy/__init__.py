"""Strategy: models a user can run, question and calibrate.

* :func:`forecast` - Bueno de Mesquita's expected-utility bargaining forecast (after Scholz,
  Calbert & Smith 2011) on a :class:`Scenario` of actors with position, capability and
  salience; read scenarios with :func:`read_scenario`.
* :class:`OutbiddingModel` - a client hedging between two patrons who bid support for it, one
  of which guarantees it against collapse; :meth:`OutbiddingModel.solve` gives the
  subgame-perfect :class:`OutbiddingEquilibrium`, :func:`comparative_statics` how it moves.
* :func:`calibrate_outbidding`, :func:`scenario_from_ideal_points` - starting points from
  measured hedging indices or ideal points.
"""

from __future__ import annotations

from hedgewatch.strategy.bargaining import (
    ForecastResult,
    forecast,
    weighted_mean,
    weighted_median,
)
from hedgewatch.strategy.calibration import (
    agreement_position,
    alignment_from_hedging,
    alignment_from_ideal_points,
    calibrate_outbidding,
    scenario_from_ideal_points,
)
from hedgewatch.strategy.outbidding import (
    OutbiddingEquilibrium,
    OutbiddingModel,
    comparative_statics,
    hedging_region,
)
from hedgewatch.strategy.plots import plot_comparative_statics, plot_forecast
from hedgewatch.strategy.scenario import Actor, Scenario, read_scenario

__all__ = [
    "Actor",
    "ForecastResult",
    "OutbiddingEquilibrium",
    "OutbiddingModel",
    "Scenario",
    "agreement_position",
    "alignment_from_hedging",
    "alignment_from_ideal_points",
    "calibrate_outbidding",
    "comparative_statics",
    "forecast",
    "hedging_region",
    "plot_comparative_statics",
    "plot_forecast",
    "read_scenario",
    "scenario_from_ideal_points",
    "weighted_mean",
    "weighted_median",
]
