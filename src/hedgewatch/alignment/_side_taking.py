"""Side-taking: when two powers split, whose side does a state take?

Take the roll calls on which powers A and B both voted yes, abstain or no and did **not**
cast the same vote: the roll calls that *divided* them. On each of these that state X also
voted, X either cast A's vote (it sided with A), cast B's vote (it sided with B), or cast a
third vote (it sided with neither: e.g. it abstained while A voted yes and B no). Then

``side_A = #(X = A) / n``,  ``side_B = #(X = B) / n``,  ``side_neither = 1 - side_A - side_B``

with ``n`` the number of dividing roll calls on which X voted. Unlike agreement, the shares
ignore the (many) roll calls on which the powers agree, so they read at once: "since 2012
North Korea sided with China on 64% of the 160 votes that divided China and Russia, with
Russia on 26%".

The counts are exact; an interval for a share is the Wilson score interval of a binomial
proportion (Wilson 1927), which stays inside [0, 1] for small ``n`` and shares near 0 or 1.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158): 209-212.
Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2): 185-215.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtri

from hedgewatch import countries as _countries
from hedgewatch._validation import caller, check_level, check_param, check_present, validated
from hedgewatch.alignment._votematrix import VoteMatrix, vote_matrix
from hedgewatch.errors import InsufficientDataError


def resolve_powers(powers: Sequence[str], present: set[str]) -> tuple[str, str]:
    """Two distinct powers present in the votes, as codes."""
    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a pair of two countries, e.g. ('CHN', 'USA')",
        powers,
    )
    a, b = check_present(powers, present, "powers")
    check_param(a != b, "powers", "two distinct countries", powers)
    return a, b


def side_counts(mat: VoteMatrix, a: str, b: str) -> dict[str, np.ndarray]:
    """Counts per country and period: ``n_divided``, ``with_a``, ``with_b`` (arrays
    ``(countries, periods)``) on the roll calls that divided ``a`` and ``b``."""
    va, vb = mat.row(a), mat.row(b)
    divided = (va >= 0) & (vb >= 0) & (va != vb)
    sub = mat.select(divided)
    c = sub.codes
    va, vb = sub.row(a), sub.row(b)
    voted = c >= 0
    return {
        "periods": np.asarray(sub.periods, dtype=object),
        "n_divided": sub.period_sums(voted.astype(np.int32)),
        "with_a": sub.period_sums((c == va[None, :]).astype(np.int32)),
        "with_b": sub.period_sums((c == vb[None, :]).astype(np.int32)),
    }


def wilson(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``k`` successes in ``n`` trials (NaN where ``n`` is 0)."""
    z = float(ndtri(0.5 + level / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def side_frame(
    counts: dict[str, np.ndarray], states: list[str], a: str, b: str, level: float
) -> pd.DataFrame:
    """Tidy frame of the counts for the rows ``states`` (one row per state and period)."""
    n = counts["n_divided"]
    rows, cols = np.nonzero(n > 0)
    k_a, k_b = counts["with_a"][rows, cols], counts["with_b"][rows, cols]
    nn = n[rows, cols]
    k_n = nn - k_a - k_b
    out = {
        "period": counts["periods"][cols],
        "country": np.asarray(states, dtype=object)[rows],
        "n_divided": nn,
        f"with_{a}": k_a,
        f"with_{b}": k_b,
        "with_neither": k_n,
    }
    for key, k in ((f"side_{a}", k_a), (f"side_{b}", k_b), ("side_neither", k_n)):
        lo, hi = wilson(k.astype(float), nn.astype(float), level)
        out[key], out[f"{key}_lo"], out[f"{key}_hi"] = k / nn, lo, hi
    frame = pd.DataFrame(out).infer_objects()
    return frame.sort_values(["country", "period"], kind="stable").reset_index(drop=True)


@validated
def side_taking(
    votes: pd.DataFrame,
    powers: Sequence[str],
    *,
    countries: Sequence[str] | str | None = None,
    by: str | None = "year",
    level: float = 0.95,
    drop_unanimous: bool = False,
) -> pd.DataFrame:
    """On the roll calls that divided two powers, how often each state took each side.

    Parameters
    ----------
    votes
        Tidy votes (``rcid, country, vote`` and ``year``/``session``/``date``), as from
        :func:`hedgewatch.votes`.
    powers
        The two powers ``(A, B)``.
    countries
        The states to report (codes or names); default every country in ``votes`` other
        than the powers.
    by
        ``"year"`` (default), ``"session"`` or None (one row per state for the whole window).
    level
        Coverage of the Wilson intervals of the shares.
    drop_unanimous
        Leave out roll calls on which every vote in ``votes`` was the same (they never
        divide the powers, so this changes nothing but speed).

    Returns
    -------
    DataFrame, one row per state and period with at least one dividing roll call on which
    the state voted: ``period, country, n_divided, with_<A>, with_<B>, with_neither`` (counts)
    and ``side_<A>, side_<B>, side_neither`` (shares of ``n_divided``), each with
    ``_lo``/``_hi`` Wilson bounds.

    References
    ----------
    Wilson, E. B. (1927), JASA 22(158). See :mod:`hedgewatch.alignment._side_taking`.

    Examples
    --------
    >>> import hedgewatch as hw                                         # doctest: +SKIP
    >>> v = hw.votes(["PRK", "CHN", "RUS"], start=2012)                 # doctest: +SKIP
    >>> hw.side_taking(v, ("CHN", "RUS"), countries="PRK", by=None)    # doctest: +SKIP
    """
    level = check_level(level)
    mat = vote_matrix(votes, by=by, drop_unanimous=drop_unanimous)
    present = set(mat.countries)
    a, b = resolve_powers(powers, present)
    if countries is None:
        wanted = [c for c in mat.countries if c not in (a, b)]
    else:
        given = [countries] if isinstance(countries, str) else countries
        wanted = check_present(given, present, "countries")
    counts = side_counts(mat, a, b)
    if not counts["n_divided"].size or not counts["n_divided"].any():
        raise InsufficientDataError(
            f"{caller()}(): {a} and {b} never cast different votes on one roll call in the "
            "votes given. Widen the window."
        )
    idx = [mat.countries.index(s) for s in wanted]
    sub = {k: (v[idx] if k != "periods" else v) for k, v in counts.items()}
    frame = side_frame(sub, wanted, a, b, level)
    if countries is not None:
        for s in wanted:
            if not (frame["country"] == s).any():
                raise InsufficientDataError(
                    f"{caller()}(): {s} ({_countries.name(s)}) voted on none of the roll calls "
                    f"that divided {a} and {b} in the votes given. Widen the window."
                )
    return frame


def add_sides(
    index: pd.DataFrame,
    votes: pd.DataFrame,
    state: str,
    powers: Sequence[str],
    *,
    by: str | None,
    level: float,
) -> pd.DataFrame:
    """``index`` (a :func:`hedging_index` frame) with the state's side-taking between the
    first two powers per period: ``n_divided, with_<A>, with_<B>, with_neither`` and the
    shares ``side_<A>, side_<B>, side_neither`` (0 and NaN where no roll call divided them).
    """
    a, b = powers[0], powers[1]
    mat = vote_matrix(votes, by=by)
    counts = side_counts(mat, a, b)
    i = mat.countries.index(state)
    sides = side_frame(
        {k: (v[[i]] if k != "periods" else v) for k, v in counts.items()}, [state], a, b, level
    )
    keep = [
        "period",
        "n_divided",
        f"with_{a}",
        f"with_{b}",
        "with_neither",
        f"side_{a}",
        f"side_{b}",
        "side_neither",
    ]
    out = index.merge(sides[keep], on="period", how="left")
    for c in keep[1:5]:
        out[c] = out[c].fillna(0).astype("int64")
    note = out.pop("note")
    out["note"] = note
    return out
