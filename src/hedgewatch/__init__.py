"""hedgewatch: where does a state stand between great powers, and is it moving?

The public API is what this module exports. Data access returns tidy pandas DataFrames;
estimators follow the scikit-learn shape (configure, ``fit``, read results). Analysis
functions are loaded on first use, so ``import hedgewatch`` stays fast.

Layers: :mod:`hedgewatch.sources` (readers) -> :mod:`hedgewatch.store` (the DuckDB store and
its queries: votes, speeches, statements, bridges) -> analyses (:mod:`hedgewatch.alignment`,
:mod:`hedgewatch.idealpoints`, :mod:`hedgewatch.rhetoric`, :mod:`hedgewatch.statements`,
:mod:`hedgewatch.strategy`, :mod:`hedgewatch.council`, :mod:`hedgewatch.events`) ->
:mod:`hedgewatch.report` and the CLI.
:mod:`hedgewatch.workflows` holds the one-call wrappers (fetch, compute, cache).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hedgewatch.errors import (
    ConvergenceWarning,
    DataFormatError,
    HedgewatchError,
    InsufficientDataError,
    MissingDataError,
    MissingExtraError,
    ParameterError,
    ScenarioError,
    StoreError,
    UnknownCountryError,
)
from hedgewatch.store import ISSUES, Store, roll_calls, votes

__version__ = "0.1.0"

# name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    # alignment
    "dyadic": "hedgewatch.alignment",
    "agreement_matrix": "hedgewatch.alignment",
    "hedging_index": "hedgewatch.alignment",
    "pivots": "hedgewatch.alignment",
    "plot_hedging": "hedgewatch.alignment",
    "side_taking": "hedgewatch.alignment",
    "movers": "hedgewatch.alignment",
    "atlas": "hedgewatch.workflows",
    "align": "hedgewatch.workflows",
    "hedge": "hedgewatch.workflows",
    "HedgingResult": "hedgewatch.workflows",
    # ideal points
    "DynamicIdealPoints": "hedgewatch.idealpoints",
    "IdealPointResult": "hedgewatch.idealpoints",
    "fit_unga": "hedgewatch.workflows",
    "forecast_unga": "hedgewatch.workflows",
    "rolling_forecast": "hedgewatch.idealpoints",
    "rank_forecasts": "hedgewatch.idealpoints",
    "predictability": "hedgewatch.idealpoints",
    "rank_predictability": "hedgewatch.idealpoints",
    "surprising_votes": "hedgewatch.idealpoints",
    "plot_ideal_points": "hedgewatch.idealpoints",
    # rhetoric (speeches)
    "speeches": "hedgewatch.store",
    "similarity": "hedgewatch.rhetoric",
    "convergence": "hedgewatch.rhetoric",
    "convergence_many": "hedgewatch.rhetoric",
    "convergence_pairs": "hedgewatch.rhetoric",
    "compare_rhetoric": "hedgewatch.workflows",
    "RhetoricResult": "hedgewatch.workflows",
    "nearest_neighbours": "hedgewatch.rhetoric",
    "shared_narratives": "hedgewatch.rhetoric",
    "speech_positions": "hedgewatch.rhetoric",
    "plot_convergence": "hedgewatch.rhetoric",
    # dated statements (the table itself: hedgewatch.store.statements())
    "import_statements": "hedgewatch.workflows",
    "ImportReport": "hedgewatch.workflows",
    "narratives": "hedgewatch.statements",
    "NarrativeResult": "hedgewatch.statements",
    "synchronisation": "hedgewatch.statements",
    "SyncResult": "hedgewatch.statements",
    # events (GDELT)
    "event_days": "hedgewatch.store",
    "event_position": "hedgewatch.events",
    "event_alignment": "hedgewatch.events",
    "import_events": "hedgewatch.workflows",
    "fetch_events": "hedgewatch.workflows",
    "event_hedge": "hedgewatch.workflows",
    "EventHedgingResult": "hedgewatch.workflows",
    # Security Council
    "council_resolutions": "hedgewatch.store",
    "council_votes": "hedgewatch.store",
    "vetoes": "hedgewatch.store",
    "shielding": "hedgewatch.council",
    "ShieldingResult": "hedgewatch.council",
    "shield": "hedgewatch.workflows",
    # strategy
    "forecast": "hedgewatch.strategy",
    "read_scenario": "hedgewatch.strategy",
    "Scenario": "hedgewatch.strategy",
    "OutbiddingModel": "hedgewatch.strategy",
    "comparative_statics": "hedgewatch.strategy",
    "calibrate_outbidding": "hedgewatch.strategy",
    # report
    "build_report": "hedgewatch.report",
    "Report": "hedgewatch.report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hedgewatch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from hedgewatch.alignment import (  # noqa: F401
        agreement_matrix,
        dyadic,
        hedging_index,
        movers,
        pivots,
        plot_hedging,
        side_taking,
    )
    from hedgewatch.council import ShieldingResult, shielding  # noqa: F401
    from hedgewatch.events import event_alignment, event_position  # noqa: F401
    from hedgewatch.idealpoints import (  # noqa: F401
        DynamicIdealPoints,
        IdealPointResult,
        plot_ideal_points,
        predictability,
        rank_forecasts,
        rank_predictability,
        rolling_forecast,
        surprising_votes,
    )
    from hedgewatch.report import Report, build_report  # noqa: F401
    from hedgewatch.rhetoric import (  # noqa: F401
        convergence,
        convergence_many,
        convergence_pairs,
        nearest_neighbours,
        plot_convergence,
        shared_narratives,
        similarity,
        speech_positions,
    )
    from hedgewatch.statements import (  # noqa: F401
        NarrativeResult,
        SyncResult,
        narratives,
        synchronisation,
    )
    from hedgewatch.store import (  # noqa: F401
        council_resolutions,
        council_votes,
        event_days,
        speeches,
        vetoes,
    )
    from hedgewatch.strategy import (  # noqa: F401
        OutbiddingModel,
        Scenario,
        calibrate_outbidding,
        comparative_statics,
        forecast,
        read_scenario,
    )
    from hedgewatch.workflows import (  # noqa: F401
        EventHedgingResult,
        HedgingResult,
        ImportReport,
        RhetoricResult,
        align,
        atlas,
        compare_rhetoric,
        event_hedge,
        fetch_events,
        fit_unga,
        forecast_unga,
        hedge,
        import_events,
        import_statements,
        shield,
    )

__all__ = [
    "ISSUES",
    "ConvergenceWarning",
    "DataFormatError",
    "HedgewatchError",
    "InsufficientDataError",
    "MissingDataError",
    "MissingExtraError",
    "ParameterError",
    "ScenarioError",
    "Store",
    "StoreError",
    "UnknownCountryError",
    "__version__",
    "roll_calls",
    "votes",
    *_LAZY,
]
