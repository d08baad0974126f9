"""Fixtures for the rhetoric tests: a real extract of the UN General Debate corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "data" / "rhetoric"
SHARED = ROOT / ".." / "shared" / "data"
#: 78 real speeches: 26 speakers (PRK, RUS, CHN, USA, CUB, VEN, NIC, EU, ...) in 2017, 2021, 2023.
EXTRACT = HERE / "ungdc_extract.parquet"


@pytest.fixture(scope="session")
def extract() -> pd.DataFrame:
    from hedgewatch.sources.ungdc import load_ungdc

    return load_ungdc(EXTRACT)


@pytest.fixture(scope="session")
def full_corpus() -> pd.DataFrame:
    """The whole staged corpus (skips when ../shared/data is absent)."""
    path = SHARED / "ungdc" / "ungdc_1946_2024.parquet"
    if not path.exists():
        pytest.skip("../shared/data/ungdc is not available")
    from hedgewatch.sources.ungdc import load_ungdc

    return load_ungdc(path)
