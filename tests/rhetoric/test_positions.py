"""Speech-based positions: a planted dimension is recovered; real speeches track BSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.rhetoric import speech_positions

LEFT = ["imperialism", "colonialism", "solidarity", "exploitation", "liberation"]
RIGHT = ["markets", "freedom", "democracy", "investment", "alliance"]
NEUTRAL = ["peace", "development", "cooperation", "water", "health", "oceans"]


def _planted(n_states: int = 30, years=(2000, 2001, 2002), seed: int = 0):
    rng = np.random.default_rng(seed)
    truth = rng.normal(size=n_states)
    rows, pos = [], []
    for y in years:
        for i, t in enumerate(truth):
            p_right = 1 / (1 + np.exp(-2 * t))
            side = np.where(rng.random(60) < p_right, 1, 0)
            words = [RIGHT[rng.integers(5)] if s else LEFT[rng.integers(5)] for s in side]
            words += list(rng.choice(NEUTRAL, 60))
            rows.append((f"S{i:02d}", y, " ".join(rng.permutation(words)) + "."))
            pos.append((f"S{i:02d}", y, t))
    return (
        pd.DataFrame(rows, columns=["country", "year", "text"]),
        pd.DataFrame(pos, columns=["country", "year", "position"]),
    )


def test_planted_dimension_recovered():
    speeches, positions = _planted()
    res = speech_positions(speeches, positions, min_df=2)
    assert res.r > 0.8 and res.rho > 0.8
    assert list(res.by_year["year"]) == [2000, 2001, 2002]
    assert (res.by_year["pearson_r"] > 0.7).all()
    top_pos = set(res.terms.sort_values("coefficient").tail(5)["term"])
    assert top_pos <= set(RIGHT)
    assert len(res.to_frame()) == 90


def test_errors():
    speeches, positions = _planted(n_states=4)
    with pytest.raises(InsufficientDataError, match="Only 4 states"):
        speech_positions(speeches, positions, min_df=1)
    with pytest.raises(ParameterError, match="'positions' parameter"):
        speech_positions(speeches, positions.rename(columns={"position": "ideal"}))
    with pytest.raises(ParameterError, match="'alpha'"):
        speech_positions(speeches, positions, alpha=0)


@pytest.mark.slow
def test_real_speeches_track_bsv_ideal_points(full_corpus):
    """Published BSV ideal points (sessions 46-50, 1991-1995) against speech positions."""
    from .conftest import SHARED

    bsv = pd.read_csv(SHARED / "validation" / "bsv_idealpoints_sessions_1_50.csv")
    pos = pd.DataFrame(
        {"country": bsv["iso3c"], "year": bsv["session"] + 1945, "position": bsv["IdealPointAll"]}
    )
    res = speech_positions(full_corpus, pos, start=1991, end=1995)
    assert len(res.positions) > 800
    assert res.r > 0.7
    assert res.by_year["pearson_r"].min() > 0.6
