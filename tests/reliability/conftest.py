"""Fixtures of the reliability tests: a store seeded with the bundled votes, small corpora."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hedgewatch.paths import bundled_path, bundled_tables
from hedgewatch.store import Store

HERE = Path(__file__).resolve().parent
WORKER = HERE / "_worker.py"
KCNA = HERE.parent / "data" / "report" / "statements_kcna_2024_08.parquet"
SPEAKERS = ", ".join(f"'{c}'" for c in ["PRK", "CHN", "RUS", "USA", "DDR", "DEU", "SRB", "CZE"])


@pytest.fixture(autouse=True)
def _no_progress_lines(monkeypatch):
    """Commands run here print no progress lines (a slow machine would otherwise show some
    before an error), so that a test can check the one line of an error; the progress tests
    set HEDGEWATCH_PROGRESS_DELAY themselves."""
    monkeypatch.setenv("HEDGEWATCH_PROGRESS_DELAY", "3600")


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled tables (votes, roll calls, bridges, Council), and the General Debate
    speeches of a few states cut to their first 3,000 characters (the whole corpus takes
    half a minute to load; these tests need its shape, not its text). Copied by each test."""
    store = Store(tmp_path_factory.mktemp("seed") / "hedgewatch.duckdb")
    store.ensure(*[t for t in bundled_tables() if t != "speeches"])
    speeches = str(bundled_path("speeches.parquet")).replace("'", "''")
    with store.transaction(new_version=False) as con:
        con.execute(
            "create table speeches as select * replace (left(text, 3000) as text) "
            f"from read_parquet('{speeches}') where country in ({SPEAKERS})"
        )
    assert set(store.tables()) >= set(bundled_tables())
    return store.path


@pytest.fixture
def store_copy(seeded: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(seeded, home / "hedgewatch.duckdb")
    return home / "hedgewatch.duckdb"


@pytest.fixture(scope="session")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four small corpora cut from real KCNA articles of August 2024, one per week, in four
    formats (each import adds records no other file has)."""
    folder = tmp_path_factory.mktemp("corpora")
    df = pd.read_parquet(KCNA)
    week = (df["date"].dt.day - 1) // 7
    out = []
    for i, suffix in enumerate([".csv", ".jsonl", ".parquet", ".tsv"]):
        part = df[week.clip(upper=3) == i].assign(date=lambda d: d["date"].dt.strftime("%Y-%m-%d"))
        path = folder / f"kcna_week{i + 1}{suffix}"
        if suffix == ".csv":
            part.to_csv(path, index=False)
        elif suffix == ".tsv":
            part.to_csv(path, index=False, sep="\t")
        elif suffix == ".jsonl":
            part.to_json(path, orient="records", lines=True, force_ascii=False)
        else:
            part.to_parquet(path)
        out.append(path)
    return out


def spawn(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the worker in its own process."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
