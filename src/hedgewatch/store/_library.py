"""Imports that touch several table families at once: a UN Digital Library file.

A Library file in the scraped layouts holds General Assembly and Security Council votes
together; :func:`import_library` writes both parts in one atomic step, so a file is either
imported whole or not at all.
"""

from __future__ import annotations

from typing import Any

from hedgewatch._validation import validated
from hedgewatch.store._database import Store, get_store
from hedgewatch.store._security_council import TABLES, load_council_bundle, write_council
from hedgewatch.store._votes import note_import, plan_assembly, write_assembly


@validated
def import_library(
    record: Any, *, store: Store | str | None = None, provenance: str = ""
) -> dict[str, int]:
    """Add a :class:`~hedgewatch.sources.records.LibraryRecord` (GA and SC) atomically.

    The Assembly part goes through :func:`~hedgewatch.store.import_record`'s rules (roll
    calls already held are matched, not added); the Council part through
    :func:`~hedgewatch.store.import_council`'s.

    Returns
    -------
    dict
        The Assembly counts (see :func:`~hedgewatch.store.import_record`) and
        ``council_resolutions``, ``council_votes``, ``council_vetoes`` (rows written).
    """
    st = get_store(store)
    # read and write under the lock: no import is lost
    with st.transaction(tables=("votes", "roll_calls", *TABLES)) as con:
        plan = plan_assembly(record.assembly, con)
        if len(record.council):
            load_council_bundle(con)
        conflicts = write_assembly(con, plan) if len(plan.roll_calls) or plan.drop else 0
        council = write_council(con, record.council)
        note_import(con, provenance)
    return {**plan.counts, "conflicts": conflicts, "votes": len(plan.votes), **council}
