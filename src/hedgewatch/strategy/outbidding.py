"""Patron-client outbidding: a client hedges between two patrons who bid support for it.

The game (full statement, assumptions and limits in ``docs/strategy.md``):

* Stage 1. The client chooses a provocation level ``p`` (weapons tests, defiance of
  sanctions) from a grid on ``[0, 1]``; it is observed by all.
* Stage 2. Patrons A (the guarantor) and B simultaneously pledge support ``s_A, s_B`` from a
  finite grid. This stage is a finite bimatrix game, solved with ``nashpy``.
* Stage 3. The client chooses its alignment ``a`` in ``[0, 1]`` (0 = fully with A, 1 = fully
  with B).

Client:   ``U_C = s_A (1 - a) + s_B a + beta p - (1 - g) lam p^2 - kappa (a - a0)^2``
Patron A: ``(1 - a) (v_A - (1 + u) c_A p) - k s_A^2 - g lam p^2``
Patron B: ``a (v_B - (1 + u) c_B p) - k s_B^2``

``g`` is the share of the cost of a collapse that the guarantor A absorbs (moral hazard);
``u`` the united front of the client's adversaries, which raises the blame a patron bears
for its client's provocations. The subgame-perfect equilibrium is found by backward
induction over the three stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch._base import BaseEstimator, Constraints, clone
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_choice, check_param, validated
from hedgewatch.errors import ParameterError


@dataclass(frozen=True)
class OutbiddingEquilibrium:
    """The subgame-perfect equilibrium of the outbidding game.

    Attributes
    ----------
    support_a, support_b : float
        Support pledged by patron A (the guarantor) and patron B (expected values under mixed
        strategies).
    alignment : float
        The client's alignment, 0 = fully with A, 1 = fully with B.
    provocation : float
        The client's provocation level in [0, 1] (on the ``provocation_levels`` grid).
    client_utility, payoff_a, payoff_b : float
        Equilibrium payoffs.
    hedging : bool
        Whether the alignment is interior (strictly between 0.01 and 0.99): the client keeps a
        foot in both camps.
    pure : bool
        Whether the pledge stage after the chosen provocation has a pure-strategy equilibrium
        (else a mixed one from Lemke-Howson is reported and the values are expectations).
    strategy_a, strategy_b : ndarray
        Probabilities over ``support_levels``.
    support_levels : ndarray
        The grid patrons pledge from.
    n_pure_equilibria : int
        How many pure equilibria that pledge stage has (the reported one is selected by the
        highest joint patron payoff, then symmetry, then the least support).
    path : DataFrame
        The continuation after every provocation level the client could choose: ``provocation,
        support_a, support_b, alignment, client_utility, payoff_a, payoff_b, pure``. It shows
        why the client chose what it did.
    labels : (str, str, str)
        Client, patron A and patron B names.
    """

    support_a: float
    support_b: float
    alignment: float
    provocation: float
    client_utility: float
    payoff_a: float
    payoff_b: float
    hedging: bool
    pure: bool
    strategy_a: np.ndarray
    strategy_b: np.ndarray
    support_levels: np.ndarray
    n_pure_equilibria: int
    labels: tuple[str, str, str]
    path: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row: the equilibrium quantities under readable names."""
        client, pa, pb = self.labels
        return pd.DataFrame(
            [
                {
                    "client": client,
                    "patron_a": pa,
                    "patron_b": pb,
                    "support_a": self.support_a,
                    "support_b": self.support_b,
                    "alignment": self.alignment,
                    "provocation": self.provocation,
                    "hedging": self.hedging,
                    "client_utility": self.client_utility,
                    "payoff_a": self.payoff_a,
                    "payoff_b": self.payoff_b,
                    "pure": self.pure,
                }
            ]
        )


