"""The events table family: daily dyad aggregates of event data, query and write.

Tables
------
``events``
    Partial sums per ``dataset, date, country_a, country_b``: ``events``, the four quad-class
    counts, ``goldstein_x10`` (tenths), ``mentions, sources, articles``, ``tone_e6`` and
    ``weight_e6`` (millionths). Integers, so sums are exact in any order. Imports append; a
    key may repeat across imports (a later file may add events to an earlier day), and every
    query sums by key. Count columns are null for the dyad layout (weights only).
``event_datasets``
    One row per dataset: ``dataset, layout, directed, description``. A dataset holds one
    layout (``gdelt``, ``dyad``, ``csv``); ``directed`` says whether ``country_a`` acted on
    ``country_b`` (event-level layouts) or the pair is unordered (``dyad``, stored with
    ``country_a <= country_b``).
``event_files``
    Provenance, one row per file imported: ``dataset, file, md5, bytes, rows, dyadic,
    rejected, engine, imported``. A file of the same dataset and name is never added twice.
``event_unmapped``
    Actor country codes that are not a state, ``dataset, code, kind, slots``, accumulated.

Writing goes through :func:`event_import`, one atomic :meth:`Store.transaction`: partials are
staged in the transaction's copy of the database (DuckDB spills to disk under a memory limit,
so the import is bounded in memory whatever its size) and summed by key at the end. An error
anywhere leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence

import pandas as pd
import pyarrow as pa

from hedgewatch import countries as _countries
from hedgewatch._validation import fail, validated
from hedgewatch.errors import DataFormatError, MissingDataError, ParameterError, StoreError
from hedgewatch.store._database import Store, get_store

TABLE = "events"
DATASETS = "event_datasets"
FILES = "event_files"
UNMAPPED = "event_unmapped"

_SUMS = (
    "events",
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
    "goldstein_x10",
    "mentions",
    "sources",
    "articles",
    "tone_e6",
    "weight_e6",
)
_SCHEMA = f"""
create table if not exists {TABLE} (
    dataset varchar not null, date date not null, country_a varchar not null,
    country_b varchar not null, {", ".join(f"{c} bigint" for c in _SUMS)}
);
create table if not exists {DATASETS} (
    dataset varchar primary key, layout varchar, directed boolean, description varchar
);
create table if not exists {FILES} (
    dataset varchar, file varchar, md5 varchar, bytes bigint, rows bigint, dyadic bigint,
    rejected bigint, engine varchar, imported timestamp, primary key (dataset, file)
);
create table if not exists {UNMAPPED} (
    dataset varchar, code varchar, kind varchar, slots bigint, primary key (dataset, code)
);
"""
#: Memory DuckDB may use while an import sums its partials (it spills to disk beyond).
IMPORT_MEMORY_LIMIT = "512MB"
#: The summed columns of :func:`event_days`, and their SQL.
_DAY_COLUMNS = {
    **{
        c: f"cast(sum({c}) as double)"
        for c in ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
    },
    "goldstein_sum": "cast(sum(goldstein_x10) as double) / 10",
    "mentions": "cast(sum(mentions) as double)",
    "sources": "cast(sum(sources) as double)",
    "articles": "cast(sum(articles) as double)",
    "tone_sum": "cast(sum(tone_e6) as double) / 1e6",
    "weight": "cast(sum(weight_e6) as double) / 1e6",
}
#: Partial rows buffered in Python before one insert into the staging table.
_FLUSH_ROWS = 250_000


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------
@validated
def has_events(store: Store | str | os.PathLike[str] | None = None) -> bool:
    """Whether the store holds any event data."""
    st = get_store(store)
    if not st.path.exists() or not st.has_table(TABLE):
        return False
    with st.connect() as con:
        row = con.execute(f"select exists (select 1 from {TABLE})").fetchone()
        return bool(row is not None and row[0])


@validated
def event_datasets(store: Store | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The event datasets in the store: ``dataset, layout, directed, description, files,
    first, last, pairs_days`` (rows of daily pair data)."""
    st = get_store(store)
    if not has_events(st):
        return pd.DataFrame(
            columns=["dataset", "layout", "directed", "description", "files", "first", "last"]
        )
    return st.query(
        f"""
        select d.dataset, d.layout, d.directed, d.description,
               (select count(*) from {FILES} f where f.dataset = d.dataset) as files,
               min(e.date) as first, max(e.date) as last, count(*) as rows
        from {DATASETS} d join {TABLE} e using (dataset)
        group by all order by d.dataset
        """
    )


