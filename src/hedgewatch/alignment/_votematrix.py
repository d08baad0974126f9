"""The record as one dense matrix: every country's vote code on every roll call.

The whole-world measures (:mod:`~hedgewatch.alignment._atlas`,
:mod:`~hedgewatch.alignment._side_taking`) compare each state's vote with the votes of two
powers on the same roll call. With the votes held as an ``int8`` matrix ``codes[country,
roll call]`` (0 yes, 1 abstain, 2 no, -1 no vote), that is one fancy-indexing step for all
states at once, and the per-period sums are one ``np.add.reduceat`` along the roll calls
(kept sorted by period). The full record, 200 countries by ~6,200 roll calls, is ~1.2 MB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgewatch.alignment._crosstab import vote_arrays

#: Code used for "no vote" in :attr:`VoteMatrix.codes`.
MISSING = -1


@dataclass(frozen=True)
class VoteMatrix:
    """Vote codes of every country on every roll call, roll calls grouped by period.

    Attributes
    ----------
    countries
        Country codes, the rows of ``codes`` (sorted).
    rcids
        Roll-call ids, the columns of ``codes``, sorted by period (then by first appearance).
    codes
        ``int8`` array ``(len(countries), len(rcids))``: 0 yes, 1 abstain, 2 no, -1 no vote.
    periods
        Period labels, in order.
    starts
        Index of the first column of each period (``len(periods)`` entries); the period's
        columns run to the next start (or the end).
    """

    countries: list[str]
    rcids: np.ndarray
    codes: np.ndarray
    periods: list
    starts: np.ndarray

    def row(self, country: str) -> np.ndarray:
        """The vote codes of one country (a view)."""
        return self.codes[self.countries.index(country)]

    def select(self, columns: np.ndarray) -> VoteMatrix:
        """Only the roll calls where ``columns`` (boolean, one per roll call) is true."""
        keep = np.flatnonzero(columns)
        pcol = np.searchsorted(self.starts, np.arange(len(self.rcids)), side="right") - 1
        pk = pcol[keep]
        present = np.unique(pk)
        starts = np.searchsorted(pk, present)
        return VoteMatrix(
            self.countries,
            self.rcids[keep],
            self.codes[:, keep],
            [self.periods[i] for i in present],
            starts,
        )

    def period_sums(self, values: np.ndarray) -> np.ndarray:
        """Sum ``values[..., roll call]`` over each period's roll calls -> ``[..., period]``."""
        if values.shape[-1] == 0:
            return np.zeros((*values.shape[:-1], 0), dtype=values.dtype)
        return np.add.reduceat(values, self.starts, axis=-1)

    def period_slices(self) -> list[slice]:
        """The column slice of each period."""
        ends = [*self.starts[1:], len(self.rcids)]
        return [slice(int(a), int(b)) for a, b in zip(self.starts, ends, strict=True)]


def vote_matrix(
    votes: pd.DataFrame, *, by: str | None = "year", drop_unanimous: bool = False
) -> VoteMatrix:
    """Build the :class:`VoteMatrix` of a tidy votes frame (rows that are not a vote dropped)."""
    period, rcid, country, code = vote_arrays(votes, by=by, drop_unanimous=drop_unanimous)
    pcodes, labels = pd.factorize(period, sort=True)
    order = np.argsort(pcodes, kind="stable")
    pcodes, rcid, country, code = pcodes[order], rcid[order], country[order], code[order]
    col, rcids = pd.factorize(rcid)  # after the sort: each period's roll calls contiguous
    row, names = pd.factorize(country, sort=True)
    codes = np.full((len(names), len(rcids)), MISSING, dtype=np.int8)
    codes[row, col] = code
    first_col = np.zeros(len(rcids), dtype=np.int64)
    first_col[col] = pcodes
    starts = np.searchsorted(first_col, np.arange(len(labels)))
    periods = [p.item() if hasattr(p, "item") else p for p in labels]
    return VoteMatrix(list(map(str, names)), np.asarray(rcids), codes, periods, starts)
