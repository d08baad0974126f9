"""The embedded DuckDB store: every table hedgewatch reads, one query module per family.

* :class:`Store` - the database file: connections, atomic writes, the result cache.
* General Assembly: :func:`votes`, :func:`roll_calls`, :func:`info`, :func:`import_record`.
* General Debate: :func:`speeches`, :func:`speech_counts`, :func:`write_speeches`.
* Statements: :func:`statements`, :func:`add_statements`.
* Bridges: :func:`bridges`, :func:`write_bridges`.
* Events: :func:`event_days`, :func:`event_datasets`, :func:`event_files`,
  :func:`event_unmapped`, :func:`event_countries`, :func:`has_events`,
  :func:`event_import`.
* Security Council: :func:`council_resolutions`, :func:`council_votes`, :func:`vetoes`,
  :func:`council_info`, :func:`import_council`.
* A UN Digital Library file (GA and SC at once): :func:`import_library`.

Analyses never run SQL: they take the DataFrames these functions return. Readers
(:mod:`hedgewatch.sources`) never touch the store: they return normalised tables that the
write functions here persist. Where files live is :mod:`hedgewatch.paths`.
"""

from __future__ import annotations

from hedgewatch.store._bridges import bridges, write_bridges
from hedgewatch.store._database import Store, default_store, get_store, reusing_connections
from hedgewatch.store._events import (
    event_countries,
    event_datasets,
    event_days,
    event_files,
    event_import,
    event_unmapped,
    has_events,
)
from hedgewatch.store._library import import_library
from hedgewatch.store._security_council import (
    council_info,
    council_resolutions,
    council_votes,
    import_council,
    vetoes,
)
from hedgewatch.store._speeches import speech_counts, speeches, write_speeches
from hedgewatch.store._statements import add_statements, statements
from hedgewatch.store._votes import (
    ISSUES,
    NO_RECORDED_VOTES,
    VOTE_VALUES,
    Coverage,
    coverage,
    import_record,
    info,
    issue_code,
    roll_calls,
    votes,
)

__all__ = [
    "ISSUES",
    "NO_RECORDED_VOTES",
    "VOTE_VALUES",
    "Coverage",
    "Store",
    "add_statements",
    "bridges",
    "council_info",
    "council_resolutions",
    "council_votes",
    "coverage",
    "default_store",
    "event_datasets",
    "event_days",
    "event_files",
    "event_import",
    "event_unmapped",
    "get_store",
    "reusing_connections",
    "event_countries",
    "has_events",
    "import_council",
    "import_library",
    "import_record",
    "info",
    "issue_code",
    "roll_calls",
    "speech_counts",
    "speeches",
    "statements",
    "vetoes",
    "votes",
    "write_bridges",
    "write_speeches",
]
