"""Patron shielding: how each power acted on Security Council texts about a state.

For a state and each power, every Council text about the state (:func:`texts_about`: adopted
resolutions and vetoed drafts) gets the power's action:

* on an **adopted resolution**, its recorded vote: ``voted for``, ``abstained``, ``voted
  against`` (a non-permanent member's no; a permanent member's no would have been a veto),
  ``absent``, or ``not a member`` when it did not sit on the Council that day;
* on a **vetoed draft**, ``vetoed`` when it cast a veto; otherwise ``no veto`` - the veto list
  records who vetoed, not how the others voted, so whether it voted for the draft or
  abstained is unknown.

A power *shields* the state on a text when it vetoed it, voted against it or abstained. By
year, :func:`shielding` counts the texts, the actions, and the share shielded among the texts
on which the power's action is known (it sat on the Council and, for a vetoed draft, its vote
is recorded: a veto, or nothing):

    share_shielded = (vetoed + voted against + abstained) / (texts - not a member - no veto)

What the proxy shows: public, recorded protection - a veto that kills sanctions, an
abstention that withholds a patron's name from them. What it cannot show: protection that
leaves no vote (a text watered down in negotiation before it is tabled, a threatened veto
that keeps a draft off the table, lax enforcement of sanctions voted for), and any commitment
to rescue the state that is never tested in the Council. A low share is therefore an upper
bound on how little a patron shields, never proof that it would not.

References
----------
Voeten, E. (2001). Outside options and the logic of Security Council action. *American
Political Science Review* 95(4): 845-858.
Dag Hammarskjöld Library. Security Council - Veto List (research.un.org/en/docs/sc/quick/veto):
the source of the vetoed drafts, their agenda items and the members that cast the vetoes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch._validation import check_param, validated
from hedgewatch.council.about import texts_about

#: Actions, in the order tables show them.
ACTIONS = (
    "vetoed",
    "voted against",
    "abstained",
    "voted for",
    "absent",
    "not a member",
    "no veto",
)
#: Actions that shield the state.
SHIELDS = ("vetoed", "voted against", "abstained")
_VOTE_ACTION = {
    "yes": "voted for",
    "abstain": "abstained",
    "no": "voted against",
    "absent": "absent",
}


@dataclass(frozen=True)
class ShieldingResult:
    """How each power acted on the Council's texts about a state.

    Attributes
    ----------
    state, powers
        ISO3 codes.
    texts
        One row per text and power: ``kind, symbol, date, year, text, why, power, action,
        shielded`` (``shielded`` is NaN where the action is unknown or the power was not on
        the Council).
    by_year
        One row per year and power: ``year, power, texts``, one count column per action,
        ``known`` (texts with a known action) and ``share_shielded``.
    """

    state: str
    powers: tuple[str, ...]
    texts: pd.DataFrame
    by_year: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The yearly table."""
        return self.by_year.copy()

    @classmethod
    def from_texts(cls, state: str, powers: Sequence[str], texts: pd.DataFrame) -> ShieldingResult:
        """Rebuild a result from its ``texts`` table (e.g. read back from a cache)."""
        ps = tuple(powers)
        texts = texts.assign(year=texts["year"].astype("int64"))
        return cls(state, ps, texts, _by_year(texts, ps))

    def window(self, start: int | None = None, end: int | None = None) -> pd.DataFrame:
        """Totals per power over ``start..end`` (years, inclusive): the yearly table summed."""
        y = self.by_year
        keep = np.ones(len(y), bool)
        if start is not None:
            keep &= (y["year"] >= start).to_numpy()
        if end is not None:
            keep &= (y["year"] <= end).to_numpy()
        cols = ["texts", *ACTIONS, "known", "shielded"]
        out = y[keep].groupby("power", sort=False)[cols].sum().reindex(list(self.powers))
        out = out.fillna(0).astype("int64")
        out["share_shielded"] = np.where(
            out["known"] > 0, out["shielded"] / out["known"].clip(lower=1), np.nan
        )
        return out.reset_index()


@validated
def shielding(
    resolutions: pd.DataFrame,
    votes: pd.DataFrame,
    vetoes: pd.DataFrame,
    state: str,
    powers: Sequence[str],
) -> ShieldingResult:
    """How each power acted on the Security Council's texts about ``state``, by year.

    Parameters
    ----------
    resolutions
        Adopted resolutions (:func:`hedgewatch.store.council_resolutions`).
    votes
        Members' votes on them, absences included (:func:`hedgewatch.store.council_votes`
        with ``include_absent=True``): ``undl_id, country, vote``.
    vetoes
        Vetoed drafts (:func:`hedgewatch.store.vetoes`).
    state
        The state the texts are about (code or name).
    powers
        The powers whose actions are read (codes or names; historical seats follow the
        identity rules of :mod:`hedgewatch.countries`: ``RUS`` includes the USSR's votes).

    Returns
    -------
    ShieldingResult
    """
    check_param(
        not isinstance(powers, str) and len(powers) >= 1,
        "powers",
        "a sequence of at least one country",
        powers,
    )
    code = countries.resolve(state)
    ps = tuple(countries.resolve(p) for p in powers)
    about = texts_about(resolutions, vetoes, code)
    rows = []
    for p in ps:
        rows.append(_actions(about, votes, vetoes, p))
    texts = pd.concat(rows, ignore_index=True) if rows else about.assign(power="", action="")
    texts["shielded"] = np.where(
        texts["action"].isin(SHIELDS),
        1.0,
        np.where(texts["action"].isin(["voted for", "absent"]), 0.0, np.nan),
    )
    return ShieldingResult(code, ps, texts, _by_year(texts, ps))


def _actions(
    about: pd.DataFrame, votes: pd.DataFrame, vetoes: pd.DataFrame, power: str
) -> pd.DataFrame:
    out = about.copy()
    out["power"] = power
    mine = votes[votes["country"] == power].set_index("undl_id")["vote"].astype(str)
    vetoed = set(vetoes.loc[vetoes["country"] == power, "item"])
    action = []
    for kind, key in zip(out["kind"], out["key"], strict=True):
        if kind == "resolution":
            action.append(_VOTE_ACTION.get(mine.get(key, ""), "not a member"))
        else:
            action.append("vetoed" if key in vetoed else "no veto")
    out["action"] = action
    return out


def _by_year(texts: pd.DataFrame, powers: tuple[str, ...]) -> pd.DataFrame:
    cols = ["year", "power", "texts", *ACTIONS, "known", "shielded", "share_shielded"]
    if texts.empty:
        return pd.DataFrame(columns=cols)
    counts = (
        texts.groupby(["year", "power", "action"]).size().unstack("action", fill_value=0)
    ).reindex(columns=list(ACTIONS), fill_value=0)
    counts["texts"] = counts[list(ACTIONS)].sum(axis=1)
    counts["known"] = counts["texts"] - counts["not a member"] - counts["no veto"]
    counts["shielded"] = counts[list(SHIELDS)].sum(axis=1)
    counts["share_shielded"] = np.where(
        counts["known"] > 0, counts["shielded"] / counts["known"].clip(lower=1), np.nan
    )
    counts.columns.name = None
    out = counts.reset_index()
    out["power"] = pd.Categorical(out["power"], categories=list(powers), ordered=True)
    out = out.sort_values(["year", "power"], ignore_index=True)
    out["power"] = out["power"].astype(str)
    return out[cols]
