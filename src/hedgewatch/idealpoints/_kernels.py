"""One pass over the votes: log-likelihood and Newton terms for both parameter blocks.

``evaluate`` returns, at the current positions and roll-call parameters, the log-likelihood
summed per state and per roll-call group, and the gradient and information (negative
Hessian) of the log-likelihood for every state-session position and every roll-call group.
The default is vectorised numpy (per-vote terms in whole arrays, summed with one
``np.bincount`` per state-session sum and one ``np.add.reduceat`` over the votes' runs per
group sum; see :class:`Part`).
A compiled numba loop gives the same numbers; it is opt-in (``HEDGEWATCH_NUMBA=1``) because
on the project's 2-core machine it measured slower (16.7 s against 7.1 s for the full
record: numba's scalar ``erfc``/``log``/``exp`` cost more than numpy's vectorised ones).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from hedgewatch.idealpoints._ordprobit import interval_terms, log_phi_mills

try:  # optional accelerator
    import numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None  # type: ignore[assignment, unused-ignore]

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
class Part:
    """A share of the votes, sorted by category then roll-call group, cut into runs (one
    group's votes within one category block): per-vote roll-call parameters are the runs'
    values repeated (``np.repeat``, no scattered reads) and sums over groups are one
    ``np.add.reduceat`` over the runs, folded onto the groups."""

    def __init__(self, y: np.ndarray, item: np.ndarray, unit: np.ndarray) -> None:
        if np.any(np.diff(y) < 0):
            raise ValueError("internal: a part's votes must be sorted by category")
        self.unit, self.item = unit, item
        self.n0, self.n1 = int((y == 0).sum()), int((y == 1).sum())
        n, m = len(y), self.n0 + self.n1
        self.blocks = (slice(0, self.n0), slice(self.n0, m), slice(m, n))
        starts, blocks = [], []
        for b, sl in enumerate(self.blocks):
            it = item[sl]
            if len(it) == 0:
                continue
            if np.any(np.diff(it) < 0):
                raise ValueError("internal: votes must be sorted by group within a category")
            starts.append(sl.start + np.concatenate([[0], np.flatnonzero(np.diff(it)) + 1]))
            blocks.append(np.full(len(starts[-1]), b, np.int8))
        self.start = np.concatenate(starts) if starts else np.zeros(0, np.int64)
        self.block = np.concatenate(blocks) if blocks else np.zeros(0, np.int8)
        self.length = np.diff(np.append(self.start, n))
        self.group = item[self.start]
        # runs of each block, and the abstentions' runs relative to their block
        self.run_of = tuple(np.flatnonzero(self.block == b) for b in range(3))
        self.ab_start = self.start[self.run_of[1]] - self.n0
        self.ab_group = self.group[self.run_of[1]]
        self.ab_length = self.length[self.run_of[1]]
        # the cut-point that bounds each run's votes: c1 (no, abstain) or c2 (yes)
        self.cut_col = (self.block == 2).astype(np.int64)

    def run_sums(self, w: np.ndarray) -> np.ndarray:
        """Sum of ``w`` (one value per vote of the part) over each run."""
        if len(self.start) == 0:
            return np.zeros(0)
        return np.add.reduceat(w, self.start)

    def fold(self, runs: np.ndarray, k_n: int, block: int | None = None) -> np.ndarray:
        """Per-run sums onto the groups (of one block's runs, or of all)."""
        if block is None:
            return np.bincount(self.group, runs, minlength=k_n)
        sel = self.run_of[block]
        return np.bincount(self.group[sel], runs[sel], minlength=k_n)


def make_parts(y: np.ndarray, item: np.ndarray, unit: np.ndarray, n_parts: int) -> list[Part]:
    """Split the (category, group)-sorted votes into ``n_parts`` interleaved shares (each
    stays sorted), evaluated side by side on as many threads."""
    if n_parts <= 1:
        return [Part(y, item, unit)]
    return [Part(y[p::n_parts], item[p::n_parts], unit[p::n_parts]) for p in range(n_parts)]


def _evaluate_numpy(
    model, theta: np.ndarray, beta: np.ndarray, cuts: np.ndarray, need: str = "all"
) -> Eval:
    s, t = model.shape
    d = model.d
    th_all = np.ascontiguousarray(theta.reshape(-1, d))
    b_all = np.ascontiguousarray(beta)
    c_all = np.ascontiguousarray(cuts).ravel()
    parts = model.parts

    def run(part: Part) -> Eval:
        return _part_pass(part, th_all, b_all, c_all, s * t, len(cuts), d, need)

    outs = list(_pool(len(parts)).map(run, parts)) if len(parts) > 1 else [run(parts[0])]
    total = outs[0]
    for o in outs[1:]:
        total = Eval(
            *(None if a is None else a + b for a, b in zip(_fields(total), _fields(o), strict=True))  # type: ignore[arg-type]
        )
    ll_unit = total.ll_state  # per unit until here
    return Eval(
        ll_unit.reshape(s, t).sum(axis=1),
        total.ll_item,
        total.g_theta,
        total.h_theta,
        total.g_item,
        total.h_item,
    )


def _fields(e: Eval) -> tuple:
    return (e.ll_state, e.ll_item, e.g_theta, e.h_theta, e.g_item, e.h_item)


def _part_pass(
    part: Part,
    theta: np.ndarray,
    beta: np.ndarray,
    cuts: np.ndarray,
    u_n: int,
    k_n: int,
    d: int,
    need: str,
) -> Eval:
    """Log-likelihood per unit and per group, and the Newton terms, for one part.

    Per vote: the log-probability and its first two derivatives in the linear predictor
    (``g``, ``h``), written into whole-part arrays so that every sum over units is one
    ``np.bincount`` and every sum over groups one ``np.add.reduceat`` over the runs."""
    n0, n1 = part.n0, part.n1
    m = n0 + n1
    cuts2 = cuts.reshape(-1, 2)
    th_t = np.ascontiguousarray(theta.T)
    ths = [th_t[k].take(part.unit) for k in range(d)]
    bvs = [np.repeat(beta[part.group, k], part.length) for k in range(d)]
    eta = ths[0] * bvs[0]
    for k in range(1, d):
        eta += ths[k] * bvs[k]
    # x = c - eta, c the bound of each vote: no (-inf, c1], abstain (c1, c2], yes (c2, inf)
    x = np.repeat(cuts2[part.group, part.cut_col], part.length)
    x -= eta
    logp, g, h = np.empty(len(x)), np.empty(len(x)), np.empty(len(x))
    _one_sided(x[:n0], logp[:n0], g[:n0], h[:n0])  # log Phi(c1 - eta)
    np.negative(g[:n0], out=g[:n0])  # d/d eta = -phi/Phi
    xy = x[m:]
    np.negative(xy, out=xy)  # yes: log Phi(eta - c2)
    _one_sided(xy, logp[m:], g[m:], h[m:])
    mid = None
    if n1:
        upper = np.repeat(cuts2[part.ab_group, 1], part.ab_length)
        upper -= eta[n0:m]
        mid = interval_terms(x[n0:m], upper)
        logp[n0:m], g[n0:m], h[n0:m] = mid.logp, mid.g, mid.h
    ll_unit = np.bincount(part.unit, logp, minlength=u_n)
    ll_item = part.fold(part.run_sums(logp), k_n)
    g_theta = h_theta = g_item = h_item = None
    if need in ("theta", "all"):
        g_theta = np.empty((u_n, d))
        h_theta = np.empty((u_n, d, d))
        for k in range(d):
            g_theta[:, k] = np.bincount(part.unit, g * bvs[k], minlength=u_n)
            hb = h * bvs[k]
            for j in range(k, d):
                hb_j = hb * bvs[j] if j != k else hb * bvs[k]
                h_theta[:, k, j] = h_theta[:, j, k] = -np.bincount(part.unit, hb_j, minlength=u_n)
    if need in ("items", "all"):
        g_item, h_item = _item_terms(part, mid, g, h, ths, k_n, d)
    return Eval(ll_unit, ll_item, g_theta, h_theta, g_item, h_item)


def _one_sided(x: np.ndarray, logp: np.ndarray, mills: np.ndarray, h: np.ndarray) -> None:
    """``log Phi(x)``, the inverse Mills ratio ``phi(x) / Phi(x)`` and
    ``d2 log Phi(x) / dx2 = -m (x + m)`` of a vote bounded on one side, into the arrays."""
    if len(x) == 0:
        return
    log_phi_mills(x, out=(logp, mills))
    np.add(x, mills, out=h)
    h *= mills
    np.negative(h, out=h)


def _item_terms(
    part: Part, mid, g: np.ndarray, h: np.ndarray, ths: list[np.ndarray], k_n: int, d: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and information of every group's (beta, c1, c2).

    A no vote is bounded above by c1 and a yes vote below by c2, so for them
    ``d log p / d c = -g`` and ``d2 log p / d c2 = h``, and the information between
    ``beta_k`` and the cut-point is ``h theta_k``. An abstention lies in (c1, c2]:
    ``la``/``lb`` are d log p / d (lower / upper bound), ``la + lb = -g`` and
    ``laa + 2 lab + lbb = h``."""
    c1, c2 = d, d + 1
    g_item = np.zeros((k_n, d + 2))
    h_item = np.zeros((k_n, d + 2, d + 2))
    ab = part.blocks[1]
    for k in range(d):
        g_item[:, k] = part.fold(part.run_sums(g * ths[k]), k_n)
        ht = h * ths[k]
        for j in range(k, d):
            h_item[:, k, j] = h_item[:, j, k] = -part.fold(part.run_sums(ht * ths[j]), k_n)
        ht_runs = part.run_sums(ht)
        cross_c1 = part.fold(ht_runs, k_n, 0)
        cross_c2 = part.fold(ht_runs, k_n, 2)
        if mid is not None:
            s1 = _ab_sum(part, (mid.laa + mid.lab) * ths[k][ab], k_n)
            cross_c1 += s1
            cross_c2 += part.fold(ht_runs, k_n, 1) - s1
        h_item[:, k, c1] = h_item[:, c1, k] = cross_c1
        h_item[:, k, c2] = h_item[:, c2, k] = cross_c2
    g_runs, h_runs = part.run_sums(g), part.run_sums(h)
    g_item[:, c1] = -part.fold(g_runs, k_n, 0)
    g_item[:, c2] = -part.fold(g_runs, k_n, 2)
    h_item[:, c1, c1] = -part.fold(h_runs, k_n, 0)
    h_item[:, c2, c2] = -part.fold(h_runs, k_n, 2)
    if mid is not None:
        la = _ab_sum(part, mid.la, k_n)
        laa = _ab_sum(part, mid.laa, k_n)
        lab = _ab_sum(part, mid.lab, k_n)
        g_item[:, c1] += la
        g_item[:, c2] += -part.fold(g_runs, k_n, 1) - la  # lb = -g - la
        h_item[:, c1, c1] -= laa
        h_item[:, c2, c2] -= part.fold(h_runs, k_n, 1) - laa - 2.0 * lab  # lbb
        h_item[:, c1, c2] = h_item[:, c2, c1] = -lab
    return g_item, h_item


def _ab_sum(part: Part, w: np.ndarray, k_n: int) -> np.ndarray:
    """Sum over each group's abstentions of ``w`` (one value per abstention)."""
    if len(part.ab_start) == 0:
        return np.zeros(k_n)
    return np.bincount(part.ab_group, np.add.reduceat(w, part.ab_start), minlength=k_n)


_POOL: ThreadPoolExecutor | None = None


def _pool(n: int) -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None or _POOL._max_workers < n:
        _POOL = ThreadPoolExecutor(max_workers=n, thread_name_prefix="hedgewatch-pass")
    return _POOL


def n_threads() -> int:
    """Threads for the pass: ``HEDGEWATCH_THREADS`` if set, else the cores this process may
    use (at most 4: beyond that the scattered sums, which hold the GIL, dominate)."""
    env = os.environ.get("HEDGEWATCH_THREADS", "")
    if env.isdigit() and int(env) >= 1:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


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
