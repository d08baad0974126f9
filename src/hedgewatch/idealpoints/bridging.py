"""Bridges derived from identical resolution titles across sessions.

BSV's list covers the roll calls they matched by hand. A documented extension: two
roll calls in *different* sessions are bridged when their normalised titles are identical,
neither is an amendment or a paragraph vote, and the title is specific enough (at least
``min_chars`` characters after normalisation and not one of a few procedural titles).
Only consecutive occurrences of a title are paired; the fit joins chains into one group.

Titles are compared after dropping the catalogue's statement of responsibility that some
records carry (``"Jerusalem : resolution / adopted by the General Assembly"`` is
``"Jerusalem"``), so the UN Digital Library's titles of sessions 75 and later bridge to the
same resolutions of earlier sessions. A title the scrape cut short (ending ``[...]``) is
compared by what survived: it takes the full title that starts with it when exactly one does,
else it pairs only with titles cut at the same place.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import validated
from hedgewatch.errors import DataFormatError, Problem

_PROCEDURAL = {"voting procedure", "agenda", "adoption of the agenda", "rules of procedure"}


_RESPONSIBILITY = re.compile(
    r"\s*:\s*(?:r(?:e(?:s(?:o(?:l(?:u(?:l?t(?:i(?:o(?:n)?)?)?)?)?)?)?)?)?)?\s*(?:/.*)?$", re.I
)
_STATEMENT = re.compile(r"\s*:\s*resol\w*\s*/\s*adopted by the general assembly.*$", re.I)
CUT = "[...]"


def _normalise(title: pd.Series) -> pd.Series:
    def one(text: str) -> str:
        cut = text.rstrip().endswith(CUT)
        text = text.rstrip().removesuffix(CUT)
        text = _STATEMENT.sub("", text)
        if cut:  # what is left of a cut statement (" : resolution / adop")
            text = _RESPONSIBILITY.sub("", text)
        return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", text.lower())).strip()

    return title.fillna("").astype(str).map(one)


def _complete_cut_titles(keys: pd.Series, cut: pd.Series) -> pd.Series:
    """A cut title's key becomes the one full key that starts with it, when there is one."""
    full = sorted(set(keys[~cut]))
    out = keys.copy()
    for i in keys.index[cut]:
        k = keys[i]
        starts = [f for f in full if f.startswith(k)] if k else []
        if len(starts) == 1:
            out[i] = starts[0]
    return out


@deprecated_args(keyword_only=True)
@validated
def title_bridges(roll_calls: pd.DataFrame, *, min_chars: int = 25) -> pd.DataFrame:
    """Pairs ``rcid1, rcid2`` of roll calls with identical titles in different sessions.

    Parameters
    ----------
    roll_calls
        Output of :func:`hedgewatch.roll_calls` (``rcid, session, title, is_amendment,
        is_paragraph``; the R ``unvotes`` names ``short, amend, para`` are accepted too).
    min_chars
        Shortest normalised title that may bridge.

    Returns
    -------
    DataFrame ``rcid1, rcid2``.
    """
    rc = roll_calls.rename(
        columns={"short": "title", "amend": "is_amendment", "para": "is_paragraph"}
    )
    missing = [c for c in ("rcid", "session", "title") if c not in rc.columns]
    if missing:
        raise DataFormatError(
            "roll_calls DataFrame",
            [Problem(f"missing column {c!r}") for c in missing],
            hint="Pass the output of hedgewatch.roll_calls()",
        )
    keep = np.ones(len(rc), bool)
    for col in ("is_amendment", "is_paragraph"):
        if col in rc.columns:
            keep &= ~rc[col].fillna(False).astype(bool).to_numpy()
    rc = rc[keep].assign(key=lambda d: _normalise(d["title"]))
    cut = rc["title"].fillna("").astype(str).str.rstrip().str.endswith(CUT)
    rc["key"] = _complete_cut_titles(rc["key"], cut)
    rc = rc[(rc["key"].str.len() >= min_chars) & ~rc["key"].isin(_PROCEDURAL)]
    # One representative roll call per (title, session): the first.
    first = rc.sort_values(["key", "session", "rcid"]).drop_duplicates(["key", "session"])
    nxt = first.groupby("key")["rcid"].shift(-1)
    pairs = pd.DataFrame({"rcid1": first["rcid"], "rcid2": nxt}).dropna()
    return pairs.astype("int64").reset_index(drop=True)
