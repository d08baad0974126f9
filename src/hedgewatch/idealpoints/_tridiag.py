"""Batched block-tridiagonal solves for random-walk chains (one chain per state).

The systems have the form ``A_t x_t - w_{t-1} x_{t-1} - w_t x_{t+1} = r_t`` for
``t = 0..T-1``, with ``d x d`` diagonal blocks ``A_t`` (shape ``(S, T, d, d)``) and scalar
couplings ``w_t`` (shape ``(S, T-1)``) times the identity: the precision of a Gaussian random
walk plus a block-diagonal likelihood curvature. The loop runs over the ``T`` sessions and is
vectorised over the ``S`` states (the Kalman filter/smoother in information form).
"""

from __future__ import annotations

import numpy as np


def _inv(m: np.ndarray) -> np.ndarray:
    if m.shape[-1] == 1:
        return 1.0 / m
    return np.linalg.inv(m)


def solve(diag: np.ndarray, w: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve the chains' block-tridiagonal systems; ``rhs`` has shape ``(S, T, d)``."""
    s, t, d, _ = diag.shape
    inv_piv = np.empty_like(diag)
    r = np.empty_like(rhs)
    inv_piv[:, 0] = _inv(diag[:, 0])
    r[:, 0] = rhs[:, 0]
    for k in range(1, t):
        wk = w[:, k - 1, None, None]
        inv_piv[:, k] = _inv(diag[:, k] - wk * wk * inv_piv[:, k - 1])
        r[:, k] = rhs[:, k] + w[:, k - 1, None] * _mv(inv_piv[:, k - 1], r[:, k - 1])
    x = np.empty_like(rhs)
    x[:, t - 1] = _mv(inv_piv[:, t - 1], r[:, t - 1])
    for k in range(t - 2, -1, -1):
        x[:, k] = _mv(inv_piv[:, k], r[:, k] + w[:, k, None] * x[:, k + 1])
    return x


def marginal_cov(diag: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Diagonal blocks of the inverse of the block-tridiagonal matrix, ``(S, T, d, d)``.

    Uses ``Sigma_tt^{-1} = F_t + B_t - A_t`` with the forward and backward pivots
    ``F_t = A_t - w_{t-1}^2 F_{t-1}^{-1}`` and ``B_t = A_t - w_t^2 B_{t+1}^{-1}``.
    """
    s, t, d, _ = diag.shape
    fwd = np.empty_like(diag)
    bwd = np.empty_like(diag)
    fwd[:, 0] = diag[:, 0]
    for k in range(1, t):
        wk = w[:, k - 1, None, None]
        fwd[:, k] = diag[:, k] - wk * wk * _inv(fwd[:, k - 1])
    bwd[:, t - 1] = diag[:, t - 1]
    for k in range(t - 2, -1, -1):
        wk = w[:, k, None, None]
        bwd[:, k] = diag[:, k] - wk * wk * _inv(bwd[:, k + 1])
    return _inv(fwd + bwd - diag)


def _mv(m: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.einsum("sij,sj->si", m, v)
