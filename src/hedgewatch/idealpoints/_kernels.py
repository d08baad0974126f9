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
    """A share of the votes, sorted by category then roll-call group, with the runs of each
    group in each category block precomputed: sums over groups are ``np.add.reduceat`` on
    contiguous runs rather than scattered ``np.bincount`` adds."""

    def __init__(self, y: np.ndarray, item: np.ndarray, unit: np.ndarray) -> None:
        if np.any(np.diff(y) < 0):
            raise ValueError("internal: a part's votes must be sorted by category")
        self.unit, self.item = unit, item
        self.n0, self.n1 = int((y == 0).sum()), int((y == 1).sum())
        n, m = len(y), self.n0 + self.n1
        self.blocks = (slice(0, self.n0), slice(self.n0, m), slice(m, n))
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        for sl in self.blocks:
            it = item[sl]
            if len(it) == 0:
                self.runs.append((np.zeros(0, np.int64), np.zeros(0, np.int64)))
                continue
            if np.any(np.diff(it) < 0):
                raise ValueError("internal: votes must be sorted by group within a category")
            starts = np.concatenate([[0], np.flatnonzero(np.diff(it)) + 1])
            self.runs.append((starts, it[starts]))
        self.units = tuple(unit[sl] for sl in self.blocks)
        self.cut_no = item[: self.n0] * 2  # c1 bounds a no vote from above
        self.cut_ab = item[self.n0 : m] * 2  # an abstention lies between c1 and c1 + 1
        self.cut_yes = item[m:] * 2 + 1  # c2 bounds a yes vote from below

    def group_sum(self, block: int, w: np.ndarray, out: np.ndarray) -> None:
        """``out[group] += sum of w over the group's votes`` in one category block."""
        starts, groups = self.runs[block]
        if len(starts):
            out[groups] += np.add.reduceat(w, starts)


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
    """Log-likelihood per unit and per group, and the Newton terms, for one part."""
    n0, n1 = part.n0, part.n1
    m = n0 + n1
    if d == 1:
        th = theta[:, 0][part.unit]
        b = beta[:, 0][part.item]
        eta = th * b
        ths, bs = [th], [b]
    else:
        th2 = theta[part.unit]
        b2 = beta[part.item]
        eta = np.einsum("ij,ij->i", th2, b2)
        ths = [th2[:, k] for k in range(d)]
        bs = [b2[:, k] for k in range(d)]
    # no: log Phi(c1 - eta); yes: log Phi(eta - c2); abstain: the interval (c1, c2].
    x_no = cuts[part.cut_no] - eta[:n0]
    l_no, m_no = log_phi_mills(x_no)
    x_yes = eta[m:] - cuts[part.cut_yes]
    l_yes, m_yes = log_phi_mills(x_yes)
    mid = interval_terms(cuts[part.cut_ab] - eta[n0:m], cuts[part.cut_ab + 1] - eta[n0:m])
    h_no = -x_no * m_no - m_no * m_no  # d2/d eta2 (= d2/d c1^2) of a no vote's log p
    h_yes = -x_yes * m_yes - m_yes * m_yes
    # per block: (votes, log p, d log p / d eta, d2 log p / d eta2)
    blocks = part.blocks
    terms = ((l_no, -m_no, h_no), (mid.logp, mid.g, mid.h), (l_yes, m_yes, h_yes))
    units = part.units
    ll_unit = sum(np.bincount(u, t[0], minlength=u_n) for u, t in zip(units, terms, strict=True))
    ll_item = np.zeros(k_n)
    for blk, t in enumerate(terms):
        part.group_sum(blk, t[0], ll_item)
    g_theta = h_theta = g_item = h_item = None
    if need in ("theta", "all"):
        g_theta = np.empty((u_n, d))
        h_theta = np.empty((u_n, d, d))
        for k in range(d):
            g_theta[:, k] = sum(
                np.bincount(u, t[1] * bs[k][sl], minlength=u_n)
                for u, t, sl in zip(units, terms, blocks, strict=True)
            )
            for j in range(k, d):
                h_theta[:, k, j] = h_theta[:, j, k] = -sum(
                    np.bincount(u, t[2] * bs[k][sl] * bs[j][sl], minlength=u_n)
                    for u, t, sl in zip(units, terms, blocks, strict=True)
                )
    if need in ("items", "all"):
        g_item = np.zeros((k_n, d + 2))
        h_item = np.zeros((k_n, d + 2, d + 2))
        for k in range(d):
            for blk, (t, sl) in enumerate(zip(terms, blocks, strict=True)):
                part.group_sum(blk, t[1] * ths[k][sl], g_item[:, k])
            for j in range(k, d):
                acc = np.zeros(k_n)
                for blk, (t, sl) in enumerate(zip(terms, blocks, strict=True)):
                    part.group_sum(blk, t[2] * ths[k][sl] * ths[j][sl], acc)
                h_item[:, k, j] = h_item[:, j, k] = -acc
        c1, c2 = d, d + 1
        _cut_terms(part, mid, m_no, h_no, m_yes, h_yes, ths, blocks, g_item, h_item, c1, c2)
    return Eval(ll_unit, ll_item, g_theta, h_theta, g_item, h_item)  # type: ignore[arg-type]


def _cut_terms(part, mid, m_no, h_no, m_yes, h_yes, ths, blocks, g_item, h_item, c1, c2) -> None:
    """Gradient and information of the cut-points, and their cross terms with beta.

    A no vote is bounded above by c1, a yes vote below by c2, an abstention below by c1 and
    above by c2; ``la``/``lb`` are d log p / d (lower / upper bound)."""
    k_n = len(g_item)
    col = np.zeros(k_n)

    def put(target: tuple, *terms: tuple[int, np.ndarray], sign: float = 1.0) -> None:
        col[:] = 0.0
        for blk, w in terms:
            part.group_sum(blk, w, col)
        if len(target) == 1:
            g_item[:, target[0]] += sign * col
        else:
            i, j = target
            h_item[:, i, j] += sign * col
            if i != j:
                h_item[:, j, i] += sign * col

    put((c1,), (0, m_no), (1, mid.la))
    put((c2,), (1, mid.lb), (2, -m_yes))
    put((c1, c1), (0, h_no), (1, mid.laa), sign=-1.0)
    put((c2, c2), (1, mid.lbb), (2, h_yes), sign=-1.0)
    put((c1, c2), (1, mid.lab), sign=-1.0)
    ab = blocks[1]
    for k, th in enumerate(ths):
        put((k, c1), (0, h_no * th[blocks[0]]), (1, (mid.laa + mid.lab) * th[ab]))
        put((k, c2), (1, (mid.lab + mid.lbb) * th[ab]), (2, h_yes * th[blocks[2]]))


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
