"""One pass over the votes: log-likelihood and Newton terms for both parameter blocks.

``evaluate`` returns, at the current positions and roll-call parameters, the log-likelihood
summed per state and per roll-call group, and the gradient and information (negative
Hessian) of the log-likelihood for every state-session position and every roll-call group.
The default is vectorised numpy (``np.bincount`` accumulations, SIMD special functions).
A compiled numba loop gives the same numbers; it is opt-in (``HEDGEWATCH_NUMBA=1``) because
on the project's 2-core machine it measured slower (16.7 s against 7.1 s for the full
record: numba's scalar ``erfc``/``log``/``exp`` cost more than numpy's vectorised ones).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from hedgewatch.idealpoints._ordprobit import vote_terms_sorted

try:  # optional accelerator
    import numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None

#: Set HEDGEWATCH_NUMBA=1 to use the compiled loop (tests compare the two paths).
USE_NUMBA = numba is not None and os.environ.get("HEDGEWATCH_NUMBA", "") == "1"


@dataclass
class Eval:
    """Log-likelihood sums and Newton terms at one parameter value."""

    ll_state: np.ndarray  # (S,)
    ll_item: np.ndarray  # (K,)
    g_theta: np.ndarray | None  # (U, d)
    h_theta: np.ndarray | None  # (U, d, d) information
    g_item: np.ndarray | None  # (K, d + 2)
    h_item: np.ndarray | None  # (K, d + 2, d + 2) information


def evaluate(
    model, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray, need: str = "all"
) -> Eval:
    """The pass (numpy, or numba when opted in). ``need`` is ``"theta"``, ``"items"`` or
    ``"all"``: whose Newton terms to compute (the log-likelihood sums always are)."""
    if USE_NUMBA:
        return _evaluate_numba(model, theta, beta, cuts)
    return _evaluate_numpy(model, theta, beta, cuts, need)


# -- numpy path --------------------------------------------------------------------------
def _evaluate_numpy(
    model, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray, need: str = "all"
) -> Eval:
    dz, d = model.dz, model.d
    s, t = model.shape
    u_n, k_n, p = s * t, len(cuts), d + 2
    th = theta.reshape(-1, d)[dz.unit]
    b = beta[dz.item]
    eta = (th * b).sum(axis=1)
    flat = cuts.ravel()
    vt = vote_terms_sorted(eta, flat[model.hi_cut], flat[model.lo_cut], model.n0, model.n1)
    ll_state = np.bincount(dz.state, vt.logp, minlength=s)
    ll_item = np.bincount(dz.item, vt.logp, minlength=k_n)
    g_theta = h_theta = g_item = h_item = None
    if need in ("theta", "all"):
        g_theta = np.empty((u_n, d))
        h_theta = np.empty((u_n, d, d))
        for k in range(d):
            g_theta[:, k] = np.bincount(dz.unit, vt.g * b[:, k], minlength=u_n)
            for m in range(k, d):
                h_theta[:, k, m] = h_theta[:, m, k] = -np.bincount(
                    dz.unit, vt.h * b[:, k] * b[:, m], minlength=u_n
                )
    if need in ("items", "all"):
        g_item = np.zeros((k_n, p))
        h_item = np.zeros((k_n, p, p))
        for k in range(d):
            g_item[:, k] = np.bincount(dz.item, vt.g * th[:, k], minlength=k_n)
            for m in range(k, d):
                h_item[:, k, m] = h_item[:, m, k] = -np.bincount(
                    dz.item, vt.h * th[:, k] * th[:, m], minlength=k_n
                )
        _cut_terms_numpy(model, vt, th, g_item, h_item)
    return Eval(ll_state, ll_item, g_theta, h_theta, g_item, h_item)


def _cut_terms_numpy(model, vt, th, g_item, h_item) -> None:
    k_n, d = len(g_item), model.d
    hs, ls, mid = model.hi_sel, model.lo_sel, model.mid_sel

    def acc(hi_w: np.ndarray, lo_w: np.ndarray) -> np.ndarray:
        out = np.bincount(model.hi_cut, hi_w, minlength=2 * k_n)
        out += np.bincount(model.lo_cut, lo_w, minlength=2 * k_n)
        return out.reshape(k_n, 2)

    g_item[:, d:] = acc(vt.lb[hs], vt.la[ls])
    hc = acc(vt.lbb[hs], vt.laa[ls])
    h_item[:, d, d], h_item[:, d + 1, d + 1] = -hc[:, 0], -hc[:, 1]
    off = np.bincount(model.dz.item[mid], vt.lab[mid], minlength=k_n)
    h_item[:, d, d + 1] = h_item[:, d + 1, d] = -off
    dgb = vt.lab + vt.lbb  # minus d g / d hi
    dga = vt.laa + vt.lab  # minus d g / d lo
    for k in range(d):
        cross = acc(dgb[hs] * th[hs, k], dga[ls] * th[ls, k])
        h_item[:, k, d:] = cross
        h_item[:, d:, k] = cross


# -- numba path --------------------------------------------------------------------------
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT1_2 = math.sqrt(0.5)

if numba is not None:

    @numba.njit(cache=True, fastmath=False)
    def _log_ndtr(x: float) -> float:
        if x > -20.0:
            return math.log(0.5 * math.erfc(-x * _SQRT1_2))
        z = 1.0 / (x * x)
        return (
            -0.5 * x * x
            - math.log(-x)
            - _LOG_SQRT_2PI
            + math.log1p(-z + 3.0 * z * z - 15.0 * z * z * z)
        )

    @numba.njit(cache=True)
    def _interval(a: float, b: float):
        """(logp, la, lb, laa, lbb, lab) for a vote in (a, b]; a = -inf or b = inf allowed."""
        if a == -np.inf:
            logp = _log_ndtr(b)
            ub = math.exp(-0.5 * b * b - _LOG_SQRT_2PI - logp)
            return logp, 0.0, ub, 0.0, -b * ub - ub * ub, 0.0
        if b == np.inf:
            logp = _log_ndtr(-a)
            ua = math.exp(-0.5 * a * a - _LOG_SQRT_2PI - logp)
            return logp, -ua, 0.0, a * ua - ua * ua, 0.0, 0.0
        lo, hi = (-b, -a) if a + b > 0.0 else (a, b)
        lhi = _log_ndtr(hi)
        r = math.exp(_log_ndtr(lo) - lhi)
        logp = lhi + math.log1p(-min(r, 1.0 - 1e-16))
        ua = math.exp(-0.5 * a * a - _LOG_SQRT_2PI - logp)
        ub = math.exp(-0.5 * b * b - _LOG_SQRT_2PI - logp)
        return logp, -ua, ub, a * ua - ua * ua, -b * ub - ub * ub, ua * ub

    @numba.njit(cache=True, parallel=True)
    def _pass(y, item, unit, n_t, theta, beta, cuts, n_chunks, n_states):
        n = y.shape[0]
        d = theta.shape[1]
        p = d + 2
        u_n = theta.shape[0]
        k_n = cuts.shape[0]
        ll_s = np.zeros((n_chunks, n_states))
        ll_i = np.zeros((n_chunks, k_n))
        g_t = np.zeros((n_chunks, u_n, d))
        h_t = np.zeros((n_chunks, u_n, d, d))
        g_i = np.zeros((n_chunks, k_n, p))
        h_i = np.zeros((n_chunks, k_n, p, p))
        step = (n + n_chunks - 1) // n_chunks
        for c in numba.prange(n_chunks):
            for v in range(c * step, min(n, (c + 1) * step)):
                j, u, yv = item[v], unit[v], y[v]
                eta = 0.0
                for k in range(d):
                    eta += theta[u, k] * beta[j, k]
                a = -np.inf if yv == 0 else cuts[j, yv - 1] - eta
                b = np.inf if yv == 2 else cuts[j, yv] - eta
                logp, la, lb, laa, lbb, lab = _interval(a, b)
                g = -(la + lb)
                h = laa + 2.0 * lab + lbb
                ll_s[c, u // n_t] += logp
                ll_i[c, j] += logp
                hi = d + yv  # parameter index of the upper cut-point (y < 2)
                lo = d + yv - 1  # of the lower cut-point (y > 0)
                for k in range(d):
                    g_t[c, u, k] += g * beta[j, k]
                    g_i[c, j, k] += g * theta[u, k]
                    for m in range(d):
                        h_t[c, u, k, m] -= h * beta[j, k] * beta[j, m]
                        h_i[c, j, k, m] -= h * theta[u, k] * theta[u, m]
                    if yv < 2:
                        h_i[c, j, k, hi] += theta[u, k] * (lab + lbb)
                        h_i[c, j, hi, k] += theta[u, k] * (lab + lbb)
                    if yv > 0:
                        h_i[c, j, k, lo] += theta[u, k] * (laa + lab)
                        h_i[c, j, lo, k] += theta[u, k] * (laa + lab)
                if yv < 2:
                    g_i[c, j, hi] += lb
                    h_i[c, j, hi, hi] -= lbb
                if yv > 0:
                    g_i[c, j, lo] += la
                    h_i[c, j, lo, lo] -= laa
                if yv == 1:
                    h_i[c, j, lo, hi] -= lab
                    h_i[c, j, hi, lo] -= lab
        return (ll_s.sum(0), ll_i.sum(0), g_t.sum(0), h_t.sum(0), g_i.sum(0), h_i.sum(0))


def _evaluate_numba(model, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray) -> Eval:
    dz = model.dz
    s, t = model.shape
    chunks = max(1, min(numba.get_num_threads(), 8))
    out = _pass(
        dz.y,
        dz.item,
        dz.unit,
        t,
        np.ascontiguousarray(theta.reshape(-1, model.d)),
        np.ascontiguousarray(beta),
        np.ascontiguousarray(cuts),
        chunks,
        s,
    )
    return Eval(*out)
