"""What every UN Digital Library voting layout shares: ids, sessions, member codes, titles.

The Library publishes one vote record per adopted resolution (GA or SC); the bulk CSV, the
scraped long layout and the scraped wide layout are three views of those records. The rules
here are applied identically to all three, so that one resolution gets the same roll-call id,
session, state codes and title whichever file it came from.

Roll-call ids
    ``rcid = LIBRARY_RCID_OFFSET + record number`` (the ``undl_id``, or the number in the
    record's link). Voeten's and ``unvotes``' rcids are sequential integers (9,124 at most in
    the 2020 release) and cannot reach :data:`LIBRARY_RCID_OFFSET` (10^9), so an id from the
    Library never collides with one of theirs, and the same record always gets the same id
    (every record number below 1.1 * 10^9 still fits a 32-bit integer). A Library roll call
    that matches one already held keeps the held id (see ``hedgewatch.store``).

Sessions
    From the resolution symbol where it carries the regular session (``A/RES/76/12``,
    ``A/RES/2507(XXIV)``, ``A/76/L.14``); otherwise (emergency special sessions such as
    ``A/RES/ES-10/21``, special sessions ``S-xx``, missing symbols) the regular session running
    on the date: a session opens in September, so a vote from September on belongs to session
    ``year - 1945`` and an earlier one to ``year - 1946``. Emergency special sessions are thus
    analysed with the regular session they met during (ideal points and yearly measures are
    per regular session); the symbol keeps the ES number.

Member codes
    ISO3, with the historical codes of :mod:`hedgewatch.countries` (``SUN``, ``YUG``, ``SCG``,
    ``CSK``, ``DDR``, ``YMD``, ``ZAN``). Codes the scrapers use for other historical states
    are mapped to the record's codes (:data:`CODE_ALIASES`: Tanganyika ``TAN`` -> ``TZA``,
    Zanzibar ``ZZB`` -> ``ZAN``, North Yemen ``YAR`` -> ``YEM``), and the China seat ``CHN``
    before 25 October 1971 (General Assembly resolution 2758) is the Republic of China,
    ``TWN``, as in Voeten's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hedgewatch import countries

#: Added to a Library record number to make a roll-call id (see the module docstring).
LIBRARY_RCID_OFFSET = 1_000_000_000

#: Scraper codes for historical states -> the record's codes.
CODE_ALIASES: dict[str, str] = {"TAN": "TZA", "ZZB": "ZAN", "YAR": "YEM"}

#: The day the People's Republic took the China seat (GA resolution 2758).
PRC_SEATED = pd.Timestamp("1971-10-25")

#: Library vote letters -> hedgewatch votes (non-voting is kept as ``absent``).
VOTE_LETTERS: dict[str, str] = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent", "": "absent"}

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_REGULAR = re.compile(r"^A/(?:RES/)?(\d{1,3})/")
_OLD = re.compile(r"^A/RES/\d+\s*\(([IVXLC]+)\)")
_LINK_RECORD = re.compile(r"/record/(\d+)")


def _roman(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        nxt = _ROMAN[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if nxt > value else value
    return total


def library_rcid(undl_id: pd.Series) -> pd.Series:
    """Roll-call ids for Library record numbers (``LIBRARY_RCID_OFFSET + undl_id``)."""
    return (undl_id.astype("int64") + LIBRARY_RCID_OFFSET).astype("int64")


def record_number(links: pd.Series) -> pd.Series:
    """The record number in Library links (``.../record/4025240?ln=en``), NaN where none."""
    return pd.to_numeric(links.fillna("").astype(str).str.extract(_LINK_RECORD)[0])


def session_from_date(dates: pd.Series) -> pd.Series:
    """The regular session running on each date (sessions open in September)."""
    d = pd.to_datetime(dates)
    year = d.dt.year.astype("float")
    out = np.where(d.dt.month >= 9, year - 1945, year - 1946)
    return pd.Series(np.maximum(out, 1), index=dates.index)


def sessions(symbols: pd.Series, dates: pd.Series) -> pd.Series:
    """Regular session of each resolution: from its symbol, else from its date."""
    sym = symbols.fillna("").astype(str).str.strip().str.upper()
    regular = pd.to_numeric(sym.str.extract(_REGULAR)[0], errors="coerce")
    old = sym.str.extract(_OLD)[0].map(lambda s: _roman(s) if isinstance(s, str) else np.nan)
    by_symbol = regular.fillna(old)
    return by_symbol.fillna(session_from_date(dates)).astype("int64")


def body_of(symbols: pd.Series) -> pd.Series:
    """``GA`` for ``A/...`` symbols, ``SC`` for ``S/...``, empty where the symbol says neither."""
    sym = symbols.fillna("").astype(str).str.strip().str.upper()
    return pd.Series(
        np.select([sym.str.startswith("A/"), sym.str.startswith("S/")], ["GA", "SC"], ""),
        index=symbols.index,
    )


def member_states(codes: pd.Series, dates: pd.Series) -> pd.Series:
    """Library member codes -> the record's state codes (aliases, the China seat)."""
    # String work once per distinct code, not once per row (a file has ~900k rows).
    pos, uniq = pd.factorize(codes, use_na_sentinel=False)
    text = pd.Series(np.asarray(uniq, dtype=object))
    text = text.where(text.notna(), "").astype(str).str.strip().str.upper()
    state = text.replace(CODE_ALIASES).to_numpy(dtype=object)[pos]
    before = (pd.to_datetime(dates) < PRC_SEATED).to_numpy()
    state[(state == "CHN") & before] = "TWN"
    return pd.Series(state, index=codes.index, dtype=object)


