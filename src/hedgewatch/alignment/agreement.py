"""Dyadic similarity of voting: agreement, identical-vote share, S, Cohen's kappa, Häge's pi.

Each measure maps the 3x3 table of joint votes of two countries (see
:func:`hedgewatch.alignment.crosstab`) to one number. Votes are coded on Voeten's ordinal
scale, yes = 1, abstain = 2, no = 3; the distance between two votes is ``|v_i - v_j| / 2``, so
yes-vs-abstain is 0.5 and yes-vs-no is 1. Absences and non-membership are never votes.

Measures (``measure=``):

``agreement``
    Voeten's dyadic agreement, ``mean(1 - |v_i - v_j| / 2)``: abstaining while the other votes
    yes or no counts as half agreement. Range [0, 1].
``identical``
    Share of roll calls on which both cast the same vote. With ``drop_unanimous=True`` on the
    full record it reproduces the ``XAgree`` columns of Bailey, Strezhnev & Voeten (2017)
    exactly. Range [0, 1].
``s-score``
    Signorino & Ritter's S with the absolute (L1) distance on the [0, 1] vote scale,
    ``1 - 2 * d / d_max`` with ``d`` the mean distance and ``d_max = 1``; it equals
    ``2 * agreement - 1``. Range [-1, 1].
``kappa``
    Cohen's kappa for the three nominal categories: ``(p_o - p_e) / (1 - p_e)`` with ``p_o``
    the identical share and ``p_e`` the identical share expected if each country drew its
    votes independently from its own distribution of yes/abstain/no. Range [-1, 1].
``pi``
    Häge's chance-corrected S (Scott's pi with the S distance): ``1 - D_o / D_e`` with
    ``D_o = 1 - agreement`` and ``D_e`` the expected distance of two votes drawn from the
    pair's *pooled* vote distribution. Differences in how often the two vote yes therefore
    count as dissimilarity, which Häge argues is right for foreign-policy positions.
    Range [-1, 1].
``hage-kappa``
    Häge's kappa: as ``pi`` but ``D_e`` uses each country's own vote distribution.

Values that are undefined are NaN with a reason in the ``note`` column: a pair with no
co-vote in the period, or a chance-corrected measure when both countries cast one and the
same vote on every roll call (no variation, chance agreement is 1).

References
----------
Voeten, E. (2000). Clashes in the Assembly. *International Organization* 54(2): 185-215.
Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: Measuring the similarity of
foreign policy positions. *International Studies Quarterly* 43(1): 115-144.
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
Psychological Measurement* 20(1): 37-46.
Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding.
*Public Opinion Quarterly* 19(3): 321-325.
Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy similarity
for chance agreement. *Political Analysis* 19(3): 287-305.
Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2): 430-456.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgewatch._validation import caller, check_param, validated
from hedgewatch.alignment._crosstab import Crosstabs, crosstab
from hedgewatch.errors import InsufficientDataError

#: Distance between vote categories (yes, abstain, no) on the [0, 1] scale.
DISTANCE = np.array([[0.0, 0.5, 1.0], [0.5, 0.0, 0.5], [1.0, 0.5, 0.0]])
MEASURES: dict[str, str] = {
    "agreement": "Voeten dyadic agreement, mean(1 - |v_i - v_j|/2)",
    "identical": "share of identical votes",
    "s-score": "Signorino-Ritter S (absolute distance) = 2*agreement - 1",
    "kappa": "Cohen's kappa (nominal yes/abstain/no)",
    "pi": "Häge's chance-corrected S (Scott's pi, pooled distribution)",
    "hage-kappa": "Häge's kappa (distance-weighted, own distributions)",
}
_ALIASES = {
    "s": "s-score",
    "s_score": "s-score",
    "sscore": "s-score",
    "voeten": "agreement",
    "hage-pi": "pi",
    "scott-pi": "pi",
    "cohen-kappa": "kappa",
    "hage_kappa": "hage-kappa",
}
NO_COVOTE = "no roll call on which both voted yes/abstain/no"
NO_VARIATION = "both cast one and the same vote throughout; chance agreement is 1"


def measure_name(measure: str) -> str:
    """Normalise a measure name (``'S'`` -> ``'s-score'``) or raise ParameterError."""
    key = str(measure).strip().lower().replace("ä", "a")
    key = _ALIASES.get(key, key)
    check_param(key in MEASURES, "measure", "one of " + ", ".join(map(repr, MEASURES)), measure)
    return key


def _marginals(t: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        return t.sum(-1) / n[..., None], t.sum(-2) / n[..., None]


@validated
def score_tables(tables: np.ndarray, measure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score an array of 3x3 joint-vote tables (shape ``(..., 3, 3)``).

    Returns
    -------
    value, n_votes, reason_code
        ``reason_code`` is 0 where the value is defined, 1 for no co-vote, 2 for no
        variation (chance-corrected measures only).
    """
    measure = measure_name(measure)
    flat = tables.reshape(*tables.shape[:-2], 9)
    # Counts are small integers, exact in float32; the weights 0, 0.5, 1 keep them exact.
    n = flat @ np.ones(9, dtype=flat.dtype)
    reason = (n == 0).astype(np.int8)
    n = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if measure == "identical":
            value = (flat @ np.eye(3, dtype=flat.dtype).ravel()) / n
        elif measure == "kappa":
            pa, pb = _marginals(tables, n)
            p_o = (flat @ np.eye(3, dtype=flat.dtype).ravel()) / n
            p_e = (pa * pb).sum(-1)
            value, reason = _chance_corrected(1 - p_o, 1 - p_e, reason)
        else:
            d_obs = (flat @ DISTANCE.ravel().astype(flat.dtype)) / n
            if measure == "agreement":
                value = 1.0 - d_obs
            elif measure == "s-score":
                value = 1.0 - 2.0 * d_obs
            else:
                pa, pb = _marginals(tables, n)
                if measure == "pi":
                    pa = pb = (pa + pb) / 2
                d_exp = ((pa @ DISTANCE) * pb).sum(-1)
                value, reason = _chance_corrected(d_obs, d_exp, reason)
    value = np.where(reason > 0, np.nan, value)
    return value, n.astype(np.int64), reason


