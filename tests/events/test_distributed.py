"""The Dask engine on a real cluster: a scheduler and two workers on 127.0.0.1.

The scheduler and the workers are started here as separate processes with Dask's own
command line (``dask scheduler``, ``dask worker``), on free ports, and stopped at the end. An
import through them must give exactly the tables of the embedded DuckDB engine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

pytest.importorskip("distributed")

from hedgewatch.store import Store, event_days, event_files  # noqa: E402
from hedgewatch.workflows import import_events  # noqa: E402

from .conftest import synthetic_exports  # noqa: E402

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded workers."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = []

    def start(args: list[str], name: str) -> None:
        out = (logs / f"{name}.log").open("w")
        procs.append(subprocess.Popen(dask + args, stdout=out, stderr=out, env=env))

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], "s")
        for i in (1, 2):
            start(
                [
                    "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                    "--no-nanny", "--no-dashboard", "--name", f"w{i}",
                ],
                f"w{i}",
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="5s") as c:
                    c.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):  # workers first, then the scheduler
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_import_through_a_real_cluster_equals_the_embedded_engine(cluster, tmp_path):
    from distributed import Client

    files = [str(p) for p in synthetic_exports(tmp_path / "ex", 12, 300, seed=11)]
    local = Store(tmp_path / "local.duckdb")
    remote = Store(tmp_path / "dask.duckdb")
    a = import_events(files, store=local)
    b = import_events(files, engine="dask", scheduler=cluster, store=remote)
    assert (a.engine, b.engine) == ("duckdb", "dask")
    assert a.rows == b.rows == 3600 and a.dyadic == b.dyadic
    pd.testing.assert_frame_equal(event_days(store=local), event_days(store=remote))
    cols = ["file", "md5", "rows", "dyadic"]
    pd.testing.assert_frame_equal(event_files(store=local)[cols], event_files(store=remote)[cols])
    with Client(cluster) as c:  # both workers took part
        done = c.run(lambda dask_worker: len(dask_worker.state.log))
    assert len(done) == 2 and all(n > 0 for n in done.values())


def test_without_an_address_a_local_cluster_is_started(tmp_path):
    files = [str(p) for p in synthetic_exports(tmp_path / "ex", 4, 200, seed=12)]
    local = Store(tmp_path / "local.duckdb")
    remote = Store(tmp_path / "dask.duckdb")
    import_events(files, store=local)
    rep = import_events(files, engine="dask", workers=1, store=remote)
    assert rep.engine == "dask" and rep.files == 4
    pd.testing.assert_frame_equal(event_days(store=local), event_days(store=remote))
