"""The General Debate table family: ``speeches`` (UN General Debate statements).

Columns: ``country`` (continuing identity, ISO3), ``state`` (the state that spoke: ``SUN``
for the USSR, ``TWN`` for the Republic of China up to 1971), ``code`` (as filed in the
corpus), ``session``, ``year``, ``name`` and ``post`` of the speaker where known, ``text``.
See :mod:`hedgewatch.sources.ungdc` for the identity rules. The table is loaded from the
bundled snapshot (sessions 1-79, 1946-2024) on first use; import a newer corpus with
``hedgewatch.store.write_speeches(hedgewatch.sources.ungdc.load_ungdc(path))``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_param, validated
from hedgewatch.store._database import Store, get_store

TABLE = "speeches"


@validated
def speeches(
    countries: Sequence[str] | str | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
    successors: Mapping[str, str | None] | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """General Debate speeches, one row per state and year.

    Parameters
    ----------
    countries
        ISO3 codes (or names, ISO2 codes) of the continuing countries to keep (``"RUS"``
        includes the Soviet speeches, whose ``state`` is ``SUN``); ``"EU"`` selects the
        European Union. Default: all.
    start, end
        First and last year, inclusive.
    successors
        Mapping from historical state to continuing country, replacing the stored one (which
        follows :data:`hedgewatch.countries.DEFAULT_SUCCESSORS`); ``{}`` keeps each state
        apart (the Soviet speeches as ``SUN``).
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame with ``country, state, code, session, year, name, post, text`` ordered by
    year and country.

    References
    ----------
    Jankin, S., Baturo, A. and Dasandi, N. (2025) "Words to unite nations: The complete UN
    General Debate Corpus, 1946-present", Journal of Peace Research.
    """
    for label, value in (("start", start), ("end", end)):
        check_param(
            value is None or str(value).lstrip("-").isdigit(),
            label,
            "a year such as 1991",
            value,
        )
    where: list[str] = []
    params: list[object] = []
    if start is not None:
        where.append("year >= ?")
        params.append(int(start))
    if end is not None:
        where.append("year <= ?")
        params.append(int(end))
    country = _country_sql(successors)
    if countries is not None:
        codes = _codes([countries] if isinstance(countries, str) else countries)
        where.append(f"{country} in ({','.join('?' * len(codes))})" if codes else "false")
        params.extend(codes)
    df = _fetch(get_store(store), where, params, country, few=countries is not None)
    for col in ("session", "year"):
        df[col] = df[col].astype("int64")
    return df


def _country_sql(successors: Mapping[str, str | None] | None) -> str:
    """SQL for the continuing country: the stored column, or one derived from ``state``."""
    if successors is None:
        return "country"
    pairs = [(k, v) for k, v in successors.items() if v]
    if not pairs:
        return "state"
    q = lambda x: "'" + str(x).replace("'", "''") + "'"  # noqa: E731 - codes, quoted
    return (
        "(case state " + " ".join(f"when {q(k)} then {q(v)}" for k, v in pairs) + " else state end)"
    )


def _fetch(
    store: Store,
    where: list[str],
    params: list[object],
    country: str = "country",
    few: bool = False,
) -> pd.DataFrame:
    """The rows, a few years per query: DuckDB's result and pandas' copy of it coexist
    only for one window of years at a time (the whole text is ~0.16 GB in pandas). A few
    countries' speeches are small: one query (the bundled table is read in place, and each
    query decompresses its text column)."""
    cond = " where " + " and ".join(where) if where else ""
    cols = "*" if country == "country" else f"* replace ({country} as country)"
    if few:
        return store.query(
            f"select {cols} from {TABLE}{cond} order by year, country", params, (TABLE,)
        )
    span = store.query(
        f"select min(year) as lo, max(year) as hi from {TABLE}{cond}", params, tables=(TABLE,)
    ).iloc[0]
    sql = f"select {cols} from {TABLE} where {' and '.join([*where, 'year between ? and ?'])}"
    if pd.isna(span["lo"]):
        return store.query(sql + " order by year, country", [*params, 0, -1])
    lo, hi = int(span["lo"]), int(span["hi"])
    parts = [
        store.query(sql + " order by year, country", [*params, y, y + _YEARS_PER_QUERY - 1])
        for y in range(lo, hi + 1, _YEARS_PER_QUERY)
    ]
    return pd.concat(parts, ignore_index=True)


_YEARS_PER_QUERY = 8


def _codes(values: Sequence[str]) -> list[str]:
    return [
        v.strip().upper() if v.strip().upper() == "EU" else _countries.resolve(v) for v in values
    ]


@validated
def speech_counts(
    state: str,
    *,
    start: int,
    successors: Mapping[str, str | None] | None = None,
    store: Store | str | None = None,
) -> tuple[int, int, int]:
    """``(speeches, last year, speeches of state)`` from ``start`` on: a cheap stamp of the
    corpus, so that results computed from it can be cached without loading the text."""
    country = _country_sql(successors)
    row = (
        get_store(store)
        .query(
            f"select count(*) as n, max(year) as last, "
            f"count(*) filter (where {country} = ?) as own from {TABLE} where year >= ?",
            [_countries.resolve(state), int(start)],
            tables=(TABLE,),
        )
        .iloc[0]
    )
    last = -1 if pd.isna(row["last"]) else int(row["last"])
    return int(row["n"]), last, int(row["own"])


@validated
def write_speeches(frame: pd.DataFrame, *, store: Store | str | None = None) -> None:
    """Replace the ``speeches`` table (a frame from :func:`hedgewatch.sources.ungdc.load_ungdc`)
    in one atomic step."""
    get_store(store).write_tables({TABLE: frame}, provenance="speeches")
