"""Events: where a state stands between powers in dyadic event data (GDELT, CAMEO-coded).

Votes come once a year; states act every day. Event data code each news report of one state
acting toward another (a CAMEO event, its quad class and Goldstein score). This package takes
the daily dyad tables the store holds (:func:`hedgewatch.store.event_days`) and measures:

* :func:`aggregate` - sums per day, week, month, quarter or year, with intensity normalised by
  the state's total event volume (:mod:`hedgewatch.events._aggregate`);
* :func:`event_alignment` - net cooperation of a state with each partner
  (:mod:`hedgewatch.events.alignment`);
* :func:`event_position` - the hedging position between two powers with block-bootstrap
  intervals, and :func:`event_positions` for every state at once
  (:mod:`hedgewatch.events.position`); change points with :func:`hedgewatch.alignment.pivots`;
* :func:`position_correlation` - how event and vote positions relate
  (:mod:`hedgewatch.events.compare`).

:func:`partial_aggregate` and :func:`sum_partials` are the per-file aggregation of an import,
shared by the embedded and the distributed engines. Importing and fetching are in
:mod:`hedgewatch.workflows.events`.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution* 36(2): 369-385.
Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone,
1979-2012. ISA Annual Convention, San Francisco.
"""

from __future__ import annotations

from hedgewatch.events._aggregate import (
    PERIODS,
    aggregate,
    dyad_partial,
    partial_aggregate,
    period_labels,
    sum_partials,
)
from hedgewatch.events._measures import MEASURES
from hedgewatch.events.alignment import event_alignment
from hedgewatch.events.compare import PositionCorrelation, position_correlation
from hedgewatch.events.position import event_position, event_positions
from hedgewatch.sources._events import QUAD_CLASSES

__all__ = [
    "MEASURES",
    "PERIODS",
    "QUAD_CLASSES",
    "PositionCorrelation",
    "aggregate",
    "dyad_partial",
    "event_alignment",
    "event_position",
    "event_positions",
    "partial_aggregate",
    "period_labels",
    "position_correlation",
    "sum_partials",
]
