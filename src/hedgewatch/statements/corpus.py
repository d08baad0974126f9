"""The ``statements`` table in the store: import corpora, query them.

Table ``statements``: ``statement_id, actor (ISO3), date, title, text, url, language, source,
detected_language, file, line, duplicate_of, dup_count``. Every imported record is kept;
near-duplicates (see :mod:`hedgewatch.statements.dedup`) carry the id of their group's
representative in ``duplicate_of``, and :func:`statements` returns representatives only unless
asked otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch.errors import StoreError
from hedgewatch.sources.statements import read_many
from hedgewatch.statements.dedup import mark_duplicates
from hedgewatch.store import Store, get_store

TABLE = "statements"


@dataclass(frozen=True)
class ImportReport:
    """What an import did: records read, new, rejected (quarantined), duplicates, total."""

    read: int
    new: int
    rejected: int
    duplicates: int
    total: int

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the counts."""
        return pd.DataFrame([self.__dict__])


def import_statements(
    paths: Iterable[str | os.PathLike[str]],
    *,
    actor: str | None = None,
    source: str | None = None,
    language: str | None = None,
    quarantine: str | os.PathLike[str] | None = None,
    store: Store | str | os.PathLike[str] | None = None,
) -> ImportReport:
    """Read corpora, mark near-duplicates over old and new records, write the table at once.

    Parameters
    ----------
    paths
        Files or manifest directories (see :mod:`hedgewatch.sources.statements`).
    actor, source, language
        Defaults for records that lack these fields.
    quarantine
        Write rejected records there instead of failing (see the reader).
    store
        The store (default: the user's).

    Returns
    -------
    ImportReport
    """
    st = get_store(store)
    new = read_many(paths, actor=actor, source=source, language=language, quarantine=quarantine)
    old = st.table(TABLE) if st.has_table(TABLE) else None
    fresh = new[~new["statement_id"].isin(old["statement_id"])] if old is not None else new
    cols = list(new.columns)
    both = pd.concat([old[cols], fresh], ignore_index=True) if old is not None else fresh
    marked = mark_duplicates(both)
    st.write_tables({TABLE: marked}, provenance=",".join(str(p) for p in paths))
    return ImportReport(
        read=len(new),
        new=len(fresh),
        rejected=int(new.attrs.get("rejected", 0)),
        duplicates=int(marked["duplicate_of"].notna().sum()),
        total=len(marked),
    )


def statements(
    actors: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    store: Store | str | os.PathLike[str] | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Statements from the store, filtered by actor and date.

    Parameters
    ----------
    actors
        Countries (any form :func:`hedgewatch.countries.resolve` takes); default all.
    start, end
        Inclusive date bounds (``"2024-01-01"``, a Timestamp, or a year ``2024``).
    store
        The store (default: the user's).
    include_duplicates
        Also return near-duplicates (rows with ``duplicate_of`` set).

    Returns
    -------
    DataFrame sorted by date and actor.
    """
    st = get_store(store)
    if not st.has_table(TABLE):
        raise StoreError(
            f"{st.path}: no statements imported yet. Run 'hedgewatch statements "
            "import FILE...' (or hedgewatch.statements.import_statements) first."
        )
    where, params = [], []
    if actors is not None:
        acts = [actors] if isinstance(actors, str) else list(actors)
        codes = [_countries.resolve(a, where="actors") for a in acts]
        where.append(f"actor in ({', '.join('?' for _ in codes)})")
        params += codes
    for bound, op, is_end in ((start, ">=", False), (end, "<=", True)):
        if bound is not None:
            where.append(f"date {op} ?")
            params.append(_as_day(bound, is_end))
    if not include_duplicates:
        where.append("duplicate_of is null")
    sql = f"select * from {TABLE}" + (" where " + " and ".join(where) if where else "")
    return st.query(sql + " order by date, actor", params, tables=[TABLE])


def _as_day(x: object, is_end: bool) -> pd.Timestamp:
    if isinstance(x, int) or (isinstance(x, str) and x.isdigit() and len(x) == 4):
        return pd.Timestamp(int(x), 12, 31) if is_end else pd.Timestamp(int(x), 1, 1)
    return pd.Timestamp(x)