def known_codes() -> set[str]:
    """Every state code a Library file may use (ISO3, historical codes and aliases)."""
    return set(countries._lookups()[0]) | set(CODE_ALIASES)


_SUFFIX = re.compile(r"\s*:\s*resol?u?l?tion\s*/\s*adopted by the general assembly.*$", re.I)
_PARTIAL_SUFFIX = re.compile(r"\s*:\s*(r(e(s(o(l(u(t(i(o(n?)?)?)?)?)?)?)?)?)?\s*(/.*)?)?$", re.I)
_ITEM_PREFIX = re.compile(r"^Item\s+\d+[a-z]?\s*-\s*(?:DR|Draft resolution)?\s*A/\S+\s+", re.I)
#: Marks a title the scrape cut short; :func:`~hedgewatch.idealpoints.title_bridges` matches
#: such titles by their prefix.
TRUNCATED = "[...]"


def clean_titles(titles: pd.Series) -> pd.Series:
    """Library titles without the catalogue's statement of responsibility.

    ``"Question of Palestine : resolution / adopted by the General Assembly"`` ->
    ``"Question of Palestine"``; ``"Item 39 - DR A/76/L.14 Peaceful settlement ..."`` ->
    ``"Peaceful settlement ..."``. A title the scrape cut short (``"...[...]"``) keeps the
    :data:`TRUNCATED` mark after the text that survived.
    """
    t = titles.fillna("").astype(str).str.strip()
    cut = t.str.endswith(TRUNCATED)
    t = t.str.removesuffix(TRUNCATED).str.rstrip()
    t = t.str.replace(_SUFFIX, "", regex=True)
    t = t.where(~cut, t.str.replace(_PARTIAL_SUFFIX, "", regex=True))
    t = t.str.replace(_ITEM_PREFIX, "", regex=True).str.strip()
    t = t.where(~cut, t + " " + TRUNCATED)
    return t.replace("", None)


@dataclass(frozen=True)
class RowCheck:
    """Rows whose cast votes disagree with the totals the file states (wide layout).

    ``rows``: ``path, line, resolution, column, counted, stated`` for every disagreement.
    """

    rows: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["path", "line", "resolution", "column", "counted", "stated"]
        )
    )

    def __len__(self) -> int:
        return int(self.rows[["path", "line"]].drop_duplicates().shape[0])

    def summary(self) -> str:
        """One line: how many rows disagree and the first few (file:line resolution)."""
        if not len(self.rows):
            return "every row's votes agree with its stated totals"
        firsts = self.rows.drop_duplicates(["path", "line"]).head(5)
        shown = "; ".join(
            f"{r.path}:{r.line} {r.resolution} ({r.column}: counted {r.counted}, stated {r.stated})"
            for r in firsts.itertuples()
        )
        return f"{len(self)} row(s) disagree with their stated totals: {shown}"
