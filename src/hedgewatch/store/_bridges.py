"""The bridges table family: ``bridges``, pairs of roll calls that are the same resolution.

Table ``bridges``: ``rcid1, rcid2`` (Bailey, Strezhnev & Voeten's list, bundled; replace it
with ``hedgewatch data import FILE --format bridges``).
"""

from __future__ import annotations

import pandas as pd

from hedgewatch._validation import validated
from hedgewatch.errors import MissingDataError
from hedgewatch.store._database import Store, get_store

TABLE = "bridges"


@validated
def bridges(*, store: Store | str | None = None) -> pd.DataFrame | None:
    """The store's ``bridges`` table (``rcid1, rcid2``), or None when it has none."""
    st = get_store(store)
    try:
        st.ensure(TABLE)
    except MissingDataError:
        return None
    return st.table(TABLE)[["rcid1", "rcid2"]]


@validated
def write_bridges(
    frame: pd.DataFrame, *, provenance: str = "", store: Store | str | None = None
) -> None:
    """Replace the ``bridges`` table (``rcid1, rcid2``) in one atomic step."""
    get_store(store).write_tables({TABLE: frame}, provenance=provenance or None)
