"""Dated statements: import, near-duplicates, narratives and synchronised adoption."""

from __future__ import annotations

from hedgewatch.statements.corpus import ImportReport, import_statements, statements
from hedgewatch.statements.dedup import collapse_duplicates, mark_duplicates
from hedgewatch.statements.narratives import NarrativeResult, narratives
from hedgewatch.statements.sync import SyncResult, synchronisation

__all__ = [
    "ImportReport",
    "NarrativeResult",
    "SyncResult",
    "collapse_duplicates",
    "import_statements",
    "mark_duplicates",
    "narratives",
    "statements",
    "synchronisation",
]
