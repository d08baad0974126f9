"""The outbidding game: textbook properties, closed forms, comparative statics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgewatch._base import clone
from hedgewatch.errors import ParameterError
from hedgewatch.strategy import OutbiddingModel, comparative_statics, hedging_region
from hedgewatch.strategy.outbidding import _pledge_equilibrium

FAST = {"support_levels": np.linspace(0, 1, 11), "provocation_levels": np.linspace(0, 1, 26)}


def test_symmetric_patrons_give_symmetric_support():
    eq = OutbiddingModel(ideal_alignment=0.5, guarantee=0.0).solve()
    assert eq.pure and eq.n_pure_equilibria == 1
    assert eq.support_a == eq.support_b
    assert eq.alignment == 0.5 and eq.hedging
    assert eq.payoff_a == pytest.approx(eq.payoff_b)


# Slow by luck: some draws have no pure or 2x2 pledge equilibrium at any provocation level, and
# the Lemke-Howson fallback then takes ~2 s a game (one such solve measured 49-51 s).
@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(
    a0=st.floats(0, 1),
    value=st.floats(0, 2),
    blame=st.floats(0, 1),
    kappa=st.floats(0.2, 3),
    k=st.floats(0.1, 2),
)
def test_swapping_patrons_mirrors_the_equilibrium(a0, value, blame, kappa, k):
    """Relabelling A <-> B (and a -> 1 - a) must mirror supports and alignment (g = 0)."""
    common = dict(guarantee=0.0, autonomy_cost=kappa, support_cost=k, **FAST)
    left = OutbiddingModel(ideal_alignment=a0, value_a=value, blame_a=blame, **common).solve()
    right = OutbiddingModel(ideal_alignment=1 - a0, value_b=value, blame_b=blame, **common).solve()
    assert left.provocation == pytest.approx(right.provocation)
    assert left.support_a == pytest.approx(right.support_b)
    assert left.support_b == pytest.approx(right.support_a)
    assert left.alignment == pytest.approx(1 - right.alignment)


def test_provocation_non_decreasing_in_guarantee_default():
    frame = comparative_statics(OutbiddingModel(), "guarantee", np.linspace(0, 1, 21))
    assert (np.diff(frame["provocation"]) >= 0).all()
    assert frame["provocation"].iloc[-1] > frame["provocation"].iloc[0]  # moral hazard bites


@settings(max_examples=12, deadline=None)
@given(
    a0=st.floats(0, 1),
    beta=st.floats(0, 2),
    lam=st.floats(0.2, 3),
    blame=st.floats(0, 1.5),
    front=st.floats(0, 2),
)
def test_provocation_non_decreasing_in_guarantee_everywhere(a0, beta, lam, blame, front):
    """A theorem here (increasing differences in (p, g); Topkis 1978), checked on random
    parameters: the pledge game after p does not involve g, and the client's stage-1 utility
    gains (g lam p^2) from the guarantee, more so for larger p."""
    model = OutbiddingModel(
        ideal_alignment=a0,
        provocation_value=beta,
        collapse_cost=lam,
        blame_a=blame,
        blame_b=blame / 2,
        united_front=front,
        **FAST,
    )
    p = comparative_statics(model, "guarantee", np.linspace(0, 1, 6))["provocation"]
    assert (np.diff(p) >= -1e-12).all()


def test_united_front_restrains_provocation_and_cuts_bids():
    frame = comparative_statics(
        OutbiddingModel(guarantee=0.8), "united_front", np.linspace(0, 2, 9)
    )
    assert (np.diff(frame["provocation"]) <= 1e-12).all()
    assert frame["provocation"].iloc[-1] < frame["provocation"].iloc[0]


def test_pledges_match_closed_form():
    """Interior pledges solve v (1 - (1+u) c p / v) / (2 kappa) = 2 k s: s = (v - (1+u) c p)
    / (4 kappa k), up to half a grid step."""
    m = OutbiddingModel(value_a=1.2, value_b=0.8, blame_a=0.4, blame_b=0.6, united_front=0.5)
    eq = m.solve()
    p = eq.provocation
    step = np.diff(eq.support_levels).max()
    for v, c, s in ((1.2, 0.4, eq.support_a), (0.8, 0.6, eq.support_b)):
        assert s == pytest.approx((v - 1.5 * c * p) / (4 * 1.0 * 0.5), abs=step / 2 + 1e-12)
    expected_a = np.clip(0.5 + (eq.support_b - eq.support_a) / 2.0, 0, 1)
    assert eq.alignment == pytest.approx(expected_a)


def test_hedging_versus_alignment():
    """Hedging is optimal when the client's own stance is interior and the patrons' bids are
    close; a patron that values the client far more pulls it to a corner."""
    assert OutbiddingModel(ideal_alignment=0.3).solve().hedging
    pulled = OutbiddingModel(ideal_alignment=0.9, value_a=0.2, value_b=2.0).solve()
    assert pulled.pure and not pulled.hedging and pulled.alignment == 1.0
    # B bids just enough to pull the client into its camp; A gives up.
    assert (pulled.support_a, pulled.support_b) == pytest.approx((0.0, 0.2))
    region = hedging_region(OutbiddingModel(**FAST), x_values=[0.0, 0.5], y_values=[0.0, 1.0])
    cell = region.set_index(["ideal_alignment", "value_b"])
    # A client wholly with A that B does not want stays put; a middling one hedges.
    assert not cell.loc[(0.0, 0.0), "hedging"] and cell.loc[(0.0, 0.0), "alignment"] == 0.0
    assert cell.loc[(0.5, 1.0), "hedging"] and cell.loc[(0.5, 1.0), "alignment"] == 0.5
    # If B does want it, the outbidding war pulls even that client off the corner.
    assert 0.0 < cell.loc[(0.0, 1.0), "alignment"] < 0.5


def test_path_explains_the_choice():
    eq = OutbiddingModel().solve()
    best = eq.path["client_utility"].idxmax()
    assert eq.path.loc[best, "provocation"] == eq.provocation
    assert len(eq.path) == 101


def test_mixed_equilibrium_of_matching_pennies():
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    sig_a, sig_b, n_pure = _pledge_equilibrium(pennies, -pennies, np.array([0.0, 1.0]))
    assert n_pure == 0
    assert sig_a == pytest.approx([0.5, 0.5]) and sig_b == pytest.approx([0.5, 0.5])


def test_lemke_howson_fallback_on_rock_paper_scissors():
    """No pure and no two-strategy equilibrium: only the (capped) Lemke-Howson path finds the
    uniform mix."""
    rps = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    sig_a, sig_b, n_pure = _pledge_equilibrium(rps, -rps, np.array([0.0, 0.5, 1.0]))
    assert n_pure == 0
    assert sig_a == pytest.approx([1 / 3] * 3) and sig_b == pytest.approx([1 / 3] * 3)


def test_outbidding_war_has_a_mixed_equilibrium():
    """A client leaning fully to A, which B can only win by outbidding: no pure equilibrium
    in the pledge game (as in an all-pay auction), so patrons randomise."""
    eq = OutbiddingModel(ideal_alignment=0.0, blame_a=0.0, support_cost=1.0, **FAST).solve()
    assert not eq.pure and eq.n_pure_equilibria == 0
    assert eq.strategy_a.sum() == pytest.approx(1) and eq.strategy_b.sum() == pytest.approx(1)
    assert 0 < eq.alignment < 0.5


def test_invalid_parameters_rejected_in_house_format():
    with pytest.raises(
        ParameterError,
        match=r"The 'guarantee' parameter of OutbiddingModel\(\) must be a number in \[0, 1\]; got 1.5",
    ):
        OutbiddingModel(guarantee=1.5).solve()
    with pytest.raises(ParameterError, match="'autonomy_cost'"):
        OutbiddingModel(autonomy_cost=0).solve()
    with pytest.raises(ParameterError, match="'support_levels'"):
        OutbiddingModel(support_levels=[0.5]).solve()
    with pytest.raises(ParameterError, match="Invalid parameter 'guarantees'.*guarantee, ideal"):
        OutbiddingModel().set_params(guarantees=0.3)
    with pytest.raises(ParameterError, match="'parameter' parameter of comparative_statics"):
        comparative_statics(OutbiddingModel(), "luck", [1.0])


def test_parameters_stored_unchanged_and_set_params_as_in_scikit_learn():
    m = OutbiddingModel(guarantee=0.7)
    assert "guarantee=0.7" in repr(m)
    copy = clone(m)
    assert copy is not m and copy.get_params() == m.get_params()
    assert m.set_params(guarantee=0.1) is m  # in place, returns the estimator
    assert m.guarantee == 0.1 and copy.guarantee == 0.7
    m.set_params(guarantee=2.0)  # not checked until the work starts
    with pytest.raises(ParameterError, match=r"'guarantee' parameter of OutbiddingModel\(\)"):
        m.solve()