def _is_equilibrium(
    pay_a: np.ndarray, pay_b: np.ndarray, sigma_a: np.ndarray, sigma_b: np.ndarray
) -> bool:
    """Whether each mixed strategy only uses best replies to the other (to 1e-9)."""
    if not (np.all(np.isfinite(sigma_a)) and np.all(np.isfinite(sigma_b))):
        return False
    row_values, col_values = pay_a @ sigma_b, sigma_a @ pay_b
    tol = 1e-9 * max(1.0, float(np.abs(pay_a).max()), float(np.abs(pay_b).max()))
    used_a, used_b = sigma_a > 1e-12, sigma_b > 1e-12
    return bool(
        np.all(row_values[used_a] >= row_values.max() - tol)
        and np.all(col_values[used_b] >= col_values.max() - tol)
        and abs(sigma_a.sum() - 1) < 1e-9
        and abs(sigma_b.sum() - 1) < 1e-9
    )


def _number(ok: Callable[[float], bool]) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        real = isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        return bool(real and np.isfinite(v) and ok(float(v)))

    return check


def _grid_ok(values: Any, upper: float | None) -> bool:
    if values is None:
        return True
    try:
        levels = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(
        levels.ndim == 1
        and levels.size >= 2
        and np.all(np.isfinite(levels))
        and np.all(levels >= 0)
        and (upper is None or np.all(levels <= upper))
        and np.unique(levels).size == levels.size
    )


#: The numeric parameters (those :func:`comparative_statics` can vary).
NUMERIC: tuple[str, ...] = (
    "ideal_alignment",
    "autonomy_cost",
    "provocation_value",
    "collapse_cost",
    "guarantee",
    "value_a",
    "value_b",
    "support_cost",
    "blame_a",
    "blame_b",
    "united_front",
)

#: Parameter -> (check, requirement); one table, as in scikit-learn's _parameter_constraints.
_CONSTRAINTS: Constraints = {
    "ideal_alignment": (_number(lambda v: 0 <= v <= 1), "a number in [0, 1]"),
    "autonomy_cost": (_number(lambda v: v > 0), "a positive number"),
    "provocation_value": (_number(lambda v: v >= 0), "a non-negative number"),
    "collapse_cost": (_number(lambda v: v > 0), "a positive number"),
    "guarantee": (_number(lambda v: 0 <= v <= 1), "a number in [0, 1]"),
    "value_a": (_number(lambda v: v >= 0), "a non-negative number"),
    "value_b": (_number(lambda v: v >= 0), "a non-negative number"),
    "support_cost": (_number(lambda v: v > 0), "a positive number"),
    "blame_a": (_number(lambda v: v >= 0), "a non-negative number"),
    "blame_b": (_number(lambda v: v >= 0), "a non-negative number"),
    "united_front": (_number(lambda v: v >= 0), "a non-negative number"),
    "support_levels": (
        lambda v: _grid_ok(v, None),
        "None or at least two distinct non-negative numbers",
    ),
    "provocation_levels": (
        lambda v: _grid_ok(v, 1.0),
        "None or at least two distinct numbers in [0, 1]",
    ),
    "labels": (
        lambda v: isinstance(v, tuple | list) and len(v) == 3,
        "three names (client, patron A, patron B)",
    ),
}


