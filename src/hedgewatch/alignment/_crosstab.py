"""Vote cross-tabulations: the 3x3 table of joint votes for every pair of countries.

Every dyadic measure in this package is a function of one table per pair and period: how
often country *i* voted ``a`` while country *j* voted ``b`` on the same roll call, for
``a, b`` in (yes, abstain, no). The tables for all pairs of a period come from one matrix
product: with ``H`` the indicator matrix whose row ``(i, a)`` marks the roll calls on which
``i`` voted ``a``, ``H_A @ H_B.T`` holds every count at once. The only Python loop is over
periods (sessions or years), never over votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from hedgewatch._validation import caller, check_choice, check_present, require_columns, validated
from hedgewatch.errors import (
    DataFormatError,
    InsufficientDataError,
    Problem,
)

#: Vote categories in their ordinal order; the position of each is its code 0, 1, 2.
CATEGORIES: tuple[str, str, str] = ("yes", "abstain", "no")
_VOTE_CODES = {
    "yes": 0,
    "y": 0,
    "1": 0,
    "abstain": 1,
    "a": 1,
    "2": 1,
    "no": 2,
    "n": 2,
    "3": 2,
}
# Values that mean "did not vote": dropped before any measure, never counted as disagreement.
_NOT_VOTING = {"absent", "x", "8", "9", "non-voting", "not voting", "nan", "<na>", "none", ""}
_PERIODS = ("year", "session", None)


@dataclass(frozen=True)
class Crosstabs:
    """Joint vote counts for pairs of countries, one 3x3 table per pair and period.

    Attributes
    ----------
    periods
        Period labels (years, sessions, or ``["all"]``), in order.
    rows, cols
        Country codes of the first and second member of each pair.
    counts
        Array of shape ``(len(periods), len(rows), len(cols), 3, 3)``; ``counts[p, i, j, a, b]``
        is the number of roll calls in period ``p`` on which ``rows[i]`` voted ``a`` and
        ``cols[j]`` voted ``b`` (0 yes, 1 abstain, 2 no).
    present_rows, present_cols
        Boolean arrays ``(len(periods), len(rows|cols))``: whether the country cast at least
        one yes/abstain/no vote in the period.
    """

    periods: list
    rows: list[str]
    cols: list[str]
    counts: np.ndarray
    present_rows: np.ndarray
    present_cols: np.ndarray


def period_key(votes: pd.DataFrame, by: str | None) -> pd.Series:
    """The period label of each vote row: its year, its session, or ``"all"``."""
    check_choice(by, "by", _PERIODS)
    if by is None:
        return pd.Series("all", index=votes.index)
    if by in votes.columns:
        return votes[by].astype("int64")
    if by == "year" and "date" in votes.columns:
        return pd.to_datetime(votes["date"]).dt.year.astype("int64")
    raise DataFormatError(
        "votes DataFrame",
        [Problem(f"by={by!r} needs a {by!r} column", column=by)],
        hint="Pass votes from hedgewatch.votes(), or choose by='year', 'session' or None.",
    )


def vote_codes(votes: pd.DataFrame) -> np.ndarray:
    """Vote codes 0 (yes), 1 (abstain), 2 (no), or -1 for rows that are not a vote.

    Accepts the strings of :func:`hedgewatch.votes` (any case) and Voeten's numeric codes
    (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member). Anything else raises
    :class:`~hedgewatch.errors.DataFormatError` naming every distinct bad value.
    """
    require_columns(
        votes,
        ("rcid", "country", "vote"),
        "votes DataFrame",
        hint="Pass votes with columns rcid, country, vote (see hedgewatch.votes()).",
    )
    raw = votes["vote"]
    cats = pd.Categorical(raw)
    labels = pd.Index(cats.categories).astype(str).str.strip().str.lower()
    labels = labels.str.replace(r"\.0$", "", regex=True)
    table = np.array([_VOTE_CODES.get(s, -1) for s in labels] + [-1], dtype=np.int8)
    used = np.zeros(len(labels), dtype=bool)
    used[cats.codes[cats.codes >= 0]] = True  # unused categories cannot be bad rows
    bad = [
        i for i, s in enumerate(labels) if used[i] and s not in _VOTE_CODES and s not in _NOT_VOTING
    ]
    if bad:
        problems = [
            Problem(
                "unknown vote value",
                int(np.argmax(cats.codes == i)) + 1,
                "vote",
                cats.categories[i],
            )
            for i in bad[:10]
        ]
        raise DataFormatError(
            "votes DataFrame",
            problems,
            total=len(bad),
            hint="Use yes/abstain/no (absent rows are ignored) or Voeten's codes 1/2/3/8/9.",
        )
    return table[cats.codes]  # code -1 (NaN) indexes the trailing -1


def check_duplicates(rcid: np.ndarray, country: np.ndarray) -> None:
    frame = pd.DataFrame({"rcid": rcid, "country": country})
    dup = frame.duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        problems = [
            Problem(
                "country votes twice on one roll call",
                int(i) + 1,
                "country",
                f"{country[i]} on rcid {rcid[i]}",
            )
            for i in rows[:6]
        ]
        raise DataFormatError(
            "votes DataFrame",
            problems,
            total=len(rows),
            hint="Check the successor mapping (two states merged into one country?).",
        )


def unanimous_rcids(rcid: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Roll-call ids on which every yes/abstain/no vote in the data was the same."""
    frame = pd.DataFrame({"rcid": rcid, "code": code})
    g = frame.groupby("rcid")["code"]
    one = g.min() == g.max()
    return one.index[one.to_numpy()].to_numpy()


