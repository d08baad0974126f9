"""Benchmark: the web app under load, on 127.0.0.1 only.

Starts ``hedgewatch serve`` (uvicorn) on a free local port over the store in
HEDGEWATCH_HOME, times the first atlas (computed) and the second (cached), then sends
``--requests`` API requests from ``--clients`` concurrent clients (a mix of one-year atlases,
state series, movers, countries, health) and prints throughput, latency percentiles, errors
and the server's resident memory before, after and at peak. Stops the server it started.

Run: HEDGEWATCH_HOME=/tmp/hw python benchmarks/bench_web.py [--requests 2000] [--clients 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _rss(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--n-boot", type=int, default=200)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "hedgewatch.cli",
        "serve",
        "--port",
        str(port),
        "--n-boot",
        str(args.n_boot),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t = time.perf_counter()
        while True:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=5) as r:
                    if json.load(r)["status"] == "ok":
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if proc.poll() is not None or time.perf_counter() - t > 300:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        print(
            f"machine: {os.cpu_count()} CPUs; load {os.getloadavg()}; server ready in {time.perf_counter() - t:.1f} s"
        )
        for label in ("first (computed or from the store cache)", "second (kept in memory)"):
            t = time.perf_counter()
            assert _get(url + "/api/atlas?a=CHN&b=USA") == 200
            print(f"atlas CHN-USA, {label}: {time.perf_counter() - t:.2f} s")
        with urllib.request.urlopen(url + "/api/countries") as r:
            codes = [c["code"] for c in json.load(r) if c["last_year"] >= 2000]
        rng = random.Random(0)
        paths = []
        for _ in range(args.requests):
            k = rng.random()
            if k < 0.35:
                paths.append(f"/api/atlas/{rng.randint(1972, 2019)}?a=CHN&b=USA")
            elif k < 0.6:
                paths.append(f"/api/state/{rng.choice(codes)}?a=CHN&b=USA")
            elif k < 0.8:
                paths.append(f"/api/movers?a=CHN&b=USA&year={rng.randint(1975, 2017)}")
            elif k < 0.9:
                paths.append("/api/countries")
            else:
                paths.append("/api/health")
        before = _rss(proc.pid)

        def one(p: str) -> tuple[int, float]:
            t = time.perf_counter()
            return _get(url + p), time.perf_counter() - t

        t = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            out = list(pool.map(one, paths))
        wall = time.perf_counter() - t
        after = _rss(proc.pid)
        lat = np.array([x for _, x in out]) * 1000
        codes_seen = {s: sum(1 for c, _ in out if c == s) for s in {c for c, _ in out}}
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        print(
            f"{args.requests} requests from {args.clients} clients: {wall:.1f} s "
            f"({args.requests / wall:.0f} req/s); statuses {codes_seen}"
        )
        print(
            f"latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {lat.max():.0f} ms"
        )
        print(
            f"server RSS: {before[0]:.0f} MiB before, {after[0]:.0f} MiB after; "
            f"peak {after[1]:.0f} MiB (includes computing the atlas)"
        )
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
