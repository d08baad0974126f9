"""The expected-utility forecast: published baselines, hand-computed rounds, textbook properties."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.errors import ParameterError
from hedgewatch.strategy import Scenario, forecast, read_scenario, weighted_median
from hedgewatch.strategy.bargaining import (
    expected_utilities,
    risk_exponents,
    win_probabilities,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eu_emissions.yaml"


def test_replication_example_baselines():
    """BDM (1994) Table 1 as in Scholz, Calbert & Smith (2011): median 7, mean 500.3 / 67.7.

    By hand: weights c*s at 4 years = 6.4 + 0.6 + 12.8 + 5.0 = 24.8, at 7 = 3.2 + 0.5 + 5.6 =
    9.3, at 10 = 9.6 + 9.6 + 14.4 = 33.6; total 67.7, half 33.85 is first reached at 7.
    """
    result = forecast(read_scenario(EXAMPLE))
    assert result.median_voter == 7.0
    assert result.mean_voter == pytest.approx(500.3 / 67.7, abs=1e-9)
    assert result.mean_voter == pytest.approx(7.38996, abs=1e-5)
    assert result.outcomes.loc[0, ["median", "mean"]].tolist() == pytest.approx(
        [7.0, 7.38996], abs=1e-5
    )


def test_replication_example_path_is_sane():
    result = forecast(read_scenario(EXAMPLE), max_rounds=10)
    pos = result.positions()
    assert pos.shape == (result.n_rounds + 1, 10)
    assert pos.to_numpy().min() >= 4 and pos.to_numpy().max() <= 10
    r = result.rounds.dropna(subset=["risk"])["risk"]
    assert r.between(0.5, 2.0).all()
    assert set(result.moves["kind"]) <= {"conflict", "compromise", "capitulation"}
    assert 4 <= result.forecast <= 10


def _two_actor() -> Scenario:
    return Scenario.from_records(
        [
            {"name": "A", "capability": 1, "position": 0, "salience": 100},
            {"name": "B", "capability": 1, "position": 100, "salience": 50},
        ]
    )


def test_two_actor_round_by_hand():
    """P_AB = 1 / 1.5 = 2/3; with r = 1: EU_AB = 0.5 (4/3 - 2/3) + 0.5 * 2 = 4/3 and
    EU_BA = 1 (2/3 - 4/3) = -2/3; so R_A = -1, R_B = 1, r_A = 2, r_B = 0.5; then
    EU_AB = 1/3 and EU_BA = -2/3 - (2 - 2 sqrt 2) = 2 sqrt 2 - 8/3: a conflict A wins."""
    x, w, sal = np.array([0.0, 100.0]), np.array([1.0, 0.5]), np.array([1.0, 0.5])
    p = win_probabilities(x, w, 100.0)
    assert p[0, 1] == pytest.approx(2 / 3) and p[1, 0] == pytest.approx(1 / 3)
    eu1 = expected_utilities(x, sal, p, np.ones(2), 0.0, 100.0, 1.0, 1.0)
    assert eu1[0, 1] == pytest.approx(4 / 3) and eu1[1, 0] == pytest.approx(-2 / 3)
    r = risk_exponents(eu1)
    assert r == pytest.approx([2.0, 0.5])
    eu2 = expected_utilities(x, sal, p, r, 0.0, 100.0, 1.0, 1.0)
    assert eu2[0, 1] == pytest.approx(1 / 3)
    assert eu2[1, 0] == pytest.approx(2 * math.sqrt(2) - 8 / 3)
    result = forecast(_two_actor())
    first = result.moves[result.moves["round"] == 1]
    assert first[["actor", "challenger", "kind"]].values.tolist() == [["B", "A", "conflict"]]
    assert result.positions().iloc[1].tolist() == [0.0, 0.0]
    assert result.forecast == 0.0 and result.converged


def test_dominant_actor_position_wins():
    recs = [{"name": "hegemon", "capability": 100, "position": 80, "salience": 90}] + [
        {"name": f"s{i}", "capability": 1, "position": p, "salience": 60}
        for i, p in enumerate([5, 20, 35, 50, 95])
    ]
    result = forecast(Scenario.from_records(recs), max_rounds=15)
    assert result.median_voter == 80
    assert result.forecast == 80
    assert (result.outcomes["median"] == 80).all()
    # The weak actors end up closer to the hegemon than they started.
    pos = result.positions()
    assert (abs(pos.iloc[-1] - 80) <= abs(pos.iloc[0] - 80) + 1e-9).all()


def test_consensus_is_a_fixed_point():
    recs = [
        {"name": n, "capability": c, "position": 42, "salience": 70}
        for n, c in [("a", 1), ("b", 3)]
    ]
    result = forecast(Scenario.from_records(recs))
    assert result.forecast == 42 and result.converged and result.moves.empty


def test_fixed_risk_is_kept():
    s = _two_actor().with_actor("A", risk=1.5)
    first = forecast(s).rounds.query("round == 0").set_index("actor")["risk"]
    assert first["A"] == 1.5 and first["B"] != 1.5


def test_bad_parameters():
    with pytest.raises(ParameterError, match="The 'accept' parameter of forecast\\(\\) must be"):
        forecast(_two_actor(), accept="nearest")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'max_rounds'"):
        forecast(_two_actor(), max_rounds=-1)


actors = st.lists(
    st.tuples(st.floats(0.01, 10), st.integers(0, 100), st.floats(1, 100)),
    min_size=2,
    max_size=9,
)


@settings(max_examples=60, deadline=None)
@given(actors)
def test_forecast_stays_in_scale_and_is_scale_free(rows):
    recs = [
        {"name": f"a{i}", "capability": c, "position": float(x), "salience": s}
        for i, (c, x, s) in enumerate(rows)
    ]
    s = Scenario.from_records(recs)
    result = forecast(s, max_rounds=4)
    pos = result.rounds["position"]
    assert pos.between(0, 100).all()
    assert min(r[1] for r in rows) <= result.forecast <= max(r[1] for r in rows)
    # Only capability ratios matter.
    scaled = Scenario.from_records([{**r, "capability": 7 * r["capability"]} for r in recs])
    assert forecast(scaled, max_rounds=4).outcomes["median"].tolist() == pytest.approx(
        result.outcomes["median"].tolist()
    )


@given(
    # positions a subnormal distance apart (under 2.2e-308, e.g. 0 and 5e-324) are one
    # position: their weighted difference underflows to 0, and so does any vote between them
    st.lists(st.floats(-50, 50, allow_subnormal=False), min_size=2, max_size=12),
    st.lists(st.floats(0.1, 5), min_size=12, max_size=12),
)
def test_win_probabilities_complement_and_median_is_condorcet(xs, ws):
    x, w = np.array(xs), np.array(ws[: len(xs)])
    p = win_probabilities(x, w, 100.0)
    differ = x[:, None] != x[None, :]
    assert np.allclose((p + p.T)[differ], 1.0)
    assert ((p >= 0) & (p <= 1)).all()
    m = weighted_median(x, w)
    loss = lambda c: float(np.sum(w * np.abs(x - c)))  # noqa: E731
    assert all(loss(m) <= loss(c) + 1e-9 for c in x)


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=10))
def test_risk_exponents_bounded(values):
    n = len(values)
    eu = np.resize(np.array(values), (n, n))
    np.fill_diagonal(eu, 0.0)
    r = risk_exponents(eu)
    assert ((r >= 0.5 - 1e-12) & (r <= 2.0 + 1e-12)).all()


def test_rescaled_csv_example_gives_the_same_path():
    """examples/eu_emissions_0_100.csv is Table 1 with years 4-10 mapped to 0-100: every
    quantity is measured relative to the scale, so the path maps back exactly."""
    years = forecast(read_scenario(EXAMPLE), max_rounds=6)
    pct = forecast(read_scenario(EXAMPLE.with_name("eu_emissions_0_100.csv")), max_rounds=6)
    back = 4 + 6 * pct.outcomes[["median", "mean"]] / 100
    assert back.to_numpy() == pytest.approx(years.outcomes[["median", "mean"]].to_numpy())
    assert pct.mean_voter == pytest.approx(100 * (500.3 / 67.7 - 4) / 6)


def test_illustrative_six_party_example_reads():
    s = read_scenario(EXAMPLE.with_name("six_parties_2015.yaml"))
    assert s.names == ["USA", "CHN", "RUS", "JPN", "KOR", "PRK"]
    assert 0 <= forecast(s).forecast <= 100
