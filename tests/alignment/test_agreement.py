"""Dyadic measures: hand-computed values, symmetry, bounds, and the published BSV scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch.alignment import MEASURES, agreement_matrix, dyadic
from hedgewatch.errors import InsufficientDataError, ParameterError, UnknownCountryError

from .conftest import DATA, naive_scores


def _value(frame, a, b, period=None):
    rows = frame[(frame.country_a == a) & (frame.country_b == b)]
    if period is not None:
        rows = rows[rows.period == period]
    assert len(rows) == 1
    return rows.iloc[0]


# CHN vs USA on the 11 roll calls of SESSION46 where both voted:
# CHN yes & USA yes 2, CHN yes & USA abstain 5, CHN yes & USA no 2, CHN abstain & USA no 2.
HAND_CHN_USA = {
    "identical": 2 / 11,
    "agreement": (2 * 1 + 5 * 0.5 + 2 * 0 + 2 * 0.5) / 11,  # = 0.5
    "s-score": 0.0,
    "kappa": -6 / 93,  # p_o = 22/121, p_e = (9*2 + 2*5)/121 = 28/121
    "pi": -49 / 193,  # D_o = 1/2, D_e (pooled 11/22, 7/22, 4/22) = 193/484
    "hage-kappa": 4 / 64.5,  # D_e (own marginals) = 64.5/121
}


@pytest.mark.parametrize("measure", list(HAND_CHN_USA))
def test_hand_computed_chn_usa(s46, measure):
    out = dyadic(s46, "CHN", "USA", by="session", measure=measure)
    row = _value(out, "CHN", "USA", 46)
    assert row.n_votes == 11
    assert row.value == pytest.approx(HAND_CHN_USA[measure], abs=1e-12)
    assert row.note == ""


def test_hand_computed_prk_usa(s46):
    # PRK voted yes on all 9 shared roll calls; USA: yes 1, abstain 5, no 3.
    out = dyadic(s46, "PRK", ["USA"], by=None, measure="agreement")
    assert _value(out, "PRK", "USA").value == pytest.approx((1 + 5 * 0.5) / 9)
    assert _value(out, "PRK", "USA").n_votes == 9
    kappa = dyadic(s46, "PRK", "USA", by=None, measure="kappa")
    assert _value(kappa, "PRK", "USA").value == pytest.approx(0.0, abs=1e-12)


def test_no_variation_is_nan_with_reason(s46):
    # PRK and RUS both voted yes on every roll call in the first three rcids.
    few = s46[s46.rcid.isin([3587, 3588, 3589])]
    out = dyadic(few, "PRK", "RUS", by=None, measure="kappa")
    row = _value(out, "PRK", "RUS")
    assert np.isnan(row.value) and "chance agreement is 1" in row.note
    assert _value(dyadic(few, "PRK", "RUS", by=None), "PRK", "RUS").value == 1.0


def test_s_score_is_linear_in_agreement(prk_votes):
    a = dyadic(prk_votes, "PRK", ["CHN", "USA"], measure="agreement")
    s = dyadic(prk_votes, "PRK", ["CHN", "USA"], measure="s-score")
    np.testing.assert_allclose(s.value, 2 * a.value - 1, atol=1e-12)


def test_one_vs_many_layout(prk_votes):
    out = dyadic(prk_votes, "PRK", ["CHN", "RUS", "USA"])
    assert list(out.columns) == ["period", "country_a", "country_b", "value", "n_votes", "note"]
    assert list(dict.fromkeys(out.country_b)) == ["CHN", "RUS", "USA"]
    assert sorted(out.period.unique()) == list(range(1991, 2020))
    # PRK sides with China far more than with the USA in every year
    wide = out.pivot(index="period", columns="country_b", values="value")
    assert (wide.CHN > wide.USA + 0.4).all()


def test_matrix_matches_plain_pandas(session60):
    mat = agreement_matrix(session60, by="session")
    codes = session60.assign(c=session60.vote.map({"yes": 0, "abstain": 1, "no": 2}))
    pick = ["PRK", "CHN", "RUS", "USA", "ISR", "IND", "BRA"]
    sub = codes[codes.country.isin(pick)]
    merged = sub.merge(sub, on="rcid", suffixes=("_a", "_b"))
    merged["agree"] = 1 - (merged.c_a - merged.c_b).abs() / 2
    ref = merged.groupby(["country_a", "country_b"]).agree.mean().unstack()
    got = mat.matrix(60).loc[pick, pick]
    np.testing.assert_allclose(got.to_numpy(), ref.loc[pick, pick].to_numpy(), atol=1e-12)
    assert np.allclose(mat.values[0], mat.values[0].T, equal_nan=True)


def test_matrix_to_frame_and_dyadic_all_pairs(session60):
    mat = agreement_matrix(session60, ["PRK", "CHN", "USA"], by=None, measure="pi")
    frame = mat.to_frame()
    assert len(frame) == 3  # unordered pairs
    again = dyadic(session60, ["PRK", "CHN", "USA"], measure="pi", by=None)
    pd.testing.assert_frame_equal(frame, again)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["yes", "abstain", "no", None]), min_size=2, max_size=40),
    st.lists(st.sampled_from(["yes", "abstain", "no", None]), min_size=2, max_size=40),
    st.sampled_from(sorted(MEASURES)),
)
def test_symmetry_bounds_and_plain_formula(va, vb, measure):
    n = min(len(va), len(vb))
    rows = [("FRA", r, v) for r, v in enumerate(va[:n])] + [
        ("DEU", r, v) for r, v in enumerate(vb[:n])
    ]
    votes = pd.DataFrame(rows, columns=["country", "rcid", "vote"]).assign(year=2000)
    both = [r for r in range(n) if va[r] is not None and vb[r] is not None]
    if not both:
        with pytest.raises(InsufficientDataError):
            dyadic(votes, "FRA", "DEU", measure=measure)
        return
    ab = dyadic(votes, "FRA", "DEU", measure=measure).value.iloc[0]
    ba = dyadic(votes, "DEU", "FRA", measure=measure).value.iloc[0]
    code = {"yes": 0, "abstain": 1, "no": 2}
    ref = naive_scores(
        np.array([code[va[r]] for r in both]), np.array([code[vb[r]] for r in both])
    )[measure]
    assert np.isnan(ab) == np.isnan(ba) == np.isnan(ref)
    if not np.isnan(ab):
        assert ab == pytest.approx(ba, abs=1e-12)
        assert ab == pytest.approx(ref, abs=1e-12)
        low = 0.0 if measure in ("agreement", "identical") else -1.0
        # Häge's pi can fall below -1 when the two never agree; kappa cannot.
        if measure != "pi":
            assert low - 1e-12 <= ab <= 1 + 1e-12
        else:
            assert ab <= 1 + 1e-12


def test_voeten_codes_and_absences_are_not_votes():
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 2, 2, 3, 3],
            "country": ["A", "B"] * 3,
            "vote": [1, 3, 2, 8, 1, 9],
            "session": 1,
        }
    )
    out = dyadic(votes, "A", "B", by="session", measure="agreement")
    assert out.n_votes.iloc[0] == 1 and out.value.iloc[0] == 0.0


def test_drop_unanimous(session60):
    plain = dyadic(session60, "PRK", "CHN", by=None, measure="identical")
    dropped = dyadic(session60, "PRK", "CHN", by=None, measure="identical", drop_unanimous=True)
    unan = session60.groupby("rcid").vote.nunique().eq(1).sum()
    assert plain.n_votes.iloc[0] - dropped.n_votes.iloc[0] <= unan


def test_bsv_identical_share_session30_fixture():
    """The committed cut: BSV's XAgree for session 30 from Voeten's data for session 30."""
    v = pd.read_csv(DATA / "voeten_session30.csv.gz").assign(country=lambda d: d.ccode.astype(str))
    bsv = pd.read_csv(DATA / "bsv_agree_session30.csv")
    for col, partner in [("USAgree", "2"), ("RUSSAgree", "365"), ("ChinaAgree", "710")]:
        got = dyadic(v, None, partner, by="session", measure="identical", drop_unanimous=True)
        j = bsv.assign(country_a=bsv.ccode.astype(str)).merge(got, on="country_a")
        j = j.dropna(subset=[col])
        assert len(j) > 100
        assert (j[col] - j.value).abs().max() < 1e-6


@pytest.mark.slow
def test_bsv_agreement_columns_sessions_1_to_50(voeten_full):
    """Acceptance: mean |ours - BSV| <= 0.02 for USAgree, RUSSAgree, ChinaAgree."""
    path = DATA.parents[1].parent / ".." / "shared" / "data" / "validation"
    bsv = pd.read_csv(path / "bsv_idealpoints_sessions_1_50.csv")
    v = voeten_full[voeten_full.session <= 50]
    for col, partner in [("USAgree", "2"), ("RUSSAgree", "365"), ("ChinaAgree", "710")]:
        got = dyadic(v, None, partner, by="session", measure="identical", drop_unanimous=True)
        j = bsv.assign(country_a=bsv.ccode.astype(str), period=bsv.session).merge(
            got, on=["country_a", "period"]
        )
        j = j.dropna(subset=[col])
        mad = (j[col] - j.value).abs().mean()
        assert len(j) > 3500
        assert mad <= 0.02, (col, mad)
        assert mad < 1e-6  # in fact the convention reproduces BSV exactly
        # Voeten's dyadic agreement is a different quantity (abstain = half agreement)
        dy = dyadic(v, None, partner, by="session", measure="agreement", drop_unanimous=True)
        jd = j[["country_a", "period", col]].merge(dy, on=["country_a", "period"])
        assert (jd.value - jd[col]).mean() > 0.05


def test_errors(s46):
    with pytest.raises(UnknownCountryError, match="XQZ"):
        dyadic(s46, "XQZ", "USA")
    with pytest.raises(InsufficientDataError, match="KOR"):
        dyadic(s46, "PRK", "KOR")
    with pytest.raises(InsufficientDataError, match="no yes/abstain/no"):
        dyadic(s46.iloc[:0], "PRK", "USA")
    with pytest.raises(ParameterError, match="'measure' parameter of dyadic"):
        dyadic(s46, "PRK", "USA", measure="cosine")
    with pytest.raises(ParameterError, match="'by' parameter"):
        dyadic(s46, "PRK", "USA", by="month")


def test_never_covoted_pair_raises(s46):
    part = pd.concat(
        [
            s46[(s46.country == "PRK") & (s46.rcid < 3590)],
            s46[(s46.country == "USA") & (s46.rcid > 3593)],
        ]
    )
    with pytest.raises(InsufficientDataError, match="never voted"):
        dyadic(part, "PRK", "USA")


def test_bad_vote_value_reports_row(s46):
    bad = s46.copy()
    bad.loc[5, "vote"] = "maybe"
    with pytest.raises(Exception, match="line 6.*'maybe'"):
        dyadic(bad, "PRK", "USA")


def test_duplicate_votes_rejected(s46):
    dup = pd.concat([s46, s46.iloc[[0]]])
    with pytest.raises(Exception, match="votes twice"):
        dyadic(dup, "PRK", "USA")


@pytest.mark.slow
def test_bsv_agreement_from_bundled_record(session_store):
    """The bundled record (R unvotes source, ISO3 codes) reproduces BSV's columns too."""
    import hedgewatch as hw

    path = DATA.parents[1].parent / ".." / "shared" / "data" / "validation"
    if not path.exists():
        pytest.skip("../shared/data is not available")
    bsv = pd.read_csv(path / "bsv_idealpoints_sessions_1_50.csv")
    v = hw.votes(sessions=range(1, 51), store=session_store)
    for col, partner in [("USAgree", "USA"), ("RUSSAgree", "RUS"), ("ChinaAgree", "CHN")]:
        got = dyadic(v, None, partner, by="session", measure="identical", drop_unanimous=True)
        j = bsv.assign(country_a=bsv.iso3c, period=bsv.session).merge(
            got, on=["country_a", "period"]
        )
        j = j.dropna(subset=[col])
        assert len(j) > 3500
        assert (j[col] - j.value).abs().mean() <= 0.02


