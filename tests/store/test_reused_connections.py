"""One DuckDB connection reused for a report's reads (``reusing_connections``): it must never
serve a file that a writer (this process or another) has since swapped in."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import duckdb
import pandas as pd
import pytest

import hedgewatch.store._database as db
from hedgewatch.store import Store, reusing_connections

pytestmark = pytest.mark.skipif(os.name != "posix", reason="reuse is POSIX only")


@pytest.fixture
def opens(monkeypatch):
    """Count the DuckDB databases opened (not cursors)."""
    seen: list[str] = []
    real = db._duck

    def counting(database: str, read_only: bool = False):
        seen.append(database)
        return real(database, read_only)

    monkeypatch.setattr(db, "_duck", counting)
    return seen


def _value(store: Store) -> int:
    return int(store.query("select a from t")["a"].iloc[0])


def test_reads_share_one_connection_and_release_it(tmp_path, opens):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    opens.clear()
    with reusing_connections():
        assert [_value(store) for _ in range(5)] == [1] * 5
        assert len(opens) == 1
    assert db._reused.roots == {} and db._reused.lent == {}
    _value(store)  # outside the block: a connection of its own again
    assert len(opens) == 2


def test_a_write_in_this_process_is_seen_at_once(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    with reusing_connections():
        assert _value(store) == 1
        store.write_tables({"t": pd.DataFrame({"a": [2]})})
        assert _value(store) == 2
        store.write_tables({"t": pd.DataFrame({"a": [3]})})
        assert _value(store) == 3


def test_a_write_by_another_process_is_seen_at_once(tmp_path):
    path = tmp_path / "s.duckdb"
    store = Store(path)
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    script = (
        "import sys, pandas as pd\n"
        "from hedgewatch.store import Store\n"
        "Store(sys.argv[1]).write_tables({'t': pd.DataFrame({'a': [int(sys.argv[2])]})})\n"
    )
    with reusing_connections():
        for value in (1, 7, 8):
            if value != 1:
                subprocess.run([sys.executable, "-c", script, str(path), str(value)], check=True)
            assert _value(store) == value
            assert store.meta()["data_version"]  # the memo of the meta table follows too


def test_a_cursor_open_across_a_swap_keeps_its_snapshot_and_nothing_stale_is_kept(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    with reusing_connections():
        with store.connect() as outer:
            store.write_tables({"t": pd.DataFrame({"a": [2]})})
            # the outer read still sees the file it opened
            assert outer.execute("select a from t").fetchone() == (1,)
            # no connection is kept for the new file while a cursor of the old one is open
            with store.connect():
                pass
            assert str(store.path) not in db._reused.roots
        assert _value(store) == 2  # once it is closed, the new file
        assert str(store.path) in db._reused.roots


def test_other_threads_open_their_own(tmp_path, opens):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    opens.clear()
    got: list[int] = []
    with reusing_connections():
        _value(store)
        worker = threading.Thread(target=lambda: got.extend(_value(store) for _ in range(2)))
        worker.start()
        worker.join()
    assert got == [1, 1]
    assert len(opens) == 3  # one for the main thread, one per read of the other thread


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_reads_with_its_own_connection(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [5]})})
    with reusing_connections():
        assert _value(store) == 5
        assert db._reused.roots
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the parent's connection was closed before the fork
            try:
                ok = not db._reused.roots and _value(store) == 5
                os.write(w, b"1" if ok else b"0")
            finally:
                os._exit(0)
        os.close(w)
        os.waitpid(pid, 0)
        assert os.read(r, 1) == b"1"
        os.close(r)
        assert _value(store) == 5  # and the parent opens one again


def test_the_reused_connection_is_read_only(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1]})})
    with reusing_connections(), store.connect() as con, pytest.raises(duckdb.Error):
        con.execute("insert into t values (2)")
