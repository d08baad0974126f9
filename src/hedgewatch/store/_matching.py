"""Which incoming roll calls the store already holds: one record, no double counting.

Voeten's file, the ``unvotes`` files and the UN Digital Library's files record the same
votes under different ids. An incoming roll call is *matched* to a held one, and then not
added, when either

1. **same resolution**: its symbol, normalised by :func:`resolution_key` (``A/RES/45/59[D]``,
   ``R/45/59D``, ``R/45/59/D`` and ``45/59 D`` are one key; ``A/RES/2507(XXIV)`` is
   ``24/2507``), equals the held roll call's, in the same session, and the votes agree on at
   least :data:`CONFIRM` of the states voting in both. Dates are not compared here:
   Voeten's dates before 2003 are often days or weeks off the Library's (a third of the
   1946-2002 symbol matches differ), while symbol and session are exact. Where several held
   roll calls share the key, a whole-resolution vote is preferred to one flagged as an
   amendment or paragraph vote (the Library holds only whole resolutions; the flag is
   sometimes set on the final vote), then the most alike; or
2. **same vote, same days**: no symbol match, but a held roll call of the same session dated
   within :data:`DAYS` days whose votes agree on at least :data:`SAME_VOTE` of at least
   :data:`MIN_COMMON` states voting in both. On exact dates (the Library's, and Voeten's
   from 2003) this is "the same vote on the same day"; the window absorbs Voeten's older
   dates, and covers his early sessions, which number resolutions differently
   (``R/4/302`` for ``A/RES/289(IV)[A]``) or leave the symbol empty.

Each held roll call is matched at most once, to the incoming one most like it. On matched
roll calls the held votes are kept; the states whose vote differs are counted
(``disagreements``).

All of this is plain pandas over frames the store fetched: no SQL here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Share of identical votes that confirms a symbol match.
CONFIRM = 0.8
#: Share of identical votes that makes two roll calls of one day the same vote.
SAME_VOTE = 0.95
#: Fewest states voting in both for a vote-pattern match.
MIN_COMMON = 20
#: Largest date difference (days) for a vote-pattern match.
DAYS = 31

#: Columns of :attr:`Matches.pairs`.
MATCH_COLUMNS = ("rcid", "held_rcid", "how", "common", "agreement", "disagreements")

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_OLD = re.compile(r"^(\d+)\((S-|ES-)?([IVXLC]+)\)(.*)$")
_NUMBERED = re.compile(r"^((?:ES-|S-)?\d+/\d+)(.*)$")
_CAST = ("yes", "no", "abstain")


def _roman(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        nxt = _ROMAN[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if nxt > value else value
    return total


def _key(symbol: str) -> str:
    s = re.sub(r"[\s\[\]]", "", symbol.upper())
    s = re.sub(r"^(A/RES/|A/|R/|ESS/)", "", s)
    m = _OLD.match(s)
    if m:
        s = f"{m.group(2) or ''}{_roman(m.group(3))}/{m.group(1)}{m.group(4)}"
    m = _NUMBERED.match(s)
    if m:  # the part after session/number: letters and numerals, whatever the separators
        s = m.group(1) + re.sub(r"[^A-Z0-9]", "", m.group(2))
    return s


def resolution_key(symbols: pd.Series) -> pd.Series:
    """Symbols normalised so that every source's spelling of one resolution is equal."""
    s = symbols.fillna("").astype(str)
    uniq = pd.unique(s)
    table = {u: _key(u) for u in uniq}
    return s.map(table)


@dataclass(frozen=True)
class Matches:
    """The outcome of matching incoming roll calls against the held record.

    Attributes
    ----------
    pairs
        One row per matched incoming roll call: ``rcid`` (incoming), ``held_rcid``, ``how``
        (``symbol`` or ``same_vote``), ``common`` (states voting in both), ``agreement``
        (share of them voting alike), ``disagreements`` (how many voted differently).
    """

    pairs: pd.DataFrame

    @property
    def rcids(self) -> set[int]:
        return set(self.pairs["rcid"].tolist())

    def counts(self) -> dict[str, int]:
        p = self.pairs
        return {
            "roll_calls_matched": len(p),
            "matched_by_symbol": int((p["how"] == "symbol").sum()),
            "matched_by_same_vote": int((p["how"] == "same_vote").sum()),
            "vote_disagreements": int(p["disagreements"].sum()),
        }


