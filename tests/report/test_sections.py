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


def test_predictability_measures_match_the_rankings(prk_report):
    """The claim reads the out-of-sample ranking; the in-sample one is shown beside it."""
    rep = prk_report[0]
    s = rep.section("predictability")
    assert s.ok, s.reason
    assert [f.key for f in s.figures] == ["predictability", "calibration"]
    ranking = s.tables[0].frame
    n = len(ranking)
    me = ranking[ranking["country"] == "PRK"].iloc[0]
    ms = rep.measurements()
    for d in (1, 2):
        assert ms[f"forecast_percentile_{d}d"].value == pytest.approx(
            (me[f"rank oos {d}-D"] - 1) / (n - 1)
        )
        assert ms[f"predictability_percentile_{d}d"].value == pytest.approx(
            (me[f"rank ins {d}-D"] - 1) / (n - 1)
        )
        lower = (ranking[f"skill {d}-D"] < me[f"skill {d}-D"]).sum()
        assert ms[f"forecast_skill_percentile_{d}d"].value == pytest.approx(lower / (n - 1))
        assert ms[f"forecast_skill_{d}d"].value == pytest.approx(me[f"skill {d}-D"], abs=1e-3)
    # rank 1 = least predictable: out-of-sample log-loss decreases down the ranking
    assert ranking["oos ll 1-D"].is_monotonic_decreasing
    chosen = next(
        d for d in (1, 2) if ms["forecast_skill"].value == ms[f"forecast_skill_{d}d"].value
    )
    pct = ms["forecast_skill_percentile"].value
    assert pct == ms[f"forecast_skill_percentile_{chosen}d"].value
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


def test_rhetoric_measurements_follow_the_yearly_similarity(prk_report):
    rep = prk_report[0]
    s = rep.section("rhetoric")
    assert s.ok, s.reason
    yearly = s.tables[0].frame
    assert yearly["year"].tolist() == [2016, 2017, 2018, 2019]  # rhetoric_from = 2016
    assert (
        (yearly["sim_RUS_lo"] <= yearly["sim_RUS"]) & (yearly["sim_RUS"] <= yearly["sim_RUS_hi"])
    ).all()
    m = rep.measurements()
    recent = yearly[yearly["year"] >= 2012]
    expected = recent["sim_RUS"].mean() - recent["sim_CHN"].mean()
    assert m["speech_B_minus_other"].value == pytest.approx(expected, abs=2e-4)  # rounded table
    assert not m["speech_convergence_B"].measured  # no speech before 2012 loaded
    claim = rep.claims.set_index("id").loc["rhetoric_russia"]
    if expected <= 0:
        assert claim["verdict"] == "not supported"
    else:
        assert claim["verdict"] == "not measurable with loaded data"


def test_speech_markup_reaches_the_report_as_text(prk_report, malicious_speech):
    rep = prk_report[0]
    examples = " ".join(
        " ".join(t.frame.astype(str).to_numpy().ravel()) for t in rep.section("rhetoric").tables[1:]
    )
    assert "<script>alert(1)</script>" in examples  # the hostile sentence was quoted
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rep.html
    assert "<script" not in rep.html and "<img" not in rep.html


def test_pivot_measures_on_a_constructed_step(store):
    """Agreement with RUS steps from 0.6 to 0.8 in 2012 while CHN stays at 0.9: the pivot
    toward B is +0.2 in 2012 and China's lead shrinks by 0.2 (0.3 -> 0.1)."""
    import numpy as np
    import pandas as pd

    from hedgewatch.report.sections._context import Context
    from hedgewatch.report.sections.alignment import _pivot_measures, _pivots

    years = np.arange(1991, 2021)
    wiggle = np.where(years % 2 == 0, 0.004, -0.004)
    h = pd.DataFrame(
        {
            "period": years,
            "agree_CHN": 0.9 + wiggle,
            "agree_RUS": np.where(years >= 2012, 0.8, 0.6) + wiggle,
        }
    )
    ctx = Context("PRK", ("CHN", "RUS"), store, pd.DataFrame())
    found = _pivots(h, "agree_RUS")
    m = {x.key: x.value for x in _pivot_measures(ctx, h, found, "RUS")}
    assert m["pivot_B_year"] == 2012
    assert m["pivot_B_size"] == pytest.approx(0.2, abs=1e-3)
    assert m["pivot_B_gap_change"] == pytest.approx(-0.2, abs=1e-3)
    flat = {x.key: x.value for x in _pivot_measures(ctx, h, _pivots(h, "agree_CHN"), "CHN")}
    assert flat == {"pivot_A_size": 0.0}  # no change point: size 0, nothing else claimed


def test_percentile_among_all_states_without_peers():
    import pandas as pd

    from hedgewatch.report.sections.predictability import _percentile

    rank = pd.DataFrame(
        {
            "country": ["A", "VNM", "B", "C", "D"],
            "rank_all": [1, 2, 3, 4, 5],
            "rank_peers": [pd.NA, 1, 2, pd.NA, pd.NA],
            "is_target": [False, True, False, False, False],
        }
    )
    assert _percentile(rank, among_peers=False) == 0.25  # 1 of 4 others
    assert _percentile(rank, among_peers=True) == 0.0  # below its one peer


