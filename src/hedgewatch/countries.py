"""Country identity over time.

Every vote, speech and statement is keyed by an ISO 3166-1 alpha-3 code. Two codes are kept:

``state``
    the state that actually cast the vote, with historical codes from ISO 3166-3 where the
    state no longer exists: ``SUN`` (USSR, to 24 Dec 1991), ``YUG`` (Yugoslavia, to 4 Feb
    2003), ``SCG`` (Serbia and Montenegro, to 3 Jun 2006), ``CSK`` (Czechoslovakia, to 1992),
    ``DDR`` (German Democratic Republic), ``YMD`` (South Yemen), ``ZAN`` (Zanzibar, 1963-64;
    not an ISO code). West Germany is ``DEU`` and North Yemen ``YEM`` in ISO 3166 already.

``country``
    the continuing identity used by the analyses: the state mapped through
    :data:`DEFAULT_SUCCESSORS`, so that Russia's series runs through the Soviet years
    (``SUN`` -> ``RUS``), Serbia's through Yugoslavia's (``YUG``, ``SCG`` -> ``SRB``) and the
    Czech Republic's through Czechoslovakia's (``CSK`` -> ``CZE``). This follows the UN's own
    practice of seat continuity and the COW convention (code 365 for the USSR and Russia).

The GDR and South Yemen are *not* merged into Germany and Yemen by default: both voted beside
the FRG and North Yemen until 1990, so a merge would give one country two votes on one roll
call. Unified Germany continues the FRG (both ``DEU``); unified Yemen continues North Yemen
(both ``YEM``). Pass your own mapping (``successors=``) where a study needs another rule, e.g.
``{"SUN": None}`` to keep the USSR apart from Russia.

Codes are resolved with ``country_converter`` (ISO2, ISO3, names) plus the explicit tables
below for the Correlates of War (COW) codes, which ``country_converter`` does not carry and
which differ from Gleditsch-Ward codes for a handful of states.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from hedgewatch.errors import UnknownCountryError

#: Historical state -> continuing country. Overridable per call with ``successors=``.
DEFAULT_SUCCESSORS: dict[str, str] = {
    "SUN": "RUS",
    "YUG": "SRB",
    "SCG": "SRB",
    "CSK": "CZE",
}

#: Names for the historical codes, which country_converter does not know.
HISTORICAL_NAMES: dict[str, str] = {
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "YMD": "Yemen People's Republic (South Yemen)",
    "ZAN": "Zanzibar",
}

# COW codes that differ from the Gleditsch-Ward codes country_converter carries, or that
# country_converter lacks. Codes whose state depends on the date are in _COW_BY_DATE.
_COW_FIXED: dict[int, str] = {
    200: "GBR",
    255: "DEU",
    260: "DEU",  # German Federal Republic; ISO 3166 used DEU for it before 1990
    265: "DDR",
    315: "CSK",
    316: "CZE",
    350: "GRC",
    511: "ZAN",
    678: "YEM",  # Yemen Arab Republic; unified Yemen continues its seat
    679: "YEM",
    680: "YMD",
    816: "VNM",
    946: "KIR",
    947: "TUV",
    955: "TON",
    970: "NRU",
}

# (code, last date of the earlier state, earlier state, later state[, ...]) for codes that
# span a change of state.
_STATE_CHANGES: dict[str, list[tuple[_dt.date, str]]] = {
    # code of the continuing country -> [(last day, historical state)], earliest first
    "RUS": [(_dt.date(1991, 12, 23), "SUN")],
    "SRB": [(_dt.date(2003, 2, 3), "YUG"), (_dt.date(2006, 6, 2), "SCG")],
    "CZE": [(_dt.date(1992, 12, 31), "CSK")],
}
_COW_BY_DATE: dict[int, str] = {365: "RUS", 345: "SRB", 315: "CZE"}

# ISO2 codes of the R `unvotes` data that country_converter does not resolve, and names the
# data gives without a code.
_ISO2_EXTRA: dict[str, str] = {"CS": "CSK", "DD": "DDR", "YU": "SRB", "YD": "YMD", "SU": "SUN"}
_NAME_EXTRA: dict[str, str] = {
    "yemen arab republic": "YEM",
    "zanzibar": "ZAN",
    "federal republic of germany": "DEU",
    "german democratic republic": "DDR",
    "gdr": "DDR",
    "east germany": "DDR",
    "south yemen": "YMD",
    "yugoslavia": "YUG",
    "czechoslovakia": "CSK",
    "soviet union": "SUN",
    "ussr": "SUN",
    "serbia and montenegro": "SCG",
}


@functools.lru_cache(maxsize=1)
def _coco_table() -> pd.DataFrame:
    import logging

    import country_converter as coco

    # country_converter logs a warning per unmatched name; hedgewatch raises its own errors.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    data = coco.CountryConverter().data
    if data["ISO2"].isna().any():  # pandas 3 reads Namibia's "NA" as missing
        data = data.copy()
        data.loc[data["ISO3"] == "NAM", "ISO2"] = "NA"
    return data


@functools.lru_cache(maxsize=1)
def _lookups() -> tuple[dict[str, str], dict[str, str], dict[int, str], dict[str, str]]:
    data = _coco_table()
    iso3 = {c: c for c in data["ISO3"]}
    iso3.update({c: c for c in HISTORICAL_NAMES})
    iso2 = dict(zip(data["ISO2"], data["ISO3"], strict=True))
    iso2.update(_ISO2_EXTRA)
    gw = data.dropna(subset=["GWcode"])
    cow = dict(zip(gw["GWcode"].astype(int), gw["ISO3"], strict=True))
    cow.update(_COW_FIXED)
    cow.update(_COW_BY_DATE)
    names = {n.lower(): c for n, c in zip(data["name_short"], data["ISO3"], strict=True)}
    names.update({n.lower(): c for n, c in zip(data["name_official"], data["ISO3"], strict=True)})
    names.update({v.lower(): k for k, v in HISTORICAL_NAMES.items()})
    names.update(_NAME_EXTRA)
    return iso3, iso2, cow, names


def historical_state(country: str, date: _dt.date | pd.Timestamp | None) -> str:
    """The state that held ``country``'s seat on ``date`` (e.g. ``RUS`` in 1980 -> ``SUN``)."""
    if date is None or pd.isna(date):
        return country
    d = pd.Timestamp(date).date()
    for last_day, state in _STATE_CHANGES.get(country, []):
        if d <= last_day:
            return state
    return country


