"""One-call alignment workflows: fetch votes from the store, then measure alignment.

The analyses in this package take a votes DataFrame; these two functions fetch it with
:func:`hedgewatch.votes` first, so that a user (or the CLI) can ask in one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._deprecation import old_default
from hedgewatch._validation import check_param, validated
from hedgewatch.alignment._pivots import pivots as find_pivots
from hedgewatch.alignment.agreement import dyadic
from hedgewatch.alignment.hedging import hedging_index
from hedgewatch.errors import InsufficientDataError
from hedgewatch.store import ISSUES, Store, issue_code, roll_calls, votes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _fetch(
    countries,
    *,
    start,
    end,
    sessions,
    issues,
    important_only,
    drop_unanimous,
    store,
    successors=None,
):
    # Unanimity is a property of the whole roll call: it needs every country's vote.
    wanted = None if drop_unanimous else list(countries)
    for c in countries:  # a historical state counted under its successor has no rows
        merged = _countries.where_records_are(_countries.resolve(c), successors)
        if merged:
            raise InsufficientDataError(merged)
    v = votes(
        wanted,
        start=start,
        end=end,
        sessions=sessions,
        issues=issues,
        important_only=important_only,
        successors=successors,
        store=store,
    )
    if v.empty:
        raise InsufficientDataError(
            "no votes in the window selected "
            f"(start={start!r}, end={end!r}, sessions={sessions!r}, issues={issues!r}, "
            f"important_only={important_only!r}). Widen the window or drop a filter."
        )
    return v


@validated
def align(
    countries: Sequence[str] | str,
    partners: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    sessions: Iterable[int] | None = None,
    issues: Iterable[str] | str | None = None,
    important_only: bool = False,
    by: str | None = "year",
    measure: str = "agreement",
    drop_unanimous: bool = False,
    per_issue: bool = False,
    successors: Mapping[str, str | None] | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Similarity of countries with partners over a window of the stored record.

    Parameters
    ----------
    countries, partners
        As in :func:`dyadic` (``partners`` None: every pair among ``countries``).
    start, end, sessions, issues, important_only
        Window and filters, as in :func:`hedgewatch.votes`.
    by, measure, drop_unanimous
        As in :func:`dyadic`.
    per_issue
        One result per Voeten issue (those in ``issues``, default all six), with an
        ``issue`` column; an issue on which a pair never co-voted gets a NaN row and a note.
    successors
        Historical state -> continuing country (see :func:`hedgewatch.votes`); ``{}`` keeps
        the USSR, Yugoslavia and Czechoslovakia apart.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame ``period, country_a, country_b, value, n_votes, note`` (see :func:`dyadic`),
    led by ``issue`` when ``per_issue``.
    """
    countries = [countries] if isinstance(countries, str) else list(countries)
    partners = [partners] if isinstance(partners, str) else partners
    v = _fetch(
        [*countries, *(partners or [])],
        start=start,
        end=end,
        sessions=sessions,
        issues=issues,
        important_only=important_only,
        drop_unanimous=drop_unanimous,
        store=store,
        successors=successors,
    )
    if not per_issue:
        return dyadic(v, countries, partners, by=by, measure=measure, drop_unanimous=drop_unanimous)
    return _per_issue(v, countries, partners, issues, by, measure, drop_unanimous, store)


def _per_issue(v, countries, partners, issues, by, measure, drop_unanimous, store):
    codes = (
        list(ISSUES)
        if issues is None
        else [issue_code(i) for i in ([issues] if isinstance(issues, str) else issues)]
    )
    tagged = roll_calls(store=store)[["rcid", "issues"]].explode("issues")
    parts = []
    for code in codes:
        sub = v[v["rcid"].isin(tagged.loc[tagged["issues"] == code, "rcid"])]
        try:
            part = dyadic(
                sub, countries, partners, by=by, measure=measure, drop_unanimous=drop_unanimous
            )
        except InsufficientDataError as exc:
            part = pd.DataFrame(
                {
                    "period": [None],
                    "country_a": [countries[0]],
                    "country_b": [None],
                    "value": [float("nan")],
                    "n_votes": [0],
                    "note": [f"no co-vote on this issue: {exc}"],
                }
            )
        parts.append(part.assign(issue=code))
    out = pd.concat(parts, ignore_index=True)
    return out[["issue", *[c for c in out.columns if c != "issue"]]]