def test_single_country_without_partners_is_an_error(s46):
    with pytest.raises(ParameterError, match="at least two countries"):
        dyadic(s46, "PRK")


def test_unused_bad_category_is_ignored(s46):
    votes = s46.assign(vote=pd.Categorical(s46.vote, categories=["yes", "abstain", "no", "??"]))
    assert len(dyadic(votes, "PRK", "USA", by=None)) == 1


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7),  # roll call
            st.sampled_from(["FRA", "DEU", "ITA", "ESP"]),
            st.sampled_from(["yes", "abstain", "no", "absent"]),
            st.sampled_from([1990, 1991]),
        ),
        min_size=1,
        max_size=60,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.sampled_from(sorted(MEASURES)),
)
def test_matrix_agrees_with_pairs_and_is_symmetric(rows, measure):
    votes = pd.DataFrame(rows, columns=["rcid", "country", "vote", "year"])
    votes["year"] = votes.groupby("rcid")["year"].transform("first")  # one year per roll call
    if not votes.vote.isin(["yes", "abstain", "no"]).any():
        return
    mat = agreement_matrix(votes, by="year", measure=measure)
    assert np.array_equal(mat.n_votes, mat.n_votes.transpose(0, 2, 1))
    assert np.allclose(mat.values, mat.values.transpose(0, 2, 1), equal_nan=True)
    frame = mat.to_frame()
    assert (frame.n_votes > 0).all()
    code = {"yes": 0, "abstain": 1, "no": 2}
    for r in frame.itertuples():
        y = votes[(votes.year == r.period) & votes.vote.isin(list(code))]
        w = y.pivot(index="rcid", columns="country", values="vote").dropna(
            subset=[r.country_a, r.country_b]
        )
        a = w[r.country_a].map(code).to_numpy()
        b = w[r.country_b].map(code).to_numpy()
        assert len(a) == r.n_votes
        ref = naive_scores(a, b)[measure]
        assert (np.isnan(ref) and np.isnan(r.value)) or r.value == pytest.approx(ref, abs=1e-12)
