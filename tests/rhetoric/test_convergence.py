"""Convergence: bootstrap intervals, determinism, trend and change points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.rhetoric import convergence, convergence_trend, similarity


def test_series_matches_similarity_and_intervals_cover(extract):
    c = convergence(extract, "PRK", "RUS", n_boot=100)
    assert list(c["year"]) == [2017, 2021, 2023]
    s = similarity(extract, countries=["PRK", "RUS"])
    ref = s[s["country_a"] == "PRK"].set_index("year")["similarity"]
    np.testing.assert_allclose(c.set_index("year")["similarity"], ref, rtol=1e-6)
    assert (c["lower"] < c["similarity"]).all() and (c["similarity"] < c["upper"]).all()
    assert (c["upper"] - c["lower"] < 0.2).all()
    assert (c["n_paragraphs_a"] > 5).all()
    assert convergence_trend(c).slope_per_decade is not None
    # plain frames: they concatenate and print
    both = pd.concat([c, convergence(extract, "PRK", "CHN", n_boot=20)])
    assert len(both) == 2 * len(c) and "PRK" in both.to_string()


def test_seeded_bootstrap_is_reproducible(extract):
    a = convergence(extract, "PRK", "CHN", n_boot=50, seed=3)
    b = convergence(extract, "PRK", "CHN", n_boot=50, seed=3)
    c = convergence(extract, "PRK", "CHN", n_boot=50, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["lower"], c["lower"])


def test_many_equals_pairs_run_alone(extract):
    from hedgewatch.rhetoric._convergence import convergence_many
    from hedgewatch.rhetoric._similarity import clear_cache

    many = convergence_many(extract, "PRK", ["RUS", "CHN"], n_boot=30, seed=5)
    assert list(many) == ["RUS", "CHN"]
    clear_cache()  # recomputed from scratch: the cache changes nothing either
    for b in ("RUS", "CHN"):
        pd.testing.assert_frame_equal(many[b], convergence(extract, "PRK", b, n_boot=30, seed=5))
    with pytest.raises(ParameterError, match="'powers' parameter of convergence_many"):
        convergence_many(extract, "PRK", ["RUS", "PRK"])


def test_uncached_pass_keeps_vectors_and_terms(extract):
    from hedgewatch.rhetoric._convergence import convergence_many
    from hedgewatch.rhetoric._similarity import clear_cache, year_terms, year_vectors

    clear_cache()
    many = convergence_many(extract, "PRK", ["RUS"], n_boot=10, cache=False)
    year = int(many["RUS"]["year"].iloc[-1])
    yt = year_terms(extract, year)
    yv = year_vectors(extract, year)
    assert (yt.vectors != yv.units.vectors).nnz == 0
    assert list(yt.terms) == list(yv.units.terms) and yt.row("RUS") == yv.row("RUS")


def test_no_bootstrap_gives_nan_interval(extract):
    c = convergence(extract, "USA", "GBR", n_boot=0, start=2021)
    assert list(c["year"]) == [2021, 2023]
    assert c["lower"].isna().all() and not c.attrs


def test_errors(extract):
    with pytest.raises(InsufficientDataError, match="never both spoke"):
        convergence(extract, "PRK", "RUS", start=2024)
    with pytest.raises(ParameterError, match="'n_boot' parameter of convergence"):
        convergence(extract, "PRK", "RUS", n_boot=-1)
    with pytest.raises(ParameterError, match="'country_b' parameter of convergence"):
        convergence(extract, "PRK", "North Korea")


def test_trend_of_a_line_is_exact():
    years = np.arange(2000, 2012)
    line = 0.1 + 0.002 * (years - 2000)
    tr = convergence_trend(pd.DataFrame({"year": years, "similarity": line}))
    assert tr.slope_per_decade == pytest.approx(0.02)
    assert tr.slope_lower == pytest.approx(0.02) and tr.slope_upper == pytest.approx(0.02)
    assert tr.kendall_tau == pytest.approx(1.0)
    np.testing.assert_allclose(tr.to_frame()["trend"], line)


def test_no_change_point_in_noise():
    rng = np.random.default_rng(1)
    years = np.arange(1992, 2025)
    y = 0.12 + rng.normal(0, 0.01, len(years))
    assert convergence_trend(pd.DataFrame({"year": years, "similarity": y})).change_points == ()
    # a known sampling noise larger than the step hides it
    y2 = np.where(years < 2010, 0.10, 0.11) + rng.normal(0, 0.001, len(years))
    df = pd.DataFrame({"year": years, "similarity": y2})
    assert convergence_trend(df).change_points == (2010,)
    assert convergence_trend(df, noise=0.05).change_points == ()


def test_change_point_found_at_a_step():
    rng = np.random.default_rng(0)
    years = np.arange(1992, 2025)
    y = np.where(years < 2014, 0.10, 0.16) + rng.normal(0, 0.005, len(years))
    tr = convergence_trend(pd.DataFrame({"year": years, "similarity": y}))
    assert tr.change_points == (2014,)
    seg = tr.to_frame()
    assert seg.loc[seg["year"] >= 2014, "segment_mean"].iloc[0] == pytest.approx(0.16, abs=0.005)


def test_trend_needs_three_years():
    with pytest.raises(InsufficientDataError, match="at least 3 years"):
        convergence_trend(pd.DataFrame({"year": [2000, 2001], "similarity": [0.1, 0.2]}))


def test_convergence_pairs_in_parts_equals_one_pass():
    """Carrying the generators across spans of years gives the figures of one pass (the
    report computes long series a few years of speeches at a time)."""
    from pathlib import Path

    import numpy as np
    import pandas as pd

    from hedgewatch.rhetoric import convergence, convergence_pairs

    sp = pd.read_parquet(
        Path(__file__).parents[1] / "data" / "report" / "speeches_2015_2019_40states.parquet"
    )
    pairs = [("PRK", "RUS"), ("PRK", "CHN"), ("RUS", "CHN")]
    whole = convergence_pairs(sp, pairs, n_boot=30)
    rngs = {p: np.random.default_rng(0) for p in pairs}
    early = convergence_pairs(sp[sp["year"] <= 2016], pairs, n_boot=30, rngs=rngs)
    late = convergence_pairs(sp[sp["year"] > 2016], pairs, n_boot=30, rngs=rngs)
    for p in pairs:
        parts = pd.concat([early[p], late[p]], ignore_index=True)
        pd.testing.assert_frame_equal(parts, whole[p])
        pd.testing.assert_frame_equal(whole[p], convergence(sp, *p, n_boot=30))


def test_one_product_for_all_pairs_equals_each_pair_resampled_alone(extract):
    # The year's replicates of every pair come from one sparse product; each pair's draws
    # and figures must be those of resampling its two speeches on their own, bit for bit.
    from hedgewatch.rhetoric._convergence import _year_row, _year_rows
    from hedgewatch.rhetoric._similarity import year_vectors

    year = int(extract["year"].max())
    yv = year_vectors(extract, year)
    pairs = [("PRK", "RUS"), ("PRK", "CHN"), ("CUB", "VEN")]
    together = _year_rows(
        yv, pairs, 40, 0.9, {p: np.random.default_rng(i) for i, p in enumerate(pairs)}
    )
    alone = [_year_row(yv, *p, 40, 0.9, np.random.default_rng(i)) for i, p in enumerate(pairs)]
    assert together == alone
    assert all(row[4] < row[3] < row[5] for row in together)
