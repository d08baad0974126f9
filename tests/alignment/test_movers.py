"""Movers: planted shifts found with their size, period, direction, stability and group;
the batched segmentation against ruptures' PELT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import ruptures

from hedgewatch.alignment import movers
from hedgewatch.alignment._pivots import _detect, penalty_value
from hedgewatch.alignment._segmentation import bic_penalties, segment
from hedgewatch.errors import ParameterError


def _planted(seed=0) -> pd.DataFrame:
    """30 years of 12 states: four jump toward A in 2005, two toward B in 2012, six stay."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(12):
        level = rng.uniform(-0.5, 0.5)
        for year in range(1990, 2020):
            pos = level
            if k < 4 and year >= 2005:
                pos -= 0.4 + 0.05 * k
            if k in (4, 5) and year >= 2012:
                pos += 0.3
            rows.append((year, f"S{k:02d}", 80, pos + rng.normal(0, 0.03)))
    f = pd.DataFrame(rows, columns=["period", "country", "n_votes", "position"])
    return f.assign(agree_AAA=0.5, agree_BBB=0.5)


def test_planted_shifts_are_found():
    out = movers(_planted(), top=None)
    assert set(out["country"]) == {f"S{k:02d}" for k in range(6)}
    a = out[out["direction"] == "toward AAA"].set_index("country")
    assert set(a.index) == {"S00", "S01", "S02", "S03"}
    assert (a["period"] == 2005).all() and (a["stability"] >= 0.9).all()
    for k in range(4):
        assert a.loc[f"S{k:02d}", "size"] == pytest.approx(-(0.4 + 0.05 * k), abs=0.04)
    b = out[out["direction"] == "toward BBB"]
    assert set(b["country"]) == {"S04", "S05"} and (b["period"] == 2012).all()
    # one group per planted event
    assert a["group"].nunique() == 1 and b["group"].nunique() == 1
    assert a["group"].iloc[0] != b["group"].iloc[0]
    assert list(out["size"].abs()) == sorted(out["size"].abs(), reverse=True)


def test_a_shift_after_a_hole_is_dated_to_the_hole():
    """No votes 2022-2024 (as in the bundled record): a jump first seen in 2025 may have
    happened any time from 2022; consecutive years keep earliest == period."""
    f = _planted()
    rows = []
    rng = np.random.default_rng(1)
    for year in [*range(2000, 2022), *range(2025, 2031)]:
        rows.append((year, "GAP", 80, (0.5 if year >= 2025 else -0.2) + rng.normal(0, 0.02)))
    f = pd.concat(
        [f, pd.DataFrame(rows, columns=["period", "country", "n_votes", "position"])],
        ignore_index=True,
    ).assign(agree_AAA=0.5, agree_BBB=0.5)
    out = movers(f, top=None).set_index("country")
    assert out.loc["GAP", "period"] == 2025 and out.loc["GAP", "earliest"] == 2022
    assert out.loc["GAP", "direction"] == "toward BBB"
    assert (out.drop(index="GAP")["earliest"] == out.drop(index="GAP")["period"]).all()


def test_window_direction_and_top():
    f = _planted()
    assert set(movers(f, period=2012)["country"]) == {"S04", "S05"}
    # no shift was planted before 2005: what noise produces there is small
    early = movers(f, period=(1990, 2000), top=None)
    assert (early["size"].abs() < 0.1).all() and not early["country"].isin(["S01", "S02"]).any()
    toward_a = movers(f, toward="AAA", top=2)
    assert len(toward_a) == 2 and (toward_a["size"] < 0).all()
    assert list(toward_a["country"]) == ["S03", "S02"]  # the largest planted jumps


def test_real_atlas_movers(world40):
    from hedgewatch.alignment import atlas

    out = movers(atlas(world40, powers=("CHN", "USA"), n_boot=0), period=(2010, 2019))
    assert len(out) > 0 and (out["stability"] >= 0.5).all()
    assert out["period"].between(2010, 2019).all()
    assert set(out["direction"]) <= {"toward CHN", "toward USA"}


def test_bad_parameters():
    f = _planted()
    with pytest.raises(ParameterError, match=r"'toward' parameter of movers\(\)"):
        movers(f, toward="USA")
    with pytest.raises(ParameterError, match="'column'"):
        movers(f, column="nothing")
    with pytest.raises(ParameterError, match="'atlas'"):
        movers(f.drop(columns="n_votes"))


def test_segmentation_matches_ruptures():
    # Optimal partitioning solves PELT's problem exactly; ruptures' pruning with
    # min_size > 1 is not always exact, so where they differ ours must cost no more.
    rng = np.random.default_rng(3)
    n, t = 120, 40
    lengths = rng.integers(4, t + 1, n)
    y = np.full((n, t), np.nan)
    for i in range(n):
        k = lengths[i]
        y[i, :k] = np.repeat(rng.normal(0, 0.5, 4), -(-k // 4))[:k] + rng.normal(0, 0.1, k)
    pens = bic_penalties(y, lengths)
    ours = segment(y, lengths, pens, 3)

    def cost(v, br, pen):
        e = [0, *br, len(v)]
        return sum(
            ((v[a:b] - v[a:b].mean()) ** 2).sum() for a, b in zip(e[:-1], e[1:], strict=True)
        ) + pen * len(br)

    same = 0
    for i in range(n):
        v = y[i, : lengths[i]]
        pen = penalty_value(v, "bic")
        assert pen == pytest.approx(pens[i])
        algo = ruptures.Pelt(model="l2", min_size=3, jump=1).fit(v.reshape(-1, 1))
        theirs = [b for b in algo.predict(pen=pen) if b < len(v)]
        assert _detect(v, pen, 3) == ours[i]  # pivots() and movers() share the kernel
        same += theirs == ours[i]
        assert cost(v, ours[i], pen) <= cost(v, theirs, pen) + 1e-9
    assert same >= 0.95 * n