def _chance_corrected(d_obs, d_exp, reason):
    flat = (reason == 0) & (d_exp <= 1e-12)
    reason = np.where(flat, 2, reason).astype(np.int8)
    return 1.0 - d_obs / d_exp, reason


def _notes(reason: np.ndarray) -> np.ndarray:
    return np.array(["", NO_COVOTE, NO_VARIATION], dtype=object)[reason]


@dataclass(frozen=True)
class AgreementMatrix:
    """All-pairs similarity, one square matrix per period.

    Attributes
    ----------
    measure
        The measure's name (see :data:`MEASURES`).
    periods
        Period labels (years, sessions or ``["all"]``).
    countries
        Country codes, the rows and columns of each matrix.
    values
        ``(len(periods), n, n)`` array; NaN where undefined (see ``reasons``) or where a
        country did not vote in the period.
    n_votes
        ``(len(periods), n, n)`` number of roll calls on which both voted.
    reasons
        ``(len(periods), n, n)`` codes: 0 defined, 1 no co-vote, 2 no variation.
    """

    measure: str
    periods: list
    countries: list[str]
    values: np.ndarray
    n_votes: np.ndarray
    reasons: np.ndarray

    def matrix(self, period: object) -> pd.DataFrame:
        """The square matrix of one period as a labelled DataFrame."""
        if period not in self.periods:
            raise InsufficientDataError(
                f"AgreementMatrix.matrix(): no period {period!r}; periods run "
                f"{self.periods[0]!r} to {self.periods[-1]!r}."
            )
        p = self.periods.index(period)
        return pd.DataFrame(self.values[p], index=self.countries, columns=self.countries)

    def to_frame(self, *, dropna: bool = True) -> pd.DataFrame:
        """Long format, one row per unordered pair and period: ``period, country_a,
        country_b, value, n_votes, note``. ``dropna`` leaves out pairs that never co-voted in
        the period (most are pairs that were not both members)."""
        p, i, j = np.nonzero(
            np.triu(np.ones(self.values.shape[1:], dtype=bool), 1)[None]
            & np.ones((len(self.periods), 1, 1), dtype=bool)
        )
        n = self.n_votes[p, i, j]
        if dropna:
            keep = n > 0
            p, i, j, n = p[keep], i[keep], j[keep], n[keep]
        c = np.asarray(self.countries, dtype=object)
        return pd.DataFrame(
            {
                "period": np.asarray(self.periods, dtype=object)[p] if p.size else [],
                "country_a": c[i],
                "country_b": c[j],
                "value": self.values[p, i, j],
                "n_votes": n,
                "note": _notes(self.reasons[p, i, j]),
            }
        ).infer_objects()


@validated
def agreement_matrix(
    votes: pd.DataFrame,
    countries: Sequence[str] | None = None,
    *,
    by: str | None = "year",
    measure: str = "agreement",
    drop_unanimous: bool = False,
) -> AgreementMatrix:
    """All-pairs similarity matrices, one per period, from one matrix product per period.

    Parameters
    ----------
    votes
        Tidy votes (``rcid, country, vote`` and ``year``/``session``), as from
        :func:`hedgewatch.votes`.
    countries
        Restrict to these countries; default every country in ``votes``.
    by
        ``"year"`` (default), ``"session"`` or None for one matrix over all the data.
    measure
        One of :data:`MEASURES` (see the module docstring for formulas).
    drop_unanimous
        Leave out roll calls on which every vote in ``votes`` was the same (Voeten's and
        BSV's convention); pass every country's votes when you use it.

    Returns
    -------
    :class:`AgreementMatrix`

    References
    ----------
    See :mod:`hedgewatch.alignment.agreement`.
    """
    m = measure_name(measure)
    tab = crosstab(votes, countries, countries, by=by, drop_unanimous=drop_unanimous)
    value, n, reason = score_tables(tab.counts, m)
    return AgreementMatrix(m, tab.periods, tab.rows, value, n, reason)


