"""Turn a tidy votes DataFrame (and optional bridges) into the index arrays the fit uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

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
    """Validate the columns and values of a votes DataFrame; drop 'absent' rows."""
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
    v = votes.loc[:, [c for c in (*_REQUIRED, "year") if c in votes.columns]].copy()
    if isinstance(v["vote"].dtype, pd.CategoricalDtype):  # hedgewatch.votes(): map categories
        v["vote"] = (
            v["vote"]
            .cat.rename_categories([str(c).lower() for c in v["vote"].cat.categories])
            .astype(object)
        )
    else:
        v["vote"] = v["vote"].astype(str).str.lower()
    v = v[v["vote"] != "absent"]
    problems: list[Problem] = []
    bad = ~v["vote"].isin(list(VOTE_CODES))
    for pos, (i, val) in enumerate(v.loc[bad, "vote"].items()):
        if pos < 10:
            problems.append(
                Problem("vote must be yes, abstain or no", int(cast(int, i)) + 1, "vote", val)
            )
    for col in ("rcid", "session", "country"):
        nulls = v[col].isna()
        for i in v.index[nulls][:5]:
            problems.append(Problem("missing value", int(i) + 1, col))
    dup = v.duplicated(["rcid", "country"], keep="first")
    for i, row in v[dup].head(5).iterrows():
        problems.append(
            Problem(
                f"second vote of {row['country']} on this roll call",
                int(cast(int, i)) + 1,
                "rcid",
                row["rcid"],
            )
        )
    total = int(bad.sum() + v[list(_REQUIRED[:3])].isna().sum().sum() + dup.sum())
    if problems:
        raise DataFormatError(
            where,
            problems,
            total=total,
            hint="Rows are numbered from 1 in the DataFrame's index; fix or drop them",
        )
    if v.empty:
        raise InsufficientDataError("votes DataFrame: no yes/abstain/no votes to fit")
    return v


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


def build_design(votes: pd.DataFrame, bridges: pd.DataFrame | None) -> Design:
    """Index arrays for the fit, after dropping roll-call groups that are unanimous."""
    v = check_votes(votes)
    notes: list[str] = []
    y = v["vote"].map(VOTE_CODES).to_numpy(np.int8)
    rc = v["rcid"].to_numpy(np.int64)
    rcids, rc_pos = _codes(rc)
    group = item_groups(rcids, bridges)[rc_pos]
    keep, tied_by_group = _informative(group, y)
    if (~keep).any():
        n_rc = len(np.unique(rc[~keep]))
        notes.append(
            f"{n_rc} roll call(s) dropped: every vote on them (and on the roll calls bridged to "
            "them) was the same, so they say nothing about positions"
        )
    v, y, group = v[keep], y[keep], group[keep]
    groups, item = _codes(group)
    tied = tied_by_group[groups]
    countries, state = _codes(v["country"].astype(str).to_numpy())
    sess = v["session"].to_numpy(np.int64)
    sessions, t = _codes(sess)
    s_n, t_n = len(countries), len(sessions)
    unit = state.astype(np.int64) * t_n + t
    n_votes = np.bincount(unit, minlength=s_n * t_n).reshape(s_n, t_n)
    active = _active(n_votes > 0)
    gaps = np.diff(sessions).astype(float)[None, :] * (active[:, 1:] & active[:, :-1])
    year = v["year"].to_numpy() if "year" in v else sess + 1945
    by_session = pd.Series(year).groupby(t)
    session_year = _opening_year(
        sessions, by_session.median().to_numpy(), by_session.min().to_numpy()
    )
    rcid_item = (
        pd.DataFrame({"rcid": v["rcid"].to_numpy(), "item": item, "session": sess})
        .drop_duplicates("rcid")
        .sort_values("rcid", ignore_index=True)
    )
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
    so that the fit can treat no / abstain / yes votes as contiguous blocks."""
    counts = np.bincount(y.astype(np.int64), minlength=3)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # A counting sort by category (stable, linear time).
    order = np.empty(len(y), np.int64)
    for k in range(3):
        order[starts[k] : starts[k] + counts[k]] = np.flatnonzero(y == k)
    return Design(
        **{**design.__dict__, "y": y[order], "item": design.item[order], "unit": design.unit[order]}
    )


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
