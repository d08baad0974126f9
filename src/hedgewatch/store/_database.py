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
            yield con
        finally:
            con.close()

    def tables(self) -> list[str]:
        """Names of the tables present in the store (not counting bundled ones not yet loaded)."""
        with self.connect() as con:
            rows = con.execute(
                "select table_name from information_schema.tables where table_schema='main'"
            ).fetchall()
        return sorted(r[0] for r in rows)

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def ensure(self, *names: str) -> None:
        """Make sure tables exist, loading them from the bundled snapshot where missing.

        Raises :class:`StoreError` naming what to import when a table is neither in the
        store nor bundled.
        """
        present = set(self.tables())
        missing = [n for n in names if n not in present]
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
                _load_parquet(con, n, bundled_path(f"{n}.parquet"))

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
        with self.connect() as con:
            return dict(con.execute("select key, value from meta").fetchall())

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, new_version: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable connection on a copy of the store, swapped in atomically on success.

        If the block raises (or the process dies), the store file is not touched. With
        ``new_version`` (the default) the data version goes up and cached results are dropped.
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
        with self.transaction() as con:
            for name, df in tables.items():
                con.register("_incoming", df)
                found = con.execute(
                    "select count(*) from information_schema.tables where table_name = ?", [name]
                ).fetchone()
                exists = found[0] if found else 0
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
        version = self.meta().get("data_version", "0")
        raw = repr((version, *parts)).encode()
        return hashlib.sha256(raw).hexdigest()[:32]

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

    def cached(self, kind: str, parts: tuple[object, ...], compute: Any) -> pd.DataFrame:
        """Return the cached result for ``(kind, parts)``, computing and storing it if absent."""
        key = self.cache_key(*parts)
        hit = self.cache_get(kind, key)
        if hit is not None:
            return hit
        df = compute()
        # compute() may have imported data (a new version): key the result by the data it saw
        self.cache_put(kind, self.cache_key(*parts), df)
        return df

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


def _load_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    con.execute(f"create or replace table \"{name}\" as select * from read_parquet('{path}')")


def default_store() -> Store:
    """The store at the default location (re-read from the environment each call)."""
    return Store()


def get_store(store: Store | str | os.PathLike[str] | None = None) -> Store:
    """Normalise a ``store=`` argument: a Store, a path, or None for the default."""
    if isinstance(store, Store):
        return store
    return Store(store) if store is not None else default_store()
