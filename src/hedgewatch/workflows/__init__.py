"""One-call workflows: fetch from the store, compute with an analysis, cache the result.

The analysis packages (:mod:`hedgewatch.alignment`, :mod:`hedgewatch.idealpoints`, ...) take
DataFrames and never touch the store; the store (:mod:`hedgewatch.store`) runs the queries
and never analyses. The functions here join the two for a user (or the CLI, or the report)
who wants an answer in one call:

* :func:`align`, :func:`hedge` (:class:`HedgingResult`) - alignment from the stored votes;
* :func:`atlas` - every state between two powers, per period, cached in the store
  (:func:`register_source`: how a measure on another table fetches it);
* :func:`fit_unga` - dynamic ideal points of the stored record, cached in the store;
* :func:`forecast_unga` - rolling-origin forecasts of the stored record (out-of-sample
  predictability), summarised and cached;
* :func:`compare_rhetoric` (:class:`RhetoricResult`) - speech convergence, neighbours and
  shared narratives of two or three states, cached in the store;
  :func:`speech_vocabularies` - the yearly vocabularies of the speeches, cached;
* :func:`import_statements` (:class:`ImportReport`) - read corpora, mark duplicates, add;
* :func:`import_file` - read a vote file in any supported layout and import it;
* :func:`update_votes` - download the newest official vote file (verified) and import it;
* :func:`import_events`, :func:`fetch_events` - event files and GDELT exports into the store
  (embedded DuckDB or Dask); :func:`event_hedge` (:class:`EventHedgingResult`) and
  :func:`compare_positions` - event positions from the store;
* :func:`shield` - how powers acted on the Security Council's texts about a state;
* :func:`speech_vocabularies` - the General Debate's yearly TF-IDF vocabularies, cached.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from hedgewatch.workflows.idealpoints import fit_unga, forecast_unga
    from hedgewatch.workflows.rhetoric import (
        RhetoricResult,
        compare_rhetoric,
        speech_vocabularies,
    )
    from hedgewatch.workflows.statements import ImportReport, import_statements

# name -> module that defines it, imported on first use: an event import need not load the
# statistics and clustering stacks of the other workflows (seconds of CPU at start-up).
_LAZY: dict[str, str] = {
    "atlas": "hedgewatch.workflows._atlas",
    "register_source": "hedgewatch.workflows._atlas",
    "HedgingResult": "hedgewatch.workflows.alignment",
    "align": "hedgewatch.workflows.alignment",
    "hedge": "hedgewatch.workflows.alignment",
    "shield": "hedgewatch.workflows.council",
    "import_file": "hedgewatch.workflows.data",
    "update_votes": "hedgewatch.workflows.data",
    "EventHedgingResult": "hedgewatch.workflows.events",
    "EventImportReport": "hedgewatch.workflows.events",
    "FetchReport": "hedgewatch.workflows.events",
    "compare_positions": "hedgewatch.workflows.events",
    "event_hedge": "hedgewatch.workflows.events",
    "fetch_events": "hedgewatch.workflows.events",
    "import_events": "hedgewatch.workflows.events",
    "fit_unga": "hedgewatch.workflows.idealpoints",
    "forecast_unga": "hedgewatch.workflows.idealpoints",
    "RhetoricResult": "hedgewatch.workflows.rhetoric",
    "compare_rhetoric": "hedgewatch.workflows.rhetoric",
    "speech_vocabularies": "hedgewatch.workflows.rhetoric",
    "ImportReport": "hedgewatch.workflows.statements",
    "import_statements": "hedgewatch.workflows.statements",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hedgewatch.workflows' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
    "forecast_unga",
    "hedge",
    "import_events",
    "import_file",
    "import_statements",
    "register_source",
    "shield",
    "speech_vocabularies",
    "update_votes",
]
