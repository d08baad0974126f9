"""Side-taking: hand-computed counts, the issue's published example, Wilson intervals."""

from __future__ import annotations

import numpy as np
import pytest

from hedgewatch.alignment import side_taking
from hedgewatch.alignment._side_taking import wilson
from hedgewatch.errors import InsufficientDataError, ParameterError, UnknownCountryError


def test_hand_computed_session46(s46):
    # CHN and RUS both voted and differed on 3593 (abstain/yes), 3598 (yes/abstain) and
    # 3599 (abstain/yes); PRK voted yes on all three: with RUS twice, with CHN once.
    out = side_taking(s46, powers=("CHN", "RUS"), countries="PRK", by=None)
    row = out.iloc[0]
    assert (row.n_divided, row.with_CHN, row.with_RUS, row.with_neither) == (3, 1, 2, 0)
    assert row.side_CHN == pytest.approx(1 / 3) and row.side_RUS == pytest.approx(2 / 3)
    # USA voted no on 3593 and 3599 (neither power did) and abstained on 3598 (as RUS).
    usa = side_taking(s46, powers=("CHN", "RUS"), countries="USA", by=None).iloc[0]
    assert (usa.n_divided, usa.with_CHN, usa.with_RUS, usa.with_neither) == (3, 0, 1, 2)


def test_north_korea_since_2012_matches_the_published_figure(prk_votes):
    # The issue: since 2012 North Korea sided with China on 64% of the 160 votes that
    # divided China and Russia, with Russia on 26%.
    recent = prk_votes[prk_votes["year"] >= 2012]
    row = side_taking(recent, powers=("CHN", "RUS"), countries="PRK", by=None).iloc[0]
    assert row.n_divided == 160
    assert round(100 * row.side_CHN) == 64 and round(100 * row.side_RUS) == 26
    assert row.with_CHN + row.with_RUS + row.with_neither == 160
    assert row.side_CHN_lo < row.side_CHN < row.side_CHN_hi


def test_shares_sum_to_one_for_every_state(world40):
    out = side_taking(world40, powers=("CHN", "USA"))
    total = out["side_CHN"] + out["side_USA"] + out["side_neither"]
    np.testing.assert_allclose(total, 1.0)
    assert set(out["country"]) == set(world40["country"]) - {"CHN", "USA"}
    assert (out["n_divided"] > 0).all()


def test_wilson_matches_newcombe():
    # Newcombe (1998), Statistics in Medicine 17: 857-872, Table II, method 3 (Wilson).
    lo, hi = wilson(np.array([81.0, 0.0]), np.array([263.0, 10.0]), 0.95)
    assert lo[0] == pytest.approx(0.2553, abs=5e-5) and hi[0] == pytest.approx(0.3662, abs=5e-5)
    assert lo[1] == pytest.approx(0.0, abs=1e-12) and hi[1] == pytest.approx(0.2775, abs=5e-5)


def test_bad_parameters(s46):
    with pytest.raises(ParameterError, match=r"'powers' parameter of side_taking\(\)"):
        side_taking(s46, powers=("CHN",))
    with pytest.raises(ParameterError, match="'level'"):
        side_taking(s46, powers=("CHN", "RUS"), level=95)
    with pytest.raises(UnknownCountryError):
        side_taking(s46, powers=("CHN", "XXQ"))
    same = s46[s46.rcid.isin([3587, 3588, 3589])]
    with pytest.raises(InsufficientDataError, match="never cast different votes"):
        side_taking(same, powers=("CHN", "RUS"))


def test_offered_by_hedging_index_and_hedge(prk_votes, session_store):
    import hedgewatch as hw
    from hedgewatch.alignment import hedging_index

    recent = prk_votes[prk_votes["year"] >= 2012]
    row = hedging_index(recent, "PRK", ("CHN", "RUS"), by=None, n_boot=0, sides=True).iloc[0]
    assert (row.n_divided, row.with_CHN, row.with_RUS, row.with_neither) == (160, 102, 41, 17)
    assert list(hedging_index(recent, "PRK", ("CHN", "RUS"), n_boot=0).columns)[-1] == "note"
    res = hw.hedge(
        "PRK", ("CHN", "RUS"), start=2012, end=2019, n_boot=0, sides=True, store=session_store
    )
    yearly = res.index.set_index("period")
    assert yearly["n_divided"].sum() == 160 and yearly["with_CHN"].sum() == 102
    assert res.index.columns[-1] == "note"
