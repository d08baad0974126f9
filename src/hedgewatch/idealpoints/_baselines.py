"""Naive forecasts of a vote on a repeated resolution, from earlier sessions only.

The out-of-sample test (:mod:`hedgewatch.idealpoints.outofsample`) scores the ideal-point
model against three rules an analyst could apply without any model, each using nothing but
the sessions before the one predicted:

* ``last``: the state votes as it did the last time the same resolution came up (the latest
  earlier roll call of the resolution on which it cast a yes, abstain or no); if it never
  voted on it, the ``majority`` forecast;
* ``majority``: the plurality vote on the resolution's latest earlier occurrence (ties go to
  yes, then no: the Assembly's usual outcome);
* ``bloc``: the plurality, on that occurrence, of the ``bloc_size`` states that agreed most
  with the state in the latest earlier session (identical votes over the roll calls both
  voted on, at least :data:`MIN_COMMON` of them); if none of them voted on it, the
  ``majority`` forecast.

"The same resolution" is a connected group of the bridges (BSV's matches and identical
titles) among the roll calls of the sessions up to the one predicted, so a link made only
through a later session is never used.

Each rule names one vote. Its probabilities come from its own recent record: the 3 x 3
table of (forecast, vote cast) over every vote it forecast in the ``calibration_sessions``
sessions before, smoothed by adding 1/2 to each cell (Krichevsky-Trofimov), so that
``P(vote k | forecast j) = (n_jk + 1/2) / (n_j + 3/2)``. No probability is 0 or 1, and a rule
that is right 95 % of the time says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hedgewatch.idealpoints._design import VoteArrays, _codes

#: Rules, in the order of the probability columns.
RULES = ("last", "majority", "bloc")
#: Fewest roll calls two states must both have voted on for their agreement to count.
MIN_COMMON = 10
#: Plurality tie order: yes, then no, then abstain.
_TIE_ORDER = np.array([2, 0, 1])


def plurality(counts: np.ndarray) -> np.ndarray:
    """Most frequent category per row of ``counts`` (n, 3); ties go to yes, then no."""
    return _TIE_ORDER[np.argmax(counts[:, _TIE_ORDER], axis=1)]


@dataclass(frozen=True)
class Points:
    """The rules' forecasts for the votes of one session on repeated resolutions."""

    vote: np.ndarray  # index of the vote in the record's arrays
    source: np.ndarray  # roll-call position of the resolution's latest earlier occurrence
    label: np.ndarray  # resolution (bridge group) of each vote
    forecast: np.ndarray  # (n, 3): forecast category of last, majority, bloc
    fallback: np.ndarray  # (n, 2): last / bloc fell back to the majority forecast


