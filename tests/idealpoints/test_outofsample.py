"""Out-of-sample (rolling-origin) forecasts: no leakage, baselines on the same votes,
hand-computed baseline forecasts, calibration, gaps, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgewatch.errors import ParameterError
from hedgewatch.idealpoints import DynamicIdealPoints, _baselines
from hedgewatch.idealpoints._design import VoteArrays
from hedgewatch.idealpoints.outofsample import (
    PREDICTORS,
    calibration_counts,
    calibration_table,
    forecast_scores,
    prob_columns,
    rank_forecasts,
    rolling_forecast,
)

from .conftest import simulate


def _repeated(n_states=14, n_sessions=6, n_rc=10, seed=2):
    """Simulated votes where roll call k of every session is the same resolution (bridged
    to roll call k of the next session)."""
    votes, _ = simulate(n_states=n_states, n_sessions=n_sessions, n_rc=n_rc, seed=seed)
    rc = votes.drop_duplicates("rcid")[["rcid", "session"]].sort_values("rcid")
    rc["k"] = rc.groupby("session").cumcount()
    nxt = rc.assign(session=rc["session"] - 1)
    pairs = rc.merge(nxt, on=["session", "k"], suffixes=("1", "2"))
    return votes, pairs[["rcid1", "rcid2"]].reset_index(drop=True)


def _flip(votes, sessions):
    out = votes.copy()
    sel = out["session"].isin(sessions)
    out.loc[sel, "vote"] = out.loc[sel, "vote"].map({"yes": "no", "no": "yes"}).fillna("abstain")
    return out


PROBS = [c for p in PREDICTORS for c in prob_columns(p)]


@pytest.fixture(scope="module")
def repeated():
    return _repeated()


@pytest.fixture(scope="module")
def forecast(repeated):
    votes, bridges = repeated
    return rolling_forecast(votes, bridges, origins=[3, 4, 5, 6], bloc_size=3)


def test_nothing_from_session_t_or_later_reaches_the_forecast_of_t(repeated, forecast):
    """Rewriting every vote of sessions 5 and 6 leaves the forecasts of session 5 exactly as
    they were (only the votes cast change); rewriting session 4, which the fit of origin 5
    uses, changes them: the test would see a leak."""
    votes, bridges = repeated
    later = rolling_forecast(_flip(votes, [5, 6]), bridges, origins=[3, 4, 5], bloc_size=3)
    a = forecast.votes[forecast.votes["session"] <= 5].reset_index(drop=True)
    b = later.votes.reset_index(drop=True)
    pd.testing.assert_frame_equal(a[["country", "rcid", *PROBS]], b[["country", "rcid", *PROBS]])
    assert (a.loc[a["session"] == 5, "vote"] != b.loc[b["session"] == 5, "vote"]).any()
    earlier = rolling_forecast(_flip(votes, [4]), bridges, origins=[3, 4, 5], bloc_size=3)
    c = earlier.votes[earlier.votes["session"] == 5].reset_index(drop=True)
    a5 = a[a["session"] == 5].reset_index(drop=True)
    assert not np.allclose(c["p_yes"], a5["p_yes"])  # the model sees session 4
    assert not np.allclose(c["p_yes_last"], a5["p_yes_last"])  # so does the 'last' rule


def test_a_leaky_fit_would_predict_better(repeated, forecast):
    """The model fitted with session 6 included predicts session 6 better than the
    forecast does: the rolling origin pays the price of not seeing it."""
    votes, bridges = repeated
    v6 = forecast.votes[forecast.votes["session"] == 6]
    fit = DynamicIdealPoints(uncertainty="none").fit(votes, bridges)
    leaky = fit.vote_probabilities(v6)
    y = pd.Categorical(v6["vote"], categories=["no", "abstain", "yes"]).codes
    ll_leaky = -np.log(np.maximum(leaky[np.arange(len(y)), y], 1e-4)).mean()
    ll_forecast = forecast_scores(v6)["log_loss"].mul(forecast_scores(v6)["n_votes"]).sum()
    assert ll_leaky < ll_forecast / len(v6)


def test_every_predictor_scores_exactly_the_same_votes(forecast):
    v = forecast.votes
    probs = v[PROBS].to_numpy()
    assert np.isfinite(probs).all() and (probs >= 1e-4 - 1e-12).all()
    for p in PREDICTORS:
        np.testing.assert_allclose(v[prob_columns(p)].sum(axis=1), 1.0)
    s = forecast.scores()
    assert s["n_votes"].sum() == len(v)
    for p in ("", "_last", "_majority", "_bloc"):
        assert s[f"log_loss{p}"].notna().all() and s[f"brier{p}"].between(0, 2).all()
    # origins: one row each, the forecast counts add up
    assert forecast.origins["n_forecast"].sum() == len(v)
    assert list(forecast.origins["session"]) == [3, 4, 5, 6]


def test_calibration_bins_sum_to_the_vote_count(forecast):
    counts = calibration_counts(forecast.votes)
    for p in PREDICTORS:
        table = calibration_table(counts, predictor=p)
        assert table["n_votes"].sum() == len(forecast.votes)
        assert table["mean_probability"].between(1 / 3 - 1e-9, 1).all()
        assert table["observed"].between(0, 1).all()
    one = calibration_table(counts, countries=["S03"], sessions=[5, 6])
    v = forecast.votes
    assert one["n_votes"].sum() == ((v["country"] == "S03") & v["session"].isin([5, 6])).sum()
    assert (one["lower"] < one["mean_probability"] + 1e-12).all()
    assert (one["mean_probability"] <= one["upper"] + 1e-12).all()


def test_rank_pools_votes_and_names_the_best_baseline(forecast):
    s = forecast.scores()
    r = rank_forecasts(s, "S03", peers=["S01", "S02"], min_votes=0)
    row = r.set_index("country").loc["S03"]
    mine = s[s["country"] == "S03"]
    ll = (mine["log_loss"] * mine["n_votes"]).sum() / mine["n_votes"].sum()
    assert np.isclose(row["log_loss"], ll)
    rules = {b: row[f"log_loss_{b}"] for b in ("last", "majority", "bloc")}
    assert row["best_baseline"] == min(rules, key=rules.get)
    assert np.isclose(row["skill"], 1 - ll / min(rules.values()))
    assert r["rank_peers"].notna().sum() == 3 and bool(row["is_target"])
    by_skill = rank_forecasts(s, "S03", metric="skill", min_votes=0)
    assert by_skill["skill"].is_monotonic_increasing  # rank 1 = lowest skill


def test_baseline_forecasts_by_hand():
    """Resolution R in sessions 1-3 (rcids 1, 2, 3), another roll call in sessions 1-2."""
    rows = [
        (1, 1, "A", "yes"), (1, 1, "B", "yes"), (1, 1, "C", "no"), (1, 1, "D", "abstain"),
        (10, 1, "A", "yes"), (10, 1, "B", "yes"), (10, 1, "C", "no"), (10, 1, "D", "no"),
        (2, 2, "A", "no"), (2, 2, "B", "yes"), (2, 2, "C", "no"),
        (11, 2, "A", "yes"), (11, 2, "B", "yes"), (11, 2, "C", "no"), (11, 2, "D", "no"),
        (3, 3, "A", "yes"), (3, 3, "B", "yes"), (3, 3, "C", "yes"), (3, 3, "D", "yes"),
    ]  # fmt: skip
    votes = pd.DataFrame(rows, columns=["rcid", "session", "country", "vote"])
    bridges = pd.DataFrame({"rcid1": [1, 2], "rcid2": [2, 3]})
    rec = _baselines.Record(VoteArrays.from_frame(votes), bridges)
    pts = _baselines.points(rec, 3, bloc_size=1, min_common=1)
    who = rec.a.names[rec.a.country[pts.vote]]
    got = pd.DataFrame(pts.forecast, index=who, columns=["last", "majority", "bloc"]).sort_index()
    # majority at rcid 2 (the latest earlier occurrence): no (2 of 3)
    assert (got["majority"] == 0).all() and set(rec.rcids[pts.source]) == {2}
    # last: A no, B yes, C no (rcid 2); D did not vote on 2, so its vote on 1: abstain
    assert list(got["last"]) == [0, 2, 0, 1]
    # blocs in session 2: A-B and A-C agree on half (B comes first), C-D on all they share
    # A's bloc B voted yes; B's bloc A no; C's bloc D did not vote on 2 -> majority; D's C no
    assert list(got["bloc"]) == [2, 0, 0, 0]
    fallback = pd.DataFrame(pts.fallback, index=who, columns=["last", "bloc"]).sort_index()
    assert list(fallback["bloc"]) == [False, False, True, False]
    assert not fallback["last"].any()


def test_baseline_probabilities_from_their_smoothed_record():
    table = np.zeros((3, 3, 3))
    table[0, 2] = [1, 0, 9]  # 'last' forecast yes 10 times: 9 right, 1 was a no
    p = _baselines.probabilities(np.array([[2, 0, 0]]), table)
    np.testing.assert_allclose(p[0, 0], [1.5 / 11.5, 0.5 / 11.5, 9.5 / 11.5])
    np.testing.assert_allclose(p[0, 1], [1 / 3] * 3)  # no record: uniform


def test_the_first_session_after_a_gap_is_forecast_across_it():
    """Sessions 4 and 5 missing: origin 6 is forecast from session 3, gap 3, with a wider
    position (less extreme probabilities) than the same forecast with gap 1."""
    votes, bridges = _repeated(n_sessions=6, seed=5)
    holed = votes[~votes["session"].isin([4, 5])]
    rc = holed.drop_duplicates("rcid")[["rcid", "session"]]
    k = rc.groupby("session").cumcount().to_numpy()
    s3, s6 = rc[rc["session"] == 3], rc[rc["session"] == 6]
    br = pd.DataFrame({"rcid1": s3["rcid"].to_numpy(), "rcid2": s6["rcid"].to_numpy()})
    assert len(k) and len(br) == 10
    fc = rolling_forecast(holed, br, origins=[6], bloc_size=3)
    assert (fc.votes["gap"] == 3).all()
    close = holed.assign(session=holed["session"].replace({6: 4}))
    fc1 = rolling_forecast(close, br, origins=[4], bloc_size=3)
    assert (fc1.votes["gap"] == 1).all()
    spread = lambda f: f.votes[prob_columns("model")].max(axis=1).mean()  # noqa: E731
    assert spread(fc) < spread(fc1)
    with pytest.raises(ParameterError, match=r"without 4, 5"):
        rolling_forecast(holed, br, origins=[5])


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"origins": [1]}, "after the first"),
        ({"origins": [9]}, "sessions with votes"),
        ({"origins": "abc"}, "origins"),
        ({"origins": [3], "model": "2d"}, "DynamicIdealPoints"),
        ({"origins": [3], "history": 0}, "history"),
        ({"origins": [3], "floor": 0.5}, "floor"),
    ],
)
def test_bad_parameters(repeated, kwargs, msg):
    votes, bridges = repeated
    with pytest.raises(ParameterError, match=msg) as err:
        rolling_forecast(votes, bridges, **kwargs)
    assert "rolling_forecast()" in str(err.value)


def test_two_dimensions_and_a_history_window(repeated):
    votes, bridges = repeated
    fc = rolling_forecast(
        votes, bridges, origins=[5, 6], model=DynamicIdealPoints(n_dims=2), history=2
    )
    assert fc.info["n_dims"] == 2 and len(fc.votes)
    assert (fc.origins["train_from"] == [3, 4]).all()
    assert np.isfinite(fc.scores()["log_loss"]).all()


def test_real_sessions(real_votes, real_bridges):
    """Sessions 44-50 with BSV's bridges: forecasts of 47-50 from the sessions before."""
    fc = rolling_forecast(real_votes, real_bridges, origins=range(47, 51))
    assert fc.origins["converged"].all()
    assert fc.origins["n_forecast"].gt(500).all()
    s = rank_forecasts(fc.scores(), "USA", min_votes=20)
    assert s["log_loss"].between(0, 3).all()
    # the model beats always voting with the last majority on most states
    assert (s["log_loss"] < s["log_loss_majority"]).mean() > 0.5


