"""The hedging index: where a state sits between two (or more) powers, and how far off it is.

Take the vote distance ``d(i, j) = 1 - agreement(i, j)`` over the roll calls on which the state
X and every power voted. Per roll call this distance obeys the triangle inequality (it is the
L1 distance on the vote scale yes = 1, abstain = 0.5, no = 0, or the 0/1 mismatch for the
``identical`` measure), so its mean over a common set of roll calls does too. That gives two
bounded, readable coordinates for X against powers A and B:

``position = (d(X, A) - d(X, B)) / d(A, B)``, in [-1, 1]
    -1: X votes as A does; +1: X votes as B does; 0: equidistant. It is where X projects on
    the A-B axis, measured in units of how far apart A and B themselves are. Undefined (NaN)
    when A and B voted identically throughout the period: then there is no axis.

``free_agency = (d(X, A) + d(X, B) - d(A, B)) / 2``, in [0, 1]
    How far X is off the segment between A and B (the Gromov product of A and B seen from
    X). Zero when on every roll call X's vote lies between A's and B's (X differs from one
    only where it sides with the other); large when X takes positions neither power takes.

A state *hedging* between A and B shows a position near 0 with low free agency; a state
*aligned* with A shows position near -1; an *independent* state shows high free agency
whatever its position. With more than two powers the index reports a position for each pair
and the smallest free agency over pairs (the distance to the nearest A-B segment).

Uncertainty comes from a nonparametric bootstrap over roll calls within each period (Efron &
Tibshirani 1993): roll calls are drawn with replacement, every quantity is recomputed, and the
percentile interval is reported.

References
----------
Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2): 185-215.
Gromov, M. (1987). Hyperbolic groups. In *Essays in Group Theory*, MSRI Publications 8: 75-263.
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Kuik, C.-C. (2008). The essence of hedging: Malaysia and Singapore's response to a rising
China. *Contemporary Southeast Asia* 30(2): 159-185.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from hedgewatch._deprecation import deprecated_args, old_default
from hedgewatch._validation import caller, check_level, check_param, check_present, validated
from hedgewatch.alignment._crosstab import (
    check_duplicates,
    period_key,
    unanimous_rcids,
    vote_codes,
)
from hedgewatch.alignment.agreement import DISTANCE
from hedgewatch.errors import InsufficientDataError

_HEDGE_MEASURES = ("agreement", "identical")
FEW_VOTES = 10
NO_AXIS = "powers voted identically: no axis"


def _distances(measure: str) -> np.ndarray:
    return DISTANCE if measure == "agreement" else 1.0 - np.eye(3)


def _wide(votes: pd.DataFrame, actors: list[str], by: str | None, drop_unanimous: bool):
    if not drop_unanimous:  # only the actors' rows enter: select them first (~100x fewer)
        votes = votes[votes["country"].isin(actors)]
    code = vote_codes(votes)
    keep = code >= 0
    frame = pd.DataFrame(
        {
            "rcid": votes["rcid"].to_numpy()[keep],
            "country": votes["country"].astype(str).to_numpy()[keep],
            "code": code[keep],
            "period": period_key(votes, by).to_numpy()[keep],
        }
    )
    if drop_unanimous:
        frame = frame[
            ~frame["rcid"].isin(unanimous_rcids(frame["rcid"].to_numpy(), frame["code"].to_numpy()))
        ]
    frame = frame[frame["country"].isin(actors)]
    check_duplicates(frame["rcid"].to_numpy(), frame["country"].to_numpy())
    wide = frame.pivot_table(
        index=["period", "rcid"], columns="country", values="code", aggfunc="first"
    )
    wide = wide.reindex(columns=actors).dropna()
    return wide.astype(np.int8)


def _derive(d: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Index quantities from mean distances ``d[..., pair]`` (pairs as in :func:`_pairs`)."""
    pairs = _pairs(k)
    col = {p: i for i, p in enumerate(pairs)}
    out: dict[str, np.ndarray] = {}
    free = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for a, b in combinations(range(1, k + 1), 2):
            dxa, dxb, dab = d[..., col[(0, a)]], d[..., col[(0, b)]], d[..., col[(a, b)]]
            pos = np.where(dab > 1e-12, (dxa - dxb) / dab, np.nan)
            out[f"position_{a}_{b}"] = np.clip(pos, -1.0, 1.0)  # bounded; clip float noise
            free.append((dxa + dxb - dab) / 2)
    out["free_agency"] = np.clip(np.min(free, axis=0), 0.0, 1.0)
    for a in range(1, k + 1):
        out[f"agree_{a}"] = 1.0 - d[..., col[(0, a)]]
    return out


