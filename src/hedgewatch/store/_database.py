"""The embedded DuckDB database: the :class:`Store` class every table family goes through.

Layout: one DuckDB file, ``$HEDGEWATCH_HOME/hedgewatch.duckdb`` (default: the platform's user
data directory, e.g. ``~/.local/share/hedgewatch``), and beside it

* ``hedgewatch.duckdb.lock`` - the writers' lock (an operating-system file lock, taken with
  :mod:`filelock`; the file itself stays, empty);
* ``hedgewatch.duckdb.writer`` - who holds the lock (pid, host, command, since), so that a
  waiting writer can say whom it waits for;
* ``hedgewatch.duckdb.cache/`` - cached intermediate results, one Parquet file each.

Tables are created from the Parquet snapshot shipped in ``hedgewatch/data/`` the first time
they are asked for, so a fresh install works offline; the General Debate speeches
(``VIEWED``) are a view over the package's Parquet file until an import writes them (a
writer goes through :meth:`Store.write_tables` or passes ``tables=`` to
:meth:`Store.transaction`, so that results shipped precomputed for the bundled snapshot are
no longer used on them).

Writers, one at a time. :meth:`Store.transaction` takes the lock, copies the database to a
temporary file beside it, applies every change there, checkpoints and closes it, moves it over
the old file with :func:`os.replace`, and only then releases the lock. The copy is taken after
the lock, so two imports never start from the same old store (the second one sees the first's
records). A second writer says on stderr that it waits, and waits up to ``lock_timeout``
seconds (``$HEDGEWATCH_LOCK_TIMEOUT``, default 600) before failing with a
:class:`~hedgewatch.errors.StoreError` naming the process that holds the lock. A bad row (the
reader raises before anything is written) or a process killed half-way leaves the previous
store exactly as it was; the killed process's temporary file is removed on the next open, when
no writer holds the lock.

Readers never wait. They open the file read-only and see the old file until the
:func:`os.replace`, the new one after: never a half-written store. A reader that needs a
bundled table the file does not hold yet, while another process writes, reads it from the
package's Parquet file instead of waiting to load it. A failed open (a writer of
an older hedgewatch holding the file) is retried for a few seconds before it becomes an error.

The cache never touches the database file: an entry is a Parquet file written to a temporary
name and renamed into place, so readers see a whole entry or none, two processes computing the
same entry write the same bytes, and a cache write can neither block nor break a reader. Keys
include the data version (bumped, with a fresh random token, by every import), so an import
makes every older entry unreachable; the import deletes them.

Read-only stores (a read-only file or folder). Reads work: bundled tables not yet in the file
are read straight from the package's Parquet files, results are computed in memory and not
cached, and one warning says so. The verdicts are those of a writable store. Imports fail with
a :class:`~hedgewatch.errors.StoreError` saying what to do.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from hedgewatch.errors import MissingDataError, ParameterError, StoreError
from hedgewatch.paths import bundled_path, bundled_tables, store_path

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger("hedgewatch.store")

#: DuckDB's memory limit while loading a bundled table (peak RSS of a fresh store's first use).
_LOAD_MEMORY_LIMIT = "256MB"
#: Environment variable: seconds a writer waits for another writer's lock (default 600).
ENV_LOCK_TIMEOUT = "HEDGEWATCH_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
#: How long a reader retries a store file it cannot open (locked by an older writer).
_OPEN_RETRY_SECONDS = 3.0
#: Errors that mean "this file system location cannot be written" (read-only mode).
_READ_ONLY_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
#: Temporary files of killed writers that an old hedgewatch left (mkstemp names).
_LEGACY_LEFTOVER = re.compile(r"^\.(import|new)-[a-z0-9_]{8}\.duckdb(\.wal)?$")
#: Bundled tables read in place (a view over the package's Parquet file) until an import
#: writes them: loading the General Debate (42 MB of Parquet, 60 MB in DuckDB) into every new
#: store took most of a first report, which reads three states' speeches from it.
VIEWED = frozenset({"speeches"})

_warned: set[str] = set()  # stores whose read-only warning was shown in this process
_writing = threading.local()  # stores this thread holds the write lock of


class _ReadOnlyError(StoreError):
    """The store's file or folder cannot be written."""


