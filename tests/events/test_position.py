"""Event position and alignment: hand-computed values, bounds, invariances, intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.events import (
    event_alignment,
    event_position,
    event_positions,
    position_correlation,
)


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Daily rows ``date, a, b, weight`` (counts: one cooperative event per unit of weight)."""
    df = pd.DataFrame(rows, columns=["date", "country_a", "country_b", "weight"])
    df["date"] = pd.to_datetime(df["date"])
    df["events"] = df["weight"].abs()
    df["verbal_coop"] = df["weight"].clip(lower=0)
    df["material_coop"] = 0.0
    df["verbal_conflict"] = (-df["weight"]).clip(lower=0)
    df["material_conflict"] = 0.0
    df["goldstein_sum"] = df["weight"]
    return df


ROWS = [
    ("2024-01-02", "PRK", "CHN", 2.0),
    ("2024-01-03", "RUS", "PRK", 6.0),  # the other direction counts too
    ("2024-01-04", "PRK", "USA", -4.0),
    ("2024-04-02", "PRK", "CHN", 3.0),
    ("2024-04-05", "PRK", "RUS", -1.0),
]


def test_position_is_hand_computed():
    idx = event_position(frame(ROWS), "PRK", ["CHN", "RUS"], by="quarter", n_boot=0)
    q1, q2 = idx.iloc[0], idx.iloc[1]
    assert q1["position"] == pytest.approx((6 - 2) / (2 + 6))
    assert q1["value_CHN"] == pytest.approx(2 / 12) and q1["value_RUS"] == pytest.approx(6 / 12)
    assert q1["other_share"] == pytest.approx(4 / 12)
    assert q2["position"] == pytest.approx((-1 - 3) / (3 + 1))
    assert list(idx["period"]) == ["2024Q1", "2024Q2"]


def test_swapping_the_powers_negates_the_position():
    d = frame(ROWS)
    a = event_position(d, "PRK", ["CHN", "RUS"], n_boot=50, seed=1)
    b = event_position(d, "PRK", ["RUS", "CHN"], n_boot=50, seed=1)
    np.testing.assert_allclose(a["position"], -b["position"])


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 80),
            st.sampled_from(["CHN", "RUS", "USA", "KOR"]),
            st.floats(-50, 50, allow_nan=False).filter(lambda w: abs(w) > 1e-6),
        ),
        min_size=1,
        max_size=40,
    ),
    st.floats(0.1, 100),
)
def test_position_is_bounded_and_blind_to_news_volume(rows, k):
    d = frame(
        [(pd.Timestamp("2024-01-01") + pd.Timedelta(days=t), "PRK", p, w) for t, p, w in rows]
    )
    loud = d.copy()
    num = ["weight", "events", "verbal_coop", "verbal_conflict", "goldstein_sum"]
    loud[num] = loud[num] * k
    for measure in ("weight", "cooperation", "goldstein"):
        a = event_position(d, "PRK", ["CHN", "RUS"], by="year", measure=measure, n_boot=0)
        b = event_position(loud, "PRK", ["CHN", "RUS"], by="year", measure=measure, n_boot=0)
        pos = a["position"].dropna()
        assert ((pos >= -1) & (pos <= 1)).all()
        np.testing.assert_allclose(a["position"], b["position"], rtol=1e-9)
        np.testing.assert_allclose(a["other_share"], b["other_share"], rtol=1e-9, atol=1e-12)


def test_bootstrap_interval_brackets_the_estimate_and_is_reproducible():
    rng = np.random.default_rng(3)
    rows = [
        (pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(t)), "PRK", p, float(w))
        for t, p, w in zip(
            rng.integers(0, 180, 400),
            rng.choice(["CHN", "RUS", "USA"], 400),
            rng.normal(1.0, 2.0, 400),
            strict=True,
        )
    ]
    d = frame(rows)
    a = event_position(d, "PRK", ["CHN", "RUS"], by="quarter", n_boot=300, seed=7)
    b = event_position(d, "PRK", ["CHN", "RUS"], by="quarter", n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert (a["position_lo"] <= a["position"]).all() and (a["position"] <= a["position_hi"]).all()
    assert (a["position_hi"] - a["position_lo"] > 0).all()
    wider = event_position(d, "PRK", ["CHN", "RUS"], by="quarter", n_boot=300, seed=7, level=0.99)
    assert (
        wider["position_hi"] - wider["position_lo"] >= a["position_hi"] - a["position_lo"]
    ).all()


def test_no_event_with_either_power_is_a_noted_nan():
    d = frame([("2024-01-02", "PRK", "USA", 2.0)])
    idx = event_position(d, "PRK", ["CHN", "RUS"], n_boot=10)
    assert np.isnan(idx["position"].iloc[0])
    assert "no event with either power" in idx["note"].iloc[0]


def test_parameters_are_checked():
    d = frame(ROWS)
    with pytest.raises(ParameterError, match="'powers' parameter of event_position"):
        event_position(d, "PRK", ["CHN"])
    with pytest.raises(ParameterError, match="'level' parameter of event_position"):
        event_position(d, "PRK", ["CHN", "RUS"], level=95)
    with pytest.raises(InsufficientDataError):
        event_position(d, "VEN", ["CHN", "RUS"])
    weights_only = d.assign(events=np.nan)
    with pytest.raises(InsufficientDataError, match="needs event counts"):
        event_position(weights_only, "PRK", ["CHN", "RUS"], measure="cooperation")


def test_alignment_is_hand_computed():
    out = event_alignment(frame(ROWS), "PRK", ["CHN", "RUS", "KOR"], by="quarter")
    q1 = out[out["period"] == "2024Q1"].set_index("country_b")
    assert q1.loc["CHN", "value"] == pytest.approx(2 / 12)
    assert q1.loc["RUS", "value"] == pytest.approx(6 / 12)
    assert q1.loc["RUS", "share"] == pytest.approx(6 / 12)
    assert q1.loc["KOR", "value"] == 0 and q1.loc["KOR", "note"] == "no event with this partner"
    assert (out["country_a"] == "PRK").all()


def test_positions_of_every_state_match_the_single_state_function():
    rows = ROWS + [("2024-01-05", "VNM", "CHN", 5.0), ("2024-02-05", "RUS", "VNM", -1.0)]
    d = frame(rows)
    all_ = event_positions(d, ["CHN", "RUS"], by="quarter").set_index(["state", "period"])
    one = event_position(d, "PRK", ["CHN", "RUS"], by="quarter", n_boot=0).set_index("period")
    for period, row in one.iterrows():
        assert all_.loc[("PRK", period), "position"] == pytest.approx(row["position"])
    assert all_.loc[("VNM", "2024Q1"), "position"] == pytest.approx((-1 - 5) / 6)


def test_correlation_of_positions():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 60)
    votes = pd.DataFrame({"state": [f"S{i}" for i in range(60)], "period": 2019, "position": x})
    events = votes.assign(position=0.8 * x + rng.normal(0, 0.2, 60), period="2019")
    res = position_correlation(votes, events)
    assert res.n == 60
    assert res.r_lo < res.r < res.r_hi
    assert res.r == pytest.approx(np.corrcoef(x, events["position"])[0, 1])
    assert res.rho > 0.7 and res.p_value < 1e-6
    with pytest.raises(InsufficientDataError, match="only 0"):
        position_correlation(votes, events.assign(period="2020"))
