"""Posterior-mode (MAP) fit of the dynamic ordered-probit model by block Newton ascent.

The log-posterior is concave in the state positions given the roll-call parameters, and in
the roll-call parameters given the positions (the ordered-probit likelihood is log-concave in
its linear index and cut-points; Pratt 1981). The fit alternates one Newton step on every
roll call at once (a (d+2) x (d+2) system each, assembled with ``np.bincount``) and one
Newton step on every state's whole trajectory (a block-tridiagonal system per state: the
likelihood curvature plus the random-walk precision, solved by a vectorised Kalman
recursion). A step that would lower a block's objective is halved for that block only, so
the log-posterior never decreases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from hedgewatch.idealpoints import _tridiag
from hedgewatch.idealpoints._design import Design
from hedgewatch.idealpoints._ordprobit import VoteTerms, vote_terms


@dataclass(frozen=True)
class Priors:
    """Prior scales: first-session position sd, random-walk variance per session,
    discrimination sd and cut-point sd."""

    first_sd: float = 1.0
    drift: float = 0.1
    beta_sd: float = 2.5
    cut_sd: float = 5.0


@dataclass
class State:
    theta: np.ndarray  # (S, T, d)
    beta: np.ndarray  # (K, d)
    cuts: np.ndarray  # (K, 2)
    log_posterior: float = -np.inf
    n_iter: int = 0
    converged: bool = False


class _Model:
    """Vote-level bookkeeping shared by the two Newton blocks."""

    def __init__(self, design: Design, priors: Priors, n_dims: int) -> None:
        self.dz = design
        self.pr = priors
        self.d = n_dims
        y, item = design.y.astype(np.int64), design.item
        self.lo_idx = item * 4 + y
        self.hi_idx = self.lo_idx + 1
        self.hi_sel = np.flatnonzero(y < 2)  # votes whose upper bound is a cut-point
        self.lo_sel = np.flatnonzero(y > 0)
        self.hi_cut = item[self.hi_sel] * 2 + y[self.hi_sel]
        self.lo_cut = item[self.lo_sel] * 2 + y[self.lo_sel] - 1
        self.mid_sel = np.flatnonzero(y == 1)
        s, t = design.active.shape
        self.shape = (s, t)
        self.w = np.where(
            design.link_gap > 0, 1.0 / (priors.drift * np.maximum(design.link_gap, 1)), 0.0
        )
        self.first = design.active & ~np.concatenate(
            [np.zeros((s, 1), bool), design.active[:, :-1]], axis=1
        )

    # -- likelihood pass --------------------------------------------------------------
    def terms(self, st: State) -> tuple[np.ndarray, VoteTerms]:
        theta = st.theta.reshape(-1, self.d)[self.dz.unit]
        eta = (
            np.einsum("nd,nd->n", theta, st.beta[self.dz.item])
            if self.d > 1
            else (theta[:, 0] * st.beta[self.dz.item, 0])
        )
        cutx = np.column_stack(
            [np.full(len(st.cuts), -np.inf), st.cuts, np.full(len(st.cuts), np.inf)]
        ).ravel()
        return theta, vote_terms(cutx[self.lo_idx] - eta, cutx[self.hi_idx] - eta)

    # -- priors -----------------------------------------------------------------------
    def chain_logprior(self, theta: np.ndarray) -> np.ndarray:
        """Log prior of each state's trajectory, shape (S,)."""
        lp = -0.5 * (self.first[..., None] * theta**2).sum((1, 2)) / self.pr.first_sd**2
        step = np.diff(theta, axis=1)
        return lp - 0.5 * (self.w[..., None] * step**2).sum((1, 2))

    def item_logprior(self, beta: np.ndarray, cuts: np.ndarray) -> np.ndarray:
        return (
            -0.5 * (beta**2).sum(1) / self.pr.beta_sd**2
            - 0.5 * (cuts**2).sum(1) / self.pr.cut_sd**2
        )

    def state_objective(self, st: State, vt: VoteTerms) -> np.ndarray:
        s, t = self.shape
        ll = np.bincount(self.dz.state, vt.logp, minlength=s)
        return ll + self.chain_logprior(st.theta)

    def item_objective(self, st: State, vt: VoteTerms) -> np.ndarray:
        ll = np.bincount(self.dz.item, vt.logp, minlength=len(st.cuts))
        return ll + self.item_logprior(st.beta, st.cuts)

    # -- Newton steps ------------------------------------------------------------------
    def theta_step(self, st: State, vt: VoteTerms) -> np.ndarray:
        """Newton direction for every trajectory, shape (S, T, d)."""
        s, t = self.shape
        u, d = s * t, self.d
        b = st.beta[self.dz.item]
        g, h = vt.g, vt.h
        grad = np.stack([np.bincount(self.dz.unit, g * b[:, k], minlength=u) for k in range(d)], 1)
        info = np.empty((u, d, d))
        for k in range(d):
            for m in range(k, d):
                info[:, k, m] = info[:, m, k] = -np.bincount(
                    self.dz.unit, h * b[:, k] * b[:, m], minlength=u
                )
        grad = grad.reshape(s, t, d)
        info = info.reshape(s, t, d, d)
        diag, rhs = self._add_chain_prior(st.theta, grad, info)
        return _tridiag.solve(diag, self.w, rhs)

    def precision(self, st: State, vt: VoteTerms) -> np.ndarray:
        """Diagonal blocks of the posterior precision of the positions (Laplace)."""
        s, t = self.shape
        u, d = s * t, self.d
        b = st.beta[self.dz.item]
        info = np.empty((u, d, d))
        for k in range(d):
            for m in range(k, d):
                info[:, k, m] = info[:, m, k] = -np.bincount(
                    self.dz.unit, vt.h * b[:, k] * b[:, m], minlength=u
                )
        diag, _ = self._add_chain_prior(st.theta, np.zeros((s, t, d)), info.reshape(s, t, d, d))
        return diag

    def _add_chain_prior(
        self, theta: np.ndarray, grad: np.ndarray, info: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        d = self.d
        eye = np.eye(d)
        w_prev = np.pad(self.w, ((0, 0), (1, 0)))
        w_next = np.pad(self.w, ((0, 0), (0, 1)))
        prec = w_prev + w_next + self.first / self.pr.first_sd**2
        diag = info + prec[..., None, None] * eye
        # Prior gradient: -P theta, with P the random-walk precision.
        nb = np.zeros_like(theta)
        nb[:, 1:] += self.w[..., None] * theta[:, :-1]
        nb[:, :-1] += self.w[..., None] * theta[:, 1:]
        rhs = grad - prec[..., None] * theta + nb
        inactive = ~self.dz.active
        diag[inactive] = eye
        rhs[inactive] = 0.0
        return diag, rhs

    def item_step(
        self, st: State, theta_v: np.ndarray, vt: VoteTerms
    ) -> tuple[np.ndarray, np.ndarray]:
        """Newton direction for every roll-call group: (dbeta (K, d), dcuts (K, 2))."""
        k_n, d = len(st.cuts), self.d
        p = d + 2
        grad = np.zeros((k_n, p))
        info = np.zeros((k_n, p, p))
        item = self.dz.item
        g, h = vt.g, vt.h
        for k in range(d):
            grad[:, k] = np.bincount(item, g * theta_v[:, k], minlength=k_n)
            for m in range(k, d):
                info[:, k, m] = info[:, m, k] = -np.bincount(
                    item, h * theta_v[:, k] * theta_v[:, m], minlength=k_n
                )
        hs, ls = self.hi_sel, self.lo_sel
        gc = np.bincount(self.hi_cut, vt.lb[hs], minlength=2 * k_n) + np.bincount(
            self.lo_cut, vt.la[ls], minlength=2 * k_n
        )
        grad[:, d:] = gc.reshape(k_n, 2)
        hc = np.bincount(self.hi_cut, vt.lbb[hs], minlength=2 * k_n) + np.bincount(
            self.lo_cut, vt.laa[ls], minlength=2 * k_n
        )
        hc = hc.reshape(k_n, 2)
        info[:, d, d], info[:, d + 1, d + 1] = -hc[:, 0], -hc[:, 1]
        mid = self.mid_sel
        off = np.bincount(item[mid], vt.lab[mid], minlength=k_n)
        info[:, d, d + 1] = info[:, d + 1, d] = -off
        dgb = -(vt.lab + vt.lbb)  # d g / d hi
        dga = -(vt.laa + vt.lab)  # d g / d lo
        for k in range(d):
            cross = np.bincount(self.hi_cut, dgb[hs] * theta_v[hs, k], minlength=2 * k_n)
            cross += np.bincount(self.lo_cut, dga[ls] * theta_v[ls, k], minlength=2 * k_n)
            cross = cross.reshape(k_n, 2)
            info[:, k, d:] = -cross
            info[:, d:, k] = -cross
        grad[:, :d] -= st.beta / self.pr.beta_sd**2
        grad[:, d:] -= st.cuts / self.pr.cut_sd**2
        info[:, np.arange(d), np.arange(d)] += 1.0 / self.pr.beta_sd**2
        info[:, np.arange(d, p), np.arange(d, p)] += 1.0 / self.pr.cut_sd**2
        _tie(info, grad, self.dz.tied, d)
        step = np.linalg.solve(info, grad[..., None])[..., 0]
        step[self.dz.tied, d + 1] = step[self.dz.tied, d]
        return step[:, :d], step[:, d:]


def _tie(info: np.ndarray, grad: np.ndarray, tied: np.ndarray, d: int) -> None:
    """Constrain c1 = c2 for groups without abstentions (in place)."""
    if not tied.any():
        return
    c1, c2 = d, d + 1
    sub = info[tied]
    sub[:, :, c1] += sub[:, :, c2]
    sub[:, c1, :] += sub[:, c2, :]
    sub[:, c2, :] = 0.0
    sub[:, :, c2] = 0.0
    sub[:, c2, c2] = 1.0
    info[tied] = sub
    gs = grad[tied]
    gs[:, c1] += gs[:, c2]
    gs[:, c2] = 0.0
    grad[tied] = gs


def initial_state(design: Design, n_dims: int) -> State:
    """Static start: principal components of the state x roll-call matrix; cut-points from
    each roll call's vote shares."""
    s, t = design.active.shape
    k_n = design.n_items
    state = design.state
    code = design.y.astype(float) - 1.0
    cell = state * k_n + design.item
    m = np.bincount(cell, code, minlength=s * k_n).reshape(s, k_n)
    c = np.bincount(cell, minlength=s * k_n).reshape(s, k_n).astype(float)
    seen = c > 0
    m = np.divide(m, c, out=np.zeros_like(m), where=seen)
    col_mean = m.sum(0) / np.maximum(seen.sum(0), 1)
    m = np.where(seen, m - col_mean, 0.0)
    u, sv, _ = np.linalg.svd(m, full_matrices=False)
    x = u[:, :n_dims] * sv[:n_dims]
    x = (x - x.mean(0)) / np.where(x.std(0) > 0, x.std(0), 1.0)
    theta = np.where(design.active[..., None], x[:, None, :], 0.0)
    counts = np.stack([np.bincount(design.item[design.y == k], minlength=k_n) for k in range(3)], 1)
    share = (counts + 0.5) / (counts.sum(1, keepdims=True) + 1.5)
    cuts = ndtri(np.cumsum(share, axis=1)[:, :2])
    cuts[design.tied, 1] = cuts[design.tied, 0]
    return State(theta=theta, beta=np.zeros((k_n, n_dims)), cuts=cuts)


def fit_map(
    design: Design,
    priors: Priors,
    n_dims: int,
    max_iter: int,
    tol: float,
    start: State | None = None,
    callback: Callable[[int, float], None] | None = None,
) -> tuple[State, _Model, VoteTerms]:
    """Block Newton ascent to the posterior mode."""
    model = _Model(design, priors, n_dims)
    st = start if start is not None else initial_state(design, n_dims)
    theta_v, vt = model.terms(st)
    st.log_posterior = _log_posterior(model, st, vt)
    n_eval = 0
    for it in range(1, max_iter + 1):
        lp_old = st.log_posterior
        st, theta_v, vt, used = _squarem_cycle(model, st, theta_v, vt)
        n_eval += used
        st.n_iter = it
        if callback is not None:
            callback(it, st.log_posterior)
        if abs(st.log_posterior - lp_old) <= tol * abs(st.log_posterior):
            st.converged = True
            break
    return st, model, vt


def _ascent(model: _Model, st: State, theta_v: np.ndarray, vt: VoteTerms):
    """One monotone sweep: Newton step on the roll calls, then on the trajectories."""
    st, theta_v, vt = _items_update(model, st, theta_v, vt)
    st, theta_v, vt = _theta_update(model, st, vt)
    st.log_posterior = _log_posterior(model, st, vt)
    return st, theta_v, vt


def _squarem_cycle(model: _Model, x0: State, theta_v: np.ndarray, vt: VoteTerms):
    """Two sweeps, then a squared extrapolation along them (SQUAREM; Varadhan & Roland
    2008, Scandinavian Journal of Statistics), kept only if it raises the log-posterior."""
    x1, t1, v1 = _ascent(model, x0, theta_v, vt)
    x2, t2, v2 = _ascent(model, x1, t1, v1)
    p0, p1, p2 = (_pack(x) for x in (x0, x1, x2))
    r = p1 - p0
    v = p2 - p1 - r
    nv = np.linalg.norm(v)
    if nv == 0:
        return x2, t2, v2, 2
    alpha = min(-1.0, -np.linalg.norm(r) / nv)
    for _ in range(5):
        cand = _unpack(p0 - 2 * alpha * r + alpha * alpha * v, x0)
        if model.dz.tied.all() or np.all(
            (cand.cuts[:, 1] - cand.cuts[:, 0] > 1e-8) | model.dz.tied
        ):
            cand.cuts[model.dz.tied, 1] = cand.cuts[model.dz.tied, 0]
            tc, vc = model.terms(cand)
            cand.log_posterior = _log_posterior(model, cand, vc)
            x3, t3, v3 = _ascent(model, cand, tc, vc)
            if x3.log_posterior >= x2.log_posterior:
                return x3, t3, v3, 3
        alpha = (alpha - 1.0) / 2.0
        if alpha > -1.0 + 1e-9:
            break
    return x2, t2, v2, 2


def _pack(st: State) -> np.ndarray:
    return np.concatenate([st.theta.ravel(), st.beta.ravel(), st.cuts.ravel()])


def _unpack(vec: np.ndarray, like: State) -> State:
    n1, n2 = like.theta.size, like.beta.size
    return State(
        theta=vec[:n1].reshape(like.theta.shape),
        beta=vec[n1 : n1 + n2].reshape(like.beta.shape),
        cuts=vec[n1 + n2 :].reshape(like.cuts.shape).copy(),
    )


def _log_posterior(model: _Model, st: State, vt: VoteTerms) -> float:
    return float(
        vt.logp.sum()
        + model.chain_logprior(st.theta).sum()
        + model.item_logprior(st.beta, st.cuts).sum()
    )


def _items_update(model: _Model, st: State, theta_v: np.ndarray, vt: VoteTerms):
    db, dc = model.item_step(st, theta_v, vt)
    old = model.item_objective(st, vt)
    scale = np.ones(len(st.cuts))
    untied = ~model.dz.tied
    for _ in range(30):
        cuts = st.cuts + scale[:, None] * dc
        bad = untied & (cuts[:, 1] - cuts[:, 0] < 1e-8)
        if not bad.any():
            break
        scale[bad] *= 0.5
    for _ in range(30):
        new = State(st.theta, st.beta + scale[:, None] * db, st.cuts + scale[:, None] * dc)
        theta_v, vt_new = model.terms(new)
        worse = model.item_objective(new, vt_new) < old - 1e-9 * np.abs(old)
        if not worse.any():
            break
        scale[worse] = np.where(scale[worse] < 1e-6, 0.0, scale[worse] * 0.5)
    return new, theta_v, vt_new


def _theta_update(model: _Model, st: State, vt: VoteTerms):
    step = model.theta_step(st, vt)
    old = model.state_objective(st, vt)
    scale = np.ones(model.shape[0])
    for _ in range(30):
        new = State(st.theta + scale[:, None, None] * step, st.beta, st.cuts)
        theta_v, vt_new = model.terms(new)
        worse = model.state_objective(new, vt_new) < old - 1e-9 * np.abs(old)
        if not worse.any():
            break
        scale[worse] = np.where(scale[worse] < 1e-6, 0.0, scale[worse] * 0.5)
    return new, theta_v, vt_new
