"""Out-of-sample predictability: rolling-origin forecasts of every state's votes.

In-sample fit is not prediction: a state's own votes pull its fitted position toward them.
The test here only ever predicts a session from the sessions before it (a rolling origin;
Tashman 2000). For each origin session ``t``:

1. **Fit** the dynamic model on the sessions before ``t`` (all of them, or the last
   ``history``), starting from the previous origin's solution (a warm start: only the
   newest session is new, so the fit converges in a few cycles).
2. **Forecast positions** for ``t`` from the model's own prior: a state last seen in session
   ``l`` with posterior position ``N(m, V)`` (Laplace) moves by a random-walk step of
   variance ``q = drift * (t - l)`` (the gap grows across sessions without votes, e.g.
   2022-2024) and is shrunk like every position by ``N(0, scale_sd^2)``:
   ``theta_t ~ N(a m, a^2 V + a q I)`` with ``a = scale_sd^2 / (scale_sd^2 + q)``.
3. **Predict** its votes on the roll calls of ``t`` that repeat a resolution voted before
   (the same bridge group, bridges among sessions up to ``t`` only), with the parameters of
   the latest earlier occurrence in the fit. The position's uncertainty is integrated out
   exactly: with ``eta ~ N(beta.mu, beta'Sigma beta)`` the ordered-probit probabilities are
   ``Phi((c - beta.mu) / sqrt(1 + beta'Sigma beta))``. The roll-call parameters are taken
   at their mode (their uncertainty is not integrated).
4. **Baselines** forecast exactly the same votes from the same earlier sessions (see
   :mod:`hedgewatch.idealpoints._baselines`): the state's own last vote on the resolution,
   the majority at its last occurrence, and its bloc's majority there.

Nothing from session ``t`` or later reaches the forecast of session ``t`` (tested by changing
those votes). Every forecast is mixed with the uniform one, ``p' = floor + (1 - 3 floor) p``
(``floor`` = 1e-4), so no probability is below ``floor`` and one vote costs at most
``-log(1e-4) = 9.2`` nats; the model needs it on roll calls whose earlier occurrences had no
abstention (its abstain probability is then exactly 0).

Scores per vote: log-loss ``-log p(vote cast)``, the multi-category Brier score
``sum_k (p_k - [vote = k])^2`` (0..2) and accuracy of the most probable vote. The skill score
of a state is ``1 - LL_model / LL_best`` where ``LL_best`` is the lowest mean log-loss of the
three baselines on that state's votes (> 0: the model predicts it better than any rule;
Brier skill likewise). Calibration: votes binned by the probability of the forecast's most
probable vote, against the share of them cast as forecast (Guo et al. 2017).

References
----------
Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and review.
*International Journal of Forecasting* 16(4), 437-450.
Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
estimation. *Journal of the American Statistical Association* 102(477), 359-378.
Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
Weather Review* 78(1), 1-3.
Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. Q. (2017). On calibration of modern neural
networks. *Proceedings of ICML*, 1321-1330.
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430-456.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

from hedgewatch._validation import check_choice, check_number, check_param, fail, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.idealpoints import _baselines, _fit, _tridiag
from hedgewatch.idealpoints._design import VOTE_LABELS, Design, VoteArrays, build_design
from hedgewatch.idealpoints.dynamic import DynamicIdealPoints

#: The model and the baselines, in the order of the per-vote probability columns.
PREDICTORS = ("model", *_baselines.RULES)
_SUFFIX = {"model": "", "last": "_last", "majority": "_majority", "bloc": "_bloc"}
_CATS = ("no", "abstain", "yes")


def prob_columns(predictor: str) -> list[str]:
    """Names of a predictor's probability columns: ``p_no, p_abstain, p_yes`` + suffix."""
    return [f"p_{c}{_SUFFIX[predictor]}" for c in _CATS]