def test_hedging_section_reports_side_taking(prk_report, store):
    # The figure (64% of 160, 2012-2019) is checked on its cut in
    # tests/alignment/test_side_taking.py; the report states the same measure on every year
    # it holds since 2012 (2012-2021 and 2025 in the bundled record: 229 votes, 58% / 31%).
    import hedgewatch as hw

    rep = prk_report[0]
    m = rep.measurements()
    v = hw.votes(["PRK", "CHN", "RUS"], start=2012, store=store)
    want = hw.side_taking(v, ("CHN", "RUS"), countries="PRK", by=None).iloc[0]
    assert m["n_divided"].value == want["n_divided"] > 160
    assert m["side_A"].value == pytest.approx(want["side_CHN"])
    assert m["side_B"].value == pytest.approx(want["side_RUS"])
    assert m["side_A"].lo < m["side_A"].value < m["side_A"].hi
    assert "2012-2021, 2025" in m["side_A"].label
    text = " ".join(rep.section("hedging").paragraphs)
    n, share = int(want["n_divided"]), f"{want['side_CHN']:.0%}"
    assert f"on the {n} votes that divided China and Russia" in text and share in text


def test_pivot_measures_across_a_hole(store):
    """No votes 2022-2024: a step first seen in 2025 is dated 2022-2025, and the gap change
    averages only years with votes (2017-2021 before, 2025-2028 after)."""
    import numpy as np
    import pandas as pd

    from hedgewatch.report.sections._context import Context
    from hedgewatch.report.sections.alignment import _dated, _pivot_measures, _pivots

    years = np.array([*range(1995, 2022), *range(2025, 2029)])
    wiggle = np.where(years % 2 == 0, 0.004, -0.004)
    h = pd.DataFrame(
        {
            "period": years,
            "agree_CHN": 0.9 + wiggle,
            "agree_RUS": np.where(years >= 2025, 0.8, 0.6) + wiggle,
        }
    )
    ctx = Context("PRK", ("CHN", "RUS"), store, pd.DataFrame())
    found = _pivots(h, "agree_RUS")
    assert _dated(found) == ["2022-2025"]
    ms = {x.key: x for x in _pivot_measures(ctx, h, found, "RUS")}
    assert ms["pivot_B_year"].value == 2025 and "2022-2025" in ms["pivot_B_year"].label
    assert ms["pivot_B_gap_change"].value == pytest.approx(-0.2, abs=1e-3)
    assert "(4 and 5 years)" in ms["pivot_B_gap_change"].label


def test_council_section_shows_the_2022_veto(prk_report):
    rep, _, _ = prk_report
    sec = rep.section("council")
    assert sec.ok, sec.reason
    m = rep.measurements()
    assert m["shield_A_vetoes"].value >= 1 and m["shield_B_vetoes"].value >= 1
    assert 0 <= m["shield_A_share"].value <= 1 and m["council_texts"].value >= 18
    texts = sec.tables[2].frame.set_index("symbol")
    assert texts.loc["S/2022/431", "CHN"] == "vetoed" and texts.loc["S/2022/431", "RUS"] == "vetoed"
    assert texts.loc["S/RES/2397(2017)", "CHN"] == "voted for"
    assert "cannot show" in " ".join(sec.paragraphs)
    claim = rep.claims.set_index("id").loc["moral_hazard"]
    assert "shield_A_share" in claim["value"]


def test_header_states_coverage_and_how_to_fill_it(prk_report):
    rep, _, _ = prk_report
    head = rep.html.split("</header>")[0]
    assert 'id="coverage"' in head and "1946-1963, 1965-2021, 2025; missing 2022-2024" in head
    assert "hedgewatch data update" in head and "hedgewatch data import FILE" in head


def test_vote_sections_show_2020_2021_and_2025(prk_report):
    rep, _, _ = prk_report
    h = rep.section("hedging")
    assert "2012-2021, 2025; no votes loaded for 2022-2024" in " ".join(h.paragraphs)
    ideal = rep.section("idealpoints").tables[0].frame
    assert {2021, 2025} <= set(ideal["year"]) and 80 in set(ideal["session"])
    assert "In 2025" in rep.section("alignment").paragraphs[0]


def test_after_hole_note():
    import pandas as pd

    from hedgewatch.report.sections.alignment import _after_hole_note

    h = pd.DataFrame({"period": [2019, 2020, 2021, 2025]})
    (note,) = _after_hole_note(h)
    assert "1 year(s) after the gap" in note and "(2025)" in note
    assert _after_hole_note(pd.DataFrame({"period": [2019, 2020, 2021]})) == ()
    assert _after_hole_note(pd.DataFrame({"period": [2015, 2016, 2020, 2021, 2022]})) == ()