class OutbiddingModel(BaseEstimator):
    """A client hedging between two patrons who outbid each other for it.

    Parameters
    ----------
    ideal_alignment : float, default 0.5
        ``a0``: where the client would stand on its own, 0 = with patron A, 1 = with patron B
        (calibrate with :func:`calibrate_outbidding`).
    autonomy_cost : float, default 1.0
        ``kappa``: how much the client dislikes being pulled away from ``a0`` (the value it
        puts on free agency). Support worth ``d`` more from one patron moves it ``d / (2
        kappa)`` towards that patron.
    provocation_value : float, default 0.5
        ``beta``: the client's own gain per unit of provocation (deterrence, bargaining
        leverage, prestige at home).
    collapse_cost : float, default 1.0
        ``lam``: the expected cost of the crisis or collapse that provocation risks,
        ``lam p^2``, shared between the client and its guarantor.
    guarantee : float, default 0.5
        ``g``: the share of that cost patron A absorbs because it will not let the client fail
        (refugees, a hostile neighbour on its border). The client bears ``1 - g``.
    value_a, value_b : float, default 1.0
        ``v_A, v_B``: what a fully aligned client is worth to each patron.
    support_cost : float, default 0.5
        ``k``: scale of a patron's cost of pledging support, ``k s^2`` (the first aid is cheap,
        the last is dear).
    blame_a, blame_b : float, default 0.5
        ``c_A, c_B``: per unit of provocation, the cost (blame, sanctions pressure, regional
        instability) a patron bears in proportion to how closely the client is aligned with it.
    united_front : float, default 0.0
        ``u``: how much a united front of the client's adversaries (Japan and South Korea)
        raises that cost: it becomes ``(1 + u) c``.
    support_levels : sequence of float, default 0, 0.05, ..., 1
        The pledges patrons choose from.
    provocation_levels : sequence of float, default 0, 0.01, ..., 1
        The provocation levels the client chooses from.
    labels : (str, str, str), default ("client", "A", "B")
        Names of the client, patron A (the guarantor) and patron B, for tables and plots.

    Examples
    --------
    >>> eq = OutbiddingModel(guarantee=0.8, labels=("PRK", "CHN", "RUS")).solve()
    >>> round(eq.alignment, 2), round(eq.provocation, 2)
    (0.5, 0.69)
    """

    @deprecated_args(keyword_only=True)
    def __init__(
        self,
        *,
        ideal_alignment: float = 0.5,
        autonomy_cost: float = 1.0,
        provocation_value: float = 0.5,
        collapse_cost: float = 1.0,
        guarantee: float = 0.5,
        value_a: float = 1.0,
        value_b: float = 1.0,
        support_cost: float = 0.5,
        blame_a: float = 0.5,
        blame_b: float = 0.5,
        united_front: float = 0.0,
        support_levels: Sequence[float] | None = None,
        provocation_levels: Sequence[float] | None = None,
        labels: tuple[str, str, str] = ("client", "A", "B"),
    ) -> None:
        self.ideal_alignment = ideal_alignment
        self.autonomy_cost = autonomy_cost
        self.provocation_value = provocation_value
        self.collapse_cost = collapse_cost
        self.guarantee = guarantee
        self.value_a = value_a
        self.value_b = value_b
        self.support_cost = support_cost
        self.blame_a = blame_a
        self.blame_b = blame_b
        self.united_front = united_front
        self.support_levels = support_levels
        self.provocation_levels = provocation_levels
        self.labels = labels

    _parameter_constraints = _CONSTRAINTS

    def _validate(self) -> tuple[np.ndarray, np.ndarray]:
        self._validate_params()
        return _grid(self.support_levels, 21), _grid(self.provocation_levels, 101)

    # -- stage 3 ---------------------------------------------------------------------------
    def client_alignment(self, support_a: Any, support_b: Any) -> np.ndarray:
        """The client's best alignment given pledges: ``clip(a0 + (s_B - s_A) / (2 kappa))``.

        The client's utility is a concave quadratic in ``a``, so this is exact.
        """
        diff = np.asarray(support_b, float) - np.asarray(support_a, float)
        return np.clip(self.ideal_alignment + diff / (2.0 * self.autonomy_cost), 0.0, 1.0)

    # -- stage 2 ---------------------------------------------------------------------------
    @validated
    def payoff_matrices(self, provocation: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pledge game after provocation ``p``: ``(A, B, alignment)``, each ``(m, m)``.

        Rows index A's pledge, columns B's pledge; ``alignment`` is the client's reply.
        """
        s_levels, _ = self._validate()
        return self._stage2(s_levels, np.asarray([provocation], float))[0][0]

    def _stage2(self, s_levels: np.ndarray, p: np.ndarray) -> tuple[Any, ...]:
        sa, sb = np.meshgrid(s_levels, s_levels, indexing="ij")
        a = self.client_alignment(sa, sb)[None]
        front = 1.0 + self.united_front
        pp = p[:, None, None]
        pay_a = (1 - a) * (self.value_a - front * self.blame_a * pp) - self.support_cost * sa**2
        pay_b = a * (self.value_b - front * self.blame_b * pp) - self.support_cost * sb**2
        # The guarantor's share of the collapse cost does not depend on pledges given p, so it
        # cannot change the pledge game; it is added to A's payoff after the game is solved.
        a = np.broadcast_to(a, pay_a.shape)
        return [(pay_a[i], pay_b[i], a[i]) for i in range(len(p))], sa, sb

    # -- stage 1 and the whole game ----------------------------------------------------------
    @validated
    def solve(self) -> OutbiddingEquilibrium:
        """Solve for the subgame-perfect equilibrium by backward induction.

        For every provocation level the client could choose, the pledge game is solved (pure
        equilibria exactly; otherwise a mixed one by Lemke-Howson in nashpy) with the client's
        alignment as the reply; the client then picks the provocation level with the highest
        continuation utility (the largest one on ties).

        Returns
        -------
        OutbiddingEquilibrium

        References
        ----------
        Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in
        extensive games. *International Journal of Game Theory*, 4(1), 25-55.
        Lemke, C. E. & Howson, J. T. (1964). Equilibrium points of bimatrix games. *Journal of
        the Society for Industrial and Applied Mathematics*, 12(2), 413-423.
        Knight, V. & Campbell, J. (2018). Nashpy: a Python library for the computation of Nash
        equilibria. *Journal of Open Source Software*, 3(30), 904.
        """
        s_levels, p_levels = self._validate()
        games, sa, sb = self._stage2(s_levels, p_levels)
        rows = []
        for p, (pay_a, pay_b, a) in zip(p_levels, games, strict=True):
            sig_a, sig_b, n_pure = _pledge_equilibrium(pay_a, pay_b, s_levels)
            w = np.outer(sig_a, sig_b)
            received = sa * (1 - a) + sb * a - self.autonomy_cost * (a - self.ideal_alignment) ** 2
            rows.append(
                (
                    p,
                    sig_a @ s_levels,
                    sig_b @ s_levels,
                    np.sum(w * a),
                    np.sum(w * received),
                    np.sum(w * pay_a),
                    np.sum(w * pay_b),
                    n_pure,
                    sig_a,
                    sig_b,
                )
            )
        path = pd.DataFrame(
            rows,
            columns=[
                "provocation",
                "support_a",
                "support_b",
                "alignment",
                "continuation",
                "payoff_a",
                "payoff_b",
                "n_pure",
                "sig_a",
                "sig_b",
            ],
        )
        g, lam = self.guarantee, self.collapse_cost
        path["client_utility"] = (
            path["continuation"] + self.provocation_value * p_levels - (1 - g) * lam * p_levels**2
        )
        path["payoff_a"] -= g * lam * p_levels**2
        path["pure"] = path["n_pure"] > 0
        u = path["client_utility"].to_numpy()
        best = int(np.flatnonzero(u >= u.max() - 1e-12)[-1])
        chosen = path.iloc[best]
        align = float(chosen["alignment"])
        return OutbiddingEquilibrium(
            support_a=float(chosen["support_a"]),
            support_b=float(chosen["support_b"]),
            alignment=align,
            provocation=float(chosen["provocation"]),
            client_utility=float(chosen["client_utility"]),
            payoff_a=float(chosen["payoff_a"]),
            payoff_b=float(chosen["payoff_b"]),
            hedging=bool(0.01 < align < 0.99),
            pure=bool(chosen["pure"]),
            strategy_a=np.asarray(chosen["sig_a"]),
            strategy_b=np.asarray(chosen["sig_b"]),
            support_levels=s_levels,
            n_pure_equilibria=int(chosen["n_pure"]),
            labels=tuple(str(x) for x in self.labels),  # type: ignore[arg-type]
            path=path.drop(columns=["continuation", "n_pure", "sig_a", "sig_b"]),
        )


def _grid(values: Any, n: int) -> np.ndarray:
    return np.sort(np.linspace(0.0, 1.0, n) if values is None else np.asarray(values, dtype=float))


def _pledge_equilibrium(
    pay_a: np.ndarray, pay_b: np.ndarray, levels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Mixed strategies of a Nash equilibrium of the pledge game and the number of pure ones.

    Pure equilibria are found exactly (each pledge a best reply to the other, to 1e-12).
    Without one, every pair of two-pledge supports is enumerated exactly (the indifference
    conditions solved in closed form, vectorised, then verified). Among several equilibria
    the highest joint patron payoff is chosen, then the most symmetric, then the least total
    support. Failing both, nashpy's Lemke-Howson pivoting is run from each starting label,
    with a cap on pivots because it can cycle on these degenerate games, and its answer is
    kept only if it verifies as an equilibrium.
    """
    m = len(levels)
    found = _pure_equilibria(pay_a, pay_b, m)
    n_pure = len(found)
    if not found:
        found = _two_by_two_equilibria(pay_a, pay_b, m)
    if not found:
        found = _lemke_howson(pay_a, pay_b, m)
    if not found:
        raise ParameterError(
            "The pledge game has no equilibrium with at most two pledges per patron on this "
            "grid; use fewer 'support_levels' (e.g. 0, 0.1, ..., 1) and try again."
        )
    return (*_select(found, pay_a, pay_b, levels), n_pure)


def _pure_equilibria(pay_a: np.ndarray, pay_b: np.ndarray, m: int) -> list[tuple[Any, Any]]:
    tol = 1e-12
    best_a = pay_a >= pay_a.max(axis=0, keepdims=True) - tol
    best_b = pay_b >= pay_b.max(axis=1, keepdims=True) - tol
    eye = np.eye(m)
    return [(eye[i], eye[j]) for i, j in zip(*np.nonzero(best_a & best_b), strict=True)]


def _two_by_two_equilibria(
    pay_a: np.ndarray, pay_b: np.ndarray, m: int, chunk: int = 20000
) -> list[tuple[Any, Any]]:
    i1, i2 = np.triu_indices(m, 1)
    r, c = (g.ravel() for g in np.meshgrid(np.arange(i1.size), np.arange(i1.size), indexing="ij"))
    a1, a2, b1, b2 = i1[r], i2[r], i1[c], i2[c]  # rows (a1, a2) of A, columns (b1, b2) of B
    with np.errstate(divide="ignore", invalid="ignore"):
        # q: B's weight on b1 that leaves A indifferent between a1 and a2; p likewise for A.
        q = (pay_a[a2, b2] - pay_a[a1, b2]) / (
            pay_a[a1, b1] - pay_a[a1, b2] - pay_a[a2, b1] + pay_a[a2, b2]
        )
        p = (pay_b[a2, b2] - pay_b[a2, b1]) / (
            pay_b[a1, b1] - pay_b[a2, b1] - pay_b[a1, b2] + pay_b[a2, b2]
        )
    ok = np.flatnonzero((q > 1e-12) & (q < 1 - 1e-12) & (p > 1e-12) & (p < 1 - 1e-12))
    found = []
    tol = 1e-9 * max(1.0, float(np.abs(pay_a).max()), float(np.abs(pay_b).max()))
    for start in range(0, ok.size, chunk):
        k = ok[start : start + chunk]
        rows = pay_a[:, b1[k]] * q[k] + pay_a[:, b2[k]] * (1 - q[k])  # (m, K)
        cols = pay_b[a1[k], :] * p[k, None] + pay_b[a2[k], :] * (1 - p[k, None])  # (K, m)
        good = (rows[a1[k], np.arange(k.size)] >= rows.max(axis=0) - tol) & (
            cols[np.arange(k.size), b1[k]] >= cols.max(axis=1) - tol
        )
        for g in k[good]:
            sa, sb = np.zeros(m), np.zeros(m)
            sa[a1[g]], sa[a2[g]] = p[g], 1 - p[g]
            sb[b1[g]], sb[b2[g]] = q[g], 1 - q[g]
            found.append((sa, sb))
    return found


def _lemke_howson(
    pay_a: np.ndarray, pay_b: np.ndarray, m: int, max_pivots: int = 2000
) -> list[tuple[Any, Any]]:
    """nashpy's Lemke-Howson (Nisan et al. 2007, Alg. 3.6) with a cap on pivots."""
    import warnings

    from nashpy.linalg import create_col_tableau, create_row_tableau

    # Positive payoffs are required; an affine rescaling leaves equilibria unchanged.
    a = 1.0 + (pay_a - pay_a.min()) / max(float(np.ptp(pay_a)), 1e-300)
    b = 1.0 + (pay_b - pay_b.min()) / max(float(np.ptp(pay_b)), 1e-300)
    for label in range(2 * m):
        col, row = create_col_tableau(a, True), create_row_tableau(b, True)
        order = (row, col) if label in row.non_basic_variables else (col, row)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                found = _pivot(col, row, order, label, m, max_pivots)
            except (ValueError, IndexError, ZeroDivisionError):  # a degenerate pivot
                found = None
        if found is not None and _is_equilibrium(pay_a, pay_b, *found):
            return [(np.clip(found[0], 0, None), np.clip(found[1], 0, None))]
    return []


def _pivot(col: Any, row: Any, order: Any, label: int, m: int, max_pivots: int) -> Any:
    entering, full = label, col.labels
    for step in range(max_pivots):
        entering = order[step % 2].pivot_and_drop_label(entering)
        if col.non_basic_variables.union(row.non_basic_variables) == full:
            sa = row.to_strategy(col.non_basic_variables)
            sb = col.to_strategy(row.non_basic_variables)
            return (sa, sb) if sa.shape == (m,) and sb.shape == (m,) else None
    return None


def _select(
    found: list[tuple[Any, Any]], pay_a: np.ndarray, pay_b: np.ndarray, levels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    def key(pair: tuple[Any, Any]) -> tuple[float, float, float]:
        sa, sb = pair
        joint = float(sa @ pay_a @ sb + sa @ pay_b @ sb)
        ea, eb = float(sa @ levels), float(sb @ levels)
        return (-round(joint, 12), round(abs(ea - eb), 12), round(ea + eb, 12))

    sa, sb = min(found, key=key)
    return np.asarray(sa, float), np.asarray(sb, float)


@validated
def comparative_statics(
    model: OutbiddingModel, parameter: str, values: Sequence[float] | np.ndarray
) -> pd.DataFrame:
    """Solve the model for each value of one parameter.

    Parameters
    ----------
    model : OutbiddingModel
        The baseline; it is not modified.
    parameter : str
        Any constructor parameter of :class:`OutbiddingModel` that is a number, e.g.
        ``"guarantee"`` (moral hazard), ``"united_front"``, ``"ideal_alignment"``,
        ``"value_b"`` (how much patron B wants the client).
    values : sequence of float

    Returns
    -------
    DataFrame
        One row per value: ``parameter, value, support_a, support_b, alignment, provocation,
        hedging, client_utility, payoff_a, payoff_b, pure``.
    """
    check_choice(parameter, "parameter", NUMERIC)
    values = np.asarray(values, dtype=float)
    check_param(
        values.ndim == 1 and values.size > 0,
        "values",
        "a non-empty sequence of numbers",
        values,
    )
    frames = [
        clone(model).set_params(**{parameter: float(v)}).solve().to_frame().assign(value=float(v))
        for v in values
    ]
    out = pd.concat(frames, ignore_index=True).assign(parameter=parameter)
    first = ["parameter", "value"]
    return out[first + [c for c in out.columns if c not in first]]


@deprecated_args(keyword_only=True)
@validated
def hedging_region(
    model: OutbiddingModel,
    *,
    x: str = "ideal_alignment",
    y: str = "value_b",
    x_values: Sequence[float] | None = None,
    y_values: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Where hedging (interior alignment) is the equilibrium, over a grid of two parameters.

    Returns a long DataFrame ``x, y, alignment, provocation, hedging`` (column names are the
    parameter names).
    """
    xs = np.linspace(0, 1, 11) if x_values is None else np.asarray(x_values, float)
    ys = np.linspace(0, 2, 11) if y_values is None else np.asarray(y_values, float)
    check_choice(x, "x", NUMERIC)
    check_choice(y, "y", NUMERIC)
    rows = []
    for xv in xs:
        for yv in ys:
            eq = clone(model).set_params(**{x: float(xv), y: float(yv)}).solve()
            rows.append((xv, yv, eq.alignment, eq.provocation, eq.hedging))
    return pd.DataFrame(rows, columns=[x, y, "alignment", "provocation", "hedging"])
