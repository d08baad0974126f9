"""Shared fixtures: an isolated store per test, and paths to data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def hw_home(tmp_path, monkeypatch):
    """Point HEDGEWATCH_HOME at a fresh folder so tests never touch the user's store."""
    home = tmp_path / "hwhome"
    monkeypatch.setenv("HEDGEWATCH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared/data is not available")
    return SHARED


@pytest.fixture(scope="session")
def session_store(tmp_path_factory):
    """One store built from the bundled snapshot, shared read-only by a test session."""
    from hedgewatch.store import Store

    store = Store(tmp_path_factory.mktemp("store") / "hedgewatch.duckdb")
    store.ensure("roll_calls", "votes")
    return store


@pytest.fixture(scope="session")
def library_scrape(shared_data):
    """The staged scrape of UN Digital Library vote records (GA and SC), read once."""
    from hedgewatch.sources.undl_long import read_undl_long

    return read_undl_long(shared_data / "unga" / "undl_votes_scraped_1946_2021_2025.parquet")
