"""The embedded DuckDB database: the :class:`Store` class every table family goes through.

Layout: one DuckDB file, ``$HEDGEWATCH_HOME/hedgewatch.duckdb`` (default: the platform's user
data directory, e.g. ``~/.local/share/hedgewatch``). Tables are created from the Parquet
snapshot shipped in ``hedgewatch/data/`` the first time they are asked for, so a fresh install
works offline.

Imports are atomic: :meth:`Store.transaction` copies the database to a temporary file beside
it, applies every change there, checkpoints and closes it, and only then moves it over the old
file with :func:`os.replace`. A bad row (the reader raises before anything is written) or a
process killed half-way leaves the previous store exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from hedgewatch.errors import StoreError
from hedgewatch.paths import bundled_path, bundled_tables, store_path

#: DuckDB's memory limit while loading a bundled table (peak RSS of a fresh store's first use).
_LOAD_MEMORY_LIMIT = "256MB"
#: Bundled tables read in place (a view over the package's Parquet file) until an import
#: writes them: loading the General Debate (42 MB of Parquet, 60 MB in DuckDB) into every new
#: store took most of a first report, which reads three states' speeches from it.
VIEWED = frozenset({"speeches"})


class Store:
    """A hedgewatch store on disk.

    Parameters
    ----------
    path
        The DuckDB file. Default: ``data_home() / "hedgewatch.duckdb"``.

    Examples
    --------
    >>> store = Store()
    >>> store.query("select count(*) as n from votes where vote <> 'absent'", tables=["votes"])
            n
    0  936393
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else store_path()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------
    @contextlib.contextmanager
    def connect(self, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the store; read-only unless asked otherwise."""
        if not self.path.exists():
            self._create_empty()
        try:
            con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(
                f"{self.path}: cannot open the store ({exc}). Is another hedgewatch process "
                "writing to it? Wait for it to finish, or set HEDGEWATCH_HOME to another folder."
            ) from exc
        try:
            con.execute("set enable_progress_bar = false")  # no bar on the user's stderr
            yield con
        finally:
            con.close()

    def tables(self) -> list[str]:
        """Names of the tables present in the store (not counting bundled ones not yet loaded)."""
        return list(self._read_state()[0])

    def _read_state(self) -> tuple[tuple[str, ...], dict[str, str]]:
        """The table names and the meta table, read once per state of the file: a report
        asks for them hundreds of times (every cache key holds the data version), and each
        connection costs tens of milliseconds on a busy machine."""
        sig = _signature(self.path)
        memo = _STATE.get(str(self.path))
        if sig is not None and memo is not None and memo[0] == sig:
            return memo[1], dict(memo[2])
        with self.connect() as con:
            rows = con.execute(
                "select table_name from information_schema.tables where table_schema='main'"
            ).fetchall()
            meta = dict(con.execute("select key, value from meta").fetchall())
        names = tuple(sorted(r[0] for r in rows))
        sig = _signature(self.path)  # after connect: a first use creates the file
        if sig is not None:
            _STATE[str(self.path)] = (sig, names, meta)
        return names, dict(meta)

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def ensure(self, *names: str) -> None:
        """Make sure tables exist, loading them from the bundled snapshot where missing.

        Raises :class:`StoreError` naming what to import when a table is neither in the
        store nor bundled.
        """
        present = set(self.tables())
        missing = [n for n in names if n not in present]
        stale = [n for n in names if n in present and n in VIEWED and not self._view_ok(n)]
        missing += stale
        if not missing:
            return
        bundled = set(bundled_tables())
        unknown = [n for n in missing if n not in bundled]
        if unknown:
            raise StoreError(
                f"{self.path}: the store has no table {unknown[0]!r} and none is bundled. "
                "Import the data first (see 'hedgewatch data import --help')."
            )
        # Loading package data does not change any data a cached result was computed from
        # (a computation needing the table would have loaded it), so the version stays.
        with self.transaction(new_version=False) as con:
            # DuckDB would otherwise hold a whole decompressed table (the speeches: ~0.7 GiB)
            # in memory until the commit; with a limit it writes blocks to the file as it goes.
            con.execute(f"set memory_limit = '{_LOAD_MEMORY_LIMIT}'")
            for n in missing:
                _load_parquet(con, n, bundled_path(f"{n}.parquet"), view=n in VIEWED)

    def _view_ok(self, name: str) -> bool:
        """Whether a bundled table read in place still points at this package's file (a store
        outlives a reinstall elsewhere); False makes :meth:`ensure` point it again."""
        with self.connect() as con:
            row = con.execute(
                "select sql from duckdb_views() where view_name = ? and schema_name = 'main'",
                [name],
            ).fetchone()
        return row is None or str(bundled_path(f"{name}.parquet")) in str(row[0])

    def query(
        self,
        sql: str,
        params: Sequence[Any] | Mapping[str, Any] | None = None,
        tables: Sequence[str] = (),
    ) -> pd.DataFrame:
        """Run SQL and return a DataFrame. ``tables`` are ensured to exist first."""
        if tables:
            self.ensure(*tables)
        with self.connect() as con:
            return con.execute(sql, params).df() if params is not None else con.execute(sql).df()

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a DataFrame."""
        self.ensure(name)
        with self.connect() as con:
            return con.execute(f'select * from "{name}"').df()

    def meta(self) -> dict[str, str]:
        """Key-value metadata: data version, provenance of each import."""
        return self._read_state()[1]

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(
        self, new_version: bool = True, tables: Sequence[str] | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable connection on a copy of the store, swapped in atomically on success.

        If the block raises (or the process dies), the store file is not touched. With
        ``new_version`` (the default) the data version goes up and cached results are dropped,
        and the tables written (``tables``; all of them when not given) no longer count as
        the bundled snapshot (:meth:`source`), so results shipped precomputed for the
        snapshot are not used on them.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self._create_empty()
        fd, tmp_name = tempfile.mkstemp(prefix=".import-", suffix=".duckdb", dir=self.path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            shutil.copyfile(self.path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("begin transaction")
                yield con
                if new_version:
                    _bump_version(con)
                    _forget_sources(con, tables)
                con.execute("commit")
                con.execute("checkpoint")
            finally:
                con.close()
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)

    def write_tables(
        self,
        tables: Mapping[str, pd.DataFrame],
        mode: str = "replace",
        provenance: str | None = None,
    ) -> None:
        """Write DataFrames as tables in one atomic step (``mode`` 'replace' or 'append')."""
        if mode not in {"replace", "append"}:
            raise ValueError(
                f"The 'mode' parameter of write_tables() must be 'replace' or "
                f"'append'; got {mode!r}."
            )
        with self.transaction(tables=list(tables)) as con:
            for name, df in tables.items():
                con.register("_incoming", df)
                found = con.execute(
                    "select count(*) from information_schema.tables where table_name = ?", [name]
                ).fetchone()
                exists = found[0] if found else 0
                if exists:
                    _materialise(con, name, keep=mode == "append")
                if mode == "replace" or not exists:
                    con.execute(f'create or replace table "{name}" as select * from _incoming')
                else:
                    con.execute(f'insert into "{name}" by name select * from _incoming')
                con.unregister("_incoming")
            if provenance:
                con.execute(
                    "insert or replace into meta values (?, ?)",
                    [f"import:{','.join(tables)}", provenance],
                )

    # -- cache of intermediate results ---------------------------------------------------
    def cache_key(self, *parts: object) -> str:
        """A key that changes whenever the data changes (includes the data version)."""
        return _cache_key(self.meta().get("data_version", "0"), parts)

    def cache_get(self, kind: str, key: str) -> pd.DataFrame | None:
        """A cached DataFrame, or None."""
        with self.connect() as con:
            row = con.execute(
                "select payload from cache where kind = ? and key = ?", [kind, key]
            ).fetchone()
        if row is None:
            return None
        return pd.read_parquet(io.BytesIO(row[0]))

    def cache_put(self, kind: str, key: str, df: pd.DataFrame) -> None:
        """Store a DataFrame in the cache (in place: a cache entry is not an import)."""
        buf = io.BytesIO()
        df.to_parquet(buf, index=True)
        with self.connect(read_only=False) as con:
            con.execute(
                "insert or replace into cache values (?, ?, ?, ?)",
                [kind, key, time.time(), buf.getvalue()],
            )

    def cached(
        self,
        kind: str,
        parts: tuple[object, ...],
        compute: Any,
        inputs: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Return the cached result for ``(kind, parts)``, computing and storing it if absent.

        ``inputs`` names the tables the result is computed from (and nothing else: no
        state-specific choice hides in ``compute``). When they are still the bundled
        snapshot (:meth:`source`), a result shipped precomputed for ``(kind, parts)`` is
        used instead of computing it (see :mod:`hedgewatch.store._precomputed`).
        """
        hit = self.lookup(kind, parts, inputs)
        if hit is not None:
            return hit
        df = compute()
        self.keep(kind, parts, df, inputs)
        return df

    def lookup(
        self, kind: str, parts: tuple[object, ...], inputs: Sequence[str] | None = None
    ) -> pd.DataFrame | None:
        """The result for ``(kind, parts)`` from the cache, or shipped precomputed for the
        bundled snapshot (when ``inputs`` are given and still bundled); None otherwise."""
        key = self.cache_key(*parts)
        hit = self.cache_get(kind, key)
        if hit is not None and inputs is not None:
            RECORDED.append((kind, parts_key(*parts), key, tuple(inputs), self.path))
        if hit is not None or inputs is None:
            return hit
        from hedgewatch.store import _precomputed

        self.ensure(*inputs)
        sources = {t: self.source(t) for t in inputs}
        df = _precomputed.lookup(kind, parts_key(*parts), sources)
        if df is not None:
            self.cache_put(kind, key, df)
        return df

    def lookup_many(
        self, kind: str, parts: Sequence[tuple[object, ...]], inputs: Sequence[str]
    ) -> list[pd.DataFrame | None]:
        """:meth:`lookup` of several results at once (one connection, one read of the
        shipped file); shipped results are not copied into the cache."""
        from hedgewatch.store import _precomputed

        self.ensure(*inputs)
        with self.connect() as con:
            row = con.execute("select value from meta where key = 'data_version'").fetchone()
            version = row[0] if row else "0"
            keys = [_cache_key(version, p) for p in parts]
            rows = con.execute(
                "select key, payload from cache where kind = ? and list_contains(?, key)",
                [kind, keys],
            ).fetchall()
        cached = {k: pd.read_parquet(io.BytesIO(b)) for k, b in rows}
        out: list[pd.DataFrame | None] = [cached.get(k) for k in keys]
        for p, k in zip(parts, keys, strict=True):
            if k in cached:
                RECORDED.append((kind, parts_key(*p), k, tuple(inputs), self.path))
        missing = [i for i, df in enumerate(out) if df is None]
        if missing:
            sources = {t: self.source(t) for t in inputs}
            shipped = _precomputed.lookup_many(
                kind, [parts_key(*parts[i]) for i in missing], sources
            )
            for i in missing:
                out[i] = shipped.get(parts_key(*parts[i]))
        return out

    def keep(
        self,
        kind: str,
        parts: tuple[object, ...],
        df: pd.DataFrame,
        inputs: Sequence[str] | None = None,
    ) -> None:
        """Cache a result computed for ``(kind, parts)`` (keyed by the data version now: the
        computation may have imported data)."""
        key = self.cache_key(*parts)
        self.cache_put(kind, key, df)
        if inputs is not None:
            RECORDED.append((kind, parts_key(*parts), key, tuple(inputs), self.path))

    def source(self, table: str) -> str | None:
        """Where a table's content comes from: ``"bundle:<sha256 prefix>"`` while it is the
        bundled snapshot loaded as shipped, None once an import wrote to it (or in a store
        made before sources were recorded)."""
        return self.meta().get(f"source:{table}")

    # -- internals -----------------------------------------------------------------------
    def _create_empty(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".new-", suffix=".duckdb", dir=self.path.parent)
        os.close(fd)
        os.unlink(tmp_name)
        con = duckdb.connect(tmp_name)
        try:
            con.execute(_SCHEMA)
            con.execute("checkpoint")
        finally:
            con.close()
        if self.path.exists():  # another process won the race
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, self.path)


_SCHEMA = """
create table if not exists meta (key varchar primary key, value varchar);
insert or replace into meta values ('data_version', '0');
create table if not exists cache (
    kind varchar, key varchar, created double, payload blob, primary key (kind, key)
);
"""


def _bump_version(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute("select value from meta where key = 'data_version'").fetchone()
    version = int(row[0]) + 1 if row else 1
    con.execute("insert or replace into meta values ('data_version', ?)", [str(version)])
    con.execute("delete from cache")


def _load_parquet(
    con: duckdb.DuckDBPyConnection, name: str, path: Path, view: bool = False
) -> None:
    literal = str(path).replace("'", "''")
    if view:
        con.execute(f'drop table if exists "{name}"')
        con.execute(f"create or replace view \"{name}\" as select * from read_parquet('{literal}')")
    else:
        con.execute(f'drop view if exists "{name}"')
        con.execute(
            f"create or replace table \"{name}\" as select * from read_parquet('{literal}')"
        )
    con.execute("insert or replace into meta values (?, ?)", [f"source:{name}", file_source(path)])


def _materialise(con: duckdb.DuckDBPyConnection, name: str, keep: bool) -> None:
    """Turn a bundled table read in place (a view) into a table before it is written:
    copied when rows are appended to it, dropped when it is replaced."""
    row = con.execute(
        "select count(*) from duckdb_views() where view_name = ? and schema_name = 'main'", [name]
    ).fetchone()
    if not row or not row[0]:
        return
    if keep:
        con.execute(f'create table "_hw_materialised" as select * from "{name}"')
        con.execute(f'drop view "{name}"')
        con.execute(f'alter table "_hw_materialised" rename to "{name}"')
    else:
        con.execute(f'drop view "{name}"')


def file_source(path: Path) -> str:
    """``"bundle:<first 16 hex digits of the file's SHA-256>"``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return "bundle:" + digest.hexdigest()[:16]


def _forget_sources(con: duckdb.DuckDBPyConnection, tables: Sequence[str] | None) -> None:
    if tables is None:
        con.execute("delete from meta where key like 'source:%'")
    else:
        for t in tables:
            con.execute("delete from meta where key = ?", [f"source:{t}"])


def _cache_key(version: str, parts: tuple[object, ...]) -> str:
    return hashlib.sha256(repr((version, *parts)).encode()).hexdigest()[:32]


def parts_key(*parts: object) -> str:
    """A result's key from its settings alone (no data version): the key of a result
    shipped precomputed."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


#: ``(kind, parts key, cache key, input tables, store path)`` of every result computed (or
#: read from the cache) with declared inputs in this process (what
#: ``tools/build_precomputed.py`` ships).
RECORDED: list[tuple[str, str, str, tuple[str, ...], Path]] = []


#: path -> (file signature, table names, meta) of the last read (see Store._read_state).
_STATE: dict[str, tuple[tuple[int, ...], tuple[str, ...], dict[str, str]]] = {}


def _signature(path: Path) -> tuple[int, ...] | None:
    """Identity and last change of the store file and its write-ahead log (None when
    absent): a transaction swaps the file, an in-place write changes the log or the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    try:
        wal = os.stat(f"{path}.wal")
        w: tuple[int, ...] = (wal.st_ino, wal.st_mtime_ns, wal.st_size)
    except FileNotFoundError:
        w = ()
    return (st.st_ino, st.st_mtime_ns, st.st_size, *w)


def default_store() -> Store:
    """The store at the default location (re-read from the environment each call)."""
    return Store()


def get_store(store: Store | str | os.PathLike[str] | None = None) -> Store:
    """Normalise a ``store=`` argument: a Store, a path, or None for the default."""
    if isinstance(store, Store):
        return store
    return Store(store) if store is not None else default_store()
