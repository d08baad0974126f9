"""Benchmark: all-pairs agreement for every session of the UNGA record.

Measures hedgewatch.alignment.agreement_matrix (one indicator-matrix product per session)
against a straightforward pandas implementation (per session: self-merge the votes on rcid,
score each pair of votes, group by pair and average) on the same data, and checks that the
two give the same numbers. Each side runs in its own subprocess so that the peak memory
(ru_maxrss) reported is its own.

Run: python benchmarks/bench_alignment.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd


def _votes() -> pd.DataFrame:
    import hedgewatch as hw

    return hw.votes()[["rcid", "session", "country", "vote"]]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(repeat: int) -> dict:
    from hedgewatch.alignment import agreement_matrix

    v = _votes()
    base = _peak_mib()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        mat = agreement_matrix(v, by="session", measure="agreement")
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    frame = mat.to_frame()
    t_frame = time.perf_counter() - t
    frame.to_parquet("/tmp/_bench_alignment_ours.parquet")
    return {
        "times": times,
        "to_frame_s": t_frame,
        "peak_mib": _peak_mib(),
        "base_mib": base,
        "n_votes": len(v),
        "n_rollcalls": int(v.rcid.nunique()),
        "n_sessions": len(mat.periods),
        "n_countries": len(mat.countries),
        "n_pairs": len(frame),
    }


def peer_agreement(v: pd.DataFrame) -> pd.DataFrame:
    """The plain pandas way: per session, merge votes with themselves on rcid."""
    v = v.assign(code=v["vote"].map({"yes": 0, "abstain": 1, "no": 2}).astype("int8"))
    parts = []
    for session, s in v.groupby("session"):
        m = s[["rcid", "country", "code"]].merge(
            s[["rcid", "country", "code"]], on="rcid", suffixes=("_a", "_b")
        )
        m = m[m.country_a < m.country_b]
        m["agree"] = 1 - (m.code_a - m.code_b).abs() / 2
        g = m.groupby(["country_a", "country_b"], observed=True)["agree"].agg(["mean", "size"])
        parts.append(g.reset_index().assign(period=session))
    return pd.concat(parts, ignore_index=True)


def run_peer() -> dict:
    v = _votes()
    v = v.assign(country=v["country"].astype(str), vote=v["vote"].astype(str))
    base = _peak_mib()
    t = time.perf_counter()
    out = peer_agreement(v)
    elapsed = time.perf_counter() - t
    out.to_parquet("/tmp/_bench_alignment_peer.parquet")
    return {"times": [elapsed], "peak_mib": _peak_mib(), "base_mib": base}


def _child(which: str, repeat: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", which, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["ours", "peer"])
    args = ap.parse_args()
    if args.child:
        res = run_ours(args.repeat) if args.child == "ours" else run_peer()
        print(json.dumps(res))
        return
    ours = _child("ours", args.repeat)
    peer = _child("peer", 1)
    a = pd.read_parquet("/tmp/_bench_alignment_ours.parquet")
    b = pd.read_parquet("/tmp/_bench_alignment_peer.parquet")
    j = a.merge(b, on=["period", "country_a", "country_b"])
    diff = float(np.abs(j["value"] - j["mean"]).max())
    best = min(ours["times"])
    print("hedgewatch alignment benchmark: all-pairs Voeten agreement, every session")
    print(
        f"machine   : {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"data      : hedgewatch.votes() (bundled record): {ours['n_votes']:,} votes, "
        f"{ours['n_rollcalls']:,} roll calls, {ours['n_sessions']} sessions, "
        f"{ours['n_countries']} countries, {ours['n_pairs']:,} pair-sessions with co-votes"
    )
    print(
        f"hedgewatch: agreement_matrix(by='session') best of {len(ours['times'])}: "
        f"{best:.3f} s (runs: {', '.join(f'{t:.3f}' for t in ours['times'])}); "
        f"to_frame(): {ours['to_frame_s']:.3f} s; peak RSS {ours['peak_mib']:.0f} MiB "
        f"(after loading data {ours['base_mib']:.0f} MiB)"
    )
    print(
        f"peer      : pandas merge/groupby per session: {peer['times'][0]:.3f} s; "
        f"peak RSS {peer['peak_mib']:.0f} MiB (after loading data {peer['base_mib']:.0f} MiB)"
    )
    print(
        f"ratio     : peer / hedgewatch = {peer['times'][0] / best:.1f}x "
        f"(hedgewatch incl. to_frame: {peer['times'][0] / (best + ours['to_frame_s']):.1f}x)"
    )
    print(f"check     : {len(j):,} pair-sessions compared, max |difference| = {diff:.2e}")
    print("target    : <= 2 s on 2 cores ->", "met" if best <= 2 else "NOT met")


if __name__ == "__main__":
    main()
