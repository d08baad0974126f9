"""Which Security Council texts are about a state: resolutions and vetoed drafts.

A text is about a state when its title (resolutions) or agenda item and crisis topic (vetoed
drafts) name the state, or when it cites a resolution that is about the state:

1. **By name.** The state's names - country_converter's short and official names, the name
   hedgewatch uses, and the aliases in :data:`ALIASES` (``DPRK``, ``North Korea``) - as whole
   words, case and apostrophe style ignored. A name inside another state's longer name does
   not count ("Republic of Korea" inside "Democratic People's Republic of Korea"; "Guinea"
   inside "Equatorial Guinea"). A title the scrape cut short (``"... People's Rep [...]"``)
   also counts when its last words begin one of the state's names and no other state's
   (at least :data:`MIN_PREFIX` characters).
2. **By citation.** A title that cites "resolution NNNN" where NNNN is about the state by
   rule 1 (e.g. "the Panel of Experts established pursuant to resolution 1874", the 2009
   sanctions on North Korea), repeated until nothing new is found.

What it cannot see: texts about the state whose title names neither it nor a resolution about
it (thematic resolutions on non-proliferation that bear on it), and drafts never put to a vote
(a patron's threat of a veto keeps a text off the table: the strongest shielding leaves no
record).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch._validation import validated

#: Names the Council's titles use that country_converter does not carry.
ALIASES: dict[str, tuple[str, ...]] = {
    "PRK": ("DPRK", "North Korea", "North Korean", "Democratic People's Republic of Korea"),
    "KOR": ("South Korea", "Republic of Korea"),
    "RUS": ("Russian Federation",),
    "SUN": ("USSR", "Soviet Union", "Union of Soviet Socialist Republics"),
    "SYR": ("Syria", "Syrian Arab Republic"),
    "IRN": ("Iran", "Islamic Republic of Iran"),
    "MMR": ("Myanmar", "Burma"),
    "COD": ("Democratic Republic of the Congo", "DRC", "Zaire"),
    "PSE": ("Palestine", "Palestinian", "occupied Palestinian territory"),
    "VEN": ("Venezuela", "Bolivarian Republic of Venezuela"),
}
#: Fewest characters of a cut-short name that still identify it.
MIN_PREFIX = 12
_CITE = re.compile(r"resolutions?\s+(\d{1,4})\b", re.IGNORECASE)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'").replace("`", "'")).strip()


@functools.lru_cache(maxsize=1)
def _all_names() -> dict[str, tuple[str, ...]]:
    table = countries._coco_table()
    names: dict[str, set[str]] = {}
    for code, short, official in zip(
        table["ISO3"], table["name_short"], table["name_official"], strict=True
    ):
        names.setdefault(code, set()).update({_norm(short), _norm(official)})
    for code, extra in ALIASES.items():
        names.setdefault(code, set()).update(_norm(x) for x in extra)
    for code in countries.HISTORICAL_NAMES:
        names.setdefault(code, set()).add(_norm(countries.HISTORICAL_NAMES[code]))
    return {c: tuple(sorted(n for n in v if len(n) >= 4 or n.isupper())) for c, v in names.items()}


@validated
def names(state: str) -> tuple[str, ...]:
    """The names that identify ``state`` in Council texts."""
    code = countries.resolve(state)
    return _all_names().get(code, (_norm(countries.name(code)),))


@functools.lru_cache(maxsize=256)
def _patterns(state: str) -> tuple[re.Pattern[str], re.Pattern[str] | None, tuple[str, ...]]:
    """(the state's names, the other states' longer names containing one of them,
    prefixes of the state's names that identify it alone)."""
    own = names(state)
    others = [n for c, ns in _all_names().items() if c != state for n in ns]
    low_own = [n.lower() for n in own]
    longer = sorted(
        {o for o in others if any(re.search(rf"\b{re.escape(n)}\b", o.lower()) for n in low_own)},
        key=len,
        reverse=True,
    )
    name_re = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(own, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    shadow = re.compile("|".join(re.escape(o) for o in longer), re.IGNORECASE) if longer else None
    other_low = [o.lower() for o in others]
    prefixes = tuple(
        n[:k].lower()
        for n in own
        for k in range(MIN_PREFIX, len(n))
        if not any(o.startswith(n[:k].lower()) for o in other_low)
    )
    return name_re, shadow, prefixes


def names_state(texts: pd.Series, state: str) -> pd.Series:
    """Whether each text names ``state`` (rule 1 of the module docstring)."""
    code = countries.resolve(state)
    name_re, shadow, prefixes = _patterns(code)
    out = []
    for raw in texts.fillna("").astype(str):
        text = _norm(raw)
        cut = text.endswith("[...]")
        body = text.removesuffix("[...]").rstrip()
        if shadow is not None:
            body = shadow.sub(" ", body)
        hit = bool(name_re.search(body))
        if not hit and cut:
            tail = body.lower()
            hit = any(tail.endswith(p) for p in prefixes)
        out.append(hit)
    return pd.Series(out, index=texts.index, dtype=bool)


_TITLE_HEAD = re.compile(r"^Security Council resolution \d+ \(\d{4}\)\s*[\[<]?", re.I)


def short_title(title: str) -> str:
    """A Council resolution's title without its ``"Security Council resolution N (Y) [...]"``
    frame: ``"on new sanctions against ..."``."""
    text = _TITLE_HEAD.sub("", str(title)).strip()
    return re.sub(r"[\]>]\s*$", "", text).strip()


def resolution_number(symbols: pd.Series) -> pd.Series:
    """``S/RES/1874(2009)`` -> 1874 (NaN when the symbol is not a Council resolution's)."""
    num = symbols.fillna("").astype(str).str.extract(r"S/RES/(\d+)", flags=re.IGNORECASE)[0]
    return pd.to_numeric(num, errors="coerce")


@validated
def texts_about(resolutions: pd.DataFrame, vetoes: pd.DataFrame, state: str) -> pd.DataFrame:
    """Council texts about ``state``: adopted resolutions and vetoed drafts.

    Parameters
    ----------
    resolutions
        ``undl_id, resolution, date, year, title`` (:func:`hedgewatch.store.council_resolutions`).
    vetoes
        ``item, draft, date, year, agenda_item, crisis_topic, country``
        (:func:`hedgewatch.store.vetoes`).
    state
        The state (code or name).

    Returns
    -------
    DataFrame ``kind`` (``resolution`` or ``vetoed draft``), ``key`` (the record id or the
    draft's number in the veto list), ``symbol, date, year, text, why`` (``name`` or
    ``cites S/RES/NNNN``), one row per text, by date.
    """
    code = countries.resolve(state)
    res = resolutions.copy()
    title = res["title"].fillna("")
    about = names_state(title, code)
    why = pd.Series(np.where(about, "name", ""), index=res.index, dtype=object)
    number = resolution_number(res["resolution"])
    cited = title.map(lambda t: {int(n) for n in _CITE.findall(t)})
    known = set(number[about].dropna().astype(int))
    while True:
        new = ~about & pd.Series([bool(c & known) for c in cited], index=res.index)
        if not new.any():
            break
        for i in res.index[new]:
            hit = sorted(cited[i] & known)[0]
            why[i] = f"cites S/RES/{hit}"
        about = about | new
        known |= set(number[new].dropna().astype(int))
    rows = res[about]
    out_res = pd.DataFrame(
        {
            "kind": "resolution",
            "key": rows["undl_id"].astype("int64").to_numpy(),
            "symbol": rows["resolution"].to_numpy(),
            "date": pd.to_datetime(rows["date"]).to_numpy(),
            "year": rows["year"].astype("int64").to_numpy(),
            "text": rows["title"].to_numpy(),
            "why": why[about].to_numpy(),
        }
    )
    drafts = vetoes.drop_duplicates("item")
    blob = drafts["agenda_item"].fillna("") + " | " + drafts["crisis_topic"].fillna("")
    hit = names_state(blob, code)
    cites = blob.map(lambda t: bool({int(n) for n in _CITE.findall(t)} & known))
    d = drafts[hit | cites]
    out_veto = pd.DataFrame(
        {
            "kind": "vetoed draft",
            "key": d["item"].astype("int64").to_numpy(),
            "symbol": d["draft"].to_numpy(),
            "date": pd.to_datetime(d["date"]).to_numpy(),
            "year": d["year"].astype("int64").to_numpy(),
            "text": d["agenda_item"].to_numpy(),
            "why": np.where(hit[hit | cites], "name", "cites a resolution about the state"),
        }
    )
    out = pd.concat([out_res, out_veto], ignore_index=True)
    return out.sort_values(["date", "kind", "symbol"], ignore_index=True)
