"""DynamicIdealPoints: recovery of simulated positions, agreement with BSV, degenerate input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch._base import clone
from hedgewatch.errors import (
    ConvergenceWarning,
    DataFormatError,
    InsufficientDataError,
    ParameterError,
)
from hedgewatch.idealpoints import DynamicIdealPoints, IdealPointResult

from .conftest import simulate


@pytest.fixture(scope="module")
def sim():
    votes, truth = simulate()
    return votes, truth, DynamicIdealPoints(drift=0.05).fit(votes)


def test_recovers_simulated_positions_with_anchor_positive(sim):
    votes, truth, res = sim
    m = res.to_frame().merge(truth, on=["country", "session"])
    assert len(m) == len(truth)
    assert np.corrcoef(m["ideal_point"], m["theta"])[0, 1] > 0.9
    assert m.loc[m["country"] == "USA", "ideal_point"].mean() > 0
    assert res.info["converged"]


def test_intervals_are_finite_ordered_and_mostly_cover_truth(sim):
    votes, truth, res = sim
    f = res.to_frame()
    assert np.isfinite(f[["ideal_point", "lower", "upper", "se"]].to_numpy()).all()
    assert (f["lower"] < f["ideal_point"]).all() and (f["ideal_point"] < f["upper"]).all()
    # The scale is only identified up to the priors: compare after a linear fit.
    m = f.merge(truth, on=["country", "session"])
    slope, icpt = np.polyfit(m["theta"], m["ideal_point"], 1)
    pred = slope * m["theta"] + icpt
    cover = ((m["lower"] <= pred) & (pred <= m["upper"])).mean()
    assert cover > 0.6


def test_fit_is_deterministic(sim):
    votes, _, res = sim
    again = DynamicIdealPoints(drift=0.05).fit(votes)
    pd.testing.assert_frame_equal(res.to_frame(), again.to_frame())


def test_log_posterior_never_decreases():
    votes, _ = simulate(n_states=25, n_sessions=3, n_rc=15, seed=3)
    seen: list[float] = []
    DynamicIdealPoints(tol=1e-10, max_iter=15).fit(votes, callback=lambda i, lp: seen.append(lp))
    assert len(seen) >= 3
    assert np.all(np.diff(seen) >= -1e-8 * np.abs(seen[:-1]))


def test_agrees_with_bsv_on_real_sessions_44_50(real_fit, bsv):
    m = real_fit.to_frame().merge(
        bsv, left_on=["country", "session"], right_on=["iso3c", "session"]
    )
    assert len(m) > 1100
    assert (m["n_votes"] == m["NVotesAll"]).mean() > 0.99  # same votes as BSV counted
    assert np.corrcoef(m["ideal_point"], m["IdealPointAll"])[0, 1] > 0.98
    usa = m[m["country"] == "USA"]["ideal_point"]
    prk = m[m["country"] == "PRK"]["ideal_point"]
    assert usa.min() > 1.0 > -1.0 > prk.max()


def test_roundtrip_through_one_table(real_fit):
    back = IdealPointResult.from_table(real_fit.to_table())
    pd.testing.assert_frame_equal(back.to_frame(), real_fit.to_frame())
    pd.testing.assert_frame_equal(back.items, real_fit.items, check_dtype=False)
    assert back.info["n_iter"] == real_fit.info["n_iter"]


def test_roundtrip_without_intervals():
    votes, _ = simulate(n_states=10, n_sessions=2, n_rc=8, seed=9)
    res = DynamicIdealPoints(uncertainty="none").fit(votes)
    back = IdealPointResult.from_table(res.to_table())
    assert back.to_frame()["se"].isna().all()
    pd.testing.assert_frame_equal(back.to_frame(), res.to_frame())


def test_to_frame_has_the_contract_columns(real_fit):
    cols = list(real_fit.to_frame().columns)
    assert cols[:7] == ["country", "session", "year", "ideal_point", "lower", "upper", "n_votes"]


def test_two_dimensions():
    votes, truth = simulate(n_states=30, n_sessions=3, n_rc=25, seed=5, n_dims=2)
    res = DynamicIdealPoints(n_dims=2).fit(votes)
    f = res.to_frame()
    for c in ("ideal_point_2", "lower_2", "upper_2", "se_2"):
        assert c in f and np.isfinite(f[c]).all()
    assert {"discrimination", "discrimination_2"} <= set(res.items.columns)
    probs = res.vote_probabilities(votes)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_degenerate_input_is_explained_not_nan():
    votes, _ = simulate(n_states=20, n_sessions=3, n_rc=12, seed=7)
    lone = pd.DataFrame([(1, 1, 1990, "LON", "yes")], columns=votes.columns)  # one vote
    unanimous = pd.DataFrame(
        [(999, 2, 1991, c, "yes") for c in votes["country"].unique()], columns=votes.columns
    )
    res = DynamicIdealPoints().fit(pd.concat([votes, lone, unanimous], ignore_index=True))
    f = res.to_frame()
    row = f[f["country"] == "LON"].iloc[0]
    assert np.isfinite(row["ideal_point"]) and row["n_votes"] == 1
    assert row["se"] > f[f["country"] != "LON"]["se"].median() * 2  # wide: one vote says little
    assert 999 not in set(res.items["rcid"])
    notes = " ".join(res.info["notes"])
    assert "1 roll call(s) dropped" in notes
    assert "no roll call bridged" in notes  # no bridges were given
    assert np.isfinite(f[["ideal_point", "lower", "upper"]].to_numpy()).all()


def test_bridged_roll_calls_share_parameters():
    votes, _ = simulate(n_states=20, n_sessions=3, n_rc=10, seed=11)
    res = DynamicIdealPoints().fit(votes, pd.DataFrame({"rcid1": [1, 11], "rcid2": [11, 21]}))
    it = res.items.set_index("rcid")
    assert it.loc[1, "item"] == it.loc[11, "item"] == it.loc[21, "item"]
    assert it.loc[1, "cut_1"] == it.loc[21, "cut_1"]
    assert "no roll call bridged" not in " ".join(res.info["notes"])


def test_bad_votes_raise_one_clear_error():
    good = pd.DataFrame(
        {"rcid": [1, 1], "session": [1, 1], "country": ["A", "B"], "vote": ["yes", "no"]}
    )
    with pytest.raises(DataFormatError, match="missing column 'vote'"):
        DynamicIdealPoints().fit(good.drop(columns="vote"))
    bad = good.assign(vote=["yes", "maybe"])
    with pytest.raises(DataFormatError, match=r"line 2, column 'vote'.*'maybe'"):
        DynamicIdealPoints().fit(bad)
    dup = pd.concat([good, good.iloc[:1]], ignore_index=True)
    with pytest.raises(DataFormatError, match="second vote of A"):
        DynamicIdealPoints().fit(dup)
    with pytest.raises(InsufficientDataError):
        DynamicIdealPoints().fit(good.iloc[:0])


@pytest.mark.parametrize(
    ("param", "value", "msg"),
    [("n_dims", 3, "1 or 2"), ("drift", -1.0, "positive"), ("uncertainty", "mcmc", "laplace")],
)
def test_bad_parameters(param, value, msg):
    votes, _ = simulate(n_states=5, n_sessions=1, n_rc=3)
    with pytest.raises(
        ParameterError,
        match=rf"The '{param}' parameter of "
        rf"DynamicIdealPoints\(\) must be .*{msg}",
    ):
        DynamicIdealPoints(**{param: value}).fit(votes)


def test_bootstrap_intervals_are_seeded():
    votes, _ = simulate(n_states=15, n_sessions=2, n_rc=12, seed=2)
    a = DynamicIdealPoints(uncertainty="bootstrap", n_boot=4, seed=1).fit(votes).to_frame()
    b = DynamicIdealPoints(uncertainty="bootstrap", n_boot=4, seed=1).fit(votes).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert (a["se"] > 0).all()


def test_numba_and_numpy_passes_agree(real_votes, real_bridges):
    pytest.importorskip("numba")
    from hedgewatch.idealpoints import _kernels
    from hedgewatch.idealpoints._design import build_design
    from hedgewatch.idealpoints._fit import Priors, _Model, initial_state

    dz = build_design(real_votes[real_votes["session"] == 48], real_bridges)
    model = _Model(dz, Priors(), 1)
    st = initial_state(dz, 1)
    st.beta[:] = np.random.default_rng(0).normal(size=st.beta.shape)
    a = _kernels._evaluate_numba(model, st.theta, st.beta, st.cuts)
    b = _kernels._evaluate_numpy(model, st.theta, st.beta, st.cuts)
    # Log-likelihoods agree to 1e-9; Newton terms to 1e-5 (numpy takes the Mills ratio's
    # exponential in float32, see _ordprobit.log_phi_mills).
    for name in a.__dict__:
        tol = 1e-9 if name.startswith("ll_") else 1e-5
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=tol, atol=tol)


def test_pass_gradient_matches_finite_differences():
    from hedgewatch.idealpoints._design import build_design
    from hedgewatch.idealpoints._fit import Priors, _Model, initial_state

    votes, _ = simulate(n_states=8, n_sessions=2, n_rc=6, seed=4)
    dz = build_design(votes, None)
    model = _Model(dz, Priors(), 1)
    st = initial_state(dz, 1)
    st.beta[:] = 0.7
    ev = model.evaluate(st)
    eps = 1e-6
    for idx in [(0, 0, 0), (3, 1, 0)]:
        up, dn = st.theta.copy(), st.theta.copy()
        up[idx] += eps
        dn[idx] -= eps
        f_up = model.evaluate(type(st)(up, st.beta, st.cuts)).ll_state.sum()
        f_dn = model.evaluate(type(st)(dn, st.beta, st.cuts)).ll_state.sum()
        unit = idx[0] * model.shape[1] + idx[1]
        assert np.isclose(ev.g_theta[unit, 0], (f_up - f_dn) / (2 * eps), rtol=1e-5)
    for j, p in [(0, 0), (2, 1), (4, 2)]:
        beta, cuts = st.beta.copy(), st.cuts.copy()
        arr = beta if p == 0 else cuts
        col = 0 if p == 0 else p - 1
        if p > 0 and dz.tied[j]:
            continue
        arr[j, col] += eps
        f_up = model.evaluate(type(st)(st.theta, beta, cuts)).ll_item.sum()
        arr[j, col] -= 2 * eps
        f_dn = model.evaluate(type(st)(st.theta, beta, cuts)).ll_item.sum()
        assert np.isclose(ev.g_item[j, p], (f_up - f_dn) / (2 * eps), rtol=1e-5, atol=1e-7)


def test_session_years_are_opening_years(real_fit):
    f = real_fit.to_frame()
    assert (f["year"] == f["session"] + 1945).all()


def test_absent_votes_are_ignored():
    votes, _ = simulate(n_states=12, n_sessions=2, n_rc=10, seed=6)
    absent = votes.iloc[:5].assign(country=[f"X{i}" for i in range(5)], vote="absent")
    with_absent = pd.concat([votes, absent], ignore_index=True)
    with_absent["vote"] = pd.Categorical(
        with_absent["vote"], categories=["yes", "abstain", "no", "absent"]
    )
    a = DynamicIdealPoints().fit(votes).to_frame()
    b = DynamicIdealPoints().fit(with_absent).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_random_walk_spans_missing_sessions_with_growing_variance():
    """Sessions 3-4 missing: the prior links session 2 to 5 with variance drift * 3, and the
    plot draws no line across the hole."""
    from hedgewatch.idealpoints import plot_ideal_points
    from hedgewatch.idealpoints._design import build_design

    from .conftest import simulate

    votes, _ = simulate(n_states=12, n_sessions=6, n_rc=25, seed=3)
    votes = votes[~votes["session"].isin([3, 4])]
    design = build_design(votes, None)
    assert list(design.sessions) == [1, 2, 5, 6]
    assert set(design.link_gap[:, 1]) == {3.0}  # 2 -> 5: three steps of the walk
    res = DynamicIdealPoints(uncertainty="none").fit(votes)
    fig = plot_ideal_points(res, ["USA"])
    y = np.asarray(fig.axes[0].lines[0].get_ydata(), float)
    assert np.isnan(y[2:4]).all() and np.isfinite(y[[0, 1, 4, 5]]).all()


def test_a_fit_stopped_early_warns_and_says_so():
    votes, _ = simulate()
    with pytest.warns(
        ConvergenceWarning, match=r"DynamicIdealPoints.fit\(\): not converged after 2"
    ):
        res = DynamicIdealPoints(max_iter=2, uncertainty="none").fit(votes)
    assert not res.info["converged"]
    assert any("not converged" in note for note in res.info["notes"])
    assert issubclass(ConvergenceWarning, UserWarning)


def test_set_params_as_in_scikit_learn(sim):
    votes, _, res = sim
    model = DynamicIdealPoints(drift=0.05)
    assert model.set_params(uncertainty="none") is model
    assert model.get_params()["uncertainty"] == "none"
    with pytest.raises(
        ParameterError, match="Invalid parameter 'drfit'.*valid parameters are: anchor"
    ):
        model.set_params(drfit=0.1)
    model.set_params(drift=-1.0)  # checked when the fit starts, as in scikit-learn
    with pytest.raises(ParameterError, match=r"The 'drift' parameter of DynamicIdealPoints\(\)"):
        model.fit(votes)
    assert repr(clone(model)) == "DynamicIdealPoints(drift=-1.0, uncertainty='none')"


@pytest.mark.parametrize("n_dims", [1, 2])
@pytest.mark.parametrize("n_parts", [1, 3])
def test_pass_equals_the_vote_by_vote_formulas(n_dims, n_parts):
    """The vectorised pass (runs, reduceat, bincount) against each vote's interval terms
    summed by hand: log-likelihoods to 1e-10, Newton terms to 1e-5 of their scale (the
    Mills ratio's exponential is taken in float32)."""
    from hedgewatch.idealpoints import _kernels
    from hedgewatch.idealpoints._design import build_design
    from hedgewatch.idealpoints._fit import Priors, _Model, initial_state
    from hedgewatch.idealpoints._ordprobit import vote_terms

    votes, _ = simulate(n_states=12, n_sessions=3, n_rc=10, seed=5, n_dims=n_dims)
    dz = build_design(votes, None)
    model = _Model(dz, Priors(), n_dims)
    model.parts = _kernels.make_parts(dz.y, dz.item, dz.unit, n_parts)
    st = initial_state(dz, n_dims)
    rng = np.random.default_rng(1)
    st.beta[:] = rng.normal(size=st.beta.shape)
    st.theta[:] = np.where(dz.active[..., None], rng.normal(size=st.theta.shape), 0.0)
    got = model.evaluate(st)

    s, t = dz.active.shape
    th = st.theta.reshape(-1, n_dims)[dz.unit]
    b = st.beta[dz.item]
    c = st.cuts[dz.item]
    eta = (th * b).sum(1)
    inf = np.full(len(eta), np.inf)
    lo = np.select([dz.y == 0, dz.y == 1], [-inf, c[:, 0]], c[:, 1])
    hi = np.select([dz.y == 0, dz.y == 1], [c[:, 0], c[:, 1]], inf)
    v = vote_terms(lo - eta, hi - eta)
    u_n, k_n, p = s * t, dz.n_items, n_dims + 2

    def by(index, w, n):
        return np.bincount(index, w, minlength=n)

    def close(actual, desired):
        np.testing.assert_allclose(actual, desired, rtol=1e-5, atol=1e-5 * np.abs(desired).max())

    np.testing.assert_allclose(got.ll_state, by(dz.unit // t, v.logp, s), rtol=1e-10)
    np.testing.assert_allclose(got.ll_item, by(dz.item, v.logp, k_n), rtol=1e-10)
    g_item, h_item = np.zeros((k_n, p)), np.zeros((k_n, p, p))
    for k in range(n_dims):
        g = by(dz.unit, v.g * b[:, k], u_n)
        close(got.g_theta[:, k], g)
        g_item[:, k] = by(dz.item, v.g * th[:, k], k_n)
        for j in range(n_dims):
            h = -by(dz.unit, v.h * b[:, k] * b[:, j], u_n)
            close(got.h_theta[:, k, j], h)
            h_item[:, k, j] = -by(dz.item, v.h * th[:, k] * th[:, j], k_n)
    # c1 is the upper bound of a no and the lower bound of an abstention; c2 likewise
    for col, upper_of, lower_of in ((n_dims, 0, 1), (n_dims + 1, 1, 2)):
        up, low = dz.y == upper_of, dz.y == lower_of
        g_item[:, col] = by(dz.item[up], v.lb[up], k_n) + by(dz.item[low], v.la[low], k_n)
        h_item[:, col, col] = -by(dz.item[up], v.lbb[up], k_n) - by(dz.item[low], v.laa[low], k_n)
        for k in range(n_dims):
            cross = by(dz.item[up], ((v.lab + v.lbb) * th[:, k])[up], k_n) + by(
                dz.item[low], ((v.laa + v.lab) * th[:, k])[low], k_n
            )
            h_item[:, k, col] = h_item[:, col, k] = cross
    ab = dz.y == 1
    h_item[:, n_dims, n_dims + 1] = h_item[:, n_dims + 1, n_dims] = -by(dz.item[ab], v.lab[ab], k_n)
    close(got.g_item, g_item)
    close(got.h_item, h_item)
