"""Engines that run the per-file work of an event import: embedded (threads + DuckDB) or Dask.

The unit of work is one file: :func:`summarise_file` reads it (unzip, parse, map CAMEO
countries) and sums it per day and pair (:func:`hedgewatch.events._aggregate.partial_aggregate`).
It is a pure function of the file, and its partials are exact integer sums, so where it runs
does not change the result. An engine only decides *where*:

``duckdb`` (default)
    A pool of threads in this process (unzipping, Arrow's CSV parser and its hash
    aggregation release the GIL), a bounded number of files in flight; the partials stream
    into a DuckDB staging table that spills to disk under a memory limit (see
    :func:`hedgewatch.store.event_import`). Memory stays bounded whatever the input size.
``dask``
    One task per file on a Dask cluster: an existing scheduler (``tcp://host:8786``), or a
    local cluster of worker processes when no address is given. Results stream back as they
    finish (a bounded window of tasks in flight) into the same DuckDB staging table. Needs the
    ``distributed`` extra. The files must be readable at the same path by every worker (a
    shared file system).

References
----------
Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task scheduling.
*Proceedings of the 14th Python in Science Conference*: 130-136.
Raasveldt, M. and Mühleisen, H. (2019). DuckDB: an embeddable analytical database.
*Proceedings of SIGMOD 2019*: 1981-1984.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hedgewatch.errors import DataFormatError, MissingExtraError, Problem
from hedgewatch.sources._events import REJECTED_COLUMNS

ENGINES = ("duckdb", "dask")


@dataclass(frozen=True)
class FileSummary:
    """What one file contributes to an import (the result of :func:`summarise_file`)."""

    path: str
    name: str
    md5: str = ""
    size: int = 0
    rows: int = 0
    dyadic: int = 0
    partial: pa.Table | None = None
    unmapped: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    n_problems: int = 0
    rejected: pd.DataFrame | None = None
    error: str = ""


def read_event_file(path: str, layout: str, errors: str = "raise"):
    """Read one file with the reader of ``layout`` (``gdelt``, ``dyad``, ``csv``)."""
    if layout == "gdelt":
        from hedgewatch.sources.gdelt import read_gdelt_export

        return read_gdelt_export(path, errors=errors)
    if layout == "dyad":
        from hedgewatch.sources.event_dyads import read_event_dyads

        return read_event_dyads(path, errors=errors)
    from hedgewatch.sources.event_csv import read_event_csv

    return read_event_csv(path, errors=errors)


def summarise_file(path: str, layout: str) -> FileSummary:
    """Read one event file and sum it per day and pair; never raises for bad input.

    Bad rows are left out and described (``problems``, ``rejected``); a file that cannot be
    read at all comes back with ``error`` set and no partial. The caller decides whether that
    fails the import or goes to quarantine.
    """
    from hedgewatch.events import dyad_partial, partial_aggregate

    name = os.path.basename(path)
    try:
        f = read_event_file(path, layout, errors="collect")
    except DataFormatError as exc:
        rejected = pd.DataFrame([[name, None, None, None, str(exc)]], columns=REJECTED_COLUMNS)
        return FileSummary(path, name, error=str(exc), rejected=rejected)
    if layout == "dyad":
        partial = dyad_partial(f.events)
        dyadic = partial.num_rows
    else:
        partial = partial_aggregate(f.events)
        dyadic = int(pc.sum(partial["events"]).as_py() or 0)
    return FileSummary(
        path,
        name,
        f.md5,
        f.size,
        f.rows,
        dyadic,
        partial,
        dict(f.unmapped),
        tuple(f.problems),
        f.n_problems,
        f.rejected if len(f.rejected) else None,
    )


class LocalEngine:
    """Threads in this process, a bounded window of files in flight (the ``duckdb`` engine)."""

    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or os.cpu_count() or 1

    def map(self, fn: Callable[..., Any], items: Iterable[tuple]) -> Iterator[Any]:
        """``fn(*item)`` for each item, yielded as they finish."""
        window = 2 * self.threads
        pending: set[Future] = set()
        with ThreadPoolExecutor(self.threads, thread_name_prefix="hw-events") as pool:
            for item in items:
                pending.add(pool.submit(fn, *item))
                if len(pending) >= window:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)

    def close(self) -> None:
        pass


class DaskEngine:
    """One task per file on a Dask cluster (the ``dask`` engine)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingExtraError("--engine dask", "distributed", "distributed") from exc
        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise DataFormatError(
                    scheduler,
                    f"cannot reach the Dask scheduler ({exc})",
                    hint="Start it with 'dask scheduler' (and workers with 'dask worker "
                    "ADDRESS'), or omit --scheduler to run a local cluster.",
                ) from exc
        else:
            self._cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
            self.client = Client(self._cluster)
        self.workers = len(self.client.scheduler_info(n_workers=-1)["workers"])

    def map(self, fn: Callable[..., Any], items: Iterable[tuple]) -> Iterator[Any]:
        """``fn(*item)`` on the cluster for each item, yielded as they finish."""
        from distributed import as_completed

        window = max(4, 4 * max(self.workers, 1))
        it = iter(items)
        futures = [self.client.submit(fn, *item, pure=False) for item in _take(it, window)]
        if not futures:
            return
        queue = as_completed(futures)
        for future in queue:
            result = future.result()
            future.release()
            for item in _take(it, 1):
                queue.add(self.client.submit(fn, *item, pure=False))
            yield result

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _take(it: Iterator[tuple], n: int) -> list[tuple]:
    out = []
    for _ in range(n):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out


def make_engine(
    engine: str, *, scheduler: str | None = None, workers: int | None = None
) -> LocalEngine | DaskEngine:
    """The engine named (``duckdb`` or ``dask``)."""
    if engine == "dask":
        return DaskEngine(scheduler, workers)
    return LocalEngine(workers)
