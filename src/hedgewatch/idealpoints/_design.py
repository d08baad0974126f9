"""Turn a tidy votes DataFrame (and optional bridges) into the index arrays the fit uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hedgewatch.errors import DataFormatError, InsufficientDataError, Problem

#: Vote codes on the ordered scale: 0 = no, 1 = abstain, 2 = yes.
VOTE_CODES = {"no": 0, "abstain": 1, "yes": 2}
VOTE_LABELS = np.array(["no", "abstain", "yes"])
_REQUIRED = ("rcid", "session", "country", "vote")


@dataclass
class Design:
    """Votes as integer arrays, the state x session grid, and what was left out and why."""

    y: np.ndarray  # int8 (N,), 0 = no, 1 = abstain, 2 = yes
    item: np.ndarray  # int64 (N,), roll-call parameter group
    unit: np.ndarray  # int64 (N,), state * T + session position
    countries: np.ndarray  # (S,)
    sessions: np.ndarray  # (T,)
    session_year: np.ndarray  # (T,)
    active: np.ndarray  # bool (S, T): inside the state's first..last voting session
    n_votes: np.ndarray  # int (S, T)
    link_gap: np.ndarray  # (S, T-1): sessions between t and t+1 where both active, else 0
    tied: np.ndarray  # bool (K,): no abstention in the group, so one cut-point
    rcid_item: pd.DataFrame  # rcid, item, session
    notes: list[str] = field(default_factory=list)

    @property
    def n_items(self) -> int:
        return len(self.tied)

    @property
    def state(self) -> np.ndarray:
        return self.unit // len(self.sessions)


def check_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """Validate the columns and values of a votes DataFrame; drop 'absent' rows.

    Returns the columns ``rcid, session, country, vote`` (and ``year``) with ``vote`` in
    lower case."""
    checked = _check(votes)
    v = checked.frame
    v["vote"] = VOTE_LABELS[checked.y]
    return v


@dataclass
class _Checked:
    frame: pd.DataFrame  # the rows kept, required columns (and year)
    y: np.ndarray  # int8 vote codes
    country: np.ndarray  # int64 positions in names
    names: np.ndarray  # sorted country codes


_ABSENT = 3


def _vote_codes(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0/1/2 for no/abstain/yes, 3 for absent and -1 for anything else, from the
    distinct values only (a categorical's categories, or the factorised strings)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniques = col.cat.codes.to_numpy(), np.asarray(col.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(col.to_numpy(), use_na_sentinel=True)
    lookup = {**VOTE_CODES, "absent": _ABSENT}
    table = np.array([lookup.get(str(u).lower(), -1) for u in uniques] + [-1], np.int8)
    labels = np.empty(len(uniques) + 1, dtype=object)  # the last: NA (code -1)
    labels[:-1] = np.asarray(uniques, dtype=object)
    return table[codes], labels[codes]


def _check(votes: pd.DataFrame) -> _Checked:
    where = "votes DataFrame"
    if not isinstance(votes, pd.DataFrame):
        raise DataFormatError(where, f"expected a pandas DataFrame, got {type(votes).__name__}")
    missing = [c for c in _REQUIRED if c not in votes.columns]
    if missing:
        raise DataFormatError(
            where,
            [Problem(f"missing column {c!r}") for c in missing],
            hint="Pass the output of hedgewatch.votes() (columns rcid, session, country, vote)",
        )
    y_all, raw = _vote_codes(votes["vote"])
    keep = y_all != _ABSENT
    cols = [c for c in (*_REQUIRED, "year") if c in votes.columns]
    v = votes.loc[keep, cols] if not keep.all() else votes.loc[:, cols].copy()
    y = y_all[keep]
    index = v.index.to_numpy()
    problems: list[Problem] = []
    bad = y < 0
    for i, val in zip(index[bad][:10], raw[keep][bad][:10], strict=True):
        problems.append(Problem("vote must be yes, abstain or no", int(i) + 1, "vote", val))
    codes, names = pd.factorize(v["country"].to_numpy(), use_na_sentinel=True)
    nulls = {
        "rcid": v["rcid"].isna().to_numpy(),
        "session": v["session"].isna().to_numpy(),
        "country": codes < 0,
    }
    for col, null in nulls.items():
        for i in index[null][:5]:
            problems.append(Problem("missing value", int(i) + 1, col))
    n_null = sum(int(n.sum()) for n in nulls.values())
    dup = np.zeros(len(v), bool)
    if n_null == 0:
        rc_codes, _ = pd.factorize(v["rcid"].to_numpy())
        key = rc_codes.astype(np.int64) * (len(names) + 1) + codes
        dup = pd.Series(key).duplicated(keep="first").to_numpy()
        for i, c, r in zip(
            index[dup][:5], codes[dup][:5], v["rcid"].to_numpy()[dup][:5], strict=True
        ):
            problems.append(
                Problem(f"second vote of {names[c]} on this roll call", int(i) + 1, "rcid", r)
            )
    if problems:
        raise DataFormatError(
            where,
            problems,
            total=int(bad.sum()) + n_null + int(dup.sum()),
            hint="Rows are numbered from 1 in the DataFrame's index; fix or drop them",
        )
    if v.empty:
        raise InsufficientDataError("votes DataFrame: no yes/abstain/no votes to fit")
    names = np.asarray(names).astype(str)
    order = np.argsort(names, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return _Checked(v, y, rank[codes].astype(np.int64), names[order])


def item_groups(rcids: np.ndarray, bridges: pd.DataFrame | None) -> np.ndarray:
    """Parameter group of each rcid: bridged roll calls (connected pairs) share a group."""
    n = len(rcids)
    if bridges is None or len(bridges) == 0:
        return np.arange(n)
    pos = pd.Series(np.arange(n), index=rcids)
    b = bridges[["rcid1", "rcid2"]].dropna().astype("int64")
    ok = b["rcid1"].isin(pos.index) & b["rcid2"].isin(pos.index)
    b = b[ok]
    i, j = pos[b["rcid1"]].to_numpy(), pos[b["rcid2"]].to_numpy()
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


@dataclass(frozen=True)
class VoteArrays:
    """Checked votes as arrays (one row per yes/abstain/no vote), cheap to subset.

    ``country`` holds positions in ``names`` (sorted ISO3 codes); ``year`` is the vote's year
    (``session + 1945`` when the votes gave none)."""

    y: np.ndarray  # int8: 0 = no, 1 = abstain, 2 = yes
    rcid: np.ndarray  # int64
    country: np.ndarray  # int64 positions in names
    names: np.ndarray  # sorted country codes
    session: np.ndarray  # int64
    year: np.ndarray  # int64

    @classmethod
    def from_frame(cls, votes: pd.DataFrame) -> VoteArrays:
        """Check a votes DataFrame (see :func:`check_votes`) and encode it."""
        c = _check(votes)
        session = c.frame["session"].to_numpy(np.int64)
        year = c.frame["year"].to_numpy(np.int64) if "year" in c.frame else session + 1945
        return cls(c.y, c.frame["rcid"].to_numpy(np.int64), c.country, c.names, session, year)

    def subset(self, mask: np.ndarray) -> VoteArrays:
        return VoteArrays(
            self.y[mask],
            self.rcid[mask],
            self.country[mask],
            self.names,
            self.session[mask],
            self.year[mask],
        )

    def __len__(self) -> int:
        return len(self.y)


def build_design(votes: pd.DataFrame | VoteArrays, bridges: pd.DataFrame | None) -> Design:
    """Index arrays for the fit, after dropping roll-call groups that are unanimous."""
    a = votes if isinstance(votes, VoteArrays) else VoteArrays.from_frame(votes)
    if len(a) == 0:
        raise InsufficientDataError("votes DataFrame: no yes/abstain/no votes to fit")
    notes: list[str] = []
    y, rc = a.y, a.rcid
    rcids, rc_pos = _codes(rc)
    group = item_groups(rcids, bridges)[rc_pos]
    keep, tied_by_group = _informative(group, y)
    if (~keep).any():
        n_rc = len(np.unique(rc[~keep]))
        notes.append(
            f"{n_rc} roll call(s) dropped: every vote on them (and on the roll calls bridged to "
            "them) was the same, so they say nothing about positions"
        )
    if not keep.all():
        a, y, group = a.subset(keep), y[keep], group[keep]
    groups, item = _codes(group)
    tied = tied_by_group[groups]
    seen = np.bincount(a.country, minlength=len(a.names)) > 0
    remap = np.cumsum(seen) - 1
    state = remap[a.country]
    countries = a.names[seen]
    sess = a.session
    sessions, t = _codes(sess)
    s_n, t_n = len(countries), len(sessions)
    unit = state.astype(np.int64) * t_n + t
    n_votes = np.bincount(unit, minlength=s_n * t_n).reshape(s_n, t_n)
    active = _active(n_votes > 0)
    gaps = np.diff(sessions).astype(float)[None, :] * (active[:, 1:] & active[:, :-1])
    session_year = _session_years(sessions, t, a.year)
    rcids, first = np.unique(a.rcid, return_index=True)
    rcid_item = pd.DataFrame({"rcid": rcids, "item": item[first], "session": sess[first]})
    notes += _bridge_notes(rcid_item, sessions)
    design = Design(
        y,
        item.astype(np.int64),
        unit,
        countries,
        sessions,
        session_year,
        active,
        n_votes,
        gaps,
        tied,
        rcid_item,
        notes,
    )
    return with_votes(design, y)


def with_votes(design: Design, y: np.ndarray) -> Design:
    """The design with votes ``y`` (in the design's current order), re-sorted by category
    and, within a category, by roll-call group: the fit treats no / abstain / yes votes as
    contiguous blocks and sums over each group's run of votes."""
    by_item = np.argsort(design.item, kind="stable")
    y_sorted = y[by_item]
    counts = np.bincount(y_sorted.astype(np.int64), minlength=3)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # A counting sort by category (stable, linear time) of the group-sorted votes.
    order = np.empty(len(y), np.int64)
    for k in range(3):
        order[starts[k] : starts[k] + counts[k]] = by_item[np.flatnonzero(y_sorted == k)]
    return Design(
        **{**design.__dict__, "y": y[order], "item": design.item[order], "unit": design.unit[order]}
    )


def _session_years(sessions: np.ndarray, t: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Opening year of each session from the years of its votes (see :func:`_opening_year`)."""
    order = np.lexsort((year, t))
    ts, ys = t[order], year[order]
    starts = np.searchsorted(ts, np.arange(len(sessions)))
    ends = np.searchsorted(ts, np.arange(len(sessions)), side="right")
    lo_mid, hi_mid = (starts + ends - 1) // 2, (starts + ends) // 2
    median = (ys[lo_mid] + ys[hi_mid]) / 2.0
    return _opening_year(sessions, median, ys[starts])


def _opening_year(
    sessions: np.ndarray, median_year: np.ndarray, first_vote_year: np.ndarray
) -> np.ndarray:
    """Year each session opened: regular GA session n opens in 1945 + n (most of its votes
    fall in that year or early the next; session 19's only votes were in 1965). Where the
    votes' years do not fit that calendar (other data), the year of the first vote."""
    opening = sessions + 1945
    fits = (median_year >= opening) & (median_year <= opening + 1)
    return np.where(fits, opening, first_vote_year).astype(np.int64)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values and each value's position among them (hash-based, like
    ``np.unique(..., return_inverse=True)`` but without sorting every row)."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.asarray(uniques)[order], rank[codes].astype(np.int64)


def _informative(group: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask of votes on non-unanimous groups, and per-group 'no abstention' flags."""
    n_g = int(group.max()) + 1
    counts = np.stack([np.bincount(group[y == k], minlength=n_g) for k in range(3)], axis=1)
    informative = (counts > 0).sum(axis=1) >= 2
    return informative[group], counts[:, 1] == 0


def _active(has_votes: np.ndarray) -> np.ndarray:
    """Sessions between each state's first and last session with votes."""
    t = np.arange(has_votes.shape[1])
    first = np.where(has_votes.any(1), has_votes.argmax(1), has_votes.shape[1])
    last = has_votes.shape[1] - 1 - has_votes[:, ::-1].argmax(1)
    return (t[None, :] >= first[:, None]) & (t[None, :] <= last[:, None])


def _bridge_notes(rcid_item: pd.DataFrame, sessions: np.ndarray) -> list[str]:
    span = rcid_item.groupby("item")["session"].nunique()
    bridged = rcid_item[rcid_item["item"].isin(span.index[span > 1])]["session"].unique()
    lonely = sorted(set(sessions.tolist()) - set(bridged.tolist()))
    if not lonely:
        return []
    shown = ", ".join(str(s) for s in lonely[:12]) + (" ..." if len(lonely) > 12 else "")
    return [
        f"{len(lonely)} session(s) have no roll call bridged to another session ({shown}); "
        "there, a shift of the whole agenda cannot be told apart from a shift of every "
        "state, and only the random-walk prior ties positions to the neighbouring sessions"
    ]
