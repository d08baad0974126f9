"""Hedging index: hand-computed coordinates, bounds, intervals, reasons for NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.alignment import hedging_index
from hedgewatch.errors import InsufficientDataError, ParameterError


def test_hand_computed_prk_between_chn_and_rus(s46):
    # 8 roll calls where PRK, CHN, RUS all voted. Distances (0/0.5/1):
    # d(PRK,CHN) = 2 * 0.5 / 8 (3593, 3599); d(PRK,RUS) = 0.5 / 8 (3598);
    # d(CHN,RUS) = 3 * 0.5 / 8 (3593, 3598, 3599).
    out = hedging_index(s46, "PRK", ("CHN", "RUS"), by="session", n_boot=0)
    row = out.iloc[0]
    assert row.n_votes == 8
    assert row.agree_CHN == pytest.approx(1 - 1 / 8)
    assert row.agree_RUS == pytest.approx(1 - 1 / 16)
    assert row.agree_CHN_RUS == pytest.approx(1 - 3 / 16)
    assert row.position == pytest.approx((1 / 8 - 1 / 16) / (3 / 16))  # = 1/3: leans RUS
    assert row.free_agency == pytest.approx(0.0)
    assert row.note == "only 8 common roll calls"  # below 10: flagged, not hidden


def test_hand_computed_identical_measure(s46):
    out = hedging_index(s46, "PRK", ("CHN", "USA"), by=None, measure="identical", n_boot=0)
    # 8 common roll calls; PRK != CHN on 2, PRK != USA on 7, CHN != USA on 7.
    row = out.iloc[0]
    assert row.position == pytest.approx((2 / 8 - 7 / 8) / (7 / 8))  # = -5/7
    assert row.free_agency == pytest.approx((2 / 8 + 7 / 8 - 7 / 8) / 2)


def test_identical_powers_have_no_axis(s46):
    few = s46[s46.rcid.isin([3587, 3588, 3589])]
    out = hedging_index(few, "USA", ("CHN", "RUS"), by=None, n_boot=50)
    assert np.isnan(out.position.iloc[0])
    assert "no axis" in out.note.iloc[0] and "only 3 common roll calls" in out.note.iloc[0]


def test_intervals_cover_point_and_are_reproducible(prk_votes):
    a = hedging_index(prk_votes, "PRK", ("CHN", "RUS"), n_boot=100, seed=1)
    b = hedging_index(prk_votes, "PRK", ("CHN", "RUS"), n_boot=100, seed=1)
    pd.testing.assert_frame_equal(a, b)
    ok = a.position.notna()
    assert (a.position_lo[ok] <= a.position[ok] + 1e-12).all()
    assert (a.position[ok] <= a.position_hi[ok] + 1e-12).all()
    assert (a.free_agency_lo <= a.free_agency + 1e-12).all()
    # the interval of one year does not depend on the window asked for
    c = hedging_index(prk_votes[prk_votes.year >= 2010], "PRK", ("CHN", "RUS"), n_boot=100, seed=1)
    pd.testing.assert_frame_equal(
        a[a.period >= 2010].reset_index(drop=True), c.reset_index(drop=True)
    )


def test_prk_moved_from_china_towards_russia(prk_votes):
    out = hedging_index(prk_votes, "PRK", ("CHN", "RUS"), n_boot=0)
    early = out[out.period <= 2005].position.mean()
    late = out[out.period >= 2014].position.mean()
    assert early < -0.85 and late > -0.6


def test_three_powers(prk_votes):
    out = hedging_index(prk_votes, "PRK", ("CHN", "RUS", "USA"), by=None, n_boot=20)
    for col in ["agree_USA", "position_CHN_RUS", "position_CHN_USA", "position_RUS_USA"]:
        assert col in out
    assert "position" not in out
    assert out.position_CHN_USA.iloc[0] < -0.8  # far nearer China than the USA


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(*[st.sampled_from(["yes", "abstain", "no"])] * 3), min_size=1, max_size=30),
    st.sampled_from(["agreement", "identical"]),
)
def test_bounds(rows, measure):
    votes = pd.DataFrame(
        [
            (r, c, v)
            for r, vs in enumerate(rows)
            for c, v in zip(("PRK", "CHN", "RUS"), vs, strict=True)
        ],
        columns=["rcid", "country", "vote"],
    ).assign(year=2000)
    out = hedging_index(votes, "PRK", ("CHN", "RUS"), measure=measure, n_boot=10)
    row = out.iloc[0]
    assert 0 <= row.free_agency <= 1
    assert np.isnan(row.position) or -1 <= row.position <= 1
    for p in ("CHN", "RUS"):
        assert 0 <= row[f"agree_{p}"] <= 1


def test_errors(s46, prk_votes):
    with pytest.raises(ParameterError, match="'measure' parameter of hedging_index"):
        hedging_index(s46, "PRK", ("CHN", "RUS"), measure="kappa")
    with pytest.raises(ParameterError, match="'powers'"):
        hedging_index(s46, "PRK", "CHN")
    with pytest.raises(ParameterError, match="distinct"):
        hedging_index(s46, "PRK", ("PRK", "RUS"))
    with pytest.raises(InsufficientDataError, match="KOR"):
        hedging_index(s46, "PRK", ("CHN", "KOR"))
    split = pd.concat(
        [
            s46[s46.country != "USA"],
            prk_votes[(prk_votes.country == "USA") & (prk_votes.year == 2019)],
        ]
    )
    with pytest.raises(InsufficientDataError, match="never all voted"):
        hedging_index(split[["rcid", "country", "vote", "year"]], "PRK", ("CHN", "USA"))


def test_duplicate_votes_rejected(s46):
    with pytest.raises(Exception, match="votes twice"):
        hedging_index(pd.concat([s46, s46.iloc[[0]]]), "CHN", ("PRK", "RUS"))