def _agreement(
    pairs: pd.DataFrame, held_votes: pd.DataFrame, new_votes: pd.DataFrame
) -> pd.DataFrame:
    """``common``, ``agreement`` and ``disagreements`` of each (rcid, held_rcid) pair."""
    if pairs.empty:
        return pairs.assign(common=0, agreement=np.nan, disagreements=0)
    hv = held_votes[held_votes["vote"].isin(_CAST)][["rcid", "country", "vote"]]
    nv = new_votes[new_votes["vote"].isin(_CAST)][["rcid", "country", "vote"]]
    hv = hv[hv["rcid"].isin(pairs["held_rcid"])].rename(columns={"rcid": "held_rcid"})
    nv = nv[nv["rcid"].isin(pairs["rcid"])]
    j = (
        pairs[["rcid", "held_rcid"]]
        .merge(nv, on="rcid")
        .merge(hv, on=["held_rcid", "country"], suffixes=("", "_held"))
    )
    j["same"] = j["vote"] == j["vote_held"]
    g = j.groupby(["rcid", "held_rcid"])["same"].agg(["size", "sum"]).reset_index()
    g.columns = ["rcid", "held_rcid", "common", "alike"]
    out = pairs.merge(g, on=["rcid", "held_rcid"], how="left")
    out["common"] = out["common"].fillna(0).astype("int64")
    out["alike"] = out["alike"].fillna(0).astype("int64")
    out["agreement"] = np.where(
        out["common"] > 0, out["alike"] / out["common"].clip(lower=1), np.nan
    )
    out["disagreements"] = out["common"] - out["alike"]
    return out.drop(columns="alike")


def _flag(s: pd.Series) -> pd.Series:
    """A nullable flag as plain booleans (missing = False)."""
    return s.astype("boolean").fillna(False).astype(bool)


def _best(pairs: pd.DataFrame, order: list[str], ascending: list[bool]) -> pd.DataFrame:
    """One held roll call per incoming one and one incoming per held, greedily by ``order``."""
    p = pairs.sort_values(order, ascending=ascending, na_position="last", kind="stable")
    keep, used_new, used_held = [], set(), set()
    for i, r, h in zip(p.index, p["rcid"], p["held_rcid"], strict=True):
        if r not in used_new and h not in used_held:
            keep.append(i)
            used_new.add(r)
            used_held.add(h)
    return p.loc[keep]


def match_roll_calls(
    held: pd.DataFrame,
    held_votes: pd.DataFrame,
    incoming: pd.DataFrame,
    incoming_votes: pd.DataFrame,
) -> Matches:
    """Match incoming roll calls to held ones (see the module docstring for the rules).

    Parameters
    ----------
    held
        Held roll calls: ``rcid, session, date, resolution, is_amendment, is_paragraph``.
    held_votes
        Held votes (``rcid, country, vote``) of at least the held roll calls that share a
        symbol key or a session with an incoming one (:func:`candidates`).
    incoming, incoming_votes
        The incoming roll calls and votes (same columns).

    Returns
    -------
    Matches
    """
    cols = list(MATCH_COLUMNS)
    if held.empty or incoming.empty:
        return Matches(pd.DataFrame(columns=cols))
    part = _flag(held["is_amendment"]) | _flag(held["is_paragraph"])
    h = held.assign(
        key=resolution_key(held["resolution"]),
        whole=~part.to_numpy(),
        date=pd.to_datetime(held["date"]),
    )
    n = incoming.assign(
        key=resolution_key(incoming["resolution"]), date=pd.to_datetime(incoming["date"])
    )
    hk = h[h["key"] != ""][["rcid", "key", "session", "whole"]]
    by_symbol = n[n["key"] != ""][["rcid", "key", "session"]].merge(
        hk.rename(columns={"rcid": "held_rcid"}), on=["key", "session"]
    )
    sym = _agreement(by_symbol[["rcid", "held_rcid", "whole"]], held_votes, incoming_votes)
    sym = sym[(sym["common"] == 0) | (sym["agreement"] >= CONFIRM)]
    sym = _best(sym, ["whole", "agreement", "common"], [False, False, False]).assign(how="symbol")

    rest = n[~n["rcid"].isin(sym["rcid"]) & n["date"].notna()][["rcid", "session", "date"]]
    free = h[~h["rcid"].isin(sym["held_rcid"]) & h["date"].notna()][["rcid", "session", "date"]]
    near = rest.merge(free.rename(columns={"rcid": "held_rcid"}), on="session")
    near["days"] = (near["date_x"] - near["date_y"]).abs().dt.days
    near = near[near["days"] <= DAYS]
    day = _agreement(near[["rcid", "held_rcid", "days"]], held_votes, incoming_votes)
    day = day[(day["common"] >= MIN_COMMON) & (day["agreement"] >= SAME_VOTE)]
    day = _best(day, ["agreement", "days", "common"], [False, True, False]).assign(how="same_vote")
    pairs = pd.concat([sym, day], ignore_index=True)[cols]
    return Matches(pairs.sort_values("rcid", ignore_index=True))


def candidates(held: pd.DataFrame, incoming: pd.DataFrame) -> np.ndarray:
    """Held rcids that share a symbol key or a session with an incoming roll call: the
    only ones whose votes :func:`match_roll_calls` needs."""
    hk = resolution_key(held["resolution"])
    nk = set(resolution_key(incoming["resolution"])) - {""}
    mask = hk.isin(nk) | held["session"].isin(set(incoming["session"]))
    return held.loc[mask.to_numpy(), "rcid"].to_numpy()
