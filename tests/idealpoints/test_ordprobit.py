"""The ordered-probit terms: probabilities, tails, and derivatives by finite differences."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from hedgewatch.idealpoints._ordprobit import (
    category_probs,
    interval_terms,
    log_interval_prob,
    log_ndtr_fast,
    vote_terms,
    vote_terms_sorted,
)


def test_log_interval_prob_matches_scipy_in_the_body():
    a = np.array([-1.0, -0.3, 0.2, -np.inf])
    b = np.array([0.5, 2.0, 0.9, 0.4])
    expected = np.log(norm.cdf(b) - norm.cdf(a))
    np.testing.assert_allclose(log_interval_prob(a, b), expected, rtol=1e-12)


def test_log_interval_prob_is_finite_far_in_both_tails():
    # P(30 < Z < 31) and P(-31 < Z < -30) are ~1e-198: log space keeps them exact.
    up = log_interval_prob(np.array([30.0]), np.array([31.0]))[0]
    down = log_interval_prob(np.array([-31.0]), np.array([-30.0]))[0]
    expected = norm.logsf(30.0) + np.log1p(-np.exp(norm.logsf(31.0) - norm.logsf(30.0)))
    assert np.isclose(up, expected, rtol=1e-10)
    assert np.isclose(down, expected, rtol=1e-10)


def test_interval_terms_equal_the_log_space_formulas_into_the_far_tails():
    """Abstentions take Phi(hi) - Phi(lo) reflected into the lower half; past ndtr's
    underflow (|bound| > 37) the log-space formula. Both agree with vote_terms."""
    lo = np.array([-3.0, -0.2, 0.5, 5.0, 30.0, -31.0, 40.0, -45.0, 1.0])
    width = np.array([1.0, 0.4, 1e-6, 2.0, 1.0, 1.0, 0.5, 2.0, 1e-3])
    got, want = interval_terms(lo, lo + width), vote_terms(lo, lo + width)
    assert np.isfinite(got.logp).all()
    np.testing.assert_allclose(got.logp, want.logp, rtol=1e-9)
    for name in ("la", "lb", "laa", "lbb", "lab", "g", "h"):
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-7)


def test_log_ndtr_fast_agrees_with_scipy():
    x = np.linspace(-40, 8, 2001)
    np.testing.assert_allclose(log_ndtr_fast(x), norm.logcdf(x), rtol=1e-10, atol=1e-14)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(-6, 5), width=st.floats(0.05, 4), eta=st.floats(-3, 3))
def test_eta_derivatives_match_finite_differences(a, width, eta):
    lo, hi = np.array([a]), np.array([a + width])

    def f(e):
        return log_interval_prob(lo - e, hi - e)[0]

    vt = vote_terms(lo - eta, hi - eta)
    eps = 1e-5
    g_fd = (f(eta + eps) - f(eta - eps)) / (2 * eps)
    h_fd = (f(eta + eps) - 2 * f(eta) + f(eta - eps)) / eps**2
    assert np.isclose(vt.g[0], g_fd, rtol=1e-4, atol=1e-6)
    assert np.isclose(vt.h[0], h_fd, rtol=1e-2, atol=1e-4)
    assert vt.h[0] <= 1e-12  # log-concave in the linear predictor


@settings(max_examples=40, deadline=None)
@given(c1=st.floats(-3, 2), gap=st.floats(0.01, 3), eta=st.floats(-4, 4))
def test_category_probs_are_a_distribution(c1, gap, eta):
    p = category_probs(np.array([eta]), np.array([[c1, c1 + gap]]))[0]
    assert np.all(p >= 0) and np.isclose(p.sum(), 1.0)
    assert np.isclose(p[0], norm.cdf(c1 - eta), atol=1e-12)


def test_sorted_terms_equal_general_terms():
    rng = np.random.default_rng(0)
    n0, n1, n2 = 7, 5, 9
    eta = rng.normal(size=n0 + n1 + n2)
    c1, c2 = rng.normal(size=n0 + n1 + n2) - 0.5, rng.normal(size=n0 + n1 + n2) + 0.8
    y = np.repeat([0, 1, 2], [n0, n1, n2])
    lo = np.where(y == 0, -np.inf, np.where(y == 1, c1, c2))
    hi = np.where(y == 0, c1, np.where(y == 1, c2, np.inf))
    general = vote_terms(lo - eta, hi - eta)
    fast = vote_terms_sorted(eta, hi[: n0 + n1], lo[n0:], n0, n1)
    for name in ("logp", "la", "lb", "laa", "lbb", "lab", "g", "h"):
        np.testing.assert_allclose(
            getattr(fast, name), getattr(general, name), rtol=1e-10, atol=1e-12, err_msg=name
        )