def _pairs(k: int) -> list[tuple[int, int]]:
    return [(0, a) for a in range(1, k + 1)] + list(combinations(range(1, k + 1), 2))


def _period_rows(
    codes: np.ndarray, dist: np.ndarray, k: int, n_boot: int, alpha: float, rng: np.random.Generator
) -> dict[str, float]:
    pairs = _pairs(k)
    per_rc = np.stack([dist[codes[:, i], codes[:, j]] for i, j in pairs], axis=1)
    n = len(per_rc)
    point = _derive(per_rc.mean(0), k)
    row: dict[str, float] = {"n_votes": n}
    row.update({key: float(v) for key, v in point.items()})
    for a, b in combinations(range(1, k + 1), 2):
        row[f"agree_{a}_{b}"] = 1.0 - float(per_rc[:, pairs.index((a, b))].mean())
    if n_boot > 0:
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot)
        boot = _derive(weights @ per_rc / n, k)
        for key, v in boot.items():
            ok = np.isfinite(v)
            lo, hi = (
                np.quantile(v[ok], [alpha / 2, 1 - alpha / 2]) if ok.any() else (np.nan, np.nan)
            )
            row[f"{key}_lo"], row[f"{key}_hi"] = float(lo), float(hi)
    return row


@deprecated_args(renamed={"ci": "level"})
@validated
def hedging_index(
    votes: pd.DataFrame,
    state: str,
    powers: Sequence[str] | None = None,
    *,
    by: str | None = "year",
    measure: str = "agreement",
    n_boot: int = 200,
    level: float = 0.95,
    seed: int | None = 0,
    drop_unanimous: bool = False,
    sides: bool = False,
) -> pd.DataFrame:
    """Where ``state`` sits between ``powers`` each period, with bootstrap intervals.

    Parameters
    ----------
    votes
        Tidy votes (``rcid, country, vote`` and ``year``/``session``/``date``).
    state
        The state whose position is measured (code or name).
    powers
        Two or more powers; the first two define the axis of ``position`` (-1 = first,
        +1 = second). Required (leaving it out still means CHN and RUS, with a
        DeprecationWarning, for one release).
    by
        ``"year"`` (default), ``"session"`` or None (one row for the whole window).
    measure
        ``"agreement"`` (Voeten's dyadic agreement; abstain = half agreement) or
        ``"identical"`` (share of identical votes). Both give distances that obey the
        triangle inequality, which keeps position and free agency bounded.
    n_boot
        Bootstrap replicates over roll calls per period (0 for none).
    level
        Coverage of the percentile intervals (``ci=`` is the deprecated name).
    seed
        Seed of the random generator, for reproducible intervals.
    drop_unanimous
        Leave out roll calls on which every vote in ``votes`` was the same; pass every
        country's votes when you use it.
    sides
        Add the state's side-taking between the first two powers (see
        :func:`~hedgewatch.alignment.side_taking`): ``n_divided``, ``with_<A>``,
        ``with_<B>``, ``with_neither`` and the shares ``side_<A>``, ``side_<B>``,
        ``side_neither``, on the roll calls that divided the two powers.

    Returns
    -------
    DataFrame, one row per period in which the state and all powers voted on a common roll
    call: ``period, n_votes, agree_<P>`` for each power ``P``, ``agree_<A>_<B>`` between
    powers, ``position`` (two powers) or ``position_<A>_<B>`` (each pair of three or more),
    ``free_agency``, ``<column>_lo``/``<column>_hi`` interval bounds, and ``note`` giving
    the reason wherever a value is NaN. The formulas are in
    :mod:`hedgewatch.alignment.hedging`.

    References
    ----------
    Voeten, E. (2000), International Organization 54(2); Efron, B. and Tibshirani, R. J.
    (1993), An Introduction to the Bootstrap; Gromov, M. (1987), Hyperbolic groups.
    """
    check_param(
        measure in _HEDGE_MEASURES,
        "measure",
        "'agreement' or 'identical' (a distance with the triangle inequality)",
        measure,
    )
    check_param(
        isinstance(n_boot, int | np.integer) and n_boot >= 0,
        "n_boot",
        "a non-negative integer",
        n_boot,
    )
    level = check_level(level)
    if powers is None:
        powers = old_default("powers", ("CHN", "RUS"), "hedging_index")
    check_param(
        not isinstance(powers, str) and len(powers) >= 2,
        "powers",
        "a sequence of at least two countries",
        powers,
    )
    present = set(pd.unique(votes["country"].astype(str)))
    actors = check_present([state, *powers], present, "state and powers")
    check_param(
        len(set(actors)) == len(actors),
        "powers",
        f"distinct countries, none equal to the state {actors[0]!r}",
        powers,
    )
    wide = _wide(votes, actors, by, drop_unanimous)
    if wide.empty:
        raise InsufficientDataError(
            f"{caller()}(): {', '.join(actors)} never all voted yes/abstain/no on one roll call "
            "in the votes given. Widen the window, or check membership dates."
        )
    out = _index_frame(wide, actors, measure, n_boot, 1 - level, seed)
    if sides:
        from hedgewatch.alignment._side_taking import add_sides

        out = add_sides(out, votes, actors[0], actors[1:], by=by, level=level)
    return out


