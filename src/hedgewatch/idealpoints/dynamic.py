"""Dynamic ideal points from UN General Assembly votes (Bailey, Strezhnev & Voeten 2017).

Model. State ``i`` in session ``t`` has a position ``theta_it`` (1-D by default). On roll call
``j`` its latent utility is ``y* = beta_j . theta_it + e`` with ``e ~ N(0, 1)``; it votes no
when ``y* < c1_j``, abstains when ``c1_j < y* < c2_j`` and votes yes above ``c2_j`` (ordered
probit). Positions drift as a Gaussian random walk, ``theta_it ~ N(theta_i,t-1, drift * gap)``,
with ``theta`` at a state's first session ``~ N(0, first_sd^2)`` and every position also
shrunk by ``N(0, scale_sd^2)``. Roll calls that BSV's
bridging list marks as the same resolution share ``beta`` and the cut-points, which makes
positions comparable across sessions. Priors: ``beta ~ N(0, beta_sd^2)``,
``c ~ N(0, cut_sd^2)``.

Estimation is the posterior mode (see :mod:`hedgewatch.idealpoints._fit`), with Laplace
intervals (or a parametric bootstrap). Identification: higher = closer to the United States
(the US-led liberal order), as in BSV.

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430-456.

Imai, K., Lo, J. & Olmsted, J. (2016). Fast estimation of ideal points with massive data.
*American Political Science Review* 110(4), 631-656.

Varadhan, R. & Roland, C. (2008). Simple and globally convergent methods for accelerating
the convergence of any EM algorithm. *Scandinavian Journal of Statistics* 35(2), 335-353.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from hedgewatch._base import BaseEstimator, Constraints
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_known, validated
from hedgewatch.errors import ConvergenceWarning, ParameterError
from hedgewatch.idealpoints import _fit, _tridiag
from hedgewatch.idealpoints._design import (
    VOTE_LABELS,
    Design,
    build_design,
    check_votes,
    with_votes,
)
from hedgewatch.idealpoints._ordprobit import category_probs

#: The country whose positions are made positive (BSV: the US-led liberal order is high).
DEFAULT_ANCHOR = "USA"


@dataclass(frozen=True)
class IdealPointResult:
    """A fitted dynamic ideal-point model.

    Attributes
    ----------
    points
        One row per state-session with votes: ``country, session, year, n_votes,
        ideal_point, se, lower, upper`` (and ``ideal_point_2, se_2, lower_2, upper_2`` in 2-D).
    items
        One row per roll call used: ``rcid, session, item`` (bridged roll calls share an
        item), ``discrimination`` (``discrimination_2``), ``cut_1`` (no | abstain) and
        ``cut_2`` (abstain | yes).
    info
        Fit settings and diagnostics: ``n_dims, n_iter, converged, log_posterior,
        seconds, n_votes, n_roll_calls, n_items, level, uncertainty``, the priors, and
        ``notes`` (what was dropped or weakly identified, and why).
    """

    points: pd.DataFrame
    items: pd.DataFrame
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_dims(self) -> int:
        return int(self.info.get("n_dims", 1))

    def to_frame(self) -> pd.DataFrame:
        """Ideal points: ``country, session, year, ideal_point, lower, upper, n_votes``
        (plus ``se`` and the second dimension's columns when fitted)."""
        first = ["country", "session", "year", "ideal_point", "lower", "upper", "n_votes", "se"]
        rest = [c for c in self.points.columns if c not in first]
        return self.points[first + rest].copy()

    def to_table(self) -> pd.DataFrame:
        """Everything in one DataFrame (for :meth:`Store.cached` or Parquet)."""
        p = self.points.assign(table="points")
        it = self.items.assign(table="items")
        info = dict(self.info) | {
            "columns": {"points": list(self.points.columns), "items": list(self.items.columns)}
        }
        meta = pd.DataFrame({"table": ["info"], "info_json": [json.dumps(info)]})
        return pd.concat([p, it, meta], ignore_index=True)

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> IdealPointResult:
        """Rebuild a result written by :meth:`to_table` (a
        :class:`~hedgewatch.errors.ParameterError` for any other table)."""
        try:
            info = json.loads(table.loc[table["table"] == "info", "info_json"].iloc[0])
            cols = info.pop("columns")
            points = table.loc[table["table"] == "points", cols["points"]].reset_index(drop=True)
            items = table.loc[table["table"] == "items", cols["items"]].reset_index(drop=True)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            raise ParameterError(
                "The 'table' parameter of IdealPointResult.from_table() must be a table written "
                "by IdealPointResult.to_table() (columns 'table', 'info_json', the points and "
                f"the items); got one with columns {list(table.columns)[:8]}."
            ) from None
        for col in ("session", "year", "n_votes"):
            points[col] = points[col].astype("int64")
        for col in ("rcid", "session", "item"):
            items[col] = items[col].astype("int64")
        points["country"] = points["country"].astype(str)
        return cls(points=points, items=items, info=info)

    def vote_probabilities(self, votes: pd.DataFrame) -> np.ndarray:
        """Fitted probabilities of no / abstain / yes for each row of ``votes``.

        Rows whose country-session or roll call is not in the fit (a roll call dropped as
        unanimous, a session outside the data) get NaN: the model has no position or
        roll-call parameters for them.
        """
        v = check_votes(votes)
        d = self.n_dims
        pt = self.points.set_index(["country", "session"])
        key = pd.MultiIndex.from_arrays([v["country"].astype(str), v["session"].astype("int64")])
        cols = ["ideal_point"] + [f"ideal_point_{k}" for k in range(2, d + 1)]
        theta = pt.reindex(key)[cols].to_numpy(float)
        it = self.items.set_index("rcid")
        bcols = ["discrimination"] + [f"discrimination_{k}" for k in range(2, d + 1)]
        per_vote = it.reindex(v["rcid"].to_numpy())
        beta = per_vote[bcols].to_numpy(float)
        cuts = per_vote[["cut_1", "cut_2"]].to_numpy(float)
        eta = (theta * beta).sum(axis=1)
        ok = np.isfinite(eta) & np.isfinite(cuts).all(axis=1)
        out = np.full((len(v), 3), np.nan)
        found = np.flatnonzero(ok)
        # Row by row arithmetic: in blocks, so the temporaries stay small (memory).
        for i in range(0, len(found), _PROB_BLOCK):
            r = found[i : i + _PROB_BLOCK]
            out[r] = category_probs(eta[r], cuts[r])
        return out


_PROB_BLOCK = 65_536

_CONSTRAINTS: Constraints = {
    "n_dims": (lambda x: isinstance(x, int | np.integer) and x in (1, 2), "1 or 2"),
    "drift": (lambda x: _pos(x), "a positive number"),
    "first_sd": (lambda x: _pos(x), "a positive number"),
    "scale_sd": (lambda x: _pos(x) or x == float("inf"), "a positive number or inf"),
    "beta_sd": (lambda x: _pos(x), "a positive number"),
    "cut_sd": (lambda x: _pos(x), "a positive number"),
    "max_iter": (lambda x: isinstance(x, int | np.integer) and bool(x >= 1), "a positive integer"),
    "tol": (lambda x: _pos(x), "a positive number"),
    "level": (lambda x: _pos(x) and bool(x < 1), "a number between 0 and 1"),
    "uncertainty": (
        lambda x: x in ("laplace", "bootstrap", "none"),
        "one of 'laplace', 'bootstrap', 'none'",
    ),
    "n_boot": (lambda x: isinstance(x, int | np.integer) and bool(x >= 2), "an integer >= 2"),
    "seed": (lambda x: x is None or isinstance(x, int | np.integer), "an integer or None"),
    "anchor": (lambda x: isinstance(x, str) and len(x) > 0, "an ISO3 country code"),
}


def _pos(x: object) -> bool:
    return isinstance(x, int | float | np.floating | np.integer) and bool(np.isfinite(x) and x > 0)


class DynamicIdealPoints(BaseEstimator):
    """Dynamic ordered-probit ideal points, fitted by block-Newton MAP in seconds.

    Parameters
    ----------
    n_dims
        1 (default, BSV's single dimension) or 2.
    drift
        Variance of a position's change from one session to the next (random walk).
    first_sd, beta_sd, cut_sd
        Prior sd of a state's first position, of discriminations and of cut-points.
    scale_sd
        Sd of a shrinkage prior ``N(0, scale_sd^2)`` on every position, on top of the random
        walk (BSV standardise positions at every sampler iteration instead; ``inf`` turns it
        off). It keeps the most extreme states from running away and makes the fit
        converge in a few cycles. The defaults (``drift=0.15, scale_sd=1.5, beta_sd=0.6``)
        were chosen by agreement with BSV's published estimates for sessions 1-50 only.
    max_iter, tol
        At most ``max_iter`` accelerated cycles; stop when the log-posterior changes by
        less than ``tol`` relative.
    level
        Coverage of the reported intervals.
    uncertainty
        ``"laplace"`` (curvature of the posterior in the positions, roll-call parameters
        held at their mode: fast, somewhat too narrow), ``"bootstrap"`` (parametric:
        ``n_boot`` refits to votes simulated from the fit; slower, includes roll-call
        uncertainty) or ``"none"``.
    n_boot
        Bootstrap replicates.
    seed
        Seed of the bootstrap's random numbers (the MAP fit itself is deterministic).
    anchor
        Country made positive on every dimension (default ``"USA"``).

    Examples
    --------
    Fitting the whole record takes 5-7 s on two shared cores, too long for the docstring
    tests, hence the skips:

    >>> import hedgewatch as hw
    >>> from hedgewatch.idealpoints import DynamicIdealPoints
    >>> res = DynamicIdealPoints().fit(hw.votes())            # doctest: +SKIP
    >>> res.to_frame().query("country == 'PRK'").tail()     # doctest: +SKIP

    References
    ----------
    Bailey, Strezhnev & Voeten (2017), *Journal of Conflict Resolution* 61(2):430-456.
    Imai, Lo & Olmsted (2016), *American Political Science Review* 110(4):631-656.
    """

    @deprecated_args(keyword_only=True)
    def __init__(
        self,
        *,
        n_dims: int = 1,
        drift: float = 0.15,
        first_sd: float = 1.0,
        scale_sd: float = 1.5,
        beta_sd: float = 0.6,
        cut_sd: float = 5.0,
        max_iter: int = 500,
        tol: float = 1e-6,
        level: float = 0.95,
        uncertainty: str = "laplace",
        n_boot: int = 20,
        seed: int | None = 0,
        anchor: str = DEFAULT_ANCHOR,
    ) -> None:
        self.n_dims = n_dims
        self.drift = drift
        self.first_sd = first_sd
        self.scale_sd = scale_sd
        self.beta_sd = beta_sd
        self.cut_sd = cut_sd
        self.max_iter = max_iter
        self.tol = tol
        self.level = level
        self.uncertainty = uncertainty
        self.n_boot = n_boot
        self.seed = seed
        self.anchor = anchor

    _parameter_constraints = _CONSTRAINTS

    @validated
    def fit(
        self,
        votes: pd.DataFrame,
        bridges: pd.DataFrame | None = None,
        *,
        callback: Callable[[int, float], None] | None = None,
    ) -> IdealPointResult:
        """Fit the model to a tidy votes DataFrame.

        Parameters
        ----------
        votes
            Rows ``rcid, session, country, vote`` (``year`` optional), as returned by
            :func:`hedgewatch.votes`; ``absent`` votes are ignored.
        bridges
            Pairs ``rcid1, rcid2`` of roll calls that share parameters (BSV's list, see
            :func:`hedgewatch.sources.bridges.read_bridges`, optionally extended with
            :func:`hedgewatch.idealpoints.title_bridges`).
        callback
            Called as ``callback(iteration, log_posterior)`` after each cycle.

        Returns
        -------
        IdealPointResult
        """
        self._validate_params()
        t0 = time.perf_counter()
        design = build_design(votes, bridges)
        priors = _fit.Priors(self.first_sd, self.drift, self.beta_sd, self.cut_sd, self.scale_sd)
        st, model, _ = _fit.fit_map(
            design, priors, self.n_dims, self.max_iter, self.tol, callback=callback
        )
        notes = list(design.notes)
        notes += _orient(st, design, self.anchor)
        if not st.converged:
            message = f"not converged after {st.n_iter} cycles (tol {self.tol}); raise max_iter"
            notes.append(message)
            warnings.warn(f"DynamicIdealPoints.fit(): {message}.", ConvergenceWarning, stacklevel=3)
        cov = self._uncertainty(design, model, st, priors, notes)
        seconds = time.perf_counter() - t0
        info = {
            "n_dims": self.n_dims,
            "n_iter": st.n_iter,
            "converged": bool(st.converged),
            "log_posterior": st.log_posterior,
            "seconds": seconds,
            "n_votes": len(design.y),
            "n_roll_calls": len(design.rcid_item),
            "n_items": design.n_items,
            "level": self.level,
            "uncertainty": self.uncertainty,
            "params": {k: v for k, v in self.get_params().items() if k != "seed"}
            | {"seed": self.seed},
            "notes": notes,
        }
        return IdealPointResult(
            _points_frame(design, st, cov, self.level), _items_frame(design, st), info
        )

    def _uncertainty(
        self, design: Design, model: Any, st: _fit.State, priors: _fit.Priors, notes: list[str]
    ) -> np.ndarray | None:
        if self.uncertainty == "none":
            return None
        if self.uncertainty == "laplace":
            return _tridiag.marginal_cov(
                model.precision(st, model.evaluate(st, need="theta")), model.w
            )
        return _bootstrap_cov(design, st, priors, self.n_dims, self.n_boot, self.seed, notes)


def _orient(st: _fit.State, design: Design, anchor: str) -> list[str]:
    """Rotate 2-D solutions to principal axes, then make the anchor country positive."""
    has = design.n_votes > 0
    if st.theta.shape[-1] > 1:
        x = st.theta[has]
        _, vecs = np.linalg.eigh(np.cov(x.T))
        rot = vecs[:, ::-1]
        st.theta = st.theta @ rot
        st.beta = st.beta @ rot
    where = np.flatnonzero(design.countries == anchor)
    if len(where) == 0:
        return [
            f"anchor country {anchor!r} not in the data: the sign of each dimension is arbitrary"
        ]
    mean = st.theta[where[0]][has[where[0]]].mean(axis=0)
    sign = np.where(mean < 0, -1.0, 1.0)
    st.theta = st.theta * sign
    st.beta = st.beta * sign
    return []


def _points_frame(
    design: Design, st: _fit.State, cov: np.ndarray | None, level: float
) -> pd.DataFrame:
    s_n, t_n = design.active.shape
    has = design.n_votes > 0
    si, ti = np.nonzero(has)
    z = ndtri(0.5 + level / 2)
    df = pd.DataFrame(
        {
            "country": design.countries[si],
            "session": design.sessions[ti].astype("int64"),
            "year": design.session_year[ti].astype("int64"),
            "n_votes": design.n_votes[si, ti].astype("int64"),
        }
    )
    for k in range(st.theta.shape[-1]):
        sfx = "" if k == 0 else f"_{k + 1}"
        x = st.theta[si, ti, k]
        se = np.sqrt(cov[si, ti, k, k]) if cov is not None else np.full(len(si), np.nan)
        df["ideal_point" + sfx] = x
        df["se" + sfx] = se
        df["lower" + sfx] = x - z * se
        df["upper" + sfx] = x + z * se
    return df.sort_values(["country", "session"], ignore_index=True)


def _items_frame(design: Design, st: _fit.State) -> pd.DataFrame:
    ri = design.rcid_item
    df = ri[["rcid", "session", "item"]].copy()
    for k in range(st.beta.shape[1]):
        df["discrimination" + ("" if k == 0 else f"_{k + 1}")] = st.beta[ri["item"], k]
    df["cut_1"] = st.cuts[ri["item"], 0]
    df["cut_2"] = st.cuts[ri["item"], 1]
    return df


def _bootstrap_cov(
    design: Design,
    st: _fit.State,
    priors: _fit.Priors,
    n_dims: int,
    n_boot: int,
    seed: int | None,
    notes: list[str],
) -> np.ndarray:
    """Parametric bootstrap: simulate votes from the fit, refit from the mode, and take
    the variance of the refitted positions."""
    rng = np.random.default_rng(seed)
    theta_v = st.theta.reshape(-1, n_dims)[design.unit]
    eta = (theta_v * st.beta[design.item]).sum(axis=1)
    probs = category_probs(eta, st.cuts[design.item])
    cum = probs.cumsum(axis=1)
    draws = []
    for _ in range(n_boot):
        u = rng.random(len(eta))
        y = (u[:, None] > cum[:, :2]).sum(axis=1).astype(np.int8)
        sim = with_votes(design, y)
        # Tied roll calls have abstain probability 0, so simulated votes keep them tied.
        start = _fit.State(st.theta.copy(), st.beta.copy(), st.cuts.copy())
        fit, _, _ = _fit.fit_map(sim, priors, n_dims, 50, 1e-6, start=start)
        draws.append(fit.theta)
    arr = np.stack(draws)
    dev = arr - arr.mean(axis=0)
    notes.append(f"intervals from a parametric bootstrap of {n_boot} refits (seed {seed})")
    return np.einsum("bstk,bstm->stkm", dev, dev) / (n_boot - 1)


def check_countries(result: IdealPointResult, countries: Sequence[str], name: str) -> list[str]:
    """Resolve country codes against a fit; raise with the valid codes when one is absent."""
    return check_known(countries, result.points["country"], name, "the fit")


__all__ = ["DEFAULT_ANCHOR", "DynamicIdealPoints", "IdealPointResult", "VOTE_LABELS"]