def historical_states(countries: pd.Series, dates: pd.Series) -> pd.Series:
    """Vectorised :func:`historical_state` over aligned Series of codes and dates."""
    out = countries.astype(object).copy()
    dates = pd.to_datetime(dates)
    for country, changes in _STATE_CHANGES.items():
        mask = (countries == country).to_numpy()
        if not mask.any():
            continue
        lower = pd.Timestamp.min
        for last_day, state in changes:
            hi = pd.Timestamp(last_day)
            sel = mask & (dates > lower).to_numpy() & (dates <= hi).to_numpy()
            out[sel] = state
            lower = hi
    return out


def apply_successors(
    states: pd.Series | Iterable[str], successors: Mapping[str, str | None] | None = None
) -> pd.Series:
    """Map historical states to continuing countries (see module docs).

    ``successors`` replaces the default mapping entirely; a value of ``None`` keeps the state
    as its own country.
    """
    table = DEFAULT_SUCCESSORS if successors is None else successors
    s = pd.Series(states, dtype=object) if not isinstance(states, pd.Series) else states
    mapping = {k: v for k, v in table.items() if v}
    return s.map(lambda c: mapping.get(c, c)) if mapping else s.astype(object)


def merged_into(code: str, successors: Mapping[str, str | None] | None = None) -> str | None:
    """The continuing country a historical state's records are counted under, or None."""
    table = DEFAULT_SUCCESSORS if successors is None else successors
    return table.get(code) or None


def where_records_are(code: str, successors: Mapping[str, str | None] | None = None) -> str:
    """A sentence saying under which code a historical state's votes and speeches are counted
    (empty when ``code`` is counted as itself)."""
    into = merged_into(code, successors)
    if into is None:
        return ""
    rules = ", ".join(f"{k} -> {v}" for k, v in DEFAULT_SUCCESSORS.items())
    return (
        f"{code} ({name(code)}) is counted as {into} ({name(into)}), its continuing country, "
        f"under the successor rules ({rules}). Ask for {into}, or keep historical states "
        "apart (--historical on the command line, successors={} in the API)."
    )


