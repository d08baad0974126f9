"""Dated statements: near-duplicates, narratives and synchronised adoption.

The functions take a statements DataFrame, as returned by :func:`hedgewatch.statements`;
:func:`hedgewatch.import_statements` reads corpora into the store.
"""

from __future__ import annotations

from hedgewatch._deprecation import moved
from hedgewatch.statements._narratives import NarrativeResult, narratives
from hedgewatch.statements.dedup import collapse_duplicates, mark_duplicates
from hedgewatch.statements.sync import SyncResult, synchronisation

__getattr__ = moved(
    "hedgewatch.statements",
    {
        "statements": "hedgewatch.store:statements",
        "import_statements": "hedgewatch.workflows:import_statements",
        "ImportReport": "hedgewatch.workflows:ImportReport",
    },
)

__all__ = [
    "NarrativeResult",
    "SyncResult",
    "collapse_duplicates",
    "mark_duplicates",
    "narratives",
    "synchronisation",
]
