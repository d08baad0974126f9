"""Fixtures for the statements tests: sentence pools cut from real UN speeches."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve()
DATA = HERE.parents[1] / "data" / "statements"
SHARED = HERE.parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def pools() -> dict[str, list[str]]:
    """900 sentences each from PRK's and Russia's UN General Debate speeches (2005-2024)."""
    s = pd.read_csv(DATA / "ungdc_sentences_prk_rus.csv")
    return {c: s.loc[s["country"] == c, "sentence"].tolist() for c in ("RUS", "PRK")}


@pytest.fixture(scope="session")
def statements_dir() -> Path:
    path = SHARED / "statements"
    if not path.exists():
        pytest.skip("../shared/data/statements is not available")
    return path
