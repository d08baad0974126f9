"""Fixtures for the ideal-point tests: a real extract (sessions 44-50) and simulations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "idealpoints"


@pytest.fixture(scope="session")
def real_votes() -> pd.DataFrame:
    """All yes/abstain/no votes of sessions 44-50 (R unvotes data; 84,952 votes)."""
    return pd.read_parquet(DATA / "votes_s44_50.parquet")


@pytest.fixture(scope="session")
def real_roll_calls() -> pd.DataFrame:
    return pd.read_parquet(DATA / "roll_calls_s44_50.parquet")


@pytest.fixture(scope="session")
def real_bridges() -> pd.DataFrame:
    from hedgewatch.sources.bridges import read_bridges

    return read_bridges(DATA / "bsv_matches_s44_50.csv")


@pytest.fixture(scope="session")
def bsv() -> pd.DataFrame:
    """BSV's published ideal points (June 2024 release) for sessions 44-50."""
    return pd.read_csv(DATA / "bsv_s44_50.csv")


@pytest.fixture(scope="session")
def real_fit(real_votes, real_bridges):
    from hedgewatch.idealpoints import DynamicIdealPoints

    return DynamicIdealPoints().fit(real_votes, real_bridges)


def simulate(n_states=40, n_sessions=5, n_rc=30, seed=1, drift=0.05, n_dims=1):
    """Votes drawn from the model itself, with the true positions."""
    rng = np.random.default_rng(seed)
    start = rng.normal(size=(n_states, n_dims))
    steps = rng.normal(scale=np.sqrt(drift), size=(n_states, n_sessions, n_dims))
    theta = start[:, None, :] + np.cumsum(steps, axis=1) - steps[:, :1]
    theta[0] = np.abs(theta[0]) + 1.0  # the anchor 'USA' sits on the positive side
    rows = []
    rcid = 0
    countries = ["USA"] + [f"S{i:02d}" for i in range(1, n_states)]
    for t in range(n_sessions):
        for _ in range(n_rc):
            rcid += 1
            beta = rng.normal(scale=1.5, size=n_dims)
            c1 = rng.normal(scale=0.7)
            c2 = c1 + rng.uniform(0.1, 0.6)
            ystar = theta[:, t] @ beta + rng.normal(size=n_states)
            y = np.where(ystar < c1, "no", np.where(ystar < c2, "abstain", "yes"))
            for i in range(n_states):
                rows.append((rcid, t + 1, 1990 + t, countries[i], y[i]))
    votes = pd.DataFrame(rows, columns=["rcid", "session", "year", "country", "vote"])
    truth = pd.DataFrame(
        {
            "country": np.repeat(countries, n_sessions),
            "session": np.tile(np.arange(1, n_sessions + 1), n_states),
            "theta": theta[..., 0].ravel(),
        }
    )
    return votes, truth
