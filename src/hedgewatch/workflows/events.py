"""Event workflows: import files, fetch GDELT, and measure a state's event position in one call.

* :func:`import_events` (:class:`EventImportReport`) - read event files of one layout with an
  engine (embedded DuckDB or Dask, :mod:`hedgewatch._engines`), sum them per day and
  pair, and add them to the store in one atomic transaction;
* :func:`fetch_events` (:class:`FetchReport`) - download GDELT 2.0 exports listed in the
  master file list for a date range (parallel, MD5-verified, resumable) and import them in
  batches, each batch its own transaction, so an interrupted fetch resumes where it stopped;
* :func:`event_hedge` (:class:`EventHedgingResult`) - the event position of a state between
  two powers with its change points;
* :func:`compare_positions` - vote-based against event-based positions where both exist.
"""

from __future__ import annotations

import glob
import gzip
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._engines import ENGINES, FileSummary, make_engine, summarise_file
from hedgewatch._validation import check_choice, check_number, check_param, validated
from hedgewatch.errors import DataFormatError, InsufficientDataError, Problem
from hedgewatch.events import sum_partials
from hedgewatch.paths import downloads_home
from hedgewatch.sources._events import LAYOUTS, REJECTED_COLUMNS
from hedgewatch.store import Store, event_days, event_files, event_import, get_store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Default dataset name of each layout.
DEFAULT_DATASET = {"gdelt": "gdelt", "dyad": "dyad", "csv": "csv"}
#: Partial rows buffered (and summed) before they go to the store's staging table.
_COMBINE_ROWS = 200_000
#: ``progress(done, total, what)``.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class EventImportReport:
    """What an event import did.

    Attributes
    ----------
    dataset, layout, engine
        Where the events went, the layout read, the engine that read them.
    files
        Files imported.
    skipped
        Files left out because the dataset holds them already.
    rows
        Data rows read (events, or daily pair rows for the dyad layout).
    dyadic
        Events between two states (rows for the dyad layout): what the tables count.
    rejected
        Rows (or whole files) set aside in the quarantine file.
    unmapped
        Actor country codes that are not a state: ``code, kind, slots``.
    quarantine
        The quarantine file written, if any.
    seconds
        Wall time of the import.
    """

    dataset: str
    layout: str
    engine: str
    files: int
    skipped: int
    rows: int
    dyadic: int
    rejected: int
    unmapped: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code", "kind", "slots"])
    )
    quarantine: str | None = None
    seconds: float = 0.0

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the counts."""
        keep = ("dataset", "layout", "engine", "files", "skipped", "rows", "dyadic", "rejected")
        return pd.DataFrame([{k: getattr(self, k) for k in keep} | {"seconds": self.seconds}])


def expand_paths(paths: Iterable[str | os.PathLike[str]] | str) -> list[str]:
    """Files named by ``paths``: globs (``'exports/*.zip'``) expanded, folders listed."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    out: list[str] = []
    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?["):
            hits = sorted(glob.glob(text))
            if not hits:
                raise DataFormatError(text, "no file matches this pattern", hint="Check the path.")
            out += hits
        elif Path(text).is_dir():
            out += sorted(str(p) for p in Path(text).iterdir() if p.is_file())
        elif Path(text).exists():
            out.append(text)
        else:
            raise DataFormatError(text, "file not found", hint="Check the path.")
    for name in out:  # an empty file is an error (a failed download or export), never 0 rows
        if os.path.getsize(name) == 0:
            raise DataFormatError(
                name,
                "the file is empty (0 bytes)",
                hint="Check that its download or export finished; nothing was imported.",
            )
    return list(dict.fromkeys(out))


def detect_layout(path: str) -> str:
    """``gdelt`` for ``*.export.CSV(.zip)``; else ``dyad`` or ``csv`` from the header."""
    name = Path(path).name.lower()
    if name.endswith((".export.csv.zip", ".export.csv", ".zip")):
        return "gdelt"
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:
            header = f.readline().strip().lower()
    except (OSError, EOFError) as exc:
        raise DataFormatError(path, f"cannot read the file ({exc})") from exc
    cols = {c.strip() for c in header.split(",")}
    if cols & {"edge_weight", "iso3_a"} or {"country_a", "country_b", "weight"} <= cols:
        return "dyad"
    if cols & {"goldstein", "goldsteinscale", "goldstein_scale"}:
        return "csv"
    raise DataFormatError(
        path,
        f"cannot tell the layout from the header {header[:80]!r}",
        hint="Pass --format gdelt, dyad or csv.",
    )


@validated
def import_events(
    paths: Iterable[str | os.PathLike[str]] | str,
    *,
    format: str = "auto",
    dataset: str | None = None,
    engine: str = "duckdb",
    scheduler: str | None = None,
    workers: int | None = None,
    quarantine: str | os.PathLike[str] | None = None,
    store: Store | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> EventImportReport:
    """Import event files of one layout into the store, atomically.

    Parameters
    ----------
    paths
        Files, folders or glob patterns (``'exports/*.zip'``).
    format
        ``"gdelt"`` (raw GDELT 2.0 exports), ``"dyad"`` (daily dyad aggregate), ``"csv"``
        (generic event CSV) or ``"auto"`` (from the file name and header).
    dataset
        Dataset name in the store (default: ``gdelt``, ``dyad`` or ``csv``).
    engine
        ``"duckdb"`` (embedded, default) or ``"dask"`` (needs the ``distributed`` extra).
    scheduler
        With ``engine="dask"``: the scheduler address (``tcp://host:8786``); default a local
        cluster.
    workers
        Threads (duckdb) or local worker processes (dask); default the number of CPUs.
    quarantine
        Write bad rows (and unreadable files) there as CSV (``file, line, column, value,
        reason``) and import the rest. Default: any bad row fails the whole import, and
        nothing is imported.
    store
        The store (default: the user's).
    progress
        Called as ``progress(files done, files in all, file name)``.

    Returns
    -------
    :class:`EventImportReport`.
    """
    check_choice(format, "format", ("auto", *LAYOUTS))
    check_choice(engine, "engine", ENGINES)
    check_param(
        scheduler is None or engine == "dask",
        "scheduler",
        "given only with engine='dask'",
        scheduler,
    )
    if workers is not None:
        check_number(workers, "workers", low=1, integer=True)
    files = expand_paths(paths)
    layouts = {f: (format if format != "auto" else detect_layout(f)) for f in files}
    kinds = sorted(set(layouts.values()))
    check_param(
        len(kinds) == 1,
        "paths",
        "files of one layout (import each layout separately)",
        kinds,
    )
    layout = kinds[0]
    name = dataset or DEFAULT_DATASET[layout]
    t0 = time.perf_counter()
    runner = make_engine(engine, scheduler=scheduler, workers=workers)
    try:
        report = _run_import(files, layout, name, runner, quarantine, store, progress)
    finally:
        runner.close()
    return EventImportReport(**{**report, "seconds": round(time.perf_counter() - t0, 3)})


def _run_import(files, layout, name, runner, quarantine, store, progress) -> dict:
    st = get_store(store)
    done = set(event_files(name, store=st)["file"])
    todo = [f for f in files if Path(f).name not in done]
    skipped = len(files) - len(todo)
    counts = {"files": 0, "rows": 0, "dyadic": 0, "rejected": 0}
    unmapped: dict[str, tuple[str, int]] = {}
    bad: list[FileSummary] = []
    rejected: list[pd.DataFrame] = []
    buffer: list = []
    if todo:
        with event_import(
            name, layout=layout, directed=layout != "dyad", engine=runner.name, store=st
        ) as sink:
            for i, s in enumerate(runner.map(summarise_file, ((f, layout) for f in todo)), 1):
                if progress is not None:
                    progress(i, len(todo), s.name)
                if s.rejected is not None:
                    rejected.append(s.rejected)
                if s.error or s.n_problems:
                    bad.append(s)
                if s.error:
                    continue
                buffer.append(s.partial)
                if sum(p.num_rows for p in buffer) >= _COMBINE_ROWS:
                    sink.add(sum_partials(buffer))  # files of one day share most keys
                    buffer = []
                sink.add_file(
                    s.name,
                    md5=s.md5,
                    size=s.size,
                    rows=s.rows,
                    dyadic=s.dyadic,
                    rejected=len(s.rejected) if s.rejected is not None else 0,
                )
                for code, (kind, n) in s.unmapped.items():
                    unmapped[code] = (kind, unmapped.get(code, (kind, 0))[1] + n)
                counts["files"] += 1
                counts["rows"] += s.rows
                counts["dyadic"] += s.dyadic
            if bad and quarantine is None:
                raise _combined_error(bad)
            if buffer:
                sink.add(sum_partials(buffer))
            sink.add_unmapped(unmapped)
    q: str | None = None
    if rejected and quarantine is not None:
        frame = pd.concat(rejected, ignore_index=True)[REJECTED_COLUMNS]
        target = Path(quarantine)
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(target, index=False)
        counts["rejected"] = len(frame)
        q = str(target)
    um = pd.DataFrame(
        [(c, k, n) for c, (k, n) in unmapped.items()], columns=["code", "kind", "slots"]
    ).sort_values(["slots", "code"], ascending=[False, True], ignore_index=True)
    return {
        "dataset": name,
        "layout": layout,
        "engine": runner.name,
        "skipped": skipped,
        "unmapped": um,
        "quarantine": q,
        **counts,
    }


def _combined_error(bad: list[FileSummary]) -> DataFormatError:
    """One error for every bad file and row (the first file's name leads)."""
    first = bad[0]
    problems: list[Problem] = []
    total = 0
    for s in bad:
        tag = "" if s is first else f"[{s.name}] "
        if s.error:
            why = s.error.split(": ", 1)[-1].replace("; nothing was imported", "")
            problems.append(Problem(tag + why.rstrip(". ")))
            total += 1
        else:
            problems += [Problem(tag + p.reason, p.line, p.column, p.value) for p in s.problems]
            total += s.n_problems
    others = f" in {len(bad)} files" if len(bad) > 1 else ""
    return DataFormatError(
        first.name,
        problems[:20],
        total=total,
        hint=f"Nothing was imported{others}. Fix the input, or pass --quarantine FILE to import "
        "the good rows and write the bad ones there with their reasons.",
    )


# ---------------------------------------------------------------------------------------
# Fetch
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FetchReport:
    """What a fetch did: files listed in the range, already imported, downloaded and
    imported now, failed (with reasons), and the events added."""

    listed: int
    already: int
    imported: int
    failed: tuple[tuple[str, str], ...]
    dyadic: int
    rejected: int
    unmapped: pd.DataFrame
    folder: str
    seconds: float

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the counts."""
        keep = ("listed", "already", "imported", "dyadic", "rejected", "seconds")
        return pd.DataFrame([{k: getattr(self, k) for k in keep} | {"failed": len(self.failed)}])


@validated
def fetch_events(
    start: object,
    end: object,
    *,
    index: str | None = None,
    dest: str | os.PathLike[str] | None = None,
    keep_raw: bool = False,
    jobs: int = 4,
    batch: int = 96,
    retries: int = 4,
    timeout: float = 60,
    engine: str = "duckdb",
    scheduler: str | None = None,
    workers: int | None = None,
    dataset: str = "gdelt",
    store: Store | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> FetchReport:
    """Download the GDELT 2.0 exports of a date range and import them incrementally.

    Parameters
    ----------
    start, end
        First and last day (or timestamp) of the 15-minute files wanted, inclusive.
    index
        URL or path of ``masterfilelist.txt`` (default GDELT's, or ``$HEDGEWATCH_GDELT_URL``).
    dest
        Download folder (default ``$HEDGEWATCH_HOME/downloads/gdelt``).
    keep_raw
        Keep the zip files after import (default: delete each batch once imported).
    jobs
        Parallel downloads.
    batch
        Files per import transaction (96 = one day). An interruption loses at most one
        batch; a new fetch skips the files imported and resumes partial downloads.
    retries, timeout
        Per-file retries (with resume) and socket timeout in seconds.
    engine, scheduler, workers
        As in :func:`import_events`.
    dataset
        Dataset name in the store.
    store
        The store (default: the user's).
    progress
        Called as ``progress(files done, files in all, what)``.

    Returns
    -------
    :class:`FetchReport`. Files that failed (checksum mismatch, HTTP error) are listed in
    ``failed`` and not imported; a new fetch retries them.
    """
    from hedgewatch.sources.gdelt_download import (
        RemoteFile,
        download_many,
        read_master_list,
        select_exports,
    )

    check_number(jobs, "jobs", low=1, integer=True)
    check_number(batch, "batch", low=1, integer=True)
    check_choice(engine, "engine", ENGINES)
    lo, hi = pd.Timestamp(str(start)), pd.Timestamp(str(end))
    check_param(lo <= hi, "end", f"on or after start ({lo.date()})", str(end))
    t0 = time.perf_counter()
    st = get_store(store)
    folder = Path(dest) if dest is not None else downloads_home() / "gdelt"
    wanted = select_exports(read_master_list(index, timeout=max(timeout, 120)), lo, hi)
    done = set(event_files(dataset, store=st)["file"])
    todo = wanted[~wanted["file"].isin(done)]
    failed: list[tuple[str, str]] = []
    totals = {"imported": 0, "dyadic": 0, "rejected": 0}
    unmapped: list[pd.DataFrame] = []
    quarantine = folder / "quarantine.csv"
    remotes = [
        RemoteFile(str(url), int(size), str(md5))
        for url, size, md5 in zip(todo["url"], todo["size"], todo["md5"], strict=True)
    ]
    n_done = 0
    for k in range(0, len(remotes), batch):
        chunk = remotes[k : k + batch]
        got: list[str] = []
        for remote, path, err in download_many(
            chunk, folder, jobs=jobs, retries=retries, timeout=timeout
        ):
            n_done += 1
            if progress is not None:
                progress(n_done, len(remotes), f"downloaded {remote.name}")
            if err is not None:
                failed.append((remote.name, str(err)))
            else:
                got.append(str(path))
        if not got:
            continue
        q = quarantine.with_name(f"quarantine-{Path(sorted(got)[0]).name}.csv")
        rep = import_events(
            sorted(got),
            format="gdelt",
            dataset=dataset,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            quarantine=q,
            store=st,
        )
        totals["imported"] += rep.files
        totals["dyadic"] += rep.dyadic
        totals["rejected"] += rep.rejected
        unmapped.append(rep.unmapped)
        if not keep_raw:
            for p in got:
                Path(p).unlink(missing_ok=True)
    um = (
        pd.concat(unmapped).groupby(["code", "kind"])["slots"].sum().reset_index()
        if unmapped
        else pd.DataFrame(columns=["code", "kind", "slots"])
    )
    return FetchReport(
        listed=len(wanted),
        already=len(wanted) - len(todo),
        failed=tuple(failed),
        unmapped=um.sort_values(by="slots", ascending=False, ignore_index=True),
        folder=str(folder),
        seconds=round(time.perf_counter() - t0, 3),
        **totals,
    )


# ---------------------------------------------------------------------------------------
# Analyses from the store
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventHedgingResult:
    """Event position of a state between two powers, with the change points of the position.

    Attributes
    ----------
    state, powers
        ISO3 codes.
    dataset
        The event dataset read.
    index
        One row per period (see :func:`hedgewatch.events.event_position`).
    pivots
        Change points of the position (see :func:`hedgewatch.alignment.pivots`); empty if
        none.
    measure
        The event measure.
    """

    state: str
    powers: tuple[str, str]
    dataset: str
    index: pd.DataFrame
    pivots: pd.DataFrame
    measure: str

    def to_frame(self) -> pd.DataFrame:
        """The index, one row per period."""
        return self.index.copy()

    def plot(self) -> Figure:
        """Position with its band and change points, and each power's level (see
        :func:`hedgewatch.events.plot.plot_event_position`)."""
        from hedgewatch.events.plot import plot_event_position

        return plot_event_position(self.index, self.pivots, state=self.state)


@validated
def event_hedge(
    state: str,
    powers: Sequence[str],
    *,
    by: str = "year",
    measure: str = "weight",
    start: object = None,
    end: object = None,
    dataset: str | None = None,
    n_boot: int = 200,
    level: float = 0.95,
    block: int = 7,
    seed: int | None = 0,
    penalty: str | float = "bic",
    min_size: int = 3,
    store: Store | str | os.PathLike[str] | None = None,
) -> EventHedgingResult:
    """Event position of ``state`` between two powers from the stored events, with pivots.

    Parameters
    ----------
    state, powers, by, measure, n_boot, level, block, seed
        As in :func:`hedgewatch.events.event_position`.
    start, end
        Window (dates or years).
    dataset
        Event dataset (default: the only one loaded).
    penalty, min_size
        As in :func:`hedgewatch.alignment.pivots` (PELT on the position series).
    store
        The store (default: the user's).

    Returns
    -------
    :class:`EventHedgingResult`.
    """
    from hedgewatch.alignment import pivots
    from hedgewatch.events import event_position

    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a sequence of two countries",
        powers,
    )
    x = _countries.resolve(state, where="state")
    a, b = (_countries.resolve(p, where="powers") for p in powers)
    daily = event_days([x], dataset=dataset, start=start, end=end, store=store)
    idx = event_position(
        daily, x, (a, b), by=by, measure=measure, n_boot=n_boot, level=level, block=block, seed=seed
    )
    try:
        piv = pivots(idx, column="position", penalty=penalty, min_size=min_size, seed=seed)
    except InsufficientDataError:
        piv = pd.DataFrame(columns=["period", "before", "after", "size", "direction", "stability"])
    return EventHedgingResult(x, (a, b), daily.attrs["dataset"], idx, piv, measure)


@validated
def compare_positions(
    powers: Sequence[str],
    *,
    years: Sequence[int] | None = None,
    measure: str = "weight",
    dataset: str | None = None,
    min_votes: int = 10,
    store: Store | str | os.PathLike[str] | None = None,
):
    """Vote-based against event-based positions between two powers, over shared years.

    For every state with both a vote position (:func:`hedgewatch.alignment.hedging_index`,
    by year, ``min_votes`` roll calls at least) and an event position
    (:func:`hedgewatch.events.event_positions`, by year) in the years both sources cover
    (or ``years``), correlate the two (:func:`hedgewatch.events.position_correlation`).

    Returns
    -------
    :class:`hedgewatch.events.PositionCorrelation`.
    """
    from hedgewatch.alignment import hedging_index
    from hedgewatch.events import event_positions, position_correlation
    from hedgewatch.store import votes

    a, b = (_countries.resolve(p, where="powers") for p in powers)
    daily = event_days([a, b], dataset=dataset, store=store)
    ev_years = set(pd.to_datetime(daily["date"]).dt.year)
    v = votes(store=get_store(store))
    shared = sorted(ev_years & set(v["year"]) if years is None else set(years))
    if not shared:
        raise InsufficientDataError(
            "the loaded votes and events share no year (events "
            f"{min(ev_years, default='-')}-{max(ev_years, default='-')}). Import votes or "
            "events that overlap."
        )
    ev = event_positions(daily[daily["date"].dt.year.isin(shared)], (a, b), by="year",
                         measure=measure)  # fmt: skip
    v = v[v["year"].isin(shared)]
    rows = []
    for s in sorted(set(ev["state"]) & set(v["country"])):
        try:
            h = hedging_index(v, s, [a, b], by="year", n_boot=0)
        except InsufficientDataError:
            continue
        h = h[h["n_votes"] >= min_votes]
        rows += [(s, p, pos) for p, pos in zip(h["period"], h["position"], strict=True)]
    vp = pd.DataFrame(rows, columns=["state", "period", "position"])
    return position_correlation(vp, ev)
