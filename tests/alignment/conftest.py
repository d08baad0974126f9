"""Fixtures for the alignment tests: small real extracts of the UNGA record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "alignment"
SHARED = ROOT / ".." / "shared" / "data"

# The first 12 roll calls of session 46 (1991) for four states, as recorded in the R unvotes
# data (blank: no yes/abstain/no vote recorded). Hand-computed values in the tests use these.
SESSION46 = """\
rcid,CHN,PRK,RUS,USA
3587,yes,yes,yes,abstain
3588,yes,yes,yes,abstain
3589,yes,yes,yes,yes
3590,yes,,yes,no
3592,yes,,yes,no
3593,abstain,yes,yes,no
3594,,yes,yes,no
3595,yes,,yes,yes
3596,yes,yes,yes,abstain
3597,yes,yes,yes,abstain
3598,yes,yes,abstain,abstain
3599,abstain,yes,yes,no
"""


@pytest.fixture(scope="session")
def s46() -> pd.DataFrame:
    from io import StringIO

    wide = pd.read_csv(StringIO(SESSION46))
    long = wide.melt(id_vars="rcid", var_name="country", value_name="vote").dropna()
    return long.assign(session=46, year=1991).reset_index(drop=True)


@pytest.fixture(scope="session")
def prk_votes() -> pd.DataFrame:
    """PRK, CHN, RUS, USA, KOR, JPN votes 1991-2019 (from the bundled record)."""
    return pd.read_csv(DATA / "votes_prk_powers_1991_2019.csv.gz", parse_dates=["date"])


@pytest.fixture(scope="session")
def session60() -> pd.DataFrame:
    """Every country's votes in session 60 (2005-06)."""
    return pd.read_csv(DATA / "votes_session60_all.csv.gz", parse_dates=["date"])


@pytest.fixture(scope="session")
def voeten_full() -> pd.DataFrame:
    path = SHARED / "unga" / "UNVotesPublished.csv.gz"
    if not path.exists():
        pytest.skip("../shared/data is not available")
    v = pd.read_csv(path, usecols=["rcid", "session", "vote", "ccode"])
    return v.assign(country=v["ccode"].astype(str))


def naive_scores(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Per-pair measures written out plainly, for cross-checks (codes 0 yes 1 abs 2 no)."""
    n = len(a)
    if n == 0:
        return {}
    dist = np.abs(a - b) / 2
    agree = 1 - dist.mean()
    ident = (a == b).mean()
    pa = np.bincount(a, minlength=3) / n
    pb = np.bincount(b, minlength=3) / n
    delta = np.abs(np.subtract.outer(np.arange(3), np.arange(3))) / 2
    pe = (pa * pb).sum()
    pool = (pa + pb) / 2
    de_pi = pool @ delta @ pool
    de_k = pa @ delta @ pb
    return {
        "agreement": agree,
        "identical": ident,
        "s-score": 1 - 2 * dist.mean(),
        "kappa": (ident - pe) / (1 - pe) if pe < 1 else np.nan,
        "pi": 1 - dist.mean() / de_pi if de_pi > 0 else np.nan,
        "hage-kappa": 1 - dist.mean() / de_k if de_k > 0 else np.nan,
    }


@pytest.fixture(scope="session")
def world40() -> pd.DataFrame:
    """Votes 1991-2019 of 40 states (the powers, PRK, and states from every region)."""
    v = pd.read_parquet(DATA / "votes_40states_1991_2019.parquet")
    return v.assign(country=v["country"].astype(str))
