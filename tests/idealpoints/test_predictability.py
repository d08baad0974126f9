"""The rational-wildcard measures on a hand-built fit, and on the real extract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from hedgewatch.errors import ParameterError
from hedgewatch.idealpoints import (
    IdealPointResult,
    overall_fit,
    plot_ideal_points,
    predictability,
    rank_predictability,
    surprising_votes,
)


@pytest.fixture
def toy():
    points = pd.DataFrame(
        {
            "country": ["A", "B", "C"],
            "session": [1, 1, 1],
            "year": [1990] * 3,
            "n_votes": [2, 2, 2],
            "ideal_point": [2.0, 0.1, -2.0],
            "se": [0.1] * 3,
            "lower": [1.8, -0.1, -2.2],
            "upper": [2.2, 0.3, -1.8],
        }
    )
    items = pd.DataFrame(
        {
            "rcid": [1, 2],
            "session": [1, 1],
            "item": [0, 1],
            "discrimination": [1.0, -1.0],
            "cut_1": [-0.5, 0.0],
            "cut_2": [0.5, 0.0],
        }
    )
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 1, 2, 2, 2],
            "session": [1] * 6,
            "country": ["A", "B", "C", "A", "B", "C"],
            "vote": ["yes", "yes", "no", "no", "yes", "yes"],
            "date": pd.to_datetime(["1990-10-01"] * 3 + ["1990-11-01"] * 3),
        }
    )
    return IdealPointResult(points, items, {"n_dims": 1}), votes


def test_hand_computed_accuracy_log_loss_and_apre(toy):
    res, votes = toy
    t = predictability(res, votes).set_index("country")
    assert t.loc["A", "accuracy"] == 1.0 and t.loc["B", "accuracy"] == 0.0
    assert t.loc["C", "accuracy"] == 1.0
    ll_a = -(np.log(1 - norm.cdf(0.5 - 2.0)) + np.log(norm.cdf(0.0 + 2.0))) / 2
    assert np.isclose(t.loc["A", "log_loss"], ll_a, rtol=1e-10)
    assert t.loc["A", "apre"] == 1.0 and t.loc["C", "apre"] == 1.0
    assert np.isnan(t.loc["B", "apre"])  # always with the majority: nothing to reduce
    assert t.loc["B", "null_accuracy"] == 1.0
    fit = overall_fit(res, votes)
    assert np.isclose(fit["accuracy"], 4 / 6) and np.isclose(fit["apre"], 0.0)


def test_surprising_votes_lists_least_probable_first(toy):
    res, votes = toy
    rc = pd.DataFrame(
        {"rcid": [1, 2], "resolution": ["A/RES/1", "A/RES/2"], "title": ["<b>Korea</b>", "Budget"]}
    )
    sv = surprising_votes(res, votes, "B", n=2, roll_calls=rc)
    assert list(sv.columns) == [
        "rcid",
        "session",
        "date",
        "resolution",
        "title",
        "vote",
        "expected_vote",
        "probability",
    ]
    assert sv["probability"].is_monotonic_increasing
    p_yes_rc2 = 1 - norm.cdf(0.0 + 0.1)
    assert np.isclose(sv.iloc[0]["probability"], min(p_yes_rc2, 1 - norm.cdf(0.5 - 0.1)))
    assert sv.iloc[0]["title"] in {"<b>Korea</b>", "Budget"}  # raw here; escaped when shown
    with pytest.raises(ParameterError, match="Countries in the fit: A, B, C"):
        surprising_votes(res, votes, "ZZZ")


def test_rank_predictability_orders_least_predictable_first(toy):
    res, votes = toy
    t = predictability(res, votes)
    r = rank_predictability(t, "B", peers=["A"], min_votes=1)
    assert r.iloc[0]["country"] == "B" and r.iloc[0]["rank_all"] == 1
    assert r.set_index("country").loc["A", "rank_peers"] == 2
    assert pd.isna(r.set_index("country").loc["C", "rank_peers"])
    with pytest.raises(ParameterError, match="'metric' parameter"):
        rank_predictability(t, "A", metric="r2")


def test_real_fit_predicts_better_than_the_majority(real_fit, real_votes):
    fit = overall_fit(real_fit, real_votes)
    assert fit["accuracy"] > fit["null_accuracy"] and 0 < fit["apre"] < 1
    t = predictability(real_fit, real_votes)
    assert t["accuracy"].between(0, 1).all() and (t["log_loss"] >= 0).all()
    assert t["apre"].dropna().le(1).all()
    r = rank_predictability(t, "PRK", peers=["CHN", "RUS", "CUB", "USA"])
    row = r[r["is_target"]].iloc[0]
    assert 1 <= row["rank_all"] <= len(r) and 1 <= row["rank_peers"] <= 5


def test_plot_returns_a_figure(real_fit):
    fig = plot_ideal_points(real_fit, ["PRK", "CHN", "RUS", "USA"])
    ax = fig.axes[0]
    assert len(ax.lines) >= 4 and [t.get_text() for t in ax.get_legend().get_texts()] == [
        "PRK",
        "CHN",
        "RUS",
        "USA",
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list("ABCDEF")),
            st.integers(1, 4),
            st.integers(1, 60),
            st.floats(0, 1),
            st.floats(0.01, 3),
            st.floats(0, 1),
        ),
        min_size=1,
        max_size=25,
        unique_by=lambda r: (r[0], r[1]),
    ),
    st.randoms(use_true_random=False),
)
def test_ranking_is_order_invariant_and_bounded(rows, rnd):
    t = pd.DataFrame(
        rows, columns=["country", "session", "n_votes", "accuracy", "log_loss", "null_accuracy"]
    )
    t["apre"] = np.nan
    a = rank_predictability(t, "A", min_votes=1)
    shuffled = t.sample(frac=1.0, random_state=rnd.randint(0, 10**6))
    b = rank_predictability(shuffled, "A", min_votes=1)
    pd.testing.assert_frame_equal(
        a.sort_values("country", ignore_index=True), b.sort_values("country", ignore_index=True)
    )
    assert a["accuracy"].between(0, 1).all()
    assert a["rank_all"].min() == 1 and a["rank_all"].max() <= len(a)
    assert (a["log_loss"].diff().dropna() <= 1e-12).all()  # least predictable first
