"""The "rational wildcard" test: how predictable is a state's voting from its position?

A state that hedges between great powers by being unpredictable should be *badly* predicted
by a spatial model fitted to everyone's votes: its votes would often fall on the side its
own position makes unlikely. We score each state-session's votes under the fitted
dynamic ideal-point model:

* ``accuracy``: share of votes equal to the model's most probable vote;
* ``log_loss``: mean of ``-log p(actual vote)`` (lower = more predictable);
* ``apre``: aggregate proportional reduction in error against the majority-vote null
  (predict that every state votes with the roll call's majority):
  ``(errors_null - errors_model) / errors_null``. It is NaN, on purpose, where the state
  always voted with the majority (the null makes no error, so there is nothing to reduce).

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430-456.

Poole, K. T. & Rosenthal, H. (1997). *Congress: A Political-Economic History of Roll Call
Voting*. Oxford University Press (APRE, the aggregate proportional reduction in error).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hedgewatch._deprecation import deprecated_args, old_default
from hedgewatch._validation import check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.idealpoints._design import VOTE_CODES, VOTE_LABELS, check_votes
from hedgewatch.idealpoints.dynamic import IdealPointResult, check_countries

_EPS = 1e-12


def _scored(result: IdealPointResult, votes: pd.DataFrame) -> pd.DataFrame:
    """Votes with the model's probabilities, prediction, and the majority-vote null."""
    v = check_votes(votes).reset_index(drop=True)
    y = v["vote"].map(VOTE_CODES).to_numpy(np.int64)
    probs = result.vote_probabilities(v)
    counts = pd.crosstab(v["rcid"], y).reindex(columns=[0, 1, 2], fill_value=0)
    # Ties go to yes, then no: the GA's usual majority outcome.
    majority = counts[[2, 0, 1]].idxmax(axis=1)
    out = v.assign(
        y=y,
        p_actual=probs[np.arange(len(v)), y],
        predicted=np.nanargmax(np.where(np.isnan(probs), -1.0, probs), axis=1),
        p_max=np.nanmax(np.where(np.isnan(probs), -1.0, probs), axis=1),
        null=v["rcid"].map(majority).to_numpy(),
    )
    return out[np.isfinite(out["p_actual"])]


@validated
def predictability(result: IdealPointResult, votes: pd.DataFrame) -> pd.DataFrame:
    """Per state-session fit of the model to the state's votes.

    Parameters
    ----------
    result
        A fitted :class:`IdealPointResult`.
    votes
        The votes to score, normally the ones fitted (all states: the majority-vote null
        needs every vote of a roll call). Votes on roll calls the fit dropped (unanimous)
        are not scored.

    Returns
    -------
    DataFrame ``country, session, year, n_votes, accuracy, log_loss, apre,
    null_accuracy`` (``n_votes`` counts the scored votes).
    """
    s = _scored(result, votes)
    if s.empty:
        raise InsufficientDataError(
            "predictability(): none of the votes matches a fitted state-session and roll call; "
            "score the votes the model was fitted on"
        )
    s = s.assign(
        hit=(s["predicted"] == s["y"]).astype(float),
        null_hit=(s["null"] == s["y"]).astype(float),
        loss=-np.log(np.maximum(s["p_actual"], _EPS)),
    )
    s = s.assign(miss=1.0 - s["hit"], null_miss=1.0 - s["null_hit"])  # 0/1: sums are exact
    g = s.groupby(["country", "session"], sort=True)
    out = g.agg(
        n_votes=("hit", "size"),
        accuracy=("hit", "mean"),
        log_loss=("loss", "mean"),
        null_accuracy=("null_hit", "mean"),
        errors=("miss", "sum"),
        null_errors=("null_miss", "sum"),
    ).reset_index()
    out["apre"] = np.where(
        out["null_errors"] > 0,
        (out["null_errors"] - out["errors"])
        / out["null_errors"].where(out["null_errors"] > 0, 1.0),
        np.nan,
    )
    years = result.points.set_index(["country", "session"])["year"]
    out["year"] = years.reindex(pd.MultiIndex.from_frame(out[["country", "session"]])).to_numpy()
    cols = [
        "country",
        "session",
        "year",
        "n_votes",
        "accuracy",
        "log_loss",
        "apre",
        "null_accuracy",
    ]
    return out[cols]


@validated
def overall_fit(result: IdealPointResult, votes: pd.DataFrame) -> dict[str, float]:
    """Classification accuracy, mean log-loss and APRE over all scored votes."""
    s = _scored(result, votes)
    errors = float((s["predicted"] != s["y"]).sum())
    null_errors = float((s["null"] != s["y"]).sum())
    return {
        "n_votes": int(len(s)),
        "accuracy": float((s["predicted"] == s["y"]).mean()),
        "log_loss": float(-np.log(np.maximum(s["p_actual"], _EPS)).mean()),
        "null_accuracy": float((s["null"] == s["y"]).mean()),
        "apre": (null_errors - errors) / null_errors if null_errors else float("nan"),
    }