@dataclass(frozen=True)
class RollingForecast:
    """Forecasts of every state's votes, one session at a time, from earlier sessions.

    Attributes
    ----------
    votes
        One row per forecast vote: ``country, session, year, rcid, source_rcid`` (the
        earlier roll call whose parameters were used), ``vote``, ``gap`` (sessions since the
        state's last position), the model's ``p_no, p_abstain, p_yes`` and each baseline's
        (``p_no_last``, ..., ``p_yes_bloc``).
    origins
        One row per origin session: ``session, year, train_from, train_to, n_train_votes,
        n_forecast, n_roll_calls, n_known, cycles, converged, seconds``.
    info
        Settings (``n_dims``, the estimator's parameters, ``history``, ``bloc_size``,
        ``calibration_sessions``, ``floor``) and counts (``n_floored``, ``n_fallback_last``,
        ``n_fallback_bloc``), ``seconds``.
    """

    votes: pd.DataFrame
    origins: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per-vote forecasts."""
        return self.votes.copy()

    def scores(self) -> pd.DataFrame:
        """Per state-session scores of the model and the baselines (see
        :func:`forecast_scores`)."""
        return forecast_scores(self.votes)

    def calibration(self, **kwargs: Any) -> pd.DataFrame:
        """Reliability table (see :func:`calibration_table`)."""
        return calibration_table(calibration_counts(self.votes), **kwargs)

    def summary(self) -> ForecastSummary:
        """Scores and calibration counts per state-session, without the per-vote rows."""
        return ForecastSummary(
            forecast_scores(self.votes), calibration_counts(self.votes), self.origins, self.info
        )


@dataclass(frozen=True)
class ForecastSummary:
    """What a report needs of a :class:`RollingForecast`, summable over any window.

    Attributes
    ----------
    scores
        :func:`forecast_scores` (per state-session).
    calibration
        :func:`calibration_counts` (per state-session, predictor and bin).
    origins, info
        As in :class:`RollingForecast`.
    """

    scores: pd.DataFrame
    calibration: pd.DataFrame
    origins: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per state-session scores."""
        return self.scores.copy()

    def rank(self, state: str, **kwargs: Any) -> pd.DataFrame:
        """:func:`rank_forecasts` of these scores."""
        return rank_forecasts(self.scores, state, **kwargs)

    def reliability(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`calibration_table` of these counts."""
        return calibration_table(self.calibration, **kwargs)

    def to_table(self) -> pd.DataFrame:
        """Everything in one DataFrame (for :meth:`Store.cached` or Parquet)."""
        import json

        info = dict(self.info) | {
            "columns": {
                "scores": list(self.scores.columns),
                "calibration": list(self.calibration.columns),
                "origins": list(self.origins.columns),
            }
        }
        parts = [
            self.scores.assign(table="scores"),
            self.calibration.assign(table="calibration"),
            self.origins.rename(columns={"year": "origin_year"}).assign(table="origins"),
            pd.DataFrame({"table": ["info"], "info_json": [json.dumps(info, default=str)]}),
        ]
        out = pd.concat(parts, ignore_index=True)
        for col in out.columns:
            if out[col].dtype == object and col not in ("table", "info_json"):
                out[col] = out[col].astype("string")
        return out

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> ForecastSummary:
        """Rebuild a summary written by :meth:`to_table`."""
        import json

        info = json.loads(table.loc[table["table"] == "info", "info_json"].iloc[0])
        cols = info.pop("columns")

        def part(name: str, columns: list[str]) -> pd.DataFrame:
            rows = table[table["table"] == name]
            if name == "origins":
                rows = rows.rename(columns={"year": "_y", "origin_year": "year"})
            return rows[columns].reset_index(drop=True)

        scores = part("scores", cols["scores"])
        calib = part("calibration", cols["calibration"])
        origins = part("origins", cols["origins"])
        for frame, ints, strs in (
            (scores, ("session", "year", "n_votes"), ("country",)),
            (calib, ("session", "bin", "n_votes", "n_bins"), ("country", "predictor")),
            (
                origins,
                (
                    "session",
                    "year",
                    "train_from",
                    "train_to",
                    "n_train_votes",
                    "n_forecast",
                    "n_roll_calls",
                    "n_known",
                    "cycles",
                ),
                (),
            ),
        ):
            for c in ints:
                if c in frame:
                    frame[c] = frame[c].astype("int64")
            for c in strs:
                frame[c] = frame[c].astype(str)
        if "converged" in origins:
            origins["converged"] = origins["converged"].astype(bool)
        return cls(scores, calib, origins, info)


@validated
def rolling_forecast(
    votes: pd.DataFrame,
    bridges: pd.DataFrame | None = None,
    *,
    origins: Iterable[int],
    model: DynamicIdealPoints | None = None,
    history: int | None = None,
    bloc_size: int = 10,
    calibration_sessions: int = 3,
    floor: float = 1e-4,
    callback: Callable[[int, int, int], None] | None = None,
) -> RollingForecast:
    """Predict each origin session's votes from the sessions before it.

    Parameters
    ----------
    votes
        Tidy votes (``rcid, session, country, vote``, ``year`` optional), e.g.
        :func:`hedgewatch.votes`; every session, not only the origins (the fits use them).
    bridges
        Pairs ``rcid1, rcid2`` of roll calls that are the same resolution (BSV's list and
        :func:`~hedgewatch.idealpoints.title_bridges`). Only repeated resolutions can be
        forecast, so without bridges nothing is.
    origins
        Sessions to forecast; each needs an earlier session with votes. Sessions without
        votes (a gap in the record) cannot be origins; the first session after a gap is
        forecast across it, the random-walk variance growing with the gap.
    model
        A :class:`DynamicIdealPoints` giving ``n_dims``, the priors and the convergence
        settings (default ``DynamicIdealPoints()``: one dimension).
    history
        Fit on the last ``history`` sessions with votes before each origin (default: all of
        them). Baselines see the same sessions.
    bloc_size
        Size of a state's bloc (the ``bloc`` baseline).
    calibration_sessions
        Sessions before an origin whose baseline forecasts calibrate the baselines'
        probabilities.
    floor
        Smallest probability any predictor may give a category (each forecast is mixed
        with the uniform one: ``floor + (1 - 3 floor) p``).
    callback
        Called as ``callback(done, total, origin)`` after each origin.

    Returns
    -------
    RollingForecast

    References
    ----------
    Tashman (2000), *International Journal of Forecasting* 16(4):437-450.
    """
    est = model if model is not None else DynamicIdealPoints()
    check_param(
        isinstance(est, DynamicIdealPoints), "model", "a DynamicIdealPoints estimator", model
    )
    est._validate_params()
    if history is not None:
        check_number(history, "history", low=1, integer=True)
    check_number(bloc_size, "bloc_size", low=1, integer=True)
    check_number(calibration_sessions, "calibration_sessions", low=0, integer=True)
    check_number(floor, "floor", low=0, high=0.1, low_open=True)
    t_start = time.perf_counter()
    arrays = VoteArrays.from_frame(votes)
    rec = _baselines.Record(arrays, bridges)
    targets = _check_origins(origins, rec.sessions)
    priors = _fit.Priors(est.first_sd, est.drift, est.beta_sd, est.cut_sd, est.scale_sd)
    run = _Run(rec, est, priors, history, bloc_size, calibration_sessions, floor)
    frames, rows = [], []
    for i, t in enumerate(targets, start=1):
        frame, row = run.origin(t)
        frames.append(frame)
        rows.append(row)
        if callback is not None:
            callback(i, len(targets), t)
    out = pd.concat(frames, ignore_index=True) if frames else _empty_votes()
    out["country"] = out["country"].astype(str)
    info = {
        "n_dims": est.n_dims,
        "params": {k: v for k, v in est.get_params().items() if k not in ("seed",)},
        "history": history,
        "bloc_size": bloc_size,
        "calibration_sessions": calibration_sessions,
        "floor": floor,
        "n_votes": len(out),
        "n_floored": run.n_floored,
        "n_fallback_last": run.n_fallback[0],
        "n_fallback_bloc": run.n_fallback[1],
        "seconds": time.perf_counter() - t_start,
    }
    return RollingForecast(out, pd.DataFrame(rows), info)


def _check_origins(origins: Iterable[int], sessions: np.ndarray) -> list[int]:
    try:
        wanted = sorted({int(o) for o in origins})
    except (TypeError, ValueError):
        raise fail("origins", "sessions (integers)", origins) from None
    have = set(int(s) for s in sessions)
    missing = [o for o in wanted if o not in have]
    check_param(
        bool(wanted) and not missing,
        "origins",
        f"sessions with votes ({int(sessions.min())}-{int(sessions.max())}, without "
        f"{_holes(sessions)})",
        missing or wanted,
    )
    check_param(
        wanted[0] > int(sessions.min()),
        "origins",
        "sessions after the first one (an origin is predicted from earlier sessions)",
        wanted[0],
    )
    return wanted


def _holes(sessions: np.ndarray) -> str:
    full = set(range(int(sessions.min()), int(sessions.max()) + 1))
    gone = sorted(full - set(int(s) for s in sessions))
    return ", ".join(str(s) for s in gone) if gone else "none missing"


class _Run:
    """State carried from one origin to the next: the warm start and the baselines'
    recent (forecast, vote) tables."""

    def __init__(
        self,
        rec: _baselines.Record,
        est: DynamicIdealPoints,
        priors: _fit.Priors,
        history: int | None,
        bloc_size: int,
        calibration_sessions: int,
        floor: float,
    ) -> None:
        self.rec, self.est, self.priors = rec, est, priors
        self.history, self.bloc_size = history, bloc_size
        self.calib, self.floor = calibration_sessions, floor
        self.prev: tuple[Design, _fit.State] | None = None
        e = rec.edges
        self.bridges = pd.DataFrame({"rcid1": rec.rcids[e[:, 0]], "rcid2": rec.rcids[e[:, 1]]})
        self.tables: dict[int, np.ndarray] = {}
        self.n_floored = 0
        self.trace = None
        self.n_fallback = [0, 0]

    def first_session(self, t: int) -> int | None:
        if self.history is None:
            return None
        earlier = self.rec.sessions[self.rec.sessions < t]
        return int(earlier[-self.history]) if len(earlier) >= self.history else None

    def table(self, s: int) -> np.ndarray:
        """The rules' (forecast, vote) counts in session ``s`` (computed once)."""
        if s not in self.tables:
            pts = _baselines.points(
                self.rec, s, bloc_size=self.bloc_size, first=self.first_session(s)
            )
            self.tables[s] = _baselines.confusion(pts.forecast, self.rec.a.y[pts.vote])
        return self.tables[s]

    def origin(self, t: int) -> tuple[pd.DataFrame, dict[str, Any]]:
        t0 = time.perf_counter()
        rec = self.rec
        lo = self.first_session(t)
        train = rec.a.session < t
        if lo is not None:
            train &= rec.a.session >= lo
        design = build_design(rec.a.subset(train), self.bridges)
        start = _warm_start(design, self.prev, self.est.n_dims, self.priors)
        st, model, _ = _fit.fit_map(
            design,
            self.priors,
            self.est.n_dims,
            self.est.max_iter,
            self.est.tol,
            start=start,
            callback=self.trace,
        )
        self.prev = (design, st)
        cov = _tridiag.marginal_cov(model.precision(st, model.evaluate(st, need="theta")), model.w)
        pts = _baselines.points(rec, t, bloc_size=self.bloc_size, first=lo)
        frame = self._forecast(t, design, st, cov, pts)
        row = {
            "session": t,
            "year": _year(rec, t),
            "train_from": int(design.sessions.min()),
            "train_to": int(design.sessions.max()),
            "n_train_votes": len(design.y),
            "n_forecast": len(frame),
            "n_roll_calls": int((rec.rc_session == t).sum()),
            "n_known": int(frame["rcid"].nunique()) if len(frame) else 0,
            "cycles": st.n_iter,
            "converged": bool(st.converged),
            "seconds": time.perf_counter() - t0,
        }
        return frame, row

    def _forecast(
        self,
        t: int,
        design: Design,
        st: _fit.State,
        cov: np.ndarray,
        pts: _baselines.Points,
    ) -> pd.DataFrame:
        rec = self.rec
        # The model's parameters come from the latest earlier occurrence in the fit.
        fitted = np.isin(rec.rcids, design.rcid_item["rcid"].to_numpy())
        labels = rec.groups(t, self.first_session(t))
        src_fit = _baselines.latest_earlier(rec, labels, t, allowed=fitted)
        src = np.where(pts.label >= 0, src_fit[pts.label] if len(src_fit) else -1, -1)
        # ... for states that have a position before t.
        names = rec.a.names[rec.a.country[pts.vote]]
        row = pd.Index(design.countries).get_indexer(names)
        keep = (src >= 0) & (row >= 0)
        idx = np.flatnonzero(keep)
        vote, src, row = pts.vote[idx], src[idx], row[idx]
        y = rec.a.y[vote]
        mean, var, gap = _forecast_positions(design, st, cov, self.priors, t)
        item_of = pd.Series(
            design.rcid_item["item"].to_numpy(), index=design.rcid_item["rcid"].to_numpy()
        )
        item = item_of.reindex(rec.rcids[src]).to_numpy(np.int64)
        probs = _integrated_probs(mean[row], var[row], st.beta[item], st.cuts[item])
        # Baselines, calibrated on their record in the sessions before t.
        before: Any = rec.sessions[rec.sessions < t][-self.calib :] if self.calib else []
        table = sum((self.table(int(s)) for s in before), np.zeros((3, 3, 3)))
        base = _baselines.probabilities(pts.forecast[idx], table)
        self.n_fallback[0] += int(pts.fallback[idx, 0].sum())
        self.n_fallback[1] += int(pts.fallback[idx, 1].sum())
        all_probs = np.concatenate([probs[:, None, :], base], axis=1)  # (n, 4, 3)
        self.n_floored += int((all_probs[np.arange(len(y)), 0, y] < self.floor).sum())
        all_probs = self.floor + (1.0 - 3.0 * self.floor) * all_probs
        out = pd.DataFrame(
            {
                "country": names[idx],
                "session": t,
                "year": _year(rec, t),
                "rcid": rec.a.rcid[vote],
                "source_rcid": rec.rcids[src],
                "vote": VOTE_LABELS[y],
                "gap": gap[row],
            }
        )
        for p, pred in enumerate(PREDICTORS):
            for k, col in enumerate(prob_columns(pred)):
                out[col] = all_probs[:, p, k]
        return out


def _year(rec: _baselines.Record, t: int) -> int:
    years = rec.a.year[rec.a.session == t]
    opening = t + 1945
    med = float(np.median(years)) if len(years) else opening
    return opening if opening <= med <= opening + 1 else int(years.min())


def _warm_start(
    design: Design, prev: tuple[Design, _fit.State] | None, n_dims: int, priors: _fit.Priors
) -> _fit.State | None:
    """The previous origin's solution mapped onto this origin's design: positions by
    (country, session), a session new to the fit starting at the state's latest position;
    roll-call groups by any of their roll calls; the groups new to the fit estimated from
    their own votes with the positions held there (a few Newton steps on their votes only,
    so the first full cycle does not spend itself on them)."""
    if prev is None:
        return None
    old_d, old = prev
    s_n, t_n = design.active.shape
    theta = np.zeros((s_n, t_n, n_dims))
    ci = pd.Index(old_d.countries).get_indexer(pd.Index(design.countries))
    ti = pd.Index(old_d.sessions).get_indexer(pd.Index(design.sessions))
    rows, cols = np.flatnonzero(ci >= 0), np.flatnonzero(ti >= 0)
    theta[np.ix_(rows, cols)] = old.theta[np.ix_(ci[rows], ti[cols])]
    # carry each state's latest position forward into sessions the old fit did not have
    for k in range(t_n):
        if ti[k] < 0 and k > 0:
            theta[:, k] = np.where(design.active[:, k, None], theta[:, k - 1], 0.0)
    theta = np.where(design.active[..., None], theta, 0.0)
    beta = np.zeros((design.n_items, n_dims))
    cuts = _fit.share_cuts(design)
    old_item = pd.Series(
        old_d.rcid_item["item"].to_numpy(), index=old_d.rcid_item["rcid"].to_numpy()
    )
    ri = design.rcid_item
    matched = old_item.reindex(ri["rcid"].to_numpy()).to_numpy()
    ok = ~np.isnan(matched)
    new_items, first = np.unique(ri["item"].to_numpy()[ok], return_index=True)
    src = matched[ok][first].astype(np.int64)
    beta[new_items] = old.beta[src]
    same_tie = design.tied[new_items] == old_d.tied[src]
    cuts[new_items[same_tie]] = old.cuts[src[same_tie]]
    start = _fit.State(theta, beta, cuts)
    fresh = np.ones(design.n_items, bool)
    fresh[new_items] = False
    _fit.fit_items(design, start, priors, fresh)
    return start


def _forecast_positions(
    design: Design, st: _fit.State, cov: np.ndarray, priors: _fit.Priors, t: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each fitted state's position in session ``t``: mean (S, d), covariance (S, d, d) and
    the gap (sessions since its last position)."""
    has = design.n_votes > 0
    last = design.active.shape[1] - 1 - np.argmax(has[:, ::-1], axis=1)
    rows = np.arange(len(last))
    m = st.theta[rows, last]
    v = cov[rows, last]
    gap = (t - design.sessions[last]).astype(np.int64)
    q = priors.drift * gap
    s2 = priors.scale_sd**2
    a = np.ones_like(q) if not np.isfinite(s2) else s2 / (s2 + q)
    d = m.shape[1]
    mean = a[:, None] * m
    var = (a**2)[:, None, None] * v + (a * q)[:, None, None] * np.eye(d)
    return mean, var, gap


def _integrated_probs(
    mean: np.ndarray, var: np.ndarray, beta: np.ndarray, cuts: np.ndarray
) -> np.ndarray:
    """P(no), P(abstain), P(yes) with the position integrated over N(mean, var)."""
    eta = (mean * beta).sum(axis=1)
    spread = np.einsum("ni,nij,nj->n", beta, var, beta)
    scale = np.sqrt(1.0 + spread)
    p_no = ndtr((cuts[:, 0] - eta) / scale)
    p_le = ndtr((cuts[:, 1] - eta) / scale)
    out = np.column_stack([p_no, np.maximum(p_le - p_no, 0.0), 1.0 - p_le])
    return out / out.sum(axis=1, keepdims=True)


def _empty_votes() -> pd.DataFrame:
    cols = ["country", "session", "year", "rcid", "source_rcid", "vote", "gap"]
    cols += [c for p in PREDICTORS for c in prob_columns(p)]
    return pd.DataFrame({c: [] for c in cols})


# -- scoring -------------------------------------------------------------------------------
def _per_vote(votes: pd.DataFrame, predictor: str) -> tuple[np.ndarray, ...]:
    y = pd.Categorical(votes["vote"], categories=list(_CATS)).codes.astype(np.int64)
    p = votes[prob_columns(predictor)].to_numpy(float)
    p_cast = p[np.arange(len(p)), y]
    onehot = np.eye(3)[y]
    loss = -np.log(p_cast)
    brier = ((p - onehot) ** 2).sum(axis=1)
    hit = (p.argmax(axis=1) == y).astype(float)
    return loss, brier, hit, p.max(axis=1)


@validated
def forecast_scores(votes: pd.DataFrame) -> pd.DataFrame:
    """Per state-session scores of the forecasts of :func:`rolling_forecast`.

    Parameters
    ----------
    votes
        :attr:`RollingForecast.votes`.

    Returns
    -------
    DataFrame ``country, session, year, n_votes``, the model's ``log_loss, brier,
    accuracy`` and each baseline's (``log_loss_last``, ``brier_majority``, ...), and
    ``null_accuracy`` (the majority baseline's accuracy, so that
    :func:`~hedgewatch.idealpoints.rank_predictability` can read the table too).
    """
    _check_forecast_votes(votes)
    data: dict[str, Any] = {
        "country": votes["country"].astype(str),
        "session": votes["session"],
        "year": votes["year"],
    }
    for pred in PREDICTORS:
        loss, brier, hit, _ = _per_vote(votes, pred)
        sfx = _SUFFIX[pred]
        data[f"log_loss{sfx}"] = loss
        data[f"brier{sfx}"] = brier
        data[f"accuracy{sfx}"] = hit
    frame = pd.DataFrame(data)
    g = frame.groupby(["country", "session"], sort=True)
    out = g.mean(numeric_only=True)
    out.insert(0, "n_votes", g.size().astype("int64"))
    out["year"] = out["year"].astype("int64")
    out["null_accuracy"] = out["accuracy_majority"]
    out = out.reset_index()
    first = ["country", "session", "year", "n_votes"]
    return out[first + [c for c in out.columns if c not in first]]


def _check_forecast_votes(votes: pd.DataFrame) -> None:
    from hedgewatch._validation import check_columns

    need = ["country", "session", "year", "vote"] + [c for p in PREDICTORS for c in prob_columns(p)]
    check_columns(votes, "votes", need, source="RollingForecast.votes")


@validated
def calibration_counts(
    votes: pd.DataFrame, *, n_bins: int = 10, predictors: Sequence[str] = PREDICTORS
) -> pd.DataFrame:
    """Per state-session counts behind a reliability diagram (summable over any window).

    Each vote is put in the bin of its forecast's top probability (``n_bins`` equal bins of
    [0, 1]; the top of three probabilities is at least 1/3).

    Returns
    -------
    DataFrame ``country, session, predictor, bin, n_votes, confidence_sum, hits``: votes
    in the bin, the sum of their top probabilities, and how many were cast as forecast.
    """
    _check_forecast_votes(votes)
    check_number(n_bins, "n_bins", low=2, integer=True)
    parts = []
    for pred in predictors:
        check_choice(pred, "predictors", PREDICTORS)
        _, _, hit, conf = _per_vote(votes, pred)
        b = np.minimum((conf * n_bins).astype(np.int64), n_bins - 1)
        frame = pd.DataFrame(
            {
                "country": votes["country"].astype(str).to_numpy(),
                "session": votes["session"].to_numpy(np.int64),
                "predictor": pred,
                "bin": b,
                "confidence": conf,
                "hit": hit,
            }
        )
        g = frame.groupby(["country", "session", "predictor", "bin"], sort=True)
        agg = g.agg(
            n_votes=("hit", "size"), confidence_sum=("confidence", "sum"), hits=("hit", "sum")
        )
        parts.append(agg.reset_index())
    out = pd.concat(parts, ignore_index=True)
    out["n_bins"] = n_bins
    return out


@validated
def calibration_table(
    counts: pd.DataFrame,
    *,
    countries: Sequence[str] | None = None,
    sessions: Sequence[int] | None = None,
    predictor: str = "model",
) -> pd.DataFrame:
    """Reliability table: per bin of forecast probability, the mean forecast probability and
    the share of votes cast as forecast.

    Parameters
    ----------
    counts
        :func:`calibration_counts` output.
    countries, sessions
        Pool these states / sessions (default all).
    predictor
        ``"model"`` or a baseline.

    Returns
    -------
    DataFrame ``bin, lower, upper, n_votes, mean_probability, observed`` (empty bins
    left out); ``n_votes`` sums to the votes pooled.
    """
    check_choice(predictor, "predictor", PREDICTORS)
    c = counts[counts["predictor"] == predictor]
    if countries is not None:
        c = c[c["country"].isin(list(countries))]
    if sessions is not None:
        c = c[c["session"].isin(list(sessions))]
    n_bins = int(counts["n_bins"].iloc[0]) if len(counts) else 10
    g = c.groupby("bin")[["n_votes", "confidence_sum", "hits"]].sum()
    out = pd.DataFrame(
        {
            "bin": g.index.astype("int64"),
            "lower": g.index / n_bins,
            "upper": (g.index + 1) / n_bins,
            "n_votes": g["n_votes"].astype("int64").to_numpy(),
            "mean_probability": (g["confidence_sum"] / g["n_votes"]).to_numpy(),
            "observed": (g["hits"] / g["n_votes"]).to_numpy(),
        }
    )
    return out.reset_index(drop=True)


_METRICS = ("log_loss", "brier", "accuracy", "skill", "brier_skill")


@validated
def rank_forecasts(
    scores: pd.DataFrame,
    state: str,
    *,
    peers: Sequence[str] | None = None,
    sessions: Sequence[int] | None = None,
    metric: str = "log_loss",
    min_votes: int = 50,
) -> pd.DataFrame:
    """Rank states from least to most predictable out of sample, over a span of sessions.

    Parameters
    ----------
    scores
        :func:`forecast_scores` output.
    state
        The state of interest (``is_target``; always kept).
    peers
        States to rank it against as well (``rank_peers``).
    sessions
        Sessions to pool (default all); means are pooled over votes.
    metric
        ``"log_loss"`` or ``"brier"`` (rank 1 = highest), ``"accuracy"``, ``"skill"`` or
        ``"brier_skill"`` (rank 1 = lowest): rank 1 is the least predictable.
    min_votes
        States with fewer forecast votes are left out (the target is kept).

    Returns
    -------
    DataFrame ``country, n_votes, log_loss, brier, accuracy``, each baseline's pooled
    ``log_loss_<rule>``/``brier_<rule>``, ``best_baseline`` (lowest log-loss),
    ``skill = 1 - log_loss / log_loss_best``, ``brier_skill`` (against the lowest Brier),
    ``rank_all``, ``rank_peers``, ``is_target``; sorted by ``rank_all``.
    """
    check_choice(metric, "metric", _METRICS)
    check_number(min_votes, "min_votes", low=0, integer=True)
    t = scores if sessions is None else scores[scores["session"].isin(list(sessions))]
    if t.empty:
        raise InsufficientDataError(
            f"rank_forecasts(): no forecast votes in sessions {list(sessions or [])}; the "
            f"forecasts cover sessions {sorted(scores['session'].unique().tolist())}."
        )
    cols = [f"{m}{_SUFFIX[p]}" for p in PREDICTORS for m in ("log_loss", "brier", "accuracy")]
    w = t["n_votes"].to_numpy(float)
    weighted = t[cols].mul(w, axis=0).assign(country=t["country"].to_numpy(), n_votes=w)
    g = weighted.groupby("country").sum()
    out = g[cols].div(g["n_votes"], axis=0)
    out.insert(0, "n_votes", g["n_votes"].astype("int64"))
    rules = list(_baselines.RULES)
    ll_rules = out[[f"log_loss_{r}" for r in rules]].to_numpy()
    br_rules = out[[f"brier_{r}" for r in rules]].to_numpy()
    best = ll_rules.argmin(axis=1)
    out["best_baseline"] = np.array(rules)[best]
    out["skill"] = 1.0 - out["log_loss"] / ll_rules.min(axis=1)
    out["brier_skill"] = 1.0 - out["brier"] / br_rules.min(axis=1)
    out = out[(out["n_votes"] >= min_votes) | (out.index == state)]
    ascending = metric in ("accuracy", "skill", "brier_skill")
    out["rank_all"] = out[metric].rank(ascending=ascending, method="min").astype("Int64")
    peer_set = set(peers or []) | {state}
    pr = out.loc[out.index.isin(peer_set), metric].rank(ascending=ascending, method="min")
    out["rank_peers"] = pr.reindex(out.index).astype("Int64")
    out["is_target"] = out.index == state
    return out.reset_index().sort_values(["rank_all", "country"], ignore_index=True)


__all__ = [
    "PREDICTORS",
    "ForecastSummary",
    "RollingForecast",
    "calibration_counts",
    "calibration_table",
    "forecast_scores",
    "rank_forecasts",
    "rolling_forecast",
]
