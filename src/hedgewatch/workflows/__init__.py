"""One-call workflows: fetch from the store, compute with an analysis, cache the result.

The analysis packages (:mod:`hedgewatch.alignment`, :mod:`hedgewatch.idealpoints`, ...) take
DataFrames and never touch the store; the store (:mod:`hedgewatch.store`) runs the queries
and never analyses. The functions here join the two for a user (or the CLI, or the report)
who wants an answer in one call:

* :func:`align`, :func:`hedge` (:class:`HedgingResult`) - alignment from the stored votes;
* :func:`atlas` - every state between two powers, per period, cached in the store
  (:func:`register_source`: how a measure on another table fetches it);
* :func:`fit_unga` - dynamic ideal points of the stored record, cached in the store;
* :func:`compare_rhetoric` (:class:`RhetoricResult`) - speech convergence, neighbours and
  shared narratives of two or three states, cached in the store;
* :func:`import_statements` (:class:`ImportReport`) - read corpora, mark duplicates, add;
* :func:`import_file` - read a vote file in any supported layout and import it;
* :func:`update_votes` - download the newest official vote file (verified) and import it;
* :func:`import_events`, :func:`fetch_events` - event files and GDELT exports into the store
  (embedded DuckDB or Dask); :func:`event_hedge` (:class:`EventHedgingResult`) and
  :func:`compare_positions` - event positions from the store;
* :func:`shield` - how powers acted on the Security Council's texts about a state.
"""

from __future__ import annotations

from hedgewatch.workflows._atlas import atlas, register_source
from hedgewatch.workflows.alignment import HedgingResult, align, hedge
from hedgewatch.workflows.council import shield
from hedgewatch.workflows.data import import_file, update_votes
from hedgewatch.workflows.events import (
    EventHedgingResult,
    EventImportReport,
    FetchReport,
    compare_positions,
    event_hedge,
    fetch_events,
    import_events,
)
from hedgewatch.workflows.idealpoints import fit_unga
from hedgewatch.workflows.rhetoric import RhetoricResult, compare_rhetoric
from hedgewatch.workflows.statements import ImportReport, import_statements

__all__ = [
    "EventHedgingResult",
    "EventImportReport",
    "FetchReport",
    "HedgingResult",
    "ImportReport",
    "RhetoricResult",
    "align",
    "atlas",
    "compare_rhetoric",
    "compare_positions",
    "event_hedge",
    "fetch_events",
    "fit_unga",
    "hedge",
    "import_events",
    "import_file",
    "import_statements",
    "register_source",
    "shield",
    "update_votes",
]