@validated
def dyadic(
    votes: pd.DataFrame,
    countries: Sequence[str] | str | None = None,
    partners: Sequence[str] | str | None = None,
    *,
    by: str | None = "year",
    measure: str = "agreement",
    drop_unanimous: bool = False,
) -> pd.DataFrame:
    """Similarity of each country with each partner, per period (tidy).

    One pair: ``dyadic(v, "PRK", "CHN")``; one versus many: ``dyadic(v, "PRK", ["CHN",
    "RUS", "USA"])``; all pairs: ``dyadic(v)`` (unordered pairs, each once).

    Parameters
    ----------
    votes
        Tidy votes (``rcid, country, vote`` and ``year``/``session``/``date``).
    countries, partners
        Codes or names. With ``partners`` None, every pair among ``countries`` (or among all
        countries when both are None).
    by
        ``"year"`` (default), ``"session"`` or None (one value over the whole window).
    measure
        ``agreement``, ``identical``, ``s-score``, ``kappa``, ``pi`` or ``hage-kappa``.
    drop_unanimous
        Leave out roll calls on which every vote in ``votes`` was the same.

    Returns
    -------
    DataFrame ``period, country_a, country_b, value, n_votes, note``: one row per pair and
    period in which both countries voted; ``value`` is NaN with the reason in ``note`` where
    it is undefined. Raises :class:`~hedgewatch.errors.InsufficientDataError` when a pair
    asked for by name never co-voted in the window.

    Examples
    --------
    Three roll calls: the same vote, yes against abstain (half agreement), yes against no.

    >>> import pandas as pd
    >>> from hedgewatch.alignment import dyadic
    >>> votes = pd.DataFrame({"rcid": [1, 1, 2, 2, 3, 3], "country": ["PRK", "CHN"] * 3,
    ...                       "vote": ["yes", "yes", "no", "abstain", "yes", "no"], "year": 2000})
    >>> dyadic(votes, "PRK", "CHN")[["period", "country_a", "country_b", "value", "n_votes"]]
       period country_a country_b  value  n_votes
    0    2000       PRK       CHN    0.5        3

    References
    ----------
    See :mod:`hedgewatch.alignment.agreement` (Voeten 2000; Signorino & Ritter 1999, ISQ;
    Cohen 1960; Häge 2011, Political Analysis).
    """
    m = measure_name(measure)
    countries = [countries] if isinstance(countries, str) else countries
    partners = [partners] if isinstance(partners, str) else partners
    if partners is None:
        check_param(
            countries is None or len(countries) >= 2,
            "countries",
            "None or at least two countries when partners is None",
            countries,
        )
        mat = agreement_matrix(votes, countries, by=by, measure=m, drop_unanimous=drop_unanimous)
        return mat.to_frame()
    tab = crosstab(votes, countries, partners, by=by, drop_unanimous=drop_unanimous)
    return _pairs_frame(tab, m, strict=countries is not None)


def _pairs_frame(tab: Crosstabs, measure: str, strict: bool) -> pd.DataFrame:
    value, n, reason = score_tables(tab.counts, measure)
    both = tab.present_rows[:, :, None] & tab.present_cols[:, None, :]
    rows, cols = np.asarray(tab.rows, dtype=object), np.asarray(tab.cols, dtype=object)
    both &= (rows[:, None] != cols[None, :])[None]
    p, i, j = np.nonzero(both)
    ever = n.sum(0) if strict else np.ones_like(n[0])
    for a, b in zip(*np.nonzero(ever == 0), strict=True):
        if rows[a] != cols[b]:
            raise InsufficientDataError(
                f"{caller()}(): {rows[a]} and {cols[b]} never voted yes/abstain/no on the same roll "
                "call in the votes given. Widen the window or pick another pair."
            )
    frame = pd.DataFrame(
        {
            "period": np.asarray(tab.periods, dtype=object)[p],
            "country_a": rows[i],
            "country_b": cols[j],
            "value": value[p, i, j],
            "n_votes": n[p, i, j],
            "note": _notes(reason[p, i, j]),
        }
    ).infer_objects()
    order = pd.Index(tab.cols).get_indexer(pd.Index(frame["country_b"]))
    frame = frame.assign(_o=order).sort_values(["country_a", "_o", "period"], kind="stable")
    return frame.drop(columns="_o").reset_index(drop=True)