@dataclass(frozen=True)
class HedgingResult:
    """Hedging index of a state between powers, with the pivots of its position.

    Attributes
    ----------
    state, powers
        The state and the powers, as ISO3 codes.
    index
        One row per period (see :func:`hedging_index`).
    pivots
        Change points of ``pivot_column`` (see :func:`pivots`); empty if none.
    pivot_column
        The index column scanned for pivots.
    """

    state: str
    powers: tuple[str, ...]
    index: pd.DataFrame
    pivots: pd.DataFrame
    pivot_column: str

    def to_frame(self) -> pd.DataFrame:
        """The index, one row per period."""
        return self.index.copy()

    def plot(self) -> Figure:
        """The index and its pivots as a matplotlib Figure (see :func:`plot_hedging`)."""
        from hedgewatch.alignment.plot import plot_hedging

        return plot_hedging(self.index, self.pivots, state=self.state)


@validated
def hedge(
    state: str,
    powers: Sequence[str] | None = None,
    *,
    start: object = None,
    end: object = None,
    sessions: Iterable[int] | None = None,
    issues: Iterable[str] | str | None = None,
    important_only: bool = False,
    by: str | None = "year",
    measure: str = "agreement",
    n_boot: int = 200,
    seed: int | None = 0,
    drop_unanimous: bool = False,
    pivot_column: str | None = None,
    penalty: str | float = "bic",
    min_size: int = 3,
    level: float = 0.95,
    sides: bool = False,
    successors: Mapping[str, str | None] | None = None,
    store: Store | str | None = None,
) -> HedgingResult:
    """Hedging index of ``state`` between ``powers`` from the stored record, with pivots.

    Parameters
    ----------
    state, powers, by, measure, n_boot, level, seed, drop_unanimous, sides
        As in :func:`hedging_index` (``powers`` is required; ``sides``: add the
        side-taking columns).
    start, end, sessions, issues, important_only
        Window and filters, as in :func:`hedgewatch.votes`.
    pivot_column
        Index column to scan for change points; default the position on the axis of the
        first two powers.
    penalty, min_size
        As in :func:`pivots`.
    successors
        Historical state -> continuing country (see :func:`hedgewatch.votes`).
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    :class:`HedgingResult`. Pivots are empty when the window has fewer than
    ``2 * min_size`` periods with a value or when no change clears the penalty.
    """
    if powers is None:
        powers = old_default("powers", ("CHN", "RUS"), "hedge")
    v = _fetch(
        [state, *powers],
        start=start,
        end=end,
        sessions=sessions,
        issues=issues,
        important_only=important_only,
        drop_unanimous=drop_unanimous,
        store=store,
        successors=successors,
    )
    idx = hedging_index(
        v,
        state,
        powers,
        by=by,
        measure=measure,
        n_boot=n_boot,
        level=level,
        seed=seed,
        drop_unanimous=drop_unanimous,
        sides=sides,
    )
    actors = [
        c.split("_", 1)[1] for c in idx.columns if c.startswith("agree_") and c.count("_") == 1
    ]
    col = pivot_column or ("position" if "position" in idx else f"position_{actors[0]}_{actors[1]}")
    check_param(
        col in idx.columns,
        "pivot_column",
        "a column of the index (" + ", ".join(idx.columns[2:-1]) + ")",
        col,
    )
    try:
        piv = find_pivots(idx, column=col, penalty=penalty, min_size=min_size, seed=seed)
    except InsufficientDataError:
        piv = pd.DataFrame(
            columns=["period", "earliest", "before", "after", "size", "direction", "stability"]
        )
    return HedgingResult(_countries.resolve(state), tuple(actors), idx, piv, col)
