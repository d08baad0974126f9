"""Synchronisation: hand-computed counts, null models, parameters, the issue's example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hedgewatch.errors import InsufficientDataError, ParameterError
from hedgewatch.statements import synchronisation
from hedgewatch.statements.sync import (
    admissible_shifts,
    onset_matrix,
    onset_pairs,
    pair_counts,
    permutation_test,
    shift_null,
    shuffle_null,
)


def _row(days, T=30):
    m = np.zeros((1, T), dtype=bool)
    m[0, days] = True
    return m


def test_pair_counts_by_hand():
    A, B = _row([5, 20]), _row([7, 8, 24, 29])
    # pairs within 3 days: (5,7), (5,8); 20 has none (24 is 4 away)
    assert pair_counts(A, B, 3).tolist() == [2]
    assert pair_counts(A, B, 4).tolist() == [3]
    assert pair_counts(A, B, 0).tolist() == [0]
    p = onset_pairs(A, B, 3)
    assert p[["day_a", "day_b"]].values.tolist() == [[5, 7], [5, 8]]


def test_onsets_need_quiet_days_and_respect_censoring():
    M = _row([0, 1, 2, 10, 11, 25])
    assert np.flatnonzero(onset_matrix(M, 5)[0]).tolist() == [0, 10, 25]
    assert np.flatnonzero(onset_matrix(M, 5, censor=5)[0]).tolist() == [10, 25]
    assert np.flatnonzero(onset_matrix(M, 0)[0]).tolist() == [0, 1, 2, 10, 11, 25]


def test_shift_null_equals_brute_force_roll():
    rng = np.random.default_rng(1)
    A, B = rng.random((4, 70)) < 0.1, rng.random((4, 70)) < 0.1
    shifts = admissible_shifts(70, 3)
    assert shifts.tolist() == [7, 14, 21, 28, 35, 42, 49, 56, 63]
    N = shift_null(A, B, 3, shifts)
    for i, s in enumerate(shifts):
        Bs = np.roll(B, s, axis=1)
        # circular window: count pairs with circular distance <= 3
        d = np.abs(np.arange(70)[:, None] - np.arange(70)[None, :])
        close = np.minimum(d, 70 - d) <= 3
        brute = [(A[k][:, None] & Bs[k][None, :] & close).sum() for k in range(4)]
        assert N[i].tolist() == brute


def test_shuffle_null_keeps_volume_and_weekdays():
    rng = np.random.default_rng(2)
    A = np.ones((1, 28), dtype=bool)  # every day: counts = onsets of B x window coverage
    B = np.zeros((1, 28), dtype=bool)
    B[0, [0, 7, 14]] = True  # Mondays only
    N = shuffle_null(A, B, 0, 50, rng)
    assert (N == 3).all()  # with window 0 every B onset meets one A day
    Bw = np.zeros((1, 28), dtype=bool)
    Bw[0, [3, 10]] = True
    Aw = np.zeros((1, 28), dtype=bool)
    Aw[0, [3, 10, 17, 24]] = True  # same weekday as B
    assert (shuffle_null(Aw, Bw, 0, 50, rng) == 2).all()  # weekday preserved by blocks


@settings(max_examples=40, deadline=None)
@given(arrays(bool, (3, 40)), arrays(bool, (3, 40)), st.integers(0, 5))
def test_pair_counts_symmetric_and_bounded(A, B, w):
    ab, ba = pair_counts(A, B, w), pair_counts(B, A, w)
    assert (ab == ba).all()
    assert (ab <= A.sum(axis=1) * np.minimum(B.sum(axis=1), 2 * w + 1)).all()


@settings(max_examples=20, deadline=None)
@given(arrays(bool, (3, 60)), arrays(bool, (3, 60)), st.sampled_from(["shift", "shuffle"]))
def test_p_values_in_bounds(A, B, null):
    r = permutation_test(A, B, 3, null=null, n_perm=99, seed=0)
    assert ((r["p_value"] > 0) & (r["p_value"] <= 1)).all()
    assert 0 < r["total_p_value"] <= 1


def _toy():
    """The op-ed's case plus background: RUS 2015-06-11, PRK 2015-06-12 on biolabs."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2015-01-01", "2015-12-31")
    rows = []
    fill = {
        "RUS": "Министр провел переговоры о торговле и культуре.",
        "PRK": "A meeting on farming and culture was held.",
    }
    for actor in ("RUS", "PRK"):
        for d in days[rng.random(len(days)) < 0.8]:
            rows.append((actor, d, fill[actor]))
    bio = {
        "RUS": "МИД России: биологическое оружие и лаборатории США в Грузии.",
        "PRK": "KCNA slams US biological weapons shipment to South Korea.",
    }
    for ra, pa in [
        ("2015-03-02", "2015-03-04"),
        ("2015-06-11", "2015-06-12"),
        ("2015-09-14", "2015-09-13"),
    ]:
        rows += [("RUS", pd.Timestamp(ra), bio["RUS"]), ("PRK", pd.Timestamp(pa), bio["PRK"])]
    df = pd.DataFrame(rows, columns=["actor", "date", "text"])
    df["title"] = None
    df["language"] = np.where(df["actor"] == "RUS", "ru", "en")
    df["detected_language"] = df["language"]
    df["statement_id"] = [f"s{i}" for i in range(len(df))]
    return df


def test_issue_example_event_found_across_languages():
    r = synchronisation(_toy(), ["RUS", "PRK"], window="3d", n_perm=999, seed=0)
    assert r.method == "concepts"
    ev = r.events[r.events["label"].str.startswith("biological weapons")]
    got = set(
        zip(ev["date_a"].dt.strftime("%Y-%m-%d"), ev["date_b"].dt.strftime("%Y-%m-%d"), strict=True)
    )
    assert got == {
        ("2015-03-02", "2015-03-04"),
        ("2015-06-11", "2015-06-12"),
        ("2015-09-14", "2015-09-13"),
    }
    s = r.summary.set_index("label").loc["biological weapons / US military laboratories"]
    assert s["observed"] == 3 and s["expected"] < 0.5 and s["p_value"] < 0.01
    assert sorted(ev["lag_days"].tolist()) == [-1, 1, 2]
    assert "RUS 2015-06-11, PRK 2015-06-12: 'biological weapons / US military laboratories'" in (
        r.describe_events(n=10, max_q=1.0)
    )


def test_parameter_and_data_errors():
    df = _toy()
    with pytest.raises(ParameterError, match="'null' parameter of synchronisation"):
        synchronisation(df, ["RUS", "PRK"], null="bootstrap")
    with pytest.raises(ParameterError, match="'block'"):
        synchronisation(df, ["RUS", "PRK"], block="10d")
    with pytest.raises(ParameterError, match="'countries' parameter of synchronisation"):
        synchronisation(df, ["RUS", "RUS"])
    with pytest.raises(InsufficientDataError, match="No statements for CHN"):
        synchronisation(df, ["RUS", "CHN"])
    with pytest.raises(
        ParameterError,
        match=r"'statements' parameter of synchronisation\(\) must be a DataFrame with columns actor, date and text",
    ):
        synchronisation(df.drop(columns=["text", "title"]), ["RUS", "PRK"])
    minimal = df[["actor", "date", "text", "language"]].assign(date=df["date"].astype(str))
    r = synchronisation(minimal, ["RUS", "PRK"], n_perm=99)
    assert r.method == "concepts" and len(r.events) >= 3
    with pytest.raises(InsufficientDataError, match="two weeks"):
        synchronisation(df, ["RUS", "PRK"], start="2015-06-01", end="2015-06-05")
