"""Calibration: from hedging indices, ideal points and raw votes to model inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hedgewatch.errors import InsufficientDataError, ParameterError, ScenarioError
from hedgewatch.strategy import (
    agreement_position,
    alignment_from_hedging,
    alignment_from_ideal_points,
    calibrate_outbidding,
    scenario_from_ideal_points,
)

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "strategy" / "votes_prk_chn_rus_2015.csv"


@given(st.floats(-1, 1))
def test_hedging_position_maps_linearly_onto_alignment(pos):
    frame = pd.DataFrame({"period": [2015], "position": [pos], "free_agency": [0.1]})
    assert alignment_from_hedging(frame, 2015) == pytest.approx((1 + pos) / 2)


def test_hedging_endpoints_and_errors():
    frame = pd.DataFrame({"year": [2014, 2015, 2016], "position": [-1.0, 0.0, np.nan]})
    assert alignment_from_hedging(frame, 2014) == 0.0
    assert alignment_from_hedging(frame, 2015) == 0.5
    with pytest.raises(InsufficientDataError, match="NaN"):
        alignment_from_hedging(frame, 2016)
    with pytest.raises(InsufficientDataError, match="no row for year 1990.*2014-2016"):
        alignment_from_hedging(frame, 1990)


IDEAL = pd.DataFrame(
    {
        "country": ["CHN", "RUS", "PRK", "USA", "JPN"],
        "year": 2015,
        "ideal_point": [-1.0, 0.0, -0.75, 2.0, 1.5],
    }
)


def test_ideal_point_projection():
    assert alignment_from_ideal_points(IDEAL, 2015, "PRK", ("CHN", "RUS")) == pytest.approx(0.25)
    assert alignment_from_ideal_points(IDEAL, 2015, "USA", ("CHN", "RUS")) == 1.0  # clipped
    model = calibrate_outbidding(IDEAL, 2015, state="PRK", powers=("CHN", "RUS"), guarantee=0.8)
    assert model.ideal_alignment == pytest.approx(0.25)
    assert model.guarantee == 0.8 and model.labels == ("PRK", "CHN", "RUS")
    with pytest.raises(ParameterError, match="'ideal_alignment'"):
        calibrate_outbidding(IDEAL, 2015, state="PRK", powers=("CHN", "RUS"), ideal_alignment=0.3)


def test_scenario_positions_from_ideal_points():
    actors = {
        "CHN": {"capability": 0.4, "salience": 80},
        "USA": {"capability": 0.6, "salience": 60},
    }
    s = scenario_from_ideal_points(IDEAL, 2015, actors)
    pos = s.to_frame().set_index("actor")["position"]
    # min -1 (CHN) -> 0, max 2 (USA) -> 100
    assert pos.to_dict() == {"CHN": 0.0, "USA": 100.0}
    frame = pd.DataFrame({"actor": ["PRK", "RUS"], "capability": [1, 2], "salience": [90, 30]})
    pos2 = scenario_from_ideal_points(IDEAL, 2015, frame).to_frame().set_index("actor")["position"]
    assert pos2["PRK"] == pytest.approx(100 * 0.25 / 3) and pos2["RUS"] == pytest.approx(100 / 3)


def test_unknown_actor_rejected_with_the_valid_names():
    with pytest.raises(
        ScenarioError, match=r"unknown actor\(s\) \['KOR'\].*CHN, JPN, PRK, RUS, USA"
    ):
        scenario_from_ideal_points(
            IDEAL,
            2015,
            {"KOR": {"capability": 1, "salience": 50}, "CHN": {"capability": 1, "salience": 50}},
        )
    with pytest.raises(ScenarioError, match="unknown actor"):
        alignment_from_ideal_points(IDEAL, 2015, "KOR", ("CHN", "RUS"))


def test_agreement_position_by_hand():
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4],
            "year": 2000,
            "country": ["C", "A", "B"] * 3 + ["C", "A"],
            "vote": [
                "yes",
                "yes",
                "no",
                "no",
                "no",
                "no",
                "abstain",
                "yes",
                "abstain",
                "yes",
                "yes",
            ],
        }
    )
    out = agreement_position(votes, "C", ("A", "B")).iloc[0]
    # rcid 4 lacks B, so 3 common votes: agree with A on 1, 2; with B on 2, 3.
    assert out["n_votes"] == 3
    assert out["agree_A"] == pytest.approx(2 / 3) and out["agree_B"] == pytest.approx(2 / 3)
    assert out["position"] == pytest.approx(0.0)


def test_real_fixture_prk_2015_agreement_matches_independent_count():
    votes = pd.read_csv(FIXTURE)
    out = agreement_position(votes, "PRK", ("CHN", "RUS"), year=2015).iloc[0]
    wide = votes.pivot(index="rcid", columns="country", values="vote").dropna()
    assert out["n_votes"] == len(wide)
    assert out["agree_CHN"] == pytest.approx((wide["PRK"] == wide["CHN"]).mean())
    assert out["agree_RUS"] == pytest.approx((wide["PRK"] == wide["RUS"]).mean())
    model = calibrate_outbidding(
        agreement_position(votes, "PRK", ("CHN", "RUS")), 2015, state="PRK", powers=("CHN", "RUS")
    )
    share = out["agree_RUS"] / (out["agree_CHN"] + out["agree_RUS"])
    assert model.ideal_alignment == pytest.approx(share)
    assert 0.0 < model.ideal_alignment < 1.0


def test_real_fixture_through_hedging_index_if_available():
    hedging = pytest.importorskip("hedgewatch.alignment.hedging")
    votes = pd.read_csv(FIXTURE)
    index = hedging.hedging_index(votes, "PRK", ("CHN", "RUS"), n_boot=0)
    model = calibrate_outbidding(index, 2015, state="PRK", powers=("CHN", "RUS"))
    pos = float(index.loc[index["period"] == 2015, "position"].iloc[0])
    assert model.ideal_alignment == pytest.approx((1 + pos) / 2)


def test_agreement_missing_country():
    votes = pd.read_csv(FIXTURE)
    with pytest.raises(InsufficientDataError, match=r"\['USA'\]"):
        agreement_position(votes, "PRK", ("CHN", "USA"))
