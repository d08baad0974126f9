"""The store: bundled snapshot on first use, atomic imports, queries, cache."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import hedgewatch as hw
from hedgewatch import store as hw_store
from hedgewatch import workflows
from hedgewatch.errors import DataFormatError, StoreError
from hedgewatch.store import Store

from .conftest import DATA

UNGA = DATA / "unga"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_use_builds_from_bundled_snapshot(hw_home):
    facts = hw_store.info()
    # 6,203 roll calls of Voeten's and the unvotes record to 2020-01-14, and 378 of the UN
    # Digital Library's from 2020 on (2020-2021 and 2025; one of January 2020 was held)
    assert facts["roll_calls"] == 6581
    assert facts["votes"] == 936393
    assert facts["sessions"] == 78
    assert str(facts["first_date"]) == "1946-01-01" and str(facts["last_date"]) == "2025-12-18"
    assert facts["sources"] == {"undl": 378, "unvotes": 774, "voeten+unvotes": 5429}
    assert facts["missing_years"] == [2022, 2023, 2024]
    assert facts["missing_sessions"] == [77, 78]
    assert (hw_home / "hedgewatch.duckdb").exists()


def test_coverage_states_the_gap(session_store):
    cov = hw_store.coverage(session_store)
    assert cov.describe() == (
        "1946-1963, 1965-2021, 2025; missing 2022-2024 (sessions 77-78 and parts of 76, 79)"
    )
    # 1964 is not a gap of the data: the Assembly took no recorded vote that year
    assert 1964 not in cov.missing_years and 1964 not in cov.years()
    by = cov.to_frame().set_index("session")
    assert list(by.loc[76, "years"]) == [2021] and list(by.loc[80, "years"]) == [2025]


def test_votes_api_filters(session_store):
    prk = hw.votes(["PRK"], store=session_store)
    assert prk["date"].min().year == 1991 and set(prk["country"]) == {"PRK"}
    assert list(prk.columns) == ["rcid", "session", "year", "date", "country", "state", "vote"]
    nuc = hw.votes(["USA"], issues="nuclear", start=2000, end=2005, store=session_store)
    rc = hw.roll_calls(issues=["nu"], start=2000, end=2005, store=session_store)
    assert set(nuc["rcid"]) <= set(rc["rcid"]) and len(nuc) > 50
    assert all("nu" in x for x in rc["issues"])
    imp = hw.roll_calls(important_only=True, sessions=[60], store=session_store)
    assert imp["important"].all() and set(imp["session"]) == {60}
    # USSR kept apart from Russia when the successor mapping is switched off
    sun = hw.votes(sessions=[40], successors={}, store=session_store)
    assert "SUN" in set(sun["country"]) and "RUS" not in set(sun["country"])
    absent = hw.votes(["PRK"], include_absent=True, sessions=[60], store=session_store)
    assert "absent" in absent["vote"].cat.categories


def test_unknown_country_in_api(session_store):
    with pytest.raises(hw.UnknownCountryError, match="Did you mean"):
        hw.votes(["North Koreaa"], store=session_store)


def test_import_undl_adds_roll_calls_atomically(hw_home):
    before = hw_store.info()
    # two real 2018 Library records that Voeten's and the unvotes record lack
    counts = workflows.import_file(str(UNGA / "undl_official_not_held.csv"))
    assert counts["roll_calls_added"] == 2 and counts["roll_calls_matched"] == 0
    after = hw_store.info()
    assert after["roll_calls"] == before["roll_calls"] + 2
    # importing again replaces, never duplicates
    again = workflows.import_file(str(UNGA / "undl_official_not_held.csv"))
    assert again["roll_calls_replaced"] == 2 and again["roll_calls_added"] == 0
    assert hw_store.info()["roll_calls"] == after["roll_calls"]
    # the 2025 resolutions are bundled under the same Library ids: replaced, not added
    same = workflows.import_file(str(UNGA / "2025_undl_ga_voting.csv"))
    assert same["roll_calls_replaced"] == 3 and same["roll_calls_added"] == 0


def test_bad_row_leaves_store_unchanged(hw_home, tmp_path):
    hw_store.info()
    db = hw_home / "hedgewatch.duckdb"
    before = _digest(db)
    df = pd.read_csv(UNGA / "2025_undl_ga_voting.csv", dtype=str, keep_default_na=False)
    df.loc[len(df) - 1, "date"] = "2025-13-45"
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    with pytest.raises(DataFormatError, match="ISO date"):
        workflows.import_file(str(bad))
    assert _digest(db) == before
    assert not list(hw_home.glob(".import-*"))


@pytest.mark.parametrize("where", ["after_first_write", "before_swap"])
def test_kill_mid_import_leaves_store_unchanged(hw_home, where):
    """A process killed during an import (SIGKILL-like os._exit) leaves the old store."""
    hw_store.info()
    db = hw_home / "hedgewatch.duckdb"
    before = _digest(db)
    script = textwrap.dedent(f"""
        import os, duckdb
        import hedgewatch.store._database as s
        from hedgewatch import workflows
        where = {where!r}
        if where == "before_swap":
            s.os.replace = lambda *a, **k: os._exit(9)
        else:
            real = duckdb.DuckDBPyConnection.register
            def dying(self, name, df):
                if name == "_v":
                    os._exit(9)
                return real(self, name, df)
            duckdb.DuckDBPyConnection.register = dying
        workflows.import_file({str(UNGA / "undl_official_not_held.csv")!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert _digest(db) == before
    assert hw_store.info()["roll_calls"] == 6581


def test_write_tables_and_cache(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_tables({"t": pd.DataFrame({"a": [1, 2]})})
    store.write_tables({"t": pd.DataFrame({"a": [3]})}, mode="append")
    assert store.table("t")["a"].tolist() == [1, 2, 3]
    calls = []
    compute = lambda: calls.append(1) or pd.DataFrame({"x": [1.5]})  # noqa: E731
    first = store.cached("k", ("a", 1), compute)
    second = store.cached("k", ("a", 1), compute)
    assert calls == [1] and first.equals(second)
    # a new import invalidates the cache (the data version changes)
    store.write_tables({"t": pd.DataFrame({"a": [9]})})
    store.cached("k", ("a", 1), compute)
    assert calls == [1, 1]


def test_missing_table_error(tmp_path):
    with pytest.raises(StoreError, match="no table 'nope'.*hedgewatch data import"):
        Store(tmp_path / "s.duckdb").table("nope")


def test_importing_one_source_keeps_what_another_contributed(hw_home):
    """Voeten's file has no titles: re-importing it must not erase the stored titles."""
    before = hw.roll_calls(sessions=[60]).set_index("rcid")
    votes_before = hw_store.info()
    counts = workflows.import_file(str(UNGA / "voeten_small.csv"))
    assert counts["roll_calls_replaced"] == 5 and counts["conflicts"] == 0
    after = hw.roll_calls(sessions=[60]).set_index("rcid")
    assert after.loc[4660, "title"] == before.loc[4660, "title"]
    assert after.loc[4660, "source"] == "voeten+unvotes"
    facts = hw_store.info()
    assert facts["votes"] == votes_before["votes"]
    assert facts["absences"] == votes_before["absences"]
    # the unvotes files (no absences) leave Voeten's absences in place
    workflows.import_file(str(UNGA), format="unvotes")
    assert hw_store.info()["absences"] == votes_before["absences"]


def test_bridges_bundled_and_importable(hw_home, tmp_path):
    from hedgewatch.store import Store

    store = Store()
    assert len(store.table("bridges")) == 955
    small = tmp_path / "matches.csv"
    small.write_text('"",rcid1,rcid2\n1,299,331\n2,392,423\n')
    assert workflows.import_file(str(small)) == {"bridges": 2}
    assert store.table("bridges")[["rcid1", "rcid2"]].values.tolist() == [[299, 331], [392, 423]]


def test_cache_survives_first_load_of_bundled_tables(tmp_path):
    """Loading a bundled table on first use must not strand results cached before it."""
    store = Store(tmp_path / "s.duckdb")
    calls = []

    def compute():
        calls.append(1)
        store.ensure("bridges")  # first use loads package data inside the computation
        return pd.DataFrame({"n": [len(store.table("bridges"))]})

    first = store.cached("k", ("bridges",), compute)
    second = store.cached("k", ("bridges",), compute)
    assert calls == [1] and first.equals(second)


def test_bundled_tables_record_their_source_and_imports_forget_it(tmp_path):
    """A bundled table carries the SHA-256 of the file it was loaded from until an import
    writes to it; an import of another table leaves it alone."""
    from hedgewatch.paths import bundled_path
    from hedgewatch.store._database import file_source

    st = Store(tmp_path / "s.duckdb")
    st.ensure("votes", "bridges")
    assert st.source("votes") == file_source(bundled_path("votes.parquet"))
    assert st.source("votes").startswith("bundle:") and len(st.source("votes")) == 23
    st.write_tables({"statements": pd.DataFrame({"a": [1]})})
    assert st.source("votes") is not None  # another table was written
    st.write_tables({"bridges": pd.DataFrame({"rcid1": [1], "rcid2": [2]})})
    assert st.source("bridges") is None and st.source("votes") is not None
    with st.transaction():  # a writer that does not say what it writes forgets them all
        pass
    assert st.source("votes") is None


def test_shipped_results_are_used_only_on_the_bundled_tables(tmp_path, monkeypatch):
    """A result shipped for the snapshot is returned (and cached) while its input tables are
    the bundled ones; after an import it is computed from the data held."""
    from hedgewatch.store import _precomputed
    from hedgewatch.store._database import parts_key

    folder = tmp_path / "precomputed"
    shipped = pd.DataFrame({"x": [1.5, 2.5]})
    st = Store(tmp_path / "s.duckdb")
    st.ensure("bridges")
    parts = ("demo-v1", 3)
    entry = _precomputed.write(
        "demo", [(parts_key(*parts), shipped)], {"bridges": st.source("bridges")}, folder
    )
    monkeypatch.setattr(_precomputed, "folder", lambda: folder)
    _precomputed.write_manifest({"demo": entry}, folder)
    computed = pd.DataFrame({"x": [9.0]})
    got = st.cached("demo", parts, lambda: computed, inputs=("bridges",))
    pd.testing.assert_frame_equal(got, shipped)
    # other settings: not shipped
    other = st.cached("demo", ("demo-v1", 4), lambda: computed, inputs=("bridges",))
    pd.testing.assert_frame_equal(other, computed)
    # the inputs change: computed again from the data held
    st.write_tables({"bridges": pd.DataFrame({"rcid1": [1], "rcid2": [2]})})
    again = st.cached("demo", parts, lambda: computed, inputs=("bridges",))
    pd.testing.assert_frame_equal(again, computed)
    assert st.lookup_many("demo", [parts], ("bridges",))[0] is not None  # now in the cache
    _precomputed.manifest.cache_clear()


def test_the_shipped_manifest_names_existing_files_and_bundled_sources():
    from hedgewatch.paths import bundled_path
    from hedgewatch.store import _precomputed
    from hedgewatch.store._database import file_source

    entries = _precomputed.manifest()
    assert {"idealpoints", "forecast", "report:predictability", "speech-vocabulary"} <= set(entries)
    for kind, entry in entries.items():
        assert (_precomputed.folder() / entry["file"]).exists(), kind
        for table, source in entry["inputs"].items():
            assert source == file_source(bundled_path(f"{table}.parquet")), (kind, table)


def test_shipped_results_of_one_kind_keep_their_own_columns(tmp_path, monkeypatch):
    """A 1-D and a 2-D fit differ in columns: each comes back with its own, none added."""
    from hedgewatch.store import _precomputed

    folder = tmp_path / "precomputed"
    one = pd.DataFrame({"country": ["PRK"], "ideal_point": [-1.0]})
    two = pd.DataFrame({"country": ["PRK", "CHN"], "ideal_point": [-1.0, 0.5], "ip_2": [2.0, 3]})
    entry = _precomputed.write("fit", [("k1", one), ("k2", two)], {"votes": "bundle:x"}, folder)
    monkeypatch.setattr(_precomputed, "folder", lambda: folder)
    _precomputed.write_manifest({"fit": entry}, folder)
    sources = {"votes": "bundle:x"}
    pd.testing.assert_frame_equal(_precomputed.lookup("fit", "k1", sources), one)
    pd.testing.assert_frame_equal(_precomputed.lookup("fit", "k2", sources), two)
    both = _precomputed.lookup_many("fit", ["k1", "k2"], sources)
    pd.testing.assert_frame_equal(both["k1"], one)
    assert _precomputed.lookup("fit", "k1", {"votes": "bundle:y"}) is None
    _precomputed.manifest.cache_clear()
