"""hedgewatch: where does a state stand between great powers, and is it moving?

The public API is what this module exports. Data access returns tidy pandas DataFrames;
estimators follow the scikit-learn shape (configure, ``fit``, read results).
"""

from __future__ import annotations

from hedgewatch.errors import (
    DataFormatError,
    HedgewatchError,
    InsufficientDataError,
    ParameterError,
    ScenarioError,
    StoreError,
    UnknownCountryError,
)
from hedgewatch.store import Store
from hedgewatch.unga import ISSUES, roll_calls, votes

__version__ = "0.1.0"

__all__ = [
    "ISSUES",
    "DataFormatError",
    "HedgewatchError",
    "InsufficientDataError",
    "ParameterError",
    "ScenarioError",
    "Store",
    "StoreError",
    "UnknownCountryError",
    "roll_calls",
    "votes",
    "__version__",
]