def cow_to_iso3(codes: pd.Series, where: str = "") -> pd.Series:
    """Correlates of War numeric codes -> continuing-country ISO3 (raises on unknown codes)."""
    cow = _lookups()[2]
    uniq = pd.unique(codes)
    missing = [c for c in uniq if pd.isna(c) or int(c) not in cow]
    if missing:
        raise UnknownCountryError(
            missing[0], where=where, hint="It is not a Correlates of War state code."
        )
    table = {c: cow[int(c)] for c in uniq}
    return codes.map(table)


def iso2_to_iso3(codes: pd.Series, names: pd.Series | None = None, where: str = "") -> pd.Series:
    """ISO 3166 alpha-2 codes -> ISO3; a missing code falls back to the name, if given."""
    iso2, by_name = _lookups()[1], _lookups()[3]
    out = codes.map(iso2)
    if names is not None:
        gaps = out.isna()
        out[gaps] = names[gaps].str.lower().map(by_name)
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().to_numpy())[0])
        bad = (
            codes.iloc[i]
            if not pd.isna(codes.iloc[i])
            else (names.iloc[i] if names is not None else None)
        )
        raise UnknownCountryError(bad, where=f"{where}row {i + 1}" if where else f"row {i + 1}")
    return out


def resolve(value: object, *, where: str | None = None) -> str:
    """Resolve a user-given country (ISO3, ISO2, COW number or name) to an ISO3 code.

    Historical codes (``SUN``, ``YUG``, ...) are returned as given. Raises
    :class:`~hedgewatch.errors.UnknownCountryError` with close matches when nothing fits.

    Examples
    --------
    >>> resolve("North Korea"), resolve("kp"), resolve(731)
    ('PRK', 'PRK', 'PRK')
    >>> resolve("USSR")  # the state that voted; hedgewatch.votes() continues it as RUS
    'SUN'
    """
    iso3, iso2, cow, names = _lookups()
    if isinstance(value, int | np.integer):
        if int(value) in cow:
            return cow[int(value)]
        raise UnknownCountryError(value, where)
    text = str(value).strip()
    up = text.upper()
    if up in iso3:
        return up
    if len(up) == 2 and up in iso2:
        return iso2[up]
    if text.isdigit() and int(text) in cow:
        return cow[int(text)]
    if text.lower() in names:
        return names[text.lower()]
    import difflib

    close = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.75)
    hint = (
        "Did you mean "
        + ", ".join(dict.fromkeys(f"{name(names[c])} ({names[c]})" for c in close))
        + "?"
        if close
        else "Use an ISO3 code such as 'PRK', 'CHN', 'RUS', 'USA'."
    )
    raise UnknownCountryError(value, where, hint)


def name(code: str) -> str:
    """A short English name for an ISO3 or historical code."""
    if code in HISTORICAL_NAMES:
        return HISTORICAL_NAMES[code]
    data = _coco_table()
    hit = data.loc[data["ISO3"] == code, "name_short"]
    return str(hit.iloc[0]) if len(hit) else code