@validated
def event_files(
    dataset: str | None = None, *, store: Store | str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Files imported (provenance), optionally of one dataset."""
    st = get_store(store)
    if not has_events(st):
        return pd.DataFrame(columns=["dataset", "file", "md5", "bytes", "rows", "dyadic"])
    where, params = ("where dataset = ?", [dataset]) if dataset else ("", [])
    return st.query(f"select * from {FILES} {where} order by dataset, file", params)


@validated
def event_unmapped(
    dataset: str | None = None, *, store: Store | str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Actor country codes imported that are not a state: ``dataset, code, kind, slots``,
    most frequent first."""
    st = get_store(store)
    if not has_events(st):
        return pd.DataFrame(columns=["dataset", "code", "kind", "slots"])
    where, params = ("where dataset = ?", [dataset]) if dataset else ("", [])
    return st.query(f"select * from {UNMAPPED} {where} order by slots desc, code", params)


@validated
def event_countries(
    dataset: str | None = None, *, store: Store | str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Every country with an event with another country: ``country, first, last`` (dates),
    over one dataset (default: the only one loaded)."""
    st = get_store(store)
    name = resolve_dataset(dataset, st)
    return st.query(
        f"""
        select country, min(date) as first, max(date) as last from (
            select country_a as country, date from {TABLE}
            where dataset = ? and country_a <> country_b
            union all
            select country_b as country, date from {TABLE}
            where dataset = ? and country_a <> country_b
        ) group by country order by country
        """,
        [name, name],
    )


@validated
def resolve_dataset(
    dataset: str | None, store: Store | str | os.PathLike[str] | None = None
) -> str:
    """The dataset to read: the one given (checked), or the only one loaded."""
    ds = event_datasets(store)
    names = list(ds["dataset"])
    if not names:  # data-thinness (exit status 5), not a fault of the store
        raise MissingDataError(
            f"{get_store(store).path}: no event data imported yet. Run 'hedgewatch events "
            "import FILES' or 'hedgewatch events fetch --from DATE --to DATE' first."
        )
    if dataset is None:
        if len(names) > 1:
            raise ParameterError(
                f"several event datasets are loaded ({', '.join(names)}); choose one with "
                "dataset= (--dataset)."
            )
        return names[0]
    if dataset not in names:
        raise ParameterError(
            f"no event dataset {dataset!r} in the store; loaded: {', '.join(names)}."
        )
    return dataset


@validated
def event_days(
    countries: Sequence[str] | str | None = None,
    *,
    partners: Sequence[str] | str | None = None,
    dataset: str | None = None,
    start: object = None,
    end: object = None,
    columns: Sequence[str] | str | None = None,
    sort: bool = True,
    store: Store | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Daily dyad rows of one event dataset, summed over imports.

    Parameters
    ----------
    countries
        Keep rows with one of these on either side (any form
        :func:`hedgewatch.countries.resolve` takes); default all.
    partners
        With ``countries``: keep only rows whose other side is one of these.
    dataset
        The dataset (default: the only one loaded).
    start, end
        Inclusive bounds: dates, or years (``2018``).
    columns
        The summed columns to return (default all; e.g. ``["weight"]`` reads the whole
        world faster).
    sort
        Sort by date and pair (default); False skips the sort (the whole world: faster).
    store
        The store (default: the user's).

    Returns
    -------
    DataFrame ``date, country_a, country_b, events, verbal_coop, material_coop,
    verbal_conflict, material_conflict, goldstein_sum, mentions, sources, articles,
    tone_sum, weight`` sorted by date and pair, with ``attrs["dataset"]`` and
    ``attrs["directed"]``. Counts are NaN for the dyad layout.
    """
    st = get_store(store)
    name = resolve_dataset(dataset, st)
    where: list[str] = ["dataset = ?"]
    params: list[object] = [name]
    if countries is not None:
        codes = _codes(countries, "countries")
        marks = ", ".join("?" for _ in codes)
        if partners is None:
            where.append(f"(country_a in ({marks}) or country_b in ({marks}))")
            params += codes + codes
        else:
            other = _codes(partners, "partners")
            om = ", ".join("?" for _ in other)
            where.append(
                f"((country_a in ({marks}) and country_b in ({om})) or "
                f"(country_b in ({marks}) and country_a in ({om})))"
            )
            params += codes + other + codes + other
    for bound, op, is_end in ((start, ">=", False), (end, "<=", True)):
        if bound is not None:
            where.append(f"date {op} ?")
            params.append(_as_day(bound, is_end))
    if columns is None:
        chosen = list(_DAY_COLUMNS)
    else:
        chosen = [columns] if isinstance(columns, str) else list(columns)
        bad = [c for c in chosen if c not in _DAY_COLUMNS]
        if bad:
            raise fail("columns", f"columns among {', '.join(_DAY_COLUMNS)}", bad)
    sums = ", ".join(f"{_DAY_COLUMNS[c]} as {c}" for c in chosen)
    sql = f"""
        select date, country_a, country_b{", " if sums else ""}{sums}
        from {TABLE} where {" and ".join(where)}
        group by date, country_a, country_b
        {"order by date, country_a, country_b" if sort else ""}
    """
    out = st.query(sql, params)
    out["date"] = pd.to_datetime(out["date"])
    out.attrs["dataset"] = name
    out.attrs["directed"] = bool(
        st.query(f"select directed from {DATASETS} where dataset = ?", [name]).iloc[0, 0]
    )
    return out


def _codes(values: Sequence[str] | str, where: str) -> list[str]:
    vals = [values] if isinstance(values, str) else list(values)
    return [_countries.resolve(v, where=where) for v in vals]


def _as_day(x: object, is_end: bool) -> dt.date:
    if isinstance(x, int) or (isinstance(x, str) and x.isdigit() and len(x) == 4):
        return dt.date(int(x), 12, 31) if is_end else dt.date(int(x), 1, 1)
    return pd.Timestamp(str(x)).date()


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------
class EventSink:
    """Where an import puts its partials, file records and unmapped codes (see
    :func:`event_import`). Not made directly."""

    def __init__(self, con, dataset: str, engine: str) -> None:
        self._con = con
        self.dataset = dataset
        self.engine = engine
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        rows = con.execute(f"select file, md5 from {FILES} where dataset = ?", [dataset])
        self._known: dict[str, str] = dict(rows.fetchall())
        self._files: list[tuple] = []
        self._unmapped: dict[str, tuple[str, int]] = {}
        self.rows = 0

    def imported_files(self) -> set[str]:
        """Names of the files already imported into this dataset (or in this import)."""
        return set(self._known) | {f[1] for f in self._files}

    def add(self, partial: pa.Table) -> None:
        """Stage one partial (:data:`hedgewatch.events._aggregate.PARTIAL_SCHEMA`)."""
        if not partial.num_rows:
            return
        self._buffer.append(partial)
        self._buffered += partial.num_rows
        if self._buffered >= _FLUSH_ROWS:
            self._flush()

    def add_file(
        self,
        file: str,
        *,
        md5: str,
        size: int,
        rows: int,
        dyadic: int,
        rejected: int = 0,
    ) -> None:
        """Record one imported file; a file of the same name imported before is refused."""
        if file in self._known or file in self.imported_files():
            same = self._known.get(file) == md5
            raise DataFormatError(
                file,
                "this file was imported into dataset "
                f"{self.dataset!r} before{'' if same else ' with other contents'}",
                hint="Nothing was imported. Leave it out, or import it into another dataset "
                "(--dataset NAME).",
            )
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self._files.append(
            (self.dataset, file, md5, size, rows, dyadic, rejected, self.engine, now)
        )

    def add_unmapped(self, counts: Mapping[str, tuple[str, int]]) -> None:
        """Accumulate the counts of actor codes that are not a state."""
        for code, (kind, n) in counts.items():
            self._unmapped[code] = (kind, self._unmapped.get(code, (kind, 0))[1] + n)

    def _flush(self) -> None:
        if not self._buffer:
            return
        batch = pa.concat_tables(self._buffer)
        self._buffer, self._buffered = [], 0
        self._con.register("_partial", batch)
        try:
            self._con.execute("insert into _event_staging select * from _partial")
        finally:
            self._con.unregister("_partial")
        self.rows += batch.num_rows

    def _commit(self) -> None:
        self._flush()
        sums = ", ".join(f"cast(sum({c}) as bigint)" for c in _SUMS)
        self._con.execute(
            f"""insert into {TABLE}
                select ?, date, country_a, country_b, {sums}
                from _event_staging group by date, country_a, country_b""",
            [self.dataset],
        )
        self._con.execute("drop table _event_staging")
        if self._files:
            cols = ["dataset", "file", "md5", "bytes", "rows", "dyadic", "rejected", "engine",
                    "imported"]  # fmt: skip
            self._con.register("_files", pd.DataFrame(self._files, columns=cols))
            self._con.execute(f"insert into {FILES} select * from _files")
            self._con.unregister("_files")
        for code, (kind, n) in self._unmapped.items():
            self._con.execute(
                f"""insert into {UNMAPPED} values (?, ?, ?, ?)
                    on conflict (dataset, code) do update set slots = slots + excluded.slots""",
                [self.dataset, code, kind, n],
            )


@contextlib.contextmanager
def event_import(
    dataset: str,
    *,
    layout: str,
    directed: bool,
    description: str = "",
    engine: str = "",
    store: Store | str | os.PathLike[str] | None = None,
) -> Iterator[EventSink]:
    """An atomic import into one event dataset.

    Yields an :class:`EventSink`; on leaving the block without an error the staged partials
    are summed by day and pair and appended to ``events``, and the files and unmapped codes
    recorded, all in one :meth:`Store.transaction`. On an error nothing is written.
    """
    st = get_store(store)
    with st.transaction() as con:
        con.execute(f"set memory_limit = '{IMPORT_MEMORY_LIMIT}'")
        con.execute("set preserve_insertion_order = false")
        con.execute(_SCHEMA)
        old = con.execute(
            f"select layout, directed from {DATASETS} where dataset = ?", [dataset]
        ).fetchone()
        if old is not None and (old[0], bool(old[1])) != (layout, directed):
            raise StoreError(
                f"the event dataset {dataset!r} holds the {old[0]!r} layout; this import is "
                f"{layout!r}. Import it into another dataset (--dataset NAME)."
            )
        if old is None:
            con.execute(
                f"insert into {DATASETS} values (?, ?, ?, ?)",
                [dataset, layout, directed, description],
            )
        con.execute(
            "create or replace table _event_staging as select * exclude (dataset) "
            f"from {TABLE} limit 0"
        )
        sink = EventSink(con, dataset, engine)
        yield sink
        sink._commit()
        con.execute(
            "insert or replace into meta values (?, ?)",
            [f"import:events:{dataset}", f"{engine or 'import'} {dt.date.today().isoformat()}"],
        )
