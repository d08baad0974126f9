"""Benchmark: narratives + synchronisation test on 100,000 statements of two actors.

Data: a simulated two-year corpus (RUS, PRK) whose background statements are sentences of
the two states' UN General Debate speeches (tests/data/statements/ungdc_sentences_prk_rus.csv,
cut from the UNGDC, Jankin, Baturo & Dasandi), with 6 synchronised and 6 decoy narratives
injected (hedgewatch.statements.simulate). Prints the time and peak memory of each stage, the
precision and recall of recovered events, the false-positive rate of the permutation test
over many null runs, and a run on the staged real corpora when ../shared/data is present.

Peer: there is no packaged tool for this test; the naive alternative compares every
statement of one actor with every statement of the other (TF-IDF cosine, O(n^2)). It is timed
on a 5,000 x 5,000 sample and scaled by (n_a x n_b) / 5,000^2, printed as such.

Usage: python benchmarks/bench_sync.py [--quick]
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch.statements import narratives, synchronisation
from hedgewatch.statements.simulate import null_pvalues, score_events, simulate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data" / "statements"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return (
        f"{platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores visible, Python {platform.python_version()}"
    )


def bench_100k(pools: dict[str, list[str]]) -> None:
    t = time.perf_counter()
    df, truth = simulate(
        pools, "2014-01-01", "2015-12-31", n_sync=6, n_decoy=6, episodes=4, rate=84.0, seed=7
    )
    t_sim = time.perf_counter() - t
    print(
        f"corpus: {len(df):,} statements ({df['actor'].value_counts().to_dict()}), "
        f"{df['date'].nunique()} days, {len(truth)} injected synchronised episodes "
        f"(simulated in {t_sim:.1f} s, not counted)"
    )
    t0 = time.perf_counter()
    nr = narratives(df, method="phrases")
    t1 = time.perf_counter()
    r = synchronisation(df, ["RUS", "PRK"], narratives_result=nr, seed=7)
    t2 = time.perf_counter()
    sc = score_events(r.events, truth, df, nr.membership)
    print(f"narratives (key phrases): {len(nr.narratives):,} narratives, {t1 - t0:.1f} s")
    print(
        f"synchronisation (onsets + block-shuffle test, {r.n_null} draws, refined to "
        f"19,999 for small p): {t2 - t1:.1f} s"
    )
    print(
        f"TOTAL narratives + sync: {t2 - t0:.1f} s wall (design target <= 60 s on 2 cores); "
        f"peak RSS so far {peak_mib():,.0f} MiB"
    )
    print(
        f"recovered events (q <= 0.05): {sc['recovered']}, true {sc['true_positives']}, "
        f"precision {sc['precision']:.3f}, recall {sc['recall']:.3f} "
        f"of {sc['injected']} injected"
    )
    o = r.overall.iloc[0]
    print(f"overall: observed {o.observed}, expected {o.expected:.1f}, p = {o.p_value:.4f}")
    _peer(df, t2 - t0)


def _peer(df: pd.DataFrame, ours: float) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    a = df[df["actor"] == "RUS"]["text"].sample(5000, random_state=0)
    b = df[df["actor"] == "PRK"]["text"].sample(5000, random_state=0)
    t = time.perf_counter()
    X = TfidfVectorizer(sublinear_tf=True).fit_transform(pd.concat([a, b]))
    S = X[:5000] @ X[5000:].T
    _ = (S > 0.5).sum()
    dt = time.perf_counter() - t
    na, nb = (df["actor"] == "RUS").sum(), (df["actor"] == "PRK").sum()
    scaled = dt * na * nb / 5000**2
    print(
        f"peer (naive all-pairs cosine): {dt:.1f} s on 5,000 x 5,000, scaled to "
        f"{na:,} x {nb:,}: ~{scaled:,.0f} s; hedgewatch pairwise stage is O(K T log T), "
        f"ratio peer / hedgewatch (narratives + sync) ~{scaled / ours:.0f}x"
    )


def bench_calibration(runs: int) -> None:
    for null, block in (("shuffle", 7), ("shuffle", 28), ("shift", 7)):
        t = time.perf_counter()
        res = null_pvalues(
            runs, n_narratives=30, n_days=365, null=null, block=block, n_perm=199, seed=3
        )
        each = res.attrs["narrative_p"]
        print(
            f"null calibration, {null} (block {block} d), {runs} runs of 30 bursty "
            f"narratives x 365 days: FPR pooled test {np.mean(res['total_p'] <= 0.05):.3f}, "
            f"per narrative {np.mean(each <= 0.05):.3f} (n={len(each):,}), "
            f"at 0.01: {np.mean(each <= 0.01):.3f}; {time.perf_counter() - t:.1f} s"
        )
    res = null_pvalues(
        runs, n_narratives=30, n_days=365, burst=(10, 40), rate=0.01, n_perm=199, seed=4
    )
    print(
        f"null calibration, shuffle (block 7 d), long bursts (10-40 days): pooled FPR "
        f"{np.mean(res['total_p'] <= 0.05):.3f}, per narrative "
        f"{np.mean(res.attrs['narrative_p'] <= 0.05):.3f}"
    )


def bench_groundtruth(pools: dict[str, list[str]], seeds: int) -> None:
    rows = []
    for seed in range(seeds):
        df, truth = simulate(pools, seed=seed)
        r = synchronisation(df, ["RUS", "PRK"], seed=seed)
        rows.append(score_events(r.events, truth, df, r.narratives.membership))
    s = pd.DataFrame(rows)
    print(
        f"ground truth, {seeds} simulated years (4 synchronised narratives x 3 episodes, "
        f"4 decoys, ~3,700 statements each): precision "
        f"{s['true_positives'].sum() / max(1, s['recovered'].sum()):.3f} "
        f"({s['true_positives'].sum()}/{s['recovered'].sum()}), recall "
        f"{s['recall'].mean():.3f}"
    )


def bench_real() -> None:
    if not SHARED.exists():
        print("real data: ../shared/data/statements not present, skipped")
        return
    from hedgewatch.sources.statements import read_statements

    t = time.perf_counter()
    a = read_statements(SHARED / "kcna_articles_2024.parquet")
    b = read_statements(SHARED / "rus_1tv_news_2000_2026.parquet")
    b = b[b["date"] >= "2023-10-01"]
    df = pd.concat([a, b], ignore_index=True)
    r = synchronisation(df, ["PRK", "RUS"], window="3d", quiet="14d", seed=0)
    o = r.overall.iloc[0]
    print(
        f"real: KCNA 2024 (en, {len(a):,}) x Channel One (ru, {len(b):,}), concepts, "
        f"{r.start:%Y-%m-%d}..{r.end:%Y-%m-%d}: observed {o.observed}, expected "
        f"{o.expected:.1f}, p = {o.p_value:.3f}; {time.perf_counter() - t:.1f} s"
    )
    top = r.summary[r.summary["q_value"].notna()].head(5)
    for s in top.itertuples():
        print(
            f"   {s.label}: onsets {s.onsets_a}/{s.onsets_b}, observed {s.observed}, "
            f"expected {s.expected:.2f}, p {s.p_value:.3f}, q {s.q_value:.3f}"
        )
    for e in r.events.head(8).itertuples():
        print(
            f"   event {e.country_a} {e.date_a:%Y-%m-%d}, {e.country_b} {e.date_b:%Y-%m-%d}: "
            f"{e.label!r} (p {e.p_value:.3f})"
        )
    t = time.perf_counter()
    h = read_statements(SHARED / "kcna_headlines_1997_2014.csv.gz", actor="PRK", language="en")
    all_b = read_statements(SHARED / "rus_1tv_news_2000_2026.parquet")
    lo, hi = "2002-01-01", "2010-12-31"
    df = pd.concat(
        [
            h[(h["date"] >= lo) & (h["date"] <= hi)],
            all_b[(all_b["date"] >= lo) & (all_b["date"] <= hi)],
        ],
        ignore_index=True,
    )
    r = synchronisation(df, ["PRK", "RUS"], method="concepts", seed=0)
    o = r.overall.iloc[0]
    print(
        f"real: KCNA headlines x Channel One {lo}..{hi} ({len(df):,} items), concepts: "
        f"observed {o.observed}, expected {o.expected:.1f}, ratio {o.ratio:.2f}, "
        f"p = {o.p_value:.3f}; {time.perf_counter() - t:.1f} s"
    )
    for e in r.events[r.events["q_value"] <= 0.05].itertuples():
        print(
            f"   event {e.country_a} {e.date_a:%Y-%m-%d}, {e.country_b} {e.date_b:%Y-%m-%d}: "
            f"{e.label!r} (p {e.p_value:.4f}, q {e.q_value:.3f})"
        )


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"machine: {machine()}")
    s = pd.read_csv(ROOT / "tests" / "data" / "statements" / "ungdc_sentences_prk_rus.csv")
    pools = {c: s.loc[s["country"] == c, "sentence"].tolist() for c in ("RUS", "PRK")}
    bench_100k(pools)
    bench_groundtruth(pools, 4 if quick else 20)
    bench_calibration(200 if quick else 1000)
    bench_real()
    print(f"peak RSS (whole script): {peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