@deprecated_args(renamed={"country": "state"}, keyword_only=True)
@validated
def surprising_votes(
    result: IdealPointResult,
    votes: pd.DataFrame,
    state: str,
    *,
    n: int = 10,
    roll_calls: pd.DataFrame | None = None,
    sessions: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The votes of ``state`` least expected from its fitted position.

    Parameters
    ----------
    result, votes
        As in :func:`predictability`.
    state
        ISO3 code (or a name the identity layer resolves); ``country=`` is the deprecated
        keyword.
    n
        How many votes to list.
    roll_calls
        Output of :func:`hedgewatch.roll_calls` for titles and resolution symbols; without
        it ``resolution`` and ``title`` are missing (``<NA>``).
    sessions
        Restrict to these sessions.

    Returns
    -------
    DataFrame ``rcid, session, date, resolution, title, vote, expected_vote, probability``
    ordered from the least expected; ``probability`` is the model's probability of the vote
    actually cast, ``expected_vote`` the most probable one.
    """
    check_param(isinstance(n, int | np.integer) and n >= 1, "n", "a positive integer", n)
    (code,) = check_countries(result, [state], "state")
    v = check_votes(votes)
    v = v[v["country"].astype(str) == code]
    if sessions is not None:
        v = v[v["session"].isin(list(sessions))]
    keep = votes.loc[v.index].reset_index(drop=True)
    s = _scored(result, keep).nsmallest(n, "p_actual")
    date = keep.loc[s.index, "date"] if "date" in keep else pd.Series(pd.NaT, index=s.index)
    out = pd.DataFrame(
        {
            "rcid": s["rcid"].astype("int64").to_numpy(),
            "session": s["session"].astype("int64").to_numpy(),
            "date": pd.to_datetime(date.to_numpy()),
            "vote": VOTE_LABELS[s["y"].to_numpy()],
            "expected_vote": VOTE_LABELS[s["predicted"].to_numpy()],
            "probability": s["p_actual"].to_numpy(),
        }
    )
    titles = _titles(roll_calls, out["rcid"])
    out.insert(3, "resolution", titles["resolution"].to_numpy())
    out.insert(4, "title", titles["title"].to_numpy())
    return out


def _titles(roll_calls: pd.DataFrame | None, rcids: pd.Series) -> pd.DataFrame:
    """Resolution symbol and title of each rcid; an empty title falls back to the
    roll call's description (store names, or the R ``unvotes`` names)."""
    n = len(rcids)
    if roll_calls is None:
        na = pd.array([pd.NA] * n, dtype="string")
        return pd.DataFrame({"resolution": na, "title": na.copy()})
    rc = roll_calls.drop_duplicates("rcid").set_index("rcid").reindex(rcids.to_numpy())

    def first(*names: str) -> pd.Series:
        out = pd.Series(pd.array([pd.NA] * n, dtype="string"), index=rc.index)
        for name in names:
            if name in rc.columns:
                vals = rc[name].astype("string").str.strip().replace("", pd.NA)
                out = out.fillna(vals)
        return out

    return pd.DataFrame(
        {
            "resolution": first("resolution", "unres").to_numpy(),
            "title": first("title", "short", "description", "descr").to_numpy(),
        }
    )


@deprecated_args(renamed={"country": "state"}, keyword_only=True)
@validated
def rank_predictability(
    table: pd.DataFrame,
    state: str | None = None,
    *,
    peers: Sequence[str] | None = None,
    sessions: Sequence[int] | None = None,
    metric: str = "log_loss",
    min_votes: int = 50,
) -> pd.DataFrame:
    """Rank states from least to most predictable over a span of sessions.

    Parameters
    ----------
    table
        Output of :func:`predictability`.
    state
        The state of interest (flagged in ``is_target``). Required (leaving it out still
        means PRK, with a DeprecationWarning, for one release); ``country=`` is the deprecated
        keyword.
    peers
        States to rank it against as well (``rank_peers``; the target is always included).
    sessions
        Sessions to pool (default: all). Metrics are pooled over votes, so a session with
        more votes weighs more.
    metric
        ``"log_loss"`` (rank 1 = highest loss), ``"accuracy"`` or ``"apre"`` (rank 1 =
        lowest): rank 1 is always the least predictable state, the likeliest wildcard.
    min_votes
        States with fewer scored votes in the span are left out of the ranking (their
        metrics rest on too few votes); the target is always kept.

    Returns
    -------
    DataFrame ``country, n_votes, accuracy, log_loss, apre, rank_all, rank_peers,
    is_target`` sorted by ``rank_all``; ``rank_peers`` is missing for non-peers.
    """
    check_param(
        metric in ("log_loss", "accuracy", "apre"),
        "metric",
        "one of 'log_loss', 'accuracy', 'apre'",
        metric,
    )
    if state is None:
        state = old_default("state", "PRK", "rank_predictability")
    t = table if sessions is None else table[table["session"].isin(list(sessions))]
    if t.empty:
        raise InsufficientDataError(
            f"rank_predictability(): no state-sessions in sessions {list(sessions or [])}; "
            f"the table covers {table['session'].min()}-{table['session'].max()}"
        )
    w = t["n_votes"]
    null_err = (1 - t["null_accuracy"]) * w
    err = (1 - t["accuracy"]) * w
    agg = pd.DataFrame(
        {
            "country": t["country"],
            "n_votes": w,
            "acc": t["accuracy"] * w,
            "ll": t["log_loss"] * w,
            "err": err,
            "null_err": null_err,
        }
    )
    g = agg.groupby("country").sum()
    out = pd.DataFrame(
        {
            "n_votes": g["n_votes"].astype("int64"),
            "accuracy": g["acc"] / g["n_votes"],
            "log_loss": g["ll"] / g["n_votes"],
            "apre": (g["null_err"] - g["err"]) / g["null_err"].where(g["null_err"] > 0),
        }
    )
    out = out[(out["n_votes"] >= min_votes) | (out.index == state)]
    ascending = metric != "log_loss"
    out["rank_all"] = out[metric].rank(ascending=ascending, method="min").astype("Int64")
    peer_set = set(peers or []) | {state}
    pr = out.loc[out.index.isin(peer_set), metric].rank(ascending=ascending, method="min")
    out["rank_peers"] = pr.reindex(out.index).astype("Int64")
    out["is_target"] = out.index == state
    return out.reset_index().sort_values("rank_all", ignore_index=True)
