"""Sections built on the other analysis modules: ideal points, predictability, strategy."""

from __future__ import annotations

import pytest

from hedgewatch.report.claims import NOT_SUPPORTED, SUPPORTED


def test_idealpoint_section_shows_state_and_powers(prk_report):
    rep = prk_report[0]
    s = rep.section("idealpoints")
    assert s.ok, s.reason
    assert [f.key for f in s.figures] == ["idealpoints"]
    table = s.tables[0].frame
    assert set(table["country"]) == {"PRK", "CHN", "RUS"}
    assert (table["lower"] <= table["ideal_point"]).all()
    assert (table["ideal_point"] <= table["upper"]).all()


def test_predictability_percentile_matches_the_ranking(prk_report):
    rep = prk_report[0]
    s = rep.section("predictability")
    assert s.ok, s.reason
    ranking = s.tables[0].frame
    n = len(ranking)
    rank = int(ranking.loc[ranking["country"] == "PRK", "rank_peers"].iloc[0])
    pct = rep.measurements()["predictability_percentile"].value
    assert pct == pytest.approx((rank - 1) / (n - 1))
    # rank 1 = least predictable: log-loss decreases down the ranking
    assert ranking["log_loss"].is_monotonic_decreasing
    verdict = rep.claims.set_index("id").loc["rational_actor", "verdict"]
    assert verdict == (SUPPORTED if pct >= 0.5 else NOT_SUPPORTED)


def test_surprising_votes_are_unlikely_under_the_model(prk_report):
    s = prk_report[0].section("predictability")
    votes = s.tables[1].frame
    assert 1 <= len(votes) <= 12
    assert (votes["probability"] < 0.5).all()
    assert (votes["vote"] != votes["expected_vote"]).all()
    assert votes["probability"].is_monotonic_increasing


def test_strategy_section_is_calibrated_on_the_latest_position(prk_report):
    rep = prk_report[0]
    s = rep.section("strategy")
    assert s.ok, s.reason
    h = rep.section("hedging")
    assert h.ok
    statics = s.tables[0].frame
    assert statics["guarantee"].tolist() == pytest.approx([i / 10 for i in range(11)])
    assert statics["provocation"].between(0, 1).all()
    assert "not a measurement" in " ".join(s.paragraphs)