def vote_arrays(
    votes: pd.DataFrame, *, by: str | None, drop_unanimous: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The yes/abstain/no rows of a tidy votes frame as arrays ``(period, rcid, country, code)``,
    duplicates refused, unanimous roll calls dropped when asked (an error if nothing is left)."""
    code = vote_codes(votes)
    keep = code >= 0
    if not keep.any():
        raise InsufficientDataError(
            f"{caller()}(): the votes given hold no yes/abstain/no vote (empty window?). "
            "Widen the years, sessions or issues selected."
        )
    period = period_key(votes, by).to_numpy()[keep]
    rcid = votes["rcid"].to_numpy()[keep]
    country = votes["country"].astype(str).to_numpy()[keep]
    code = code[keep]
    check_duplicates(rcid, country)
    if drop_unanimous:
        unan = np.isin(rcid, unanimous_rcids(rcid, code))
        if unan.all():
            raise InsufficientDataError(
                f"{caller()}(): every roll call in the votes given was unanimous; nothing is left "
                "with drop_unanimous=True. Pass all countries' votes or set it to False."
            )
        period, rcid, country, code = period[~unan], rcid[~unan], country[~unan], code[~unan]
    return period, rcid, country, code


@validated
def crosstab(
    votes: pd.DataFrame,
    rows: Sequence[object] | None = None,
    cols: Sequence[object] | None = None,
    *,
    by: str | None = "year",
    drop_unanimous: bool = False,
) -> Crosstabs:
    """Joint vote counts for every (row, col) pair of countries, per period.

    Parameters
    ----------
    votes
        Tidy votes with ``rcid, country, vote`` and the ``by`` column (``year`` may be
        derived from ``date``). Rows that are not a yes/abstain/no vote are ignored.
    rows, cols
        Countries (ISO3, names, ...) for the two sides of each pair; default every country in
        ``votes``.
    by
        ``"year"``, ``"session"`` or None (one period for all the data).
    drop_unanimous
        Leave out roll calls on which every vote in ``votes`` was the same. Unanimity is read
        from the rows given, so pass every country's votes when you use it.

    Returns
    -------
    :class:`Crosstabs`
    """
    period, rcid, country, code = vote_arrays(votes, by=by, drop_unanimous=drop_unanimous)
    present = set(pd.unique(country))
    row_codes = sorted(present) if rows is None else check_present(rows, present, "countries")
    col_codes = sorted(present) if cols is None else check_present(cols, present, "partners")
    return _tabulate(period, rcid, country, code, row_codes, col_codes)


def _indicator(idx: np.ndarray, code: np.ndarray, rc: np.ndarray, n: int, r: int) -> np.ndarray:
    ok = idx >= 0
    h = np.zeros((n * 3, r), dtype=np.float32)
    h[idx[ok] * 3 + code[ok], rc[ok]] = 1.0
    return h


def _tabulate(period, rcid, country, code, row_codes, col_codes) -> Crosstabs:
    pcodes, periods = pd.factorize(period, sort=True)
    order = np.argsort(pcodes, kind="stable")
    pcodes, rcid, country, code = pcodes[order], rcid[order], country[order], code[order]
    # Factorising after the sort numbers each period's roll calls in one contiguous block.
    rc = pd.factorize(rcid)[0]
    ri = pd.Index(row_codes).get_indexer(country)
    ci = pd.Index(col_codes).get_indexer(country)
    nr, nc, npd = len(row_codes), len(col_codes), len(periods)
    counts = np.zeros((npd, nr, nc, 3, 3), dtype=np.float32)
    pres_r = np.zeros((npd, nr), dtype=bool)
    pres_c = np.zeros((npd, nc), dtype=bool)
    bounds = np.searchsorted(pcodes, np.arange(npd + 1))
    # The products are small (a few hundred rows); threaded BLAS only adds contention here
    # (measured 25x slower with 2 threads on a loaded 2-core machine).
    with threadpool_limits(1, user_api="blas"):
        _fill(counts, pres_r, pres_c, bounds, rc, ri, ci, code)
    labels = [p.item() if hasattr(p, "item") else p for p in periods]
    return Crosstabs(labels, list(row_codes), list(col_codes), counts, pres_r, pres_c)


def _fill(counts, pres_r, pres_c, bounds, rc, ri, ci, code) -> None:
    npd, nr, nc = counts.shape[:3]
    for p in range(npd):
        sl = slice(bounds[p], bounds[p + 1])
        first = rc[sl].min()
        local = rc[sl] - first
        r = int(local.max()) + 1
        ha = _indicator(ri[sl], code[sl], local, nr, r)
        hb = _indicator(ci[sl], code[sl], local, nc, r)
        counts[p] = (ha @ hb.T).reshape(nr, 3, nc, 3).transpose(0, 2, 1, 3)
        pres_r[p] = ha.reshape(nr, -1).any(1)
        pres_c[p] = hb.reshape(nc, -1).any(1)
