"""Batched block-tridiagonal solves against dense linear algebra."""

from __future__ import annotations

import numpy as np
import pytest

from hedgewatch.idealpoints import _tridiag


def _system(rng, s, t, d):
    w = rng.uniform(0.5, 3.0, size=(s, t - 1))
    w[0, 2] = 0.0  # a broken chain (a state absent between two sessions' links)
    info = rng.normal(size=(s, t, d, d))
    info = info @ np.swapaxes(info, -1, -2) + 0.1 * np.eye(d)
    prec = np.pad(w, ((0, 0), (1, 0))) + np.pad(w, ((0, 0), (0, 1))) + 0.2
    diag = info + prec[..., None, None] * np.eye(d)
    return diag, w


def _dense(diag_i, w_i):
    t, d, _ = diag_i.shape
    m = np.zeros((t * d, t * d))
    for k in range(t):
        m[k * d : (k + 1) * d, k * d : (k + 1) * d] = diag_i[k]
        if k < t - 1:
            m[k * d : (k + 1) * d, (k + 1) * d : (k + 2) * d] = -w_i[k] * np.eye(d)
            m[(k + 1) * d : (k + 2) * d, k * d : (k + 1) * d] = -w_i[k] * np.eye(d)
    return m


@pytest.mark.parametrize("d", [1, 2])
def test_solve_and_marginal_cov_match_dense(d):
    rng = np.random.default_rng(d)
    s, t = 4, 6
    diag, w = _system(rng, s, t, d)
    rhs = rng.normal(size=(s, t, d))
    x = _tridiag.solve(diag, w, rhs)
    cov = _tridiag.marginal_cov(diag, w)
    for i in range(s):
        m = _dense(diag[i], w[i])
        np.testing.assert_allclose(x[i].ravel(), np.linalg.solve(m, rhs[i].ravel()), rtol=1e-10)
        inv = np.linalg.inv(m)
        for k in range(t):
            np.testing.assert_allclose(
                cov[i, k], inv[k * d : (k + 1) * d, k * d : (k + 1) * d], rtol=1e-9, atol=1e-12
            )
