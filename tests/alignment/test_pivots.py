"""Pivots: change points found where they are, with size, direction and stability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.alignment import dyadic, hedging_index, pivots
from hedgewatch.alignment._pivots import noise_scale, penalty_value
from hedgewatch.errors import InsufficientDataError, ParameterError


def _step(seed=0, n=30, at=12, shift=0.3, sd=0.03):
    rng = np.random.default_rng(seed)
    y = np.r_[np.full(at, 0.5), np.full(n - at, 0.5 + shift)] + rng.normal(0, sd, n)
    return pd.Series(y, index=range(1990, 1990 + n))


def test_finds_a_step():
    piv = pivots(_step(), n_boot=100)
    row = piv.set_index("period").loc[2002]
    assert row["size"] == pytest.approx(0.3, abs=0.05)
    assert row.direction == "up" and row.after > row.before
    assert row.stability >= 0.95
    # BIC lets through small spurious shifts in short series (measured ~19% of pure-noise
    # series of 30 points); the bootstrap marks them as unstable.
    others = piv[piv.period != 2002]
    assert (others["size"].abs() < 0.1).all() and (others.stability < 0.8).all()


def test_down_step_and_loo():
    piv = pivots(_step(seed=5, shift=-0.25), stability="loo")
    assert list(piv.period) == [2002] and piv.direction.iloc[0] == "down"
    assert piv.stability.iloc[0] >= 0.9


def test_noise_only_gives_no_pivot():
    rng = np.random.default_rng(3)
    flat = pd.Series(0.6 + rng.normal(0, 0.03, 30), index=range(30))
    piv = pivots(flat, n_boot=20)
    assert piv.empty and list(piv.columns) == [
        "period",
        "earliest",
        "before",
        "after",
        "size",
        "direction",
        "stability",
    ]


def test_bic_penalty_rule():
    y = _step().to_numpy()
    sigma = noise_scale(y)
    assert 0.015 < sigma < 0.06  # the true noise sd is 0.03; the step barely inflates it
    assert penalty_value(y, "bic") == pytest.approx(2 * sigma**2 * np.log(len(y)))
    assert penalty_value(y, "aic") == pytest.approx(4 * sigma**2)
    assert penalty_value(y, 0.5) == 0.5


def test_on_real_series(prk_votes):
    pair = dyadic(prk_votes, "PRK", "RUS")
    piv = pivots(pair, n_boot=50)  # DataFrame input: period + value
    assert not piv.empty and set(piv.direction) <= {"up", "down"}
    idx = hedging_index(prk_votes, "PRK", ("CHN", "RUS"), n_boot=0)
    piv = pivots(idx, column="position", n_boot=50)
    # PRK's move from China's pole towards Russia: an upward shift in the late 2000s
    assert ((piv.period >= 2005) & (piv.period <= 2010) & (piv.direction == "up")).any()


def test_errors():
    with pytest.raises(InsufficientDataError, match="at least 6"):
        pivots(pd.Series([0.1, 0.2, np.nan, 0.3, 0.4]))
    with pytest.raises(ParameterError, match="'penalty' parameter of pivots"):
        pivots(_step(), penalty="mdl")
    with pytest.raises(ParameterError, match="'stability'"):
        pivots(_step(), stability="jackknife")
    with pytest.raises(ParameterError, match="column"):
        pivots(pd.DataFrame({"period": [1, 2], "x": [1, 2]}))


def test_change_after_a_hole_is_dated_to_the_hole():
    """2022-2024 missing: a shift seen first in 2025 may have happened from 2022 on."""
    rng = np.random.default_rng(5)
    years = [*range(2005, 2022), 2025, 2026, 2027, 2028]
    values = [0.4 + rng.normal(0, 0.01) for _ in range(17)] + [0.8, 0.81, 0.79, 0.8]
    piv = pivots(pd.Series(values, index=years), min_size=3, n_boot=30)
    row = piv.set_index("period").loc[2025]
    assert row["earliest"] == 2022 and row["size"] > 0.3
    # consecutive periods: the change is dated to its own period
    steady = pd.Series(values[:17] + [0.8] * 4, index=range(2005, 2026))
    piv2 = pivots(steady, n_boot=30)
    assert (piv2["earliest"] == piv2["period"]).all()
