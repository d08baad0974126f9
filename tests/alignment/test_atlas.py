"""The atlas: the same numbers as hedging_index for every state, at once; its intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.alignment import ATLAS_MEASURES as MEASURES
from hedgewatch.alignment import AtlasMeasure, atlas, hedging_index, register_measure
from hedgewatch.errors import InsufficientDataError, ParameterError, UnknownCountryError


def test_hand_computed_session46(s46):
    # As in test_hedging: PRK between CHN and RUS on 8 common roll calls -> position 1/3.
    out = atlas(s46, powers=("CHN", "RUS"), by="session", n_boot=0)
    assert set(out["country"]) == {"PRK", "USA"}
    row = out.set_index("country").loc["PRK"]
    assert row.n_votes == 8
    assert row.position == pytest.approx(1 / 3)
    assert row.free_agency == pytest.approx(0.0)
    assert row.agree_CHN_RUS == pytest.approx(1 - 3 / 16)
    assert row.note == "only 8 common roll calls"


@pytest.mark.parametrize("measure", ["agreement", "identical"])
def test_every_state_equals_hedging_index(world40, measure):
    recent = world40[world40["year"].between(2010, 2013)]
    out = atlas(recent, powers=("CHN", "USA"), measure=measure, n_boot=0)
    assert len(out) == 38 * 4
    cols = ["n_votes", "agree_CHN", "agree_USA", "position", "free_agency", "agree_CHN_USA"]
    for state in ("PRK", "GBR", "IND", "NRU", "RUS"):
        h = hedging_index(recent, state, ("CHN", "USA"), measure=measure, n_boot=0)
        mine = out[out["country"] == state].set_index("period")[cols]
        np.testing.assert_allclose(
            mine.to_numpy(float), h.set_index("period")[cols].to_numpy(float), atol=1e-12
        )


def test_intervals_agree_with_hedging_index_bootstrap(world40):
    # Same resampling unit (roll calls within a year); different draws, so compare with a
    # Monte Carlo tolerance. States that voted on every roll call of the axis.
    year = world40[world40["year"] == 2015]
    out = atlas(year, powers=("CHN", "USA"), n_boot=2000, seed=1).set_index("country")
    for state in ("PRK", "GBR", "IND", "BRA"):
        h = hedging_index(year, state, ("CHN", "USA"), by=None, n_boot=2000, seed=2).iloc[0]
        for col in ("position", "free_agency", "agree_CHN", "agree_USA"):
            for end in ("_lo", "_hi"):
                assert out.loc[state, col + end] == pytest.approx(h[col + end], abs=0.03)


def test_bounds_and_reproducibility(world40):
    out = atlas(world40, powers=("CHN", "USA"), n_boot=50)
    pos = out.dropna(subset=["position"])
    assert pos["position"].between(-1, 1).all() and out["free_agency"].between(0, 1).all()
    assert (pos["position_lo"] <= pos["position_hi"]).all()
    assert (out.loc[out["position"].isna(), "note"].str.contains("no axis")).all()
    again = atlas(world40[world40["year"] == 2001], powers=("CHN", "USA"), n_boot=50)
    # The interval of a year does not depend on the window (one generator per period).
    first = out[out["period"] == 2001].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, again)
    assert (out["side_CHN"] + out["side_USA"] + out["side_neither"]).dropna().round(9).eq(1).all()


def test_powers_swapped_mirror_the_position(world40):
    recent = world40[world40["year"] >= 2015]
    ab = atlas(recent, powers=("CHN", "USA"), n_boot=0).set_index(["period", "country"])
    ba = atlas(recent, powers=("USA", "CHN"), n_boot=0).set_index(["period", "country"])
    np.testing.assert_allclose(ab["position"], -ba.loc[ab.index, "position"], atol=1e-12)


def test_bad_parameters(s46):
    with pytest.raises(ParameterError, match=r"'measure' parameter of atlas\(\)"):
        atlas(s46, powers=("CHN", "RUS"), measure="kappa")
    with pytest.raises(ParameterError, match="'powers'"):
        atlas(s46, powers=("CHN", "RUS", "USA"))
    with pytest.raises(ParameterError, match="'n_boot'"):
        atlas(s46, powers=("CHN", "RUS"), n_boot=-1)
    with pytest.raises(UnknownCountryError):
        atlas(s46, powers=("CHN", "ZZZ"))
    with pytest.raises(InsufficientDataError, match="KOR"):
        atlas(s46, powers=("CHN", "KOR"))


def test_a_new_measure_can_be_registered(s46):
    calls = []

    def compute(data, *, powers, by, level, n_boot, seed, drop_unanimous):
        calls.append(powers)
        return pd.DataFrame({"period": [1], "country": ["PRK"], "n_votes": [1]})

    register_measure(AtlasMeasure("test-events", "events (test)", "events", compute))
    try:
        out = atlas(s46, powers=("CHN", "RUS"), measure="test-events")
        assert calls == [("CHN", "RUS")] and list(out["country"]) == ["PRK"]
    finally:
        MEASURES.pop("test-events")


def test_workflow_fetches_and_caches(session_store):
    import hedgewatch as hw

    first = hw.atlas(("China", "US"), start=2016, end=2019, n_boot=20, store=session_store)
    assert set(first["period"]) == {2016, 2017, 2018, 2019}
    assert first["country"].nunique() > 180 and "agree_CHN" in first and "agree_USA" in first
    cached = hw.atlas(("CHN", "USA"), start=2016, end=2019, n_boot=20, store=session_store)
    pd.testing.assert_frame_equal(first, cached)
    # one cached result (a file beside the store, see docs/reliability.md)
    assert len(list(session_store.cache_dir.glob("atlas-*.parquet"))) == 1
    top = hw.movers(first, top=3)
    assert len(top) <= 3
    with pytest.raises(ParameterError, match=r"'measure' parameter of atlas\(\)"):
        hw.atlas(("CHN", "USA"), measure="events", store=session_store)