class _BusyError(StoreError):
    """Another process holds the write lock (raised only when not waiting for it)."""


class Store:
    """A hedgewatch store on disk.

    Parameters
    ----------
    path
        The DuckDB file. Default: ``data_home() / "hedgewatch.duckdb"``.
    lock_timeout
        Seconds a writer waits for another process's write to finish before giving up;
        default ``$HEDGEWATCH_LOCK_TIMEOUT`` or 600.

    Examples
    --------
    >>> store = Store()
    >>> store.query("select count(*) as n from votes where vote <> 'absent'", tables=["votes"])
            n
    0  936393
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, lock_timeout: float | None = None
    ) -> None:
        self.path = Path(path) if path is not None else store_path()
        self.lock_timeout = lock_timeout
        self._read_only: str | None = None  # why, once a write was found impossible
        self._from_package = False  # bundled tables served from the package (writer busy)
        self._swept = False

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- files beside the store ----------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        """The writers' lock file."""
        return self.path.with_name(self.path.name + ".lock")

    @property
    def writer_path(self) -> Path:
        """Who holds the write lock (JSON), while someone does."""
        return self.path.with_name(self.path.name + ".writer")

    @property
    def cache_dir(self) -> Path:
        """The folder of cached results."""
        return self.path.with_name(self.path.name + ".cache")

    @property
    def read_only(self) -> bool:
        """Whether the store was found read-only (reads work; nothing is cached or imported)."""
        return self._read_only is not None or self._unwritable() is not None

    # -- reading -------------------------------------------------------------------------
    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the store (bundled tables served from the package when
        the store is read-only and does not hold them yet)."""
        self._sweep()
        if not self.path.exists():
            self._create_empty()
        con = self._open()
        try:
            if self._read_only is not None or self._from_package:
                _serve_bundled(con)
            yield con
        finally:
            con.close()
            _reused.release(con)

    def tables(self) -> list[str]:
        """Names of the tables present in the store (not counting bundled ones not yet loaded)."""
        return list(self._read_state()[0])

    def _read_state(self) -> tuple[tuple[str, ...], dict[str, str]]:
        """The table names and the meta table, read once per state of the file: a report
        asks for them hundreds of times (every cache key holds the data version), and each
        connection costs tens of milliseconds on a busy machine."""
        self._sweep()  # a store opened from the memo is swept too (once per Store)
        served = self._read_only is not None or self._from_package
        sig = _signature(self.path)
        memo = _STATE.get(str(self.path))
        if sig is not None and memo is not None and memo[0] == (*sig, served):
            return memo[1], dict(memo[2])
        with self.connect() as con:
            rows = con.execute(
                "select table_name from information_schema.tables where table_schema='main'"
            ).fetchall()
            meta = dict(con.execute("select key, value from meta").fetchall())
        names = tuple(sorted({r[0] for r in rows}))
        served = self._read_only is not None or self._from_package  # connect() may note it
        sig = _signature(self.path)  # after connect: a first use creates the file
        if sig is not None:
            _STATE[str(self.path)] = ((*sig, served), names, meta)
        return names, dict(meta)

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def ensure(self, *names: str) -> None:
        """Make sure tables exist, loading them from the bundled snapshot where missing.

        Raises :class:`~hedgewatch.errors.MissingDataError` naming what to import when a table
        is neither in the store nor bundled. In a read-only store, or while another process
        writes (a reader never waits for a writer), the bundled tables are read from the
        package instead (see the module's notes).
        """
        present = set(self.tables())
        missing = [n for n in names if n not in present]
        stale = [n for n in names if n in present and n in VIEWED and not self._view_ok(n)]
        if not missing and not stale:
            return
        bundled = set(bundled_tables())
        unknown = [n for n in missing if n not in bundled]
        if unknown:
            raise MissingDataError(
                f"{self.path}: the store has no table {unknown[0]!r} and none is bundled. "
                "Import the data first (see 'hedgewatch data import --help')."
            )
        # Loading package data does not change any data a cached result was computed from
        # (a computation needing the table would have loaded it), so the version stays.
        try:
            with self.transaction(new_version=False, wait=False) as con:
                load_bundled(con, missing, refresh=stale)
        except _ReadOnlyError as exc:
            self._note_read_only(str(exc.args[0]))
        except _BusyError:
            self._from_package = True  # loaded into the file by a later run

    def _view_ok(self, name: str) -> bool:
        """Whether a bundled table read in place still points at this package's file (a store
        outlives a reinstall elsewhere); False makes :meth:`ensure` point it again."""
        with self.connect() as con:
            row = con.execute(
                "select sql from duckdb_views() where view_name = ? and schema_name = 'main' "
                "and not temporary",
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

    def arrow(
        self,
        sql: str,
        params: Sequence[Any] | Mapping[str, Any] | None = None,
        tables: Sequence[str] = (),
    ) -> pa.Table:
        """Run SQL and return an Arrow table (no Python object per value: large results
        with repeated strings are converted column by column, see ``store._votes``)."""
        if tables:
            self.ensure(*tables)
        with self.connect() as con:
            rel = con.sql(sql, params=params) if params is not None else con.sql(sql)
            # to_arrow_table() in DuckDB 2 (fetch_arrow_table() is deprecated there); arrow()
            # returned the table in DuckDB 1.
            fetch = getattr(rel, "to_arrow_table", None)
            return fetch() if fetch is not None else rel.arrow()

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
        self,
        new_version: bool = True,
        tables: Sequence[str] | None = None,
        *,
        wait: bool = True,
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable connection on a copy of the store, swapped in atomically on success.

        The write lock is held from before the copy until after the swap: another writer
        waits (see the module's notes). If the block raises (or the process dies), the store
        file is not touched. With ``new_version`` (the default) the data version goes up and
        cached results are dropped, and the tables written (``tables``; all of them when not
        given) no longer count as the bundled snapshot (:meth:`source`), so results shipped
        precomputed for the snapshot are not used on them. With ``wait=False`` a busy lock
        raises at once.

        Raises
        ------
        StoreError
            When the store is read-only, or another writer held the lock past the timeout.
        """
        reason = self._unwritable()
        if reason is not None:
            self._read_only = reason
            raise _ReadOnlyError(_read_only_message(self.path, reason))
        with self._write_lock(wait=wait):
            self._sweep(locked=True)
            if not self.path.exists():
                self._create_empty()
            tmp = self._temp_copy()
            try:
                con = _duck(str(tmp))
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
                _os_step(self.path, "replace the store", os.replace, tmp, self.path)
            finally:
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)
            if new_version:
                self._drop_cache()

    def write_tables(
        self,
        tables: Mapping[str, pd.DataFrame],
        mode: str = "replace",
        provenance: str | None = None,
    ) -> None:
        """Write DataFrames as tables in one atomic step (``mode`` 'replace' or 'append')."""
        if mode not in {"replace", "append"}:
            raise ParameterError(
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
        return _cache_key(_version(self.meta()), parts)

    def cache_get(self, kind: str, key: str) -> pd.DataFrame | None:
        """A cached DataFrame, or None (also for an entry that cannot be read)."""
        f = self._cache_file(kind, key)
        try:
            return pd.read_parquet(f)
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - a damaged entry is a miss, recomputed
            log.debug("ignoring unreadable cache entry %s (%s)", f, exc)
            return None

    def cache_put(self, kind: str, key: str, df: pd.DataFrame) -> None:
        """Store a DataFrame in the cache: a file renamed into place, no lock, no reader
        disturbed. Skipped (results do not depend on it) when the store is read-only."""
        if self._read_only is not None:
            return
        f = self._cache_file(kind, key)
        tmp = None
        try:
            f.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=f.parent)
            os.close(fd)
            tmp = Path(name)
            df.to_parquet(tmp, index=True)
            os.replace(tmp, f)
        except OSError as exc:
            if exc.errno in _READ_ONLY_ERRNOS:
                self._note_read_only(f"{f.parent} cannot be written ({exc.strerror})")
            else:
                log.warning("hedgewatch: result not cached (%s); it will be recomputed.", exc)
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)

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
            self.cache_put(kind, key, df)  # skipped on a read-only store
        return df

    def lookup_many(
        self, kind: str, parts: Sequence[tuple[object, ...]], inputs: Sequence[str]
    ) -> list[pd.DataFrame | None]:
        """:meth:`lookup` of several results at once (one read of the meta, one read of the
        shipped file); shipped results are not copied into the cache."""
        from hedgewatch.store import _precomputed

        self.ensure(*inputs)
        version = _version(self.meta())
        keys = [_cache_key(version, p) for p in parts]
        out: list[pd.DataFrame | None] = [self.cache_get(kind, k) for k in keys]
        for p, k, df in zip(parts, keys, out, strict=True):
            if df is not None:
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
        computation may have imported data). Skipped on a read-only store."""
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
    def _open(self) -> duckdb.DuckDBPyConnection:
        if not self.path.exists():  # a read-only folder with no store yet: package data only
            con = _duck(":memory:")
            con.execute(_SCHEMA)
            return con
        cur = _reused.cursor(self.path, self._open_file)
        return cur if cur is not None else self._open_file()

    def _open_file(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + _OPEN_RETRY_SECONDS
        delay = 0.02
        while True:
            try:
                return _duck(str(self.path), read_only=True)
            except duckdb.Error as exc:
                text = str(exc)
                transient = "lock" in text.lower() or not self.path.exists()
                if not transient:
                    raise StoreError(
                        f"{self.path}: cannot open the store ({text.splitlines()[0]}). The file "
                        "is not a hedgewatch store or is damaged: move it away (a new store is "
                        "built on the next run) or set HEDGEWATCH_HOME to another folder."
                    ) from exc
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"{self.path}: cannot open the store: another program holds it "
                        f"({text.splitlines()[0]}). Retry when it has finished."
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def _unwritable(self) -> str | None:
        """Why the store cannot be written, or None (as far as permissions tell)."""
        folder = self.path.parent
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir() or (folder.exists() and not folder.is_dir()):
            bad = probe if not probe.is_dir() else folder
            raise StoreError(
                f"{bad} is a file, not a folder, so the store {self.path.name} cannot be kept "
                "under it. Set HEDGEWATCH_HOME to a folder (it is created if missing)."
            )
        if self.path.is_dir():
            raise StoreError(
                f"{self.path} is a folder, not a store file. Move it away or set "
                "HEDGEWATCH_HOME to another folder."
            )
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return f"the file {self.path} is read-only"
        if not os.access(probe, os.W_OK | os.X_OK):
            return f"the folder {probe} is read-only"
        return None

    def _note_read_only(self, reason: str) -> None:
        self._read_only = reason
        key = str(self.path.resolve())
        if key not in _warned:
            _warned.add(key)
            log.warning(
                "hedgewatch: %s: the store is read-only (%s); results are computed in memory "
                "and not cached.",
                self.path,
                reason,
            )

    @contextlib.contextmanager
    def _write_lock(self, wait: bool = True) -> Iterator[None]:
        key = str(self.path.resolve())
        held: set[str] = getattr(_writing, "stores", set())
        if key in held:
            raise StoreError(
                f"{self.path}: a write is already open on this store in this thread; "
                "finish it before starting another."
            )
        _os_step(
            self.path, "create its folder", self.path.parent.mkdir, parents=True, exist_ok=True
        )
        lock = FileLock(str(self.lock_path))
        timeout = self._timeout()
        try:
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if not wait:
                    raise _BusyError(f"{self.path}: another process is writing") from None
                holder = self._holder()
                log.warning(
                    "hedgewatch: waiting for another hedgewatch process writing %s%s "
                    "(up to %g s) ...",
                    self.path,
                    f" ({holder})" if holder else "",
                    timeout,
                )
                try:
                    lock.acquire(timeout=timeout, poll_interval=0.05)
                except Timeout:
                    holder = self._holder()
                    raise StoreError(
                        f"{self.path}: another hedgewatch process"
                        + (f" ({holder})" if holder else "")
                        + f" has been writing for over {timeout:g} s; gave up waiting. "
                        "Retry when it has finished, or wait longer with "
                        f"{ENV_LOCK_TIMEOUT}=SECONDS."
                    ) from None
        except OSError as exc:
            _raise_os(self.path, "take the write lock", exc)
        _writing.stores = held | {key}
        try:
            self._write_holder()
            yield
        finally:
            _writing.stores = getattr(_writing, "stores", set()) - {key}
            self.writer_path.unlink(missing_ok=True)
            lock.release()

    def _timeout(self) -> float:
        if self.lock_timeout is not None:
            value: object = self.lock_timeout
            source = "The 'lock_timeout' parameter of Store()"
        else:
            value = os.environ.get(ENV_LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT)
            source = f"The {ENV_LOCK_TIMEOUT} environment variable"
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            seconds = float("nan")
        if not (seconds >= 0 and seconds != float("inf")):
            raise ParameterError(f"{source} must be a number of seconds >= 0; got {value!r}.")
        return seconds

    def _write_holder(self) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200],
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        with contextlib.suppress(OSError):
            self.writer_path.write_text(json.dumps(info), encoding="utf-8")

    def _holder(self) -> str:
        try:
            info = json.loads(self.writer_path.read_text(encoding="utf-8"))
            return (
                f"pid {info['pid']} on {info['host']}, running {info['command']!r}, "
                f"since {info['since']}"
            )
        except (OSError, ValueError, KeyError, TypeError):
            return ""

    def _temp_copy(self) -> Path:
        def copy() -> Path:
            fd, name = tempfile.mkstemp(
                prefix=f".import-{self.path.name}-", suffix=".duckdb", dir=self.path.parent
            )
            os.close(fd)
            try:
                shutil.copyfile(self.path, name)
                shutil.copymode(self.path, name)  # keep the store's permissions (not 0600)
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            return Path(name)

        return _os_step(self.path, "copy the store for the write", copy)

    def _sweep(self, locked: bool = False) -> None:
        """Remove temporary files of killed writers (only while no writer is running)."""
        if self._swept and not locked:
            return
        self._swept = True
        folder = self.path.parent
        try:
            ours = (f".import-{self.path.name}-", f".new-{self.path.name}-")
            leftovers = [
                p
                for p in folder.iterdir()
                if p.name.startswith(ours) or _LEGACY_LEFTOVER.match(p.name)
            ]
        except OSError:
            return
        if not leftovers:
            return
        if locked:
            _remove(leftovers)
            return
        lock = FileLock(str(self.lock_path))
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            return  # a writer is running (its file is not a leftover) or we cannot write
        try:
            _remove(leftovers)
        finally:
            lock.release()

    def _create_empty(self) -> None:
        """Create the empty store file, atomically; in a read-only place, note read-only."""
        reason = self._unwritable()
        if reason is not None:
            self._note_read_only(reason)
            return

        def create() -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".new-{self.path.name}-", suffix=".duckdb", dir=self.path.parent
            )
            os.close(fd)
            os.unlink(tmp_name)
            try:
                con = _duck(tmp_name)
                try:
                    con.execute(_SCHEMA)
                    con.execute("checkpoint")
                finally:
                    con.close()
                with contextlib.suppress(FileExistsError):  # another process won the race
                    os.link(tmp_name, self.path)  # never replaces a store created meanwhile
            finally:
                Path(tmp_name).unlink(missing_ok=True)
                Path(tmp_name + ".wal").unlink(missing_ok=True)

        try:
            _os_step(self.path, "create the store", create)
        except _ReadOnlyError as exc:
            self._note_read_only(str(exc.args[0]))

    def _cache_file(self, kind: str, key: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", kind)[:60]
        return self.cache_dir / f"{slug}-{key}.parquet"

    def _drop_cache(self) -> None:
        """Delete every cached entry (called after an import made them unreachable)."""
        with contextlib.suppress(OSError):
            _remove(list(self.cache_dir.iterdir()))


def _read_only_message(path: Path, reason: str) -> str:
    return (
        f"{path}: cannot write: {reason}. Reading still works; to import, make it writable or "
        "point HEDGEWATCH_HOME at a writable folder."
    )


def _raise_os(path: Path, what: str, exc: OSError) -> None:
    if exc.errno in _READ_ONLY_ERRNOS:
        raise _ReadOnlyError(_read_only_message(path, f"cannot {what} ({exc.strerror})")) from exc
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        raise StoreError(
            f"{path}: cannot {what}: {exc.filename} is not a folder. Set HEDGEWATCH_HOME to a "
            "folder."
        ) from exc
    if exc.errno == errno.ENOSPC:
        raise StoreError(
            f"{path}: cannot {what}: the disk is full. The store was not changed; free some "
            "space and retry."
        ) from exc
    raise StoreError(f"{path}: cannot {what} ({exc}). The store was not changed.") from exc


def _os_step(path: Path, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args)``, with an OSError turned into a StoreError saying what failed."""
    try:
        return fn(*args, **kwargs)
    except OSError as exc:
        _raise_os(path, what, exc)


