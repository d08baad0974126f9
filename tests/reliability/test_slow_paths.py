"""Slow paths: the rhetoric comparison is cached in the store and equals the per-pair
analysis; long commands show progress on stderr, also when it is piped."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hedgewatch import rhetoric as rh
from hedgewatch.store import Store, write_speeches
from hedgewatch.workflows import compare_rhetoric

EXTRACT = Path(__file__).parents[1] / "data" / "report" / "speeches_2015_2019_40states.parquet"


@pytest.fixture
def speech_store(tmp_path) -> Store:
    st = Store(tmp_path / "s.duckdb")
    sp = pd.read_parquet(EXTRACT)
    write_speeches(sp.assign(state=sp["country"], code=sp["country"], name="", post=""), store=st)
    return st


def test_compare_rhetoric_equals_the_pairs_alone_and_is_cached(speech_store, monkeypatch):
    sp = pd.read_parquet(EXTRACT)
    start = 2016
    codes = ("PRK", "RUS", "CHN")
    res = compare_rhetoric(codes, start=start, n_boot=20, store=speech_store)
    corpus = sp[sp["year"] >= start]
    for got, (a, b) in zip(res.pairs(), itertools.combinations(codes, 2), strict=True):
        alone = rh.convergence(corpus, a, b, n_boot=20)
        pd.testing.assert_frame_equal(got, alone, check_dtype=False)
    assert list(res.neighbours.columns[:2]) == list(
        rh.nearest_neighbours(corpus, "PRK", res.neighbours_year).columns[:2]
    )
    assert len(res.narratives) > 0

    def boom(*args, **kwargs):
        raise AssertionError("the second run must read the cache")

    monkeypatch.setattr(rh, "convergence_pairs", boom)
    monkeypatch.setattr(rh, "shared_narratives", boom)
    monkeypatch.setattr(rh, "nearest_neighbours", boom)
    again = compare_rhetoric(codes, start=start, n_boot=20, store=speech_store)
    pd.testing.assert_frame_equal(again.convergence, res.convergence)
    pd.testing.assert_frame_equal(again.narratives, res.narratives)


def test_plain_progress_lines_when_stderr_is_not_a_terminal(capsys, monkeypatch):
    from hedgewatch._cli._progress import progress_on_stderr

    monkeypatch.setenv("HEDGEWATCH_PROGRESS_DELAY", "0")
    with progress_on_stderr() as say:
        say("reading a.csv", 0, 3)
        say("reading a.csv", 0, 3)  # the same step again within a second: not repeated
        say("reading b.csv", 1, 3)
    err = capsys.readouterr().err.splitlines()
    assert err == ["[0/3] reading a.csv", "[1/3] reading b.csv"]


def test_quick_commands_print_no_progress(capsys, monkeypatch):
    from hedgewatch._cli._progress import progress_on_stderr

    monkeypatch.delenv("HEDGEWATCH_PROGRESS_DELAY", raising=False)
    with progress_on_stderr() as say:
        say("loading votes", 0, 5)
    assert capsys.readouterr().err == ""


def test_statements_import_shows_progress_when_piped(corpora, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "hedgewatch.cli", "statements", "import", *map(str, corpora)],
        capture_output=True,
        text=True,
        env={**os.environ, "HEDGEWATCH_HOME": str(tmp_path), "HEDGEWATCH_PROGRESS_DELAY": "0"},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"[0/5] reading {corpora[0]}"
    assert any(line.startswith("[4/5] marking near-duplicates") for line in lines)
    assert "\x1b[" not in proc.stderr  # plain lines, no terminal control codes
    assert proc.stdout.startswith("read ")  # results on stdout only
