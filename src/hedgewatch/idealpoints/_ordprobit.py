"""The three-category ordered-probit likelihood and its derivatives, vectorised over votes.

A vote ``y`` (0 = no, 1 = abstain, 2 = yes) falls in the interval ``(lo, hi]`` of the latent
utility ``y* = eta + e``, ``e ~ N(0, 1)``, where ``lo``/``hi`` are the roll call's cut-points
(``-inf, c1, c2, +inf``). With ``a = lo - eta`` and ``b = hi - eta`` the vote's probability is
``p = Phi(b) - Phi(a)``. Everything is computed in log space, reflecting intervals that lie in
the upper tail, so that votes far from their expected side give finite log-probabilities and
derivatives instead of ``log(0)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-300


@dataclass
class VoteTerms:
    """Per-vote log-probability and the derivatives the Newton steps need.

    ``la = d log p / d lo``, ``lb = d log p / d hi`` and their second derivatives ``laa``,
    ``lbb``, ``lab``; ``g`` and ``h`` are the first and second derivatives with respect to
    the linear predictor ``eta`` (``h <= 0``: the likelihood is log-concave).
    """

    logp: np.ndarray
    la: np.ndarray
    lb: np.ndarray
    laa: np.ndarray
    lbb: np.ndarray
    lab: np.ndarray

    @property
    def g(self) -> np.ndarray:
        return -(self.la + self.lb)

    @property
    def h(self) -> np.ndarray:
        return self.laa + 2.0 * self.lab + self.lbb


def log_interval_prob(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log(Phi(b) - Phi(a))`` for ``a < b``, stable in both tails."""
    flip = (a + b) > 0
    lo = np.where(flip, -b, a)
    hi = np.where(flip, -a, b)
    lhi = log_ndtr(hi)
    ratio = np.exp(log_ndtr(lo) - lhi)
    return lhi + np.log1p(-np.minimum(ratio, 1.0 - 1e-16))


def vote_terms(a: np.ndarray, b: np.ndarray) -> VoteTerms:
    """Log-probability and derivatives of each vote given its interval ``(a, b]``."""
    logp = log_interval_prob(a, b)
    with np.errstate(invalid="ignore", over="ignore"):
        ua = np.exp(-0.5 * a * a - _LOG_SQRT_2PI - logp)
        ub = np.exp(-0.5 * b * b - _LOG_SQRT_2PI - logp)
        aua = np.where(np.isfinite(a), a * ua, 0.0)
        bub = np.where(np.isfinite(b), b * ub, 0.0)
    return VoteTerms(
        logp=logp,
        la=-ua,
        lb=ub,
        laa=aua - ua * ua,
        lbb=-bub - ub * ub,
        lab=ua * ub,
    )


def category_probs(eta: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Probabilities of no/abstain/yes, shape ``(n, 3)``, for predictors ``eta`` and
    cut-points ``cuts`` (shape ``(n, 2)``)."""
    lo = np.column_stack([np.full_like(eta, -np.inf), cuts[:, 0], cuts[:, 1]])
    hi = np.column_stack([cuts[:, 0], cuts[:, 1], np.full_like(eta, np.inf)])
    e = eta[:, None]
    with np.errstate(divide="ignore"):
        out = np.exp(log_interval_prob(lo - e, hi - e))
    # A zero-width abstain interval (a roll call without abstentions) has probability 0.
    out[:, 1] = np.where(cuts[:, 1] > cuts[:, 0], out[:, 1], 0.0)
    return out / out.sum(axis=1, keepdims=True)
