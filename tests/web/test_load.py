"""Load: 500 API requests from 20 concurrent clients on the real server (127.0.0.1 only).

No errors, the server's memory bounded, latency reported (p50/p95). A heavier run is
``benchmarks/bench_web.py``.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from tests.web.conftest import get

N_REQUESTS = 500
CLIENTS = 20


@pytest.mark.slow
def test_500_requests_from_20_clients(atlas_server, capsys):
    server = atlas_server
    rng = random.Random(0)
    _, countries, _ = get(server.url + "/api/countries")
    codes = [
        c["code"] for c in countries if c["last_year"] >= 2000 and c["code"] not in ("CHN", "USA")
    ]
    _, movers, _ = get(server.url + "/api/movers?a=CHN&b=USA&top=1")
    urls = []
    for _ in range(N_REQUESTS):
        kind = rng.random()
        if kind < 0.35:
            urls.append(f"/api/atlas/{rng.randint(1972, 2019)}?a=CHN&b=USA")
        elif kind < 0.6:
            urls.append(f"/api/state/{rng.choice(codes)}?a=CHN&b=USA")
        elif kind < 0.8:
            urls.append(f"/api/movers?a=CHN&b=USA&year={rng.randint(1975, 2017)}&top=10")
        elif kind < 0.9:
            urls.append("/api/countries")
        else:
            urls.append("/api/health")
    rss_before, _ = server.rss_mib()

    def one(path: str) -> tuple[int, float]:
        t = time.perf_counter()
        status, _, _ = get(server.url + path, timeout=60)
        return status, time.perf_counter() - t

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(one, urls))
    wall = time.perf_counter() - t0
    rss_after, rss_peak = server.rss_mib()
    statuses = [s for s, _ in results]
    latency = np.array([t for _, t in results]) * 1000
    p50, p95 = np.percentile(latency, [50, 95])
    with capsys.disabled():
        print(
            f"\nload: {N_REQUESTS} requests, {CLIENTS} clients, {wall:.1f} s "
            f"({N_REQUESTS / wall:.0f}/s); latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max "
            f"{latency.max():.0f} ms; server RSS {rss_before:.0f} -> {rss_after:.0f} MiB "
            f"(peak {rss_peak:.0f} MiB)"
        )
    assert statuses.count(200) == N_REQUESTS, {s: statuses.count(s) for s in set(statuses)}
    assert rss_after - rss_before < 150, (rss_before, rss_after)  # no growth per request
    assert rss_peak < 2048
    status, health, _ = get(server.url + "/api/health")
    assert status == 200 and health["jobs"]["queued"] == 0
    assert movers  # the movers list was served before the burst too
