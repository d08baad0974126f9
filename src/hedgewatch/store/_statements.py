"""The statements table family: ``statements`` (dated official statements), query and write.

Table ``statements``: ``statement_id, actor (ISO3), date, title, text, url, language, source,
detected_language, file, line, duplicate_of, dup_count``. Every imported record is kept;
near-duplicates (see :mod:`hedgewatch.statements.dedup`) carry the id of their group's
representative in ``duplicate_of``, and :func:`statements` returns representatives only unless
asked otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, cast

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import validated
from hedgewatch.errors import MissingDataError
from hedgewatch.store._database import Store, get_store

TABLE = "statements"


@deprecated_args(renamed={"actors": "countries"})
@validated
def statements(
    countries: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    store: Store | str | os.PathLike[str] | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Statements from the store, filtered by country (the ``actor`` column) and date.

    Parameters
    ----------
    countries
        Countries (any form :func:`hedgewatch.countries.resolve` takes); default all.
        ``actors=`` is the deprecated keyword.
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
        raise MissingDataError(
            f"{st.path}: no statements imported yet. Run 'hedgewatch statements "
            "import FILE...' (or hedgewatch.import_statements) first."
        )
    where: list[str] = []
    params: list[object] = []
    if countries is not None:
        acts = [countries] if isinstance(countries, str) else list(countries)
        codes = [_countries.resolve(a, where="countries") for a in acts]
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
    return pd.Timestamp(cast(Any, x))


@validated
def add_statements(
    new: pd.DataFrame,
    mark: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    provenance: str = "",
    store: Store | str | os.PathLike[str] | None = None,
) -> tuple[int, pd.DataFrame]:
    """Add records to the ``statements`` table in one atomic write.

    Inside the write, the stored records are read, the records of ``new`` not yet stored
    (by ``statement_id``) appended, and ``mark`` (near-duplicate marking, an analysis the
    caller supplies) applied to the whole; the result replaces the table. Reading and
    writing in one transaction means a concurrent import cannot be lost in between.

    Returns
    -------
    ``(number of new records, the table as written)``.
    """
    st = get_store(store)
    try:
        with st.transaction(tables=(TABLE,)) as con:
            present = con.execute(
                "select count(*) from information_schema.tables where table_name = ?", [TABLE]
            ).fetchall()[0][0]
            old = con.execute(f"select * from {TABLE}").df() if present else None
            fresh = new[~new["statement_id"].isin(old["statement_id"])] if old is not None else new
            if old is not None and fresh.empty:
                raise _Unchanged(old)  # nothing new: leave the store (and its cache) as it is
            cols = list(new.columns)
            both = pd.concat([old[cols], fresh], ignore_index=True) if old is not None else fresh
            marked = mark(both)
            con.register("_incoming", marked)
            con.execute(f"create or replace table {TABLE} as select * from _incoming")
            con.unregister("_incoming")
            if provenance:
                con.execute(
                    "insert or replace into meta values (?, ?)", [f"import:{TABLE}", provenance]
                )
    except _Unchanged as same:
        return 0, same.table
    return len(fresh), marked


class _Unchanged(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside a write to end it without changing the store."""

    def __init__(self, table: pd.DataFrame) -> None:
        super().__init__()
        self.table = table