def _remove(paths: list[Path]) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()


def _duck(database: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection without DuckDB's own progress bar (it would print over the CLI's
    output, and into piped output)."""
    con = duckdb.connect(database, read_only=read_only)
    con.execute("set enable_progress_bar = false")
    return con


_SCHEMA = """
create table if not exists meta (key varchar primary key, value varchar);
insert or replace into meta values ('data_version', '0');
"""


def _serve_bundled(con: duckdb.DuckDBPyConnection) -> None:
    """Views over the package's Parquet files for bundled tables the store lacks."""
    have = {r[0] for r in con.execute("show tables").fetchall()}
    for name in bundled_tables():
        if name not in have:
            path = str(bundled_path(f"{name}.parquet")).replace("'", "''")
            con.execute(f"create temp view \"{name}\" as select * from read_parquet('{path}')")


def _bump_version(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute("select value from meta where key = 'data_version'").fetchone()
    version = int(row[0]) + 1 if row else 1
    con.execute("insert or replace into meta values ('data_version', ?)", [str(version)])
    # a random token too: a store restored from a copy never reuses another's cache keys
    con.execute("insert or replace into meta values ('data_token', ?)", [uuid.uuid4().hex])
    con.execute("drop table if exists cache")  # the in-file cache of hedgewatch <= 0.1


def load_bundled(
    con: duckdb.DuckDBPyConnection, names: Sequence[str], refresh: Sequence[str] = ()
) -> None:
    """Inside a transaction: load the bundled tables among ``names`` that the store lacks
    (and point again those in ``refresh``: views over another install's files)."""
    have = {r[0] for r in con.execute("show tables").fetchall()} - set(refresh)
    todo = [n for n in (*names, *refresh) if n not in have and n in set(bundled_tables())]
    todo = list(dict.fromkeys(todo))
    if not todo:
        return
    # DuckDB would otherwise hold a whole decompressed table (the speeches: ~0.7 GiB) in
    # memory until the commit; with a limit it writes blocks to the file as it goes.
    con.execute(f"set memory_limit = '{_LOAD_MEMORY_LIMIT}'")
    for n in todo:
        _load_parquet(con, n, bundled_path(f"{n}.parquet"), view=n in VIEWED)
    con.execute("reset memory_limit")


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
        "select count(*) from duckdb_views() where view_name = ? and schema_name = 'main' "
        "and not temporary",
        [name],
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


def _version(meta: Mapping[str, str]) -> tuple[str, str]:
    """The data version and its random token (see :func:`_bump_version`)."""
    return meta.get("data_version", "0"), meta.get("data_token", "")


def _cache_key(version: tuple[str, str], parts: tuple[object, ...]) -> str:
    return hashlib.sha256(repr((version, *parts)).encode()).hexdigest()[:32]


def parts_key(*parts: object) -> str:
    """A result's key from its settings alone (no data version): the key of a result
    shipped precomputed."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


#: ``(kind, parts key, cache key, input tables, store path)`` of every result computed (or
#: read from the cache) with declared inputs in this process (what
#: ``tools/build_precomputed.py`` ships).
RECORDED: list[tuple[str, str, str, tuple[str, ...], Path]] = []


#: path -> (file signature and whether bundled tables are served from the package, table
#: names, meta) of the last read (see Store._read_state).
_STATE: dict[str, tuple[tuple[object, ...], tuple[str, ...], dict[str, str]]] = {}


class _Reused:
    """One read-only connection per store kept open on the main thread while
    :func:`reusing_connections` is active, each read getting a cursor on it (opening a DuckDB
    database costs ~30 ms, most of it building DuckDB's function catalogue; a report reads
    the store a few dozen times).

    It is used only where that cannot serve a stale file. DuckDB keeps one database instance
    per file path in a process: while any connection to a replaced file is open, opening the
    path again returns the old file. So: only the main thread reuses (the web app reads and
    builds reports on other threads, which never see these connections), a connection is
    dropped as soon as the file's identity changes (a writer swapped it in), and a new one is
    kept only when no cursor of the old one is still open. On POSIX only (on Windows an open
    file cannot be replaced by a writer). Closed before any fork."""

    def __init__(self) -> None:
        self.active = 0
        self.roots: dict[str, tuple[tuple[int, ...], duckdb.DuckDBPyConnection]] = {}
        self.lent: dict[int, str] = {}  # id(cursor) -> store path, while the cursor is open

    def cursor(self, path: Path, open_file: Any) -> duckdb.DuckDBPyConnection | None:
        if not self.active or threading.current_thread() is not threading.main_thread():
            return None
        key = str(path)
        sig = _signature(path)
        held = self.roots.get(key)
        if held is not None and held[0] != sig:
            self.drop(key)
            held = None
        if held is None:
            if sig is None or key in self.lent.values():
                return None  # a cursor of the old file is open: its instance would answer
            root = open_file()
            if _signature(path) != sig:  # swapped while opening: use it once
                return root
            self.roots[key] = held = (sig, root)
        cur = held[1].cursor()
        cur.execute("set enable_progress_bar = false")
        self.lent[id(cur)] = key
        return cur

    def release(self, con: duckdb.DuckDBPyConnection) -> None:
        self.lent.pop(id(con), None)

    def drop(self, key: str | None = None) -> None:
        for k in [key] if key is not None else list(self.roots):
            held = self.roots.pop(k, None)
            if held is not None:
                with contextlib.suppress(duckdb.Error):
                    held[1].close()


_reused = _Reused()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_reused.drop)


@contextlib.contextmanager
def reusing_connections() -> Iterator[None]:
    """Within this block, reads on the main thread share one DuckDB connection per store
    (see :class:`_Reused`); elsewhere, and outside it, every read opens its own."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread():
        yield
        return
    _reused.active += 1
    try:
        yield
    finally:
        _reused.active -= 1
        if not _reused.active:
            _reused.drop()


def _signature(path: Path) -> tuple[int, ...] | None:
    """Identity and last change of the store file and its write-ahead log (None when
    absent): a transaction swaps the file, an in-place write changes the log or the file."""
    try:
        st = os.stat(path)
    except OSError:  # absent, or under a file or an unreadable folder: connect() says why
        return None
    try:
        wal = os.stat(f"{path}.wal")
        w: tuple[int, ...] = (wal.st_ino, wal.st_mtime_ns, wal.st_size)
    except OSError:
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