class Record:
    """The votes as arrays, each roll call's session and vote counts, and the bridges."""

    def __init__(self, arrays: VoteArrays, bridges: pd.DataFrame | None) -> None:
        self.a = arrays
        self.rcids, self.vote_rc = _codes(arrays.rcid)
        n_rc = len(self.rcids)
        first = np.full(n_rc, -1, np.int64)
        first[self.vote_rc[::-1]] = np.arange(len(arrays))[::-1]
        self.rc_session = arrays.session[first]
        self.counts = np.bincount(self.vote_rc * 3 + arrays.y, minlength=3 * n_rc).reshape(n_rc, 3)
        self.majority = plurality(self.counts)
        self.order = np.argsort(self.vote_rc, kind="stable")
        self.rc_start = np.searchsorted(self.vote_rc[self.order], np.arange(n_rc + 1))
        self.sessions = np.unique(arrays.session)
        self.edges = self._edges(bridges)

    def _edges(self, bridges: pd.DataFrame | None) -> np.ndarray:
        if bridges is None or len(bridges) == 0:
            return np.zeros((0, 3), np.int64)
        b = bridges[["rcid1", "rcid2"]].dropna().astype("int64").to_numpy()
        i = np.searchsorted(self.rcids, b[:, 0])
        j = np.searchsorted(self.rcids, b[:, 1])
        i, j = np.minimum(i, len(self.rcids) - 1), np.minimum(j, len(self.rcids) - 1)
        ok = (self.rcids[i] == b[:, 0]) & (self.rcids[j] == b[:, 1]) & (i != j)
        i, j = i[ok], j[ok]
        return np.column_stack([i, j, np.maximum(self.rc_session[i], self.rc_session[j])])

    def groups(self, session: int, first: int | None = None) -> np.ndarray:
        """Resolution of every roll call of sessions ``first..session`` (-1 elsewhere): the
        connected groups of the bridges among those roll calls only."""
        lo = -np.inf if first is None else first
        inside = (self.rc_session <= session) & (self.rc_session >= lo)
        e = self.edges
        keep = (e[:, 2] <= session) & inside[e[:, 0]] & inside[e[:, 1]]
        n = len(self.rcids)
        graph = coo_matrix((np.ones(int(keep.sum())), (e[keep, 0], e[keep, 1])), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        return np.where(inside, labels, -1)

    def votes_on(self, rcs: np.ndarray) -> np.ndarray:
        """Indices of the votes cast on the roll calls at positions ``rcs``."""
        if len(rcs) == 0:
            return np.zeros(0, np.int64)
        lo, hi = self.rc_start[rcs], self.rc_start[rcs + 1]
        lens = hi - lo
        offs = np.repeat(lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        return self.order[np.arange(int(lens.sum())) + offs]

    def previous_session(self, session: int) -> int | None:
        earlier = self.sessions[self.sessions < session]
        return int(earlier[-1]) if len(earlier) else None


def latest_earlier(
    rec: Record, labels: np.ndarray, session: int, allowed: np.ndarray | None = None
) -> np.ndarray:
    """For every resolution label, the position of its latest roll call before ``session``
    (latest session, then highest rcid), -1 when it has none; ``allowed`` restricts the
    roll calls considered (a mask over positions)."""
    cand = (labels >= 0) & (rec.rc_session < session)
    if allowed is not None:
        cand &= allowed
    pos = np.flatnonzero(cand)
    out = np.full(labels.max() + 1 if len(labels) else 0, -1, np.int64)
    if len(pos):
        # positions are in rcid order; sort by (label, session, rcid) and keep the last
        order = np.lexsort((pos, rec.rc_session[pos], labels[pos]))
        pos = pos[order]
        lab = labels[pos]
        last = np.r_[lab[1:] != lab[:-1], True]
        out[lab[last]] = pos[last]
    return out


def points(
    rec: Record,
    session: int,
    *,
    bloc_size: int,
    first: int | None = None,
    min_common: int = MIN_COMMON,
) -> Points:
    """The three rules' forecasts for every vote of ``session`` on a repeated resolution."""
    labels = rec.groups(session, first)
    latest = latest_earlier(rec, labels, session)
    in_s = np.flatnonzero(rec.rc_session == session)
    in_s = in_s[labels[in_s] >= 0]
    src_of_rc = latest[labels[in_s]]
    known = src_of_rc >= 0
    targets_rc, src_rc = in_s[known], src_of_rc[known]
    votes = rec.votes_on(targets_rc)
    if len(votes) == 0:
        empty = np.zeros(0, np.int64)
        return Points(empty, empty, empty, np.zeros((0, 3), np.int64), np.zeros((0, 2), bool))
    vrc = rec.vote_rc[votes]
    src_map = np.full(len(rec.rcids), -1, np.int64)
    src_map[targets_rc] = src_rc
    source = src_map[vrc]
    label = labels[vrc]
    country = rec.a.country[votes]
    majority = rec.majority[source]
    last, no_last = _own_last(rec, labels, session, label, country)
    last = np.where(no_last, majority, last)
    bloc, no_bloc = _bloc(rec, session, source, country, bloc_size, min_common)
    bloc = np.where(no_bloc, majority, bloc)
    return Points(
        votes,
        source,
        label,
        np.column_stack([last, majority, bloc]),
        np.column_stack([no_last, no_bloc]),
    )


def _own_last(
    rec: Record, labels: np.ndarray, session: int, label: np.ndarray, country: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each state's vote on the latest earlier roll call of the resolution it voted on."""
    earlier = np.flatnonzero((labels >= 0) & (rec.rc_session < session))
    earlier = earlier[np.isin(labels[earlier], np.unique(label))]
    ev = rec.votes_on(earlier)
    n_c = len(rec.a.names)
    out = np.zeros(len(label), np.int64)
    missing = np.ones(len(label), bool)
    if len(ev) == 0:
        return out, missing
    rc = rec.vote_rc[ev]
    key = labels[rc].astype(np.int64) * n_c + rec.a.country[ev]
    order = np.lexsort((rc, rec.rc_session[rc], key))
    key, ev = key[order], ev[order]
    last = np.r_[key[1:] != key[:-1], True]
    keys, ys = key[last], rec.a.y[ev[last]]
    want = label.astype(np.int64) * n_c + country
    at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
    found = keys[at] == want
    out[found] = ys[at[found]]
    missing[found] = False
    return out, missing


def _bloc(
    rec: Record,
    session: int,
    source: np.ndarray,
    country: np.ndarray,
    bloc_size: int,
    min_common: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Plurality on the source roll call among the states closest to each state in the
    latest earlier session; flags the votes where no bloc member voted on it."""
    n = len(source)
    prev = rec.previous_session(session)
    out = np.zeros(n, np.int64)
    if prev is None:
        return out, np.ones(n, bool)
    n_c = len(rec.a.names)
    bloc = _blocs(rec, prev, bloc_size, min_common)  # (n_c, bloc_size), -1 padded
    srcs, src_pos = np.unique(source, return_inverse=True)
    grid = np.full((len(srcs), n_c), -1, np.int64)
    ev = rec.votes_on(srcs)
    row = np.searchsorted(srcs, rec.vote_rc[ev])
    grid[row, rec.a.country[ev]] = rec.a.y[ev]
    members = bloc[country]  # (n, bloc_size)
    cast = np.where(members >= 0, grid[src_pos[:, None], np.maximum(members, 0)], -1)
    counts = np.stack([(cast == k).sum(axis=1) for k in range(3)], axis=1)
    none = counts.sum(axis=1) == 0
    out = plurality(counts)
    return out, none


def _blocs(rec: Record, session: int, bloc_size: int, min_common: int) -> np.ndarray:
    """For every country, the ``bloc_size`` others with the highest share of identical votes
    in ``session`` (at least ``min_common`` roll calls in common); -1 where fewer qualify."""
    n_c = len(rec.a.names)
    idx = np.flatnonzero(rec.a.session == session)
    rcs, col = np.unique(rec.vote_rc[idx], return_inverse=True)
    c = rec.a.country[idx]
    y = rec.a.y[idx]
    onehot = [
        coo_matrix(
            (np.ones(int((y == k).sum())), (c[y == k], col[y == k])), shape=(n_c, len(rcs))
        ).tocsr()
        for k in range(3)
    ]
    voted = onehot[0] + onehot[1] + onehot[2]
    common = (voted @ voted.T).toarray()
    same = sum((m @ m.T).toarray() for m in onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree = np.where(common >= min_common, same / common, -1.0)
    np.fill_diagonal(agree, -1.0)
    order = np.argsort(-agree, axis=1, kind="stable")[:, :bloc_size]
    ok = np.take_along_axis(agree, order, axis=1) >= 0
    return np.where(ok, order, -1)


def confusion(forecast: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """(rule, forecast, vote cast) counts, shape (3, 3, 3)."""
    out = np.zeros((len(RULES), 3, 3))
    for r in range(len(RULES)):
        np.add.at(out[r], (forecast[:, r], actual), 1.0)
    return out


def probabilities(forecast: np.ndarray, table: np.ndarray) -> np.ndarray:
    """(n, rule, 3) probabilities from the rules' smoothed (forecast, vote) tables."""
    smoothed = (table + 0.5) / (table.sum(axis=2, keepdims=True) + 1.5)
    return np.stack([smoothed[r][forecast[:, r]] for r in range(len(RULES))], axis=1)
