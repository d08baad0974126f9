"""A real server for the web tests: ``hedgewatch serve`` (uvicorn) on 127.0.0.1, on a test store.

The store holds the bundled record, small real cuts of speeches and statements (as the
report's tests use), and one statement whose title is hostile markup, so the state page's
escaping is tested on real output. The server process is started once per session on a free
port and stopped by its own process id.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from hedgewatch.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
HOSTILE = "<script>alert(1)</script> KCNA <img src=x onerror=alert(2)>"
SECTIONS = ("alignment", "hedging", "synchronisation")
N_BOOT = 40
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _statements() -> pd.DataFrame:
    df = pd.read_parquet(DATA / "statements_kcna_2024_08.parquet")
    evil = {
        "actor": "PRK",
        "date": pd.Timestamp("2024-08-29"),
        "title": HOSTILE,
        "text": HOSTILE + " on sovereignty and peace",
        "url": "",
        "source": "test",
        "language": "en",
    }
    df = pd.concat([df, pd.DataFrame([evil])], ignore_index=True)
    df["statement_id"] = [f"t{i}" for i in range(len(df))]
    df["detected_language"] = df["language"]
    df["duplicate_of"] = pd.Series([None] * len(df), dtype="string")
    return df


def _speeches() -> pd.DataFrame:
    sp = pd.read_parquet(DATA / "speeches_2015_2019_40states.parquet")
    return sp.assign(state=sp["country"], code=sp["country"], name="", post="")


@pytest.fixture(scope="session")
def web_home(tmp_path_factory) -> Path:
    """A store with the bundled record and small speech and statement tables."""
    home = tmp_path_factory.mktemp("web_home")
    st = Store(home / "hedgewatch.duckdb")
    st.ensure("votes", "roll_calls", "bridges")
    st.write_tables({"statements": _statements(), "speeches": _speeches()})
    return home


@pytest.fixture(scope="session")
def export_store(web_home, tmp_path_factory) -> Store:
    """A copy of the web store for in-process use (the server process owns the original),
    cut to the votes from 2005 on: the offline export computes one atlas per pair of powers,
    and fifteen years are enough to test the page."""
    path = tmp_path_factory.mktemp("export_home") / "hedgewatch.duckdb"
    shutil.copyfile(web_home / "hedgewatch.duckdb", path)
    st = Store(path)
    with st.transaction() as con:
        con.execute(
            "delete from votes where rcid in (select rcid from roll_calls where year < 2005)"
        )
        con.execute("delete from roll_calls where year < 2005")
    return st


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> tuple[int, dict | list | str, dict]:
    """GET ``url``: status, body (parsed when JSON) and headers; 4xx/5xx are returned too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            status, raw, headers = r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        status, raw, headers = e.code, e.read(), dict(e.headers)
    ctype = headers.get("content-type", headers.get("Content-Type", ""))
    body = json.loads(raw) if "json" in ctype else raw.decode("utf-8", "replace")
    return status, body, headers


class Server:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc, self.port = proc, port
        self.url = f"http://127.0.0.1:{port}"
        self.log: Path | None = None

    def rss_mib(self) -> tuple[float, float]:
        """Resident and peak resident memory of the server process (MiB)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def _serve(home: Path, log: Path):
    """Start ``hedgewatch serve`` on ``home``'s store; yield the running server; stop it."""
    port = _free_port()
    env = {**os.environ, "HEDGEWATCH_HOME": str(home)}
    cmd = [
        sys.executable,
        "-m",
        "hedgewatch.cli",
        "serve",
        "--port",
        str(port),
        "--n-boot",
        str(N_BOOT),
    ]
    for s in SECTIONS:
        cmd += ["--section", s]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(proc, port)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()}")
            try:
                status, body, _ = get(srv.url + "/api/health", timeout=5)
                if status == 200 and body["status"] == "ok":
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text()}")
            time.sleep(0.3)
        srv.log = log
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(web_home, tmp_path_factory) -> Server:
    """The running server (up in a few seconds; nothing computed yet)."""
    yield from _serve(web_home, tmp_path_factory.mktemp("server_log") / "serve.log")


@pytest.fixture(scope="session")
def events_home(tmp_path_factory) -> Path:
    """A store with the bundled record and a small multi-year event file
    (tests/events/synthetic.py: North Korea shifts toward Russia in 2021)."""
    from hedgewatch.workflows import import_events
    from tests.events.synthetic import write_dyad_csv

    home = tmp_path_factory.mktemp("events_home")
    st = Store(home / "hedgewatch.duckdb")
    st.ensure("votes", "roll_calls", "bridges")
    import_events([str(write_dyad_csv(home / "dyads.csv"))], format="dyad", store=st)
    return home


@pytest.fixture(scope="session")
def events_server(events_home, tmp_path_factory) -> Server:
    """A second server, on the store with event data."""
    yield from _serve(events_home, tmp_path_factory.mktemp("events_log") / "serve.log")


@pytest.fixture(scope="session")
def atlas_server(server) -> Server:
    """The server with the CHN-USA atlas of the whole record computed and cached (~5-10 s:
    the tests that need it are marked slow)."""
    status, _, _ = get(server.url + "/api/atlas?a=CHN&b=USA")
    assert status == 200, server.log.read_text() if server.log else status
    return server
