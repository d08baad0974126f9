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
from hedgewatch.idealpoints._kernels import Eval, evaluate, make_parts, n_threads


@dataclass(frozen=True)
class Priors:
    """Prior scales: first-session position sd, random-walk variance per session,
    discrimination sd and cut-point sd."""

    first_sd: float = 1.0
    drift: float = 0.1
    beta_sd: float = 2.5
    cut_sd: float = 5.0
    scale_sd: float = np.inf  # sd of a shrinkage prior on every position (inf: none)


@dataclass
class State:
    theta: np.ndarray  # (S, T, d)
    beta: np.ndarray  # (K, d)
    cuts: np.ndarray  # (K, 2)
    log_posterior: float = -np.inf
    n_iter: int = 0
    converged: bool = False


class _Model:
    """Index bookkeeping, priors and the two Newton blocks."""

    def __init__(self, design: Design, priors: Priors, n_dims: int) -> None:
        self.dz = design
        self.pr = priors
        self.d = n_dims
        y = design.y
        if np.any(np.diff(y) < 0):
            raise ValueError("internal: the design's votes must be sorted by category")
        self.parts = make_parts(y, design.item, design.unit, n_threads())
        s, t = design.active.shape
        self.shape = (s, t)
        gap = np.maximum(design.link_gap, 1)
        self.w = np.where(design.link_gap > 0, 1.0 / (priors.drift * gap), 0.0)
        self.first = design.active & ~np.concatenate(
            [np.zeros((s, 1), bool), design.active[:, :-1]], axis=1
        )

    def evaluate(self, st: State, need: str = "all") -> Eval:
        return evaluate(self, st.theta, st.beta, st.cuts, need)

    # -- priors -----------------------------------------------------------------------
    def chain_logprior(self, theta: np.ndarray) -> np.ndarray:
        """Log prior of each state's trajectory, shape (S,)."""
        lp = -0.5 * (self.first[..., None] * theta**2).sum((1, 2)) / self.pr.first_sd**2
        lp -= 0.5 * (self.dz.active[..., None] * theta**2).sum((1, 2)) / self.pr.scale_sd**2
        step = np.diff(theta, axis=1)
        return lp - 0.5 * (self.w[..., None] * step**2).sum((1, 2))

    def item_logprior(self, beta: np.ndarray, cuts: np.ndarray) -> np.ndarray:
        pb = (beta**2).sum(1) / self.pr.beta_sd**2
        return -0.5 * pb - 0.5 * (cuts**2).sum(1) / self.pr.cut_sd**2

    def state_objective(self, st: State, ev: Eval) -> np.ndarray:
        return ev.ll_state + self.chain_logprior(st.theta)

    def item_objective(self, st: State, ev: Eval) -> np.ndarray:
        return ev.ll_item + self.item_logprior(st.beta, st.cuts)

    def log_posterior(self, st: State, ev: Eval) -> float:
        return float(
            ev.ll_state.sum()
            + self.chain_logprior(st.theta).sum()
            + self.item_logprior(st.beta, st.cuts).sum()
        )

    # -- Newton steps ------------------------------------------------------------------
    def theta_step(self, st: State, ev: Eval) -> np.ndarray:
        """Newton direction for every trajectory, shape (S, T, d)."""
        s, t = self.shape
        d = self.d
        assert ev.g_theta is not None and ev.h_theta is not None  # evaluated with need="theta"
        diag, rhs = self._add_chain_prior(
            st.theta, ev.g_theta.reshape(s, t, d), ev.h_theta.reshape(s, t, d, d)
        )
        return _tridiag.solve(diag, self.w, rhs)

    def precision(self, st: State, ev: Eval) -> np.ndarray:
        """Diagonal blocks of the posterior precision of the positions (Laplace)."""
        s, t = self.shape
        d = self.d
        assert ev.h_theta is not None  # evaluated with need="theta"
        diag, _ = self._add_chain_prior(
            st.theta, np.zeros((s, t, d)), ev.h_theta.reshape(s, t, d, d)
        )
        return diag

    def _add_chain_prior(
        self, theta: np.ndarray, grad: np.ndarray, info: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        eye = np.eye(self.d)
        w_prev = np.pad(self.w, ((0, 0), (1, 0)))
        w_next = np.pad(self.w, ((0, 0), (0, 1)))
        prec = w_prev + w_next + self.first / self.pr.first_sd**2 + 1.0 / self.pr.scale_sd**2
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

    def item_step(self, st: State, ev: Eval) -> tuple[np.ndarray, np.ndarray]:
        """Newton direction for every roll-call group: (dbeta (K, d), dcuts (K, 2))."""
        d = self.d
        p = d + 2
        assert ev.g_item is not None and ev.h_item is not None  # evaluated with need="items"
        grad = ev.g_item.copy()
        info = ev.h_item.copy()
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
    # Leading eigenvectors of the small state x state Gram matrix = left singular vectors.
    vals, vecs = np.linalg.eigh(m @ m.T)
    x = vecs[:, ::-1][:, :n_dims] * np.sqrt(np.maximum(vals[::-1][:n_dims], 0.0))
    x = (x - x.mean(0)) / np.where(x.std(0) > 0, x.std(0), 1.0)
    theta = np.where(design.active[..., None], x[:, None, :], 0.0)
    return State(theta=theta, beta=np.zeros((k_n, n_dims)), cuts=share_cuts(design))


def share_cuts(design: Design) -> np.ndarray:
    """Starting cut-points of every group from its vote shares (no | abstain | yes)."""
    k_n = design.n_items
    counts = np.stack([np.bincount(design.item[design.y == k], minlength=k_n) for k in range(3)], 1)
    share = (counts + 0.5) / (counts.sum(1, keepdims=True) + 1.5)
    cuts = ndtri(np.cumsum(share, axis=1)[:, :2])
    cuts[design.tied, 1] = cuts[design.tied, 0]
    return cuts


def fit_items(design: Design, st: State, priors: Priors, which: np.ndarray, steps: int = 6) -> None:
    """Newton steps on the roll-call groups ``which`` (a mask) with the positions held,
    using their votes only; updates ``st.beta`` and ``st.cuts`` in place."""
    if not which.any():
        return
    keep = which[design.item]
    sub = Design(
        **{
            **design.__dict__,
            "y": design.y[keep],
            "item": design.item[keep],
            "unit": design.unit[keep],
        }
    )
    model = _Model(sub, priors, st.beta.shape[1])
    cur = State(st.theta, st.beta.copy(), st.cuts.copy())
    for _ in range(steps):
        cur, _ = _items_update(model, cur, model.evaluate(cur, need="items"))
    st.beta[which] = cur.beta[which]
    st.cuts[which] = cur.cuts[which]


def fit_map(
    design: Design,
    priors: Priors,
    n_dims: int,
    max_iter: int,
    tol: float,
    start: State | None = None,
    callback: Callable[[int, float], None] | None = None,
) -> tuple[State, _Model, Eval]:
    """Block Newton ascent to the posterior mode, accelerated by SQUAREM."""
    model = _Model(design, priors, n_dims)
    st = start if start is not None else initial_state(design, n_dims)
    ev = model.evaluate(st, need="items")
    st.log_posterior = model.log_posterior(st, ev)
    for it in range(1, max_iter + 1):
        lp_old = st.log_posterior
        st, ev = _squarem_cycle(model, st, ev)
        st.n_iter = it
        if callback is not None:
            callback(it, st.log_posterior)
        if abs(st.log_posterior - lp_old) <= tol * abs(st.log_posterior):
            st.converged = True
            break
    return st, model, ev


def _ascent(model: _Model, st: State, ev: Eval) -> tuple[State, Eval]:
    """One monotone sweep: Newton step on the roll calls, then on the trajectories."""
    st, ev = _items_update(model, st, ev)
    st, ev = _theta_update(model, st, ev)
    st.log_posterior = model.log_posterior(st, ev)
    return st, ev


def _squarem_cycle(model: _Model, x0: State, ev0: Eval) -> tuple[State, Eval]:
    """Two sweeps, then a squared extrapolation along them (SQUAREM; Varadhan & Roland
    2008, Scandinavian Journal of Statistics), kept only if it raises the log-posterior."""
    x1, ev1 = _ascent(model, x0, ev0)
    x2, ev2 = _ascent(model, x1, ev1)
    p0, p1, p2 = (_pack(x) for x in (x0, x1, x2))
    r = p1 - p0
    v = p2 - p1 - r
    nv = _norm(v)
    if nv == 0:
        return x2, ev2
    alpha = min(-1.0, -_norm(r) / nv)
    tied = model.dz.tied
    for _ in range(5):
        cand = _unpack(p0 - 2 * alpha * r + alpha * alpha * v, x0)
        if np.all((cand.cuts[:, 1] - cand.cuts[:, 0] > 1e-8) | tied):
            cand.cuts[tied, 1] = cand.cuts[tied, 0]
            x3, ev3 = _ascent(model, cand, model.evaluate(cand, need="items"))
            if x3.log_posterior >= x2.log_posterior:
                return x3, ev3
        alpha = (alpha - 1.0) / 2.0
        if alpha > -1.0 + 1e-9:
            break
    return x2, ev2


def _norm(x: np.ndarray) -> float:
    # Not np.linalg.norm: its BLAS call wakes the BLAS thread pool, which then competes
    # with the pass's own threads (measured: ~2 ms a call instead of ~0.1 ms).
    return float(np.sqrt(np.einsum("i,i->", x, x)))


def _pack(st: State) -> np.ndarray:
    return np.concatenate([st.theta.ravel(), st.beta.ravel(), st.cuts.ravel()])


def _unpack(vec: np.ndarray, like: State) -> State:
    n1, n2 = like.theta.size, like.beta.size
    return State(
        theta=vec[:n1].reshape(like.theta.shape),
        beta=vec[n1 : n1 + n2].reshape(like.beta.shape),
        cuts=vec[n1 + n2 :].reshape(like.cuts.shape).copy(),
    )


def _items_update(model: _Model, st: State, ev: Eval) -> tuple[State, Eval]:
    db, dc = model.item_step(st, ev)
    old = model.item_objective(st, ev)
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
        ev_new = model.evaluate(new, need="theta")
        worse = model.item_objective(new, ev_new) < old - 1e-9 * np.abs(old)
        if not worse.any():
            break
        scale[worse] = np.where(scale[worse] < 1e-6, 0.0, scale[worse] * 0.5)
    return new, ev_new


def _theta_update(model: _Model, st: State, ev: Eval) -> tuple[State, Eval]:
    step = model.theta_step(st, ev)
    old = model.state_objective(st, ev)
    scale = np.ones(model.shape[0])
    for _ in range(30):
        new = State(st.theta + scale[:, None, None] * step, st.beta, st.cuts)
        ev_new = model.evaluate(new, need="items")
        worse = model.state_objective(new, ev_new) < old - 1e-9 * np.abs(old)
        if not worse.any():
            break
        scale[worse] = np.where(scale[worse] < 1e-6, 0.0, scale[worse] * 0.5)
    return new, ev_new