def test_summary_round_trips_through_one_table(forecast):
    """What the store caches (and the package ships) rebuilds the same summary."""
    from hedgewatch.idealpoints import ForecastSummary

    summ = forecast.summary()
    back = ForecastSummary.from_table(summ.to_table())
    pd.testing.assert_frame_equal(back.scores, summ.scores, check_dtype=False)
    pd.testing.assert_frame_equal(back.calibration, summ.calibration, check_dtype=False)
    pd.testing.assert_frame_equal(back.origins, summ.origins, check_dtype=False)
    assert back.info["n_votes"] == forecast.info["n_votes"] == len(forecast.votes)
    r1, r2 = summ.rank("S01"), back.rank("S01")
    assert r1["is_target"].sum() == 1
    pd.testing.assert_frame_equal(r1, r2)
    # the summary's calibration counts add up to the votes forecast, per predictor
    for _, g in back.calibration.groupby("predictor"):
        assert g["n_votes"].sum() == len(forecast.votes)


def test_calibration_plot_draws_one_line_per_table(forecast):
    import matplotlib

    matplotlib.use("Agg")
    from hedgewatch.idealpoints import plot_calibration

    tables = {"model": forecast.calibration(), "last": forecast.calibration(predictor="last")}
    fig = plot_calibration(tables, title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # the diagonal and one line per table
    np.testing.assert_allclose(ax.lines[1].get_ydata(), tables["model"]["observed"])
