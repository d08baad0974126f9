"""Concurrent use of one store: no import lost, no reader disturbed, no leftovers.

Writers run in separate processes (the lock is between processes); the corpora are small cuts
of real KCNA articles so that each test runs in seconds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hedgewatch.errors import MissingDataError
from hedgewatch.paths import bundled_path
from hedgewatch.report import build_report
from hedgewatch.sources.statements import read_statements
from hedgewatch.store import Store, statements

from ._worker import REPORT
from .conftest import spawn


def _ids(path: Path) -> set[str]:
    return set(read_statements(path)["statement_id"])


def _stored(store: Path) -> set[str]:
    try:
        return set(statements(store=store, include_duplicates=True)["statement_id"])
    except MissingDataError:
        return set()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".import-", ".new-")))


def _claims(store: Path) -> list[dict]:
    rep = build_report("PRK", ("CHN", "RUS"), store=store, **REPORT)
    return json.loads(rep.claims.to_json(orient="records"))


def test_four_imports_and_two_reports_at_once(seeded, store_copy, corpora, tmp_path):
    alone_home = tmp_path / "alone"
    alone_home.mkdir()
    alone = _claims(Path(shutil.copyfile(seeded, alone_home / "s.duckdb")))

    procs = [spawn("import", store_copy, f) for f in corpora]
    procs += [spawn("report", store_copy) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    stored = _stored(store_copy)
    for f in corpora:
        assert _ids(f) <= stored, f"{f.name}: an import that reported success is missing"
    assert len(stored) == sum(len(_ids(f)) for f in corpora)
    for out, _ in outs[4:]:
        assert json.loads(out) == alone  # the same claims as a report run alone
    assert _leftovers(store_copy.parent) == []


@pytest.mark.slow
def test_the_issues_case_on_the_staged_corpora(seeded, store_copy, shared_data, tmp_path):
    """The issue's report, on the real files: KCNA 2011-2012 (.jsonl.gz) and the Chinese
    spokesperson corpus (.parquet) - the pair whose concurrent imports lost the CHN
    statements - with two more staged corpora, four imports at once beside two reports."""
    folder = shared_data / "statements"
    files = [
        folder / "kcna_articles_2011_2012.jsonl.gz",
        folder / "cmfa_spokesperson_2016_2020.parquet",
        folder / "kcna_articles_2024.parquet",
        folder / "kcna_headlines_1997_2014.csv.gz",
    ]
    alone_home = tmp_path / "alone"
    alone_home.mkdir()
    alone = _claims(Path(shutil.copyfile(seeded, alone_home / "s.duckdb")))
    # the spokesperson file has two undated records: set aside (quarantined), the rest imported
    bad = [tmp_path / f"bad-{i}.csv" for i in range(len(files))]
    procs = [spawn("import", store_copy, f, q, "PRK") for f, q in zip(files, bad, strict=True)]
    procs += [spawn("report", store_copy) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    stored = _stored(store_copy)
    for f, q in zip(files, bad, strict=True):
        again = read_statements(f, quarantine=tmp_path / "again.csv", actor="PRK")
        good = set(again["statement_id"])
        assert good <= stored, f"{f.name}: an import that reported success is missing"
        assert not q.exists() or len(pd.read_csv(q)) <= 2
    actors = set(statements(store=store_copy, include_duplicates=True)["actor"])
    assert {"CHN", "PRK"} <= actors  # the CHN statements the issue saw lost are there
    for out, _ in outs[4:]:
        assert json.loads(out) == alone
    assert _leftovers(store_copy.parent) == []


def _kill_while_writing(proc: subprocess.Popen[str], store: Path, rng: random.Random) -> bool:
    """SIGKILL ``proc`` at a random moment of its write (once the lock's holder file names
    it); True if it was caught writing, False if it finished first."""
    holder = store.with_name(store.name + ".writer")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if json.loads(holder.read_text())["pid"] == proc.pid:
                time.sleep(rng.uniform(0.0, 0.3))
                proc.send_signal(signal.SIGKILL)
                return True
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.01)
    return False


@pytest.mark.parametrize(
    ("seed", "moment"),
    [
        (3, "any"),
        (5, "writing"),
        pytest.param(11, "any", marks=pytest.mark.slow),
        pytest.param(7, "writing", marks=pytest.mark.slow),
    ],
)
def test_kill_a_random_writer_at_a_random_moment(store_copy, corpora, seed, moment):
    rng = random.Random(seed)
    procs = [spawn("import", store_copy, f) for f in corpora]
    victim = rng.randrange(len(procs))
    if moment == "writing":
        caught = _kill_while_writing(procs[victim], store_copy, rng)
        left_behind = _leftovers(store_copy.parent)
    else:
        time.sleep(rng.uniform(1.0, 6.0))
        procs[victim].send_signal(signal.SIGKILL)
    for p in procs:
        p.communicate(timeout=300)
    ok = [f for f, p in zip(corpora, procs, strict=True) if p.returncode == 0]
    assert all(p.returncode in (0, -signal.SIGKILL) for p in procs)
    if moment == "writing":  # killed while holding the lock (before, during or after its copy)
        assert caught and procs[victim].returncode == -signal.SIGKILL
        if not left_behind:  # no copy on disk: killed before making it or after the swap
            assert _ids(corpora[victim]) & _stored(store_copy) in (
                set(),
                _ids(corpora[victim]),
            )

    stored = _stored(store_copy)  # opens the store: killed writers' files are swept
    expected = set().union(*(_ids(f) for f in ok)) if ok else set()
    assert expected <= stored
    extra = stored - expected
    if procs[victim].returncode != 0:  # killed: its import is whole or absent, never half
        assert extra in (set(), _ids(corpora[victim]))
    else:
        assert extra == set()
    assert _leftovers(store_copy.parent) == []


def test_killed_writer_leaves_the_store_and_no_file(store_copy):
    before = Store(store_copy).meta()
    holder = spawn("hold", store_copy)
    assert holder.stdout.readline().strip() == "holding"
    assert _leftovers(store_copy.parent)  # the writer's copy exists while it writes
    assert Store(store_copy).tables()  # a reader meanwhile: the copy is not swept from under it
    assert _leftovers(store_copy.parent)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    st = Store(store_copy)
    assert st.meta() == before  # opening sweeps the dead writer's files
    assert _leftovers(store_copy.parent) == []


def test_readers_do_not_wait_for_a_writer(store_copy):
    holder = spawn("hold", store_copy)
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.perf_counter()
        meta = Store(store_copy).meta()
        n = Store(store_copy).query("select count(*) as n from votes")["n"].iloc[0]
        assert time.perf_counter() - t0 < 3.0
        assert "held" not in meta and n > 800_000  # the old store, whole
    finally:
        holder.kill()
        holder.communicate(timeout=30)


def test_a_waiting_writer_says_so_then_writes(store_copy, corpora):
    holder = spawn("hold", store_copy)
    assert holder.stdout.readline().strip() == "holding"
    writer = spawn("import", store_copy, corpora[0])
    said = writer.stderr.readline()  # blocks until the writer reaches the lock and waits
    holder.communicate(input="\n", timeout=60)  # now let the first write finish
    out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0 and holder.returncode == 0, said + err
    assert f"waiting for another hedgewatch process writing {store_copy}" in said
    assert f"pid {holder.pid}" in said
    assert Store(store_copy).meta()["held"] == "yes"  # both writes are in the store
    assert _ids(corpora[0]) <= _stored(store_copy)


def test_a_writer_gives_up_after_the_timeout_naming_the_holder(store_copy, corpora):
    holder = spawn("hold", store_copy)
    try:
        assert holder.stdout.readline().strip() == "holding"
        cli = subprocess.run(
            [sys.executable, "-m", "hedgewatch.cli", "statements", "import", str(corpora[0])],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "HEDGEWATCH_HOME": str(store_copy.parent),
                "HEDGEWATCH_LOCK_TIMEOUT": "0.5",
            },
        )
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert cli.returncode != 0
    assert "Traceback" not in cli.stderr
    assert f"pid {holder.pid}" in cli.stderr and "HEDGEWATCH_LOCK_TIMEOUT" in cli.stderr
    assert not (_ids(corpora[0]) & _stored(store_copy))


def test_a_reader_needing_a_bundled_table_does_not_wait_for_a_writer(tmp_path):
    fresh = tmp_path / "fresh" / "hedgewatch.duckdb"
    Store(fresh).meta()  # an empty store: no bundled table loaded yet
    holder = spawn("hold", fresh)
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.perf_counter()
        bridges = Store(fresh).table("bridges")  # served from the package, not loaded
        assert time.perf_counter() - t0 < 5.0 and len(bridges) == 955
    finally:
        holder.communicate(input="\n", timeout=60)
    assert holder.returncode == 0
    con = duckdb.connect(str(fresh), read_only=True)
    try:  # the reader did not write the table into the file
        assert "bridges" not in {r[0] for r in con.execute("show tables").fetchall()}
    finally:
        con.close()


@pytest.mark.slow
def test_a_vote_import_that_waited_keeps_the_bundled_record(tmp_path):
    """On a fresh store the first vote import starts from the bundled snapshot even when it
    had to wait for another writer (it loads the snapshot inside its own write)."""
    home = tmp_path / "fresh"
    fresh = home / "hedgewatch.duckdb"
    Store(fresh).meta()
    holder = spawn("hold", fresh)
    assert holder.stdout.readline().strip() == "holding"
    undl = Path(__file__).parents[1] / "data" / "unga" / "2025_undl_ga_voting.csv"
    cli = subprocess.Popen(
        [sys.executable, "-m", "hedgewatch.cli", "data", "import", str(undl)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(home)},
    )
    said = cli.stderr.readline()
    holder.communicate(input="\n", timeout=60)
    _, err = cli.communicate(timeout=300)
    assert cli.returncode == 0, said + err
    assert "waiting for another hedgewatch process" in said
    n = Store(fresh).query("select count(*) as n from roll_calls")["n"].iloc[0]
    bundled = len(pd.read_parquet(bundled_path("roll_calls.parquet"), columns=["rcid"]))
    # the snapshot is kept whole; the file's three 2025 roll calls are added or already held
    assert bundled <= n <= bundled + 3


def _hold_in_place(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A process that opens the store read-write in place (as hedgewatch <= 0.1 did for cache
    writes), holding DuckDB's file lock for ``seconds``."""
    code = (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(path)!r})\n"
        "print('open', flush=True)\n"
        f"time.sleep({seconds})\n"
        "con.close()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_briefly_locked_store_is_retried_not_reported(store_copy):
    other = _hold_in_place(store_copy, 1.0)
    assert other.stdout.readline().strip() == "open"
    meta = Store(store_copy).meta()  # retried until the other program let go
    assert "data_version" in meta
    other.communicate(timeout=60)


def test_a_store_locked_for_long_is_one_error(store_copy):
    from hedgewatch.errors import StoreError

    other = _hold_in_place(store_copy, 30.0)
    try:
        assert other.stdout.readline().strip() == "open"
        t0 = time.perf_counter()
        with pytest.raises(StoreError, match="another program holds it"):
            Store(store_copy).meta()
        assert time.perf_counter() - t0 < 10
    finally:
        other.kill()
        other.communicate(timeout=30)