def country_table(codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Reference table: ``iso3, name, iso2, cow`` for the given codes (default: all known)."""
    iso3, iso2, cow, _ = _lookups()
    inv_cow: dict[str, int] = {}
    for k, v in sorted(cow.items()):
        inv_cow.setdefault(v, k)
    inv_iso2 = {v: k for k, v in iso2.items() if len(k) == 2}
    codes = sorted(set(codes) if codes is not None else set(iso3))
    return pd.DataFrame(
        {
            "iso3": codes,
            "name": [name(c) for c in codes],
            "iso2": [inv_iso2.get(c) for c in codes],
            "cow": pd.array([inv_cow.get(c) for c in codes], dtype="Int64"),
        }
    )


# ---------------------------------------------------------------------------------------
# CAMEO actor country codes (GDELT's Actor1CountryCode / Actor2CountryCode)
# ---------------------------------------------------------------------------------------
#: CAMEO country codes that are not the state's current ISO 3166-1 alpha-3 code. CAMEO
#: (Schrodt 2012) froze several codes of ISO 3166 as it stood in the 1990s; GDELT codes a few
#: territories by place. Every other state code in CAMEO *is* the ISO3 code.
CAMEO_STATES: dict[str, str] = {
    "ROM": "ROU",  # Romania (ISO changed ROM -> ROU in 2002)
    "TMP": "TLS",  # East Timor (ISO TMP -> TLS in 2002)
    "ZAR": "COD",  # Zaire, now the Democratic Republic of the Congo (ISO ZAR -> COD, 1997)
    "BUR": "MMR",  # Burma (ISO BUR -> MMR, 1989)
    "KOS": "XKX",  # Kosovo (no ISO code; XKX is the user-assigned code in common use)
    "WSB": "PSE",  # West Bank
    "GZS": "PSE",  # Gaza Strip
    "BAG": "IRQ",  # Baghdad
}

#: CAMEO codes for regions and groups of states: actors that are not one state. Events with
#: such an actor are not dyadic events between states; importers count and report them.
CAMEO_REGIONS: dict[str, str] = {
    "AFR": "Africa",
    "ASA": "Asia",
    "BLK": "Balkans",
    "CRB": "Caribbean",
    "CAU": "Caucasus",
    "CFR": "Central Africa",
    "CAS": "Central Asia",
    "CEU": "Central Europe",
    "EIN": "East Indies",
    "EAF": "Eastern Africa",
    "EEU": "Eastern Europe",
    "EUR": "Europe",
    "LAM": "Latin America",
    "MEA": "Middle East",
    "MDT": "Mediterranean",
    "NAF": "North Africa",
    "NMR": "North America",
    "PGS": "Persian Gulf",
    "SCN": "Scandinavia",
    "SAM": "South America",
    "SAS": "South Asia",
    "SEA": "Southeast Asia",
    "SAF": "Southern Africa",
    "WAF": "West Africa",
    "WST": "the West",
}

#: Kinds of CAMEO country code (see :func:`cameo_kinds`).
CAMEO_STATE, CAMEO_REGION, CAMEO_UNKNOWN = "state", "region", "unknown"


def cameo_to_iso3(codes: Iterable[str | None]) -> dict[str | None, str | None]:
    """Map CAMEO actor country codes to ISO3 codes: ``{code: iso3 or None}``.

    A code maps when it is an ISO3 code (or a historical one, see the module docs) or one of
    :data:`CAMEO_STATES`. Regions (:data:`CAMEO_REGIONS`), blanks and unknown codes map to
    ``None``; :func:`cameo_kinds` says which is which. Pass the *distinct* codes of a column
    (a few hundred at most) and map the column with the result.

    References
    ----------
    Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations: Event and Actor
    Codebook, version 1.1b3. Pennsylvania State University.
    """
    iso3 = _lookups()[0]
    out: dict[str | None, str | None] = {}
    for code in codes:
        key = code.strip().upper() if isinstance(code, str) else None
        if not key:
            out[code] = None
        elif key in CAMEO_STATES:
            out[code] = CAMEO_STATES[key]
        elif key in CAMEO_REGIONS:
            out[code] = None
        else:
            out[code] = key if key in iso3 else None
    return out


def cameo_kinds(codes: Iterable[str | None]) -> dict[str | None, str | None]:
    """The kind of each CAMEO country code: ``"state"``, ``"region"``, ``"unknown"``, or
    ``None`` for a blank (no country identified)."""
    mapped = cameo_to_iso3(codes)
    out: dict[str | None, str | None] = {}
    for code, iso in mapped.items():
        key = code.strip().upper() if isinstance(code, str) else ""
        if not key:
            out[code] = None
        elif iso is not None:
            out[code] = CAMEO_STATE
        elif key in CAMEO_REGIONS:
            out[code] = CAMEO_REGION
        else:
            out[code] = CAMEO_UNKNOWN
    return out


__all__ = [
    "CAMEO_REGIONS",
    "CAMEO_STATES",
    "DEFAULT_SUCCESSORS",
    "HISTORICAL_NAMES",
    "apply_successors",
    "cameo_kinds",
    "cameo_to_iso3",
    "country_table",
    "cow_to_iso3",
    "historical_state",
    "historical_states",
    "iso2_to_iso3",
    "name",
    "resolve",
]