def _period_rng(seed: int | None, period: object) -> np.random.Generator:
    """A generator per period, so a period's interval does not depend on the window."""
    if seed is None:
        return np.random.default_rng()
    key = int(period) if isinstance(period, int | np.integer) else zlib.crc32(str(period).encode())
    return np.random.default_rng([int(seed), key])


def _index_frame(wide, actors, measure, n_boot, alpha, seed) -> pd.DataFrame:
    dist = _distances(measure)
    k = len(actors) - 1
    periods = wide.index.get_level_values("period")
    codes = wide.to_numpy()
    starts = np.flatnonzero(np.r_[True, periods[1:] != periods[:-1]])
    rows = []
    for s, e in zip(starts, np.r_[starts[1:], len(codes)], strict=True):
        rng = _period_rng(seed, periods[s])
        row = _period_rows(codes[s:e], dist, k, n_boot, alpha, rng)
        rows.append({"period": periods[s], **row})
    return _rename(pd.DataFrame(rows), actors)


def _rename(frame: pd.DataFrame, actors: list[str]) -> pd.DataFrame:
    names = {str(i): a for i, a in enumerate(actors)}
    k = len(actors) - 1

    def new(col: str) -> str:
        parts = col.split("_")
        stem, suffix = parts[0], ""
        if parts[-1] in ("lo", "hi"):
            suffix, parts = "_" + parts[-1], parts[:-1]
        if stem == "position" and k == 2:
            return "position" + suffix
        if stem in ("position", "agree"):
            return "_".join([stem, *(names[p] for p in parts[1:])]) + suffix
        return col

    frame = frame.rename(columns=new)
    pos = [
        c
        for c in frame.columns
        if c.startswith("position") and c.count("_") <= 2 and not c.endswith(("_lo", "_hi"))
    ]
    few = np.where(
        frame["n_votes"] < FEW_VOTES,
        "only " + frame["n_votes"].astype(str) + " common roll calls",
        "",
    )
    axis = np.where(frame[pos].isna().any(axis=1), NO_AXIS, "")
    frame["note"] = [("; ".join(x for x in pair if x)) for pair in zip(axis, few, strict=True)]
    agree = [f"agree_{a}" for a in actors[1:]]
    lead = [
        "period",
        "n_votes",
        *agree,
        *[
            c
            for c in frame.columns
            if c.startswith("agree_") and c not in agree and not c.endswith(("_lo", "_hi"))
        ],
    ]
    main = agree + pos + ["free_agency"]
    ordered = ["period", "n_votes"] + [
        c for m in main for c in (m, f"{m}_lo", f"{m}_hi") if c in frame
    ]
    ordered += [c for c in lead if c not in ordered]
    ordered += [c for c in frame.columns if c not in ordered and c != "note"] + ["note"]
    return frame[ordered]
