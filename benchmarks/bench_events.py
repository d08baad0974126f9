"""Benchmark: importing raw GDELT 2.0 exports end to end (issue 13).

A synthetic corpus in the real raw layout (61 tab-separated columns, no header, one zip per
15 minutes) is generated from the staged real export
(``gdelt/gdelt2_events_sample_20170312T2345.csv.gz``, in its raw form under tests/data): rows
are drawn from the real file (its joint distribution of event codes, quad classes, Goldstein
scores, counts, tone, geography, URLs), the actor country codes are redrawn from the real
file's distribution of codes (keeping blank actors blank) so that there are as many dyads as
in a day of GDELT, and the event date lags the file's stamp as in the real file (most events
the same day, about one in ten a year earlier, a few days to weeks otherwise). Files are
built column-wise with Arrow and zipped at deflate level 1 (to generate 20 million events in
minutes; inflating is no slower for it).

Measured, for two corpus sizes (to show memory independent of input size), end to end (unzip,
parse, map CAMEO countries, aggregate per day and pair, write the store atomically):

* the embedded engine (``--engine duckdb``, 2 threads);
* Dask with 1 and with 2 local worker processes (``--engine dask``);
* the peer: pandas ``read_csv`` of each zip + ``groupby(...).sum()``, single process.

Events/s = events read / wall seconds; peak memory = the largest sum of RSS over the process
and all its children (Dask's scheduler, nanny and workers included), sampled every 0.1 s;
CPU seconds = user + system time of the whole process tree (from ``getrusage``), so that
events per CPU-second can be read even on a shared, loaded machine.
Targets: >= 500,000 events/s on 2 cores; peak <= 2 GiB whatever the input size.

Usage::

    python benchmarks/bench_events.py [--files 2000] [--per-file 10000] [--small 500]
        [--dir TMP] [--keep] [--corpus DIR] [--skip-peer] [--engines duckdb-2,dask-1,dask-2]

The corpus goes to a temporary folder (deleted at the end unless --keep), or to --corpus
(made if missing, kept, reused by the next run).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "events" / "20170312234500.export.CSV.zip"


# ---------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------
def _sample_rows() -> list[list[bytes]]:
    with zipfile.ZipFile(SAMPLE) as zf:
        text = zf.read(zf.namelist()[0])
    return [line.split(b"\t") for line in text.split(b"\n") if line]


@functools.lru_cache(maxsize=1)
def _templates():
    """The real rows cut around the fields that vary (id, dates, the two country codes,
    DATEADDED), as Arrow arrays; the distributions of country codes and of date lags."""
    import pyarrow as pa

    rows = _sample_rows()

    def seg(a: int, b: int) -> pa.Array:
        return pa.array([b"\t".join(r[a:b]).decode() for r in rows])

    codes = [r[i] for r in rows for i in (7, 17) if r[i]]
    uniq, counts = np.unique(np.array(codes, dtype=object), return_counts=True)
    lags = []
    for r in rows:
        added = np.datetime64(f"{r[59][:4].decode()}-{r[59][4:6].decode()}-{r[59][6:8].decode()}")
        day = np.datetime64(f"{r[1][:4].decode()}-{r[1][4:6].decode()}-{r[1][6:8].decode()}")
        lags.append(int((added - day).astype(int)))
    parts = {
        "fraction": seg(4, 7),  # FractionDate .. Actor1Name
        "mid1": seg(8, 17),  # Actor1KnownGroupCode .. Actor2Name
        "mid2": seg(18, 59),  # Actor2KnownGroupCode .. ActionGeo_FeatureID
        "url": seg(60, 61),
        "blank1": np.array([not r[7] for r in rows]),
        "blank2": np.array([not r[17] for r in rows]),
    }
    return parts, [c.decode() for c in uniq], counts / counts.sum(), np.array(lags)


def _write_file(args: tuple[Path, int, int, int]) -> int:
    """One export of ``per_file`` events, built column-wise with Arrow (no Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    folder, index, per_file, seed = args
    parts, codes, probs, lags = _templates()
    rng = np.random.default_rng([seed, index])
    stamp = np.datetime64("2023-01-01T00:00") + np.timedelta64(15 * index, "m")
    day = stamp.astype("datetime64[D]")
    name = str(stamp).replace("-", "").replace(":", "").replace("T", "") + "00"
    pick = pa.array(rng.integers(0, len(parts["url"]), per_file))
    dates = (day - rng.choice(lags, per_file).astype("timedelta64[D]")).astype(str)
    ymd = np.char.replace(dates, "-", "")
    code_arr = np.array(codes, dtype=object)
    c1 = code_arr[rng.choice(len(codes), per_file, p=probs)]
    c2 = code_arr[rng.choice(len(codes), per_file, p=probs)]
    c1[parts["blank1"][pick.to_numpy()]] = ""
    c2[parts["blank2"][pick.to_numpy()]] = ""
    ids = pa.array(np.arange(per_file) + 1_000_000_000 + index * per_file).cast(pa.string())
    ymd_a = pa.array(ymd)
    n = per_file
    line = pc.binary_join_element_wise(
        ids,
        ymd_a,
        pc.utf8_slice_codeunits(ymd_a, 0, 6),
        pc.utf8_slice_codeunits(ymd_a, 0, 4),
        pc.take(parts["fraction"], pick),
        pa.array(c1.astype(str)),
        pc.take(parts["mid1"], pick),
        pa.array(c2.astype(str)),
        pc.take(parts["mid2"], pick),
        pa.array([name] * n),
        pc.take(parts["url"], pick),
        "\t",
    )
    line = pc.binary_join_element_wise(line, pa.array([""] * n), "\n")
    offsets, data = line.buffers()[1], line.buffers()[2]
    ends = np.frombuffer(offsets, dtype=np.int32)
    text = data.to_pybytes()[ends[0] : ends[n]]
    with zipfile.ZipFile(
        folder / f"{name}.export.CSV.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as zf:
        zf.writestr(f"{name}.export.CSV", text)
    return per_file


def generate(folder: Path, files: int, per_file: int, jobs: int = 2, seed: int = 13) -> float:
    """Write the corpus; return seconds taken."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(
            pool.map(_write_file, [(folder, i, per_file, seed) for i in range(files)], chunksize=8)
        )
    return time.perf_counter() - t0


def _du(folder: Path, names: list[str]) -> int:
    return sum((folder / n).stat().st_size for n in names)


# ---------------------------------------------------------------------------------------
# One measured run (a child process, so that its whole process tree is measured)
# ---------------------------------------------------------------------------------------
def _child(kind: str, listing: Path, workers: int, home: Path) -> None:
    files = listing.read_text().split()
    os.environ["HEDGEWATCH_HOME"] = str(home)
    t0 = time.perf_counter()
    if kind == "pandas":
        n = _pandas_peer(files)
    else:
        from hedgewatch.store import Store
        from hedgewatch.workflows import import_events

        rep = import_events(
            files,
            format="gdelt",
            engine=kind,
            workers=workers,
            store=Store(home / "bench.duckdb"),
        )
        n = rep.rows
    print(f"RESULT {n} {time.perf_counter() - t0:.3f}", flush=True)


def _pandas_peer(files: list[str]) -> int:
    """pandas read_csv of each zip + groupby per day and pair, summed over files."""
    import pandas as pd

    from hedgewatch import countries

    cols = {1: "date", 7: "a", 17: "b", 29: "quad", 30: "goldstein", 31: "mentions",
            32: "sources", 33: "articles", 34: "tone"}  # fmt: skip
    parts, n = [], 0
    for f in files:
        df = pd.read_csv(
            f, sep="\t", header=None, usecols=list(cols), names=None, dtype={7: str, 17: str},
            quoting=3, compression="zip",
        )  # fmt: skip
        df = df.rename(columns=cols)
        n += len(df)
        for c in ("a", "b"):
            table = countries.cameo_to_iso3(pd.unique(df[c].dropna()))
            df[c] = df[c].map(table)
        df = df.dropna(subset=["a", "b"])
        for q in range(1, 5):
            df[f"q{q}"] = (df["quad"] == q).astype("int64")
        df["events"] = 1
        g = df.groupby(["date", "a", "b"])[
            ["events", "q1", "q2", "q3", "q4", "goldstein", "mentions", "sources", "articles",
             "tone"]
        ].sum()  # fmt: skip
        parts.append(g)
    pd.concat(parts).groupby(level=[0, 1, 2]).sum()
    return n


def measure(
    kind: str, files: list[str], workers: int, tmp: Path
) -> tuple[int, float, float, float]:
    """(events, seconds, peak MiB of the process tree, CPU seconds of the tree) of one run."""
    import resource

    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    listing = tmp / f"files-{kind}-{workers}-{len(files)}.txt"
    listing.write_text("\n".join(files))
    home = tmp / f"home-{kind}-{workers}-{len(files)}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    cmd = [sys.executable, __file__, "--child", kind, str(listing), str(workers), str(home)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [ps, *ps.children(recursive=True)]
            rss = 0
            for p in tree:
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss += p.memory_info().rss
            peak = max(peak, rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    out = proc.stdout.read() if proc.stdout else ""
    shutil.rmtree(home, ignore_errors=True)
    line = [x for x in out.splitlines() if x.startswith("RESULT")]
    if proc.returncode != 0 or not line:
        raise SystemExit(f"{kind} run failed (exit {proc.returncode}): {out[-2000:]}")
    _, n, secs = line[-1].split()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return int(n), float(secs), peak / 2**20, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--per-file", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=500, help="files in the smaller corpus")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--corpus", type=Path, default=None, help="reuse (or make and keep) a corpus")
    ap.add_argument(
        "--engines",
        default="duckdb-2,dask-1,dask-2",
        help="runs, ENGINE-WORKERS separated by commas (default: duckdb-2,dask-1,dask-2)",
    )
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, listing, workers, home = args.child
        _child(kind, Path(listing), int(workers), Path(home))
        return
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}; load average at start {os.getloadavg()}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="hw-bench-events-", dir=args.dir))
    corpus = args.corpus or tmp / "exports"
    try:
        have = len(list(corpus.glob("*.zip"))) if corpus.exists() else 0
        secs = generate(corpus, args.files, args.per_file) if have < args.files else float("nan")
        names = sorted(p.name for p in corpus.iterdir())[: args.files]
        files = [str(corpus / n) for n in names]
        raw = args.files * args.per_file
        print(
            f"corpus: {len(files)} files x {args.per_file:,} events = {raw:,} events, "
            f"{_du(corpus, names) / 2**30:.2f} GiB zipped on disk, generated in {secs:.0f} s "
            f"(2 processes; nan = reused)"
        )
        sizes = [("small", files[: args.small]), ("large", files)]
        results: dict[tuple[str, str], tuple[int, float, float, float]] = {}
        runs = [(r.split("-")[0], int(r.split("-")[1])) for r in args.engines.split(",")]
        for label, subset in sizes:
            for kind, w in runs:
                results[(label, f"{kind}-{w}")] = measure(kind, subset, w, tmp)
                n, s, peak, cpu = results[(label, f"{kind}-{w}")]
                print(
                    f"{label:5s} {kind:6s} workers={w}: {n:>11,} events {s:7.1f} s "
                    f"{n / s:>10,.0f} events/s  peak {peak:6.0f} MiB  cpu {cpu:6.1f} s "
                    f"({n / cpu:,.0f} events per CPU-second, {cpu / n * 1e6:.2f} us CPU per "
                    f"event)  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        if not args.skip_peer and ("small", "duckdb-2") in results:
            n, s, peak, cpu = measure("pandas", sizes[0][1], 1, tmp)
            ours = results[("small", "duckdb-2")]
            print(
                f"small pandas read_csv+groupby: {n:>11,} events {s:7.1f} s {n / s:>10,.0f} "
                f"events/s  peak {peak:6.0f} MiB  cpu {cpu:6.1f} s ({n / cpu:,.0f} events per "
                f"CPU-second); hedgewatch duckdb engine: {(ours[0] / ours[1]) / (n / s):.1f}x "
                f"the events/s, {(ours[0] / ours[3]) / (n / cpu):.1f}x the events per CPU-second"
            )
        print("targets: >= 500,000 events/s on 2 cores; peak <= 2048 MiB at any input size")
        print(f"load average at end {os.getloadavg()}")
    finally:
        if args.keep or args.corpus:
            print(f"corpus kept in {corpus}")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
