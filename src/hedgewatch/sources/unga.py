"""Readers for UN General Assembly roll-call data, each a pure function file -> tables.

Three layouts are read into one normalised form, :class:`VoteRecord`:

* Erik Voeten's published CSV (``UNVotes.csv`` on Harvard Dataverse, hdl:1902.1/12379):
  :func:`read_voeten`.
* The R package ``unvotes`` data files (``un_votes.rda``, ``un_roll_calls.rda``,
  ``un_roll_call_issues.rda``): :func:`read_unvotes`.
* The UN Dag Hammarskjöld Library "General Assembly Voting Data" CSV
  (``YYYY_MM_DD_ga_voting.csv``): :func:`read_undl`.

:func:`merge_records` joins the first two into one record without duplicating roll calls and
lists every conflict between them. Readers compute nothing beyond normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch.errors import DataFormatError, Problem, UnknownCountryError
from hedgewatch.sources._io import (
    ProblemCollector,
    latest_date,
    read_csv_strings,
    require_columns,
    require_rows,
    to_int,
)
from hedgewatch.sources.issues import ISSUE_CODES, tag_issues

ROLL_CALL_COLUMNS = [
    "rcid",
    "session",
    "date",
    "year",
    "resolution",
    "title",
    "description",
    "is_amendment",
    "is_paragraph",
    "important",
    "issues",
    "source",
]
VOTE_COLUMNS = ["rcid", "state", "country", "vote"]
VOTE_VALUES = ("yes", "abstain", "no", "absent")


@dataclass(frozen=True)
class VoteRecord:
    """Normalised roll calls and votes, plus the conflicts found while merging sources."""

    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    conflicts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["rcid", "field", "a", "b"])
    )

    def summary(self) -> dict[str, object]:
        rc = self.roll_calls
        cast = self.votes[self.votes["vote"] != "absent"]
        return {
            "sessions": int(rc["session"].nunique()),
            "roll_calls": len(rc),
            "votes": len(cast),
            "absences": int((self.votes["vote"] == "absent").sum()),
            "countries": int(self.votes["country"].nunique()),
            "first_date": rc["date"].min(),
            "last_date": rc["date"].max(),
        }


def _finish(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> VoteRecord:
    rc = roll_calls[ROLL_CALL_COLUMNS].sort_values(["date", "rcid"]).reset_index(drop=True)
    rc["rcid"] = rc["rcid"].astype("int64")
    rc["session"] = rc["session"].astype("int64")
    rc["year"] = rc["year"].astype("int64")
    for col in ("is_amendment", "is_paragraph", "important"):
        rc[col] = rc[col].astype("boolean")
    v = votes[VOTE_COLUMNS].sort_values(["rcid", "country"]).reset_index(drop=True)
    v["rcid"] = v["rcid"].astype("int64")
    return VoteRecord(rc, v)


def _check_range(df: pd.DataFrame, dates: pd.Series, bad: ProblemCollector) -> None:
    """Refuse votes dated before the first General Assembly or in the future."""
    early, late = dates < FIRST_VOTE, dates > latest_date()
    bad.add_mask(
        df, early, "date", f"date before the first General Assembly ({FIRST_VOTE:%Y-%m-%d})"
    )
    bad.add_mask(df, late, "date", f"date in the future (after {latest_date():%Y-%m-%d})")


#: The first General Assembly session opened on 10 January 1946.
FIRST_VOTE = pd.Timestamp("1946-01-01")


def _states(country: pd.Series, dates: pd.Series) -> pd.Series:
    return countries.historical_states(country.reset_index(drop=True), dates.reset_index(drop=True))


# ---------------------------------------------------------------------------------------
# Voeten's published CSV
# ---------------------------------------------------------------------------------------
VOETEN_COLUMNS = [
    "rcid",
    "session",
    "vote",
    "ccode",
    "member",
    "importantvote",
    "date",
    "unres",
    "me",
    "nu",
    "di",
    "hr",
    "co",
    "ec",
]
_VOETEN_VOTES = {"1": "yes", "2": "abstain", "3": "no", "8": "absent", "9": None}


def read_voeten(path: str | Path) -> VoteRecord:
    """Read Voeten's published UNGA vote CSV (``UNVotes.csv``, optionally gzipped).

    Layout: ``rcid, session, vote, ccode, member, importantvote, date, unres, me, nu, di, hr,
    co, ec[, year]``; vote 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member; ``ccode`` is the
    Correlates of War code; ``date`` is m/d/Y. Non-member rows (9) are not votes and are
    dropped. Empty issue flags mean "not coded" (the roll call gets no tags from this source).

    Raises
    ------
    DataFormatError
        Listing every bad row (up to 20 shown): wrong columns, unknown vote codes, bad dates,
        non-integer codes, unknown COW codes, duplicate (rcid, ccode) rows, bad bytes.

    References
    ----------
    Voeten, E., Strezhnev, A. & Bailey, M. (2009). United Nations General Assembly Voting Data.
    Harvard Dataverse, hdl:1902.1/12379.
    """
    df = read_csv_strings(path)
    require_columns(path, df, VOETEN_COLUMNS, "Voeten UNVotes")
    require_rows(path, df, "votes")
    bad = ProblemCollector(path)
    rcid, m = to_int(df["rcid"])
    bad.add_mask(df, m, "rcid", "rcid is not an integer")
    session, m = to_int(df["session"])
    bad.add_mask(df, m, "session", "session is not an integer")
    vote_code = df["vote"].str.strip().str.replace(r"\.0$", "", regex=True)
    bad.add_mask(
        df,
        ~vote_code.isin(list(_VOETEN_VOTES)),
        "vote",
        "unknown vote code (expected 1 yes, 2 abstain, 3 no, 8 absent, 9 non-member)",
    )
    ccode, m = to_int(df["ccode"])
    bad.add_mask(df, m, "ccode", "ccode is not an integer COW code")
    date_text = df["date"].str.strip()
    dates = pd.to_datetime(date_text, format="%m/%d/%Y", errors="coerce")
    bad.add_mask(df, dates.isna() & (date_text != ""), "date", "not a m/d/Y date")
    _check_range(df, dates, bad)
    known = set(countries._lookups()[2])
    bad.add_mask(df, ~ccode.isin(known) & ~m, "ccode", "unknown Correlates of War code")
    dup = pd.DataFrame({"r": rcid, "c": ccode}).duplicated(keep="first")
    bad.add_mask(df, dup, "ccode", "duplicate (rcid, ccode) row")
    bad.raise_if_any("Fix these rows (or re-download the file); nothing was imported.")

    vote = vote_code.map(_VOETEN_VOTES)
    cast = vote.notna()
    country = countries.cow_to_iso3(ccode[cast], where=str(path))
    votes = pd.DataFrame(
        {
            "rcid": rcid[cast].to_numpy(),
            "country": country.to_numpy(),
            "vote": vote[cast].to_numpy(),
            "date": dates[cast].to_numpy(),
        }
    )
    votes["state"] = _states(votes["country"], votes["date"]).to_numpy()

    first = ~rcid.duplicated()
    rc = pd.DataFrame(
        {
            "rcid": rcid[first].to_numpy(),
            "session": session[first].to_numpy(),
            "date": dates[first].to_numpy(),
            "resolution": df.loc[first, "unres"].str.strip().replace("", None).to_numpy(),
            "important": df.loc[first, "importantvote"]
            .str.strip()
            .map({"1": True, "0": False})
            .to_numpy(),
        }
    )
    flags = df.loc[first, list(ISSUE_CODES)].apply(lambda s: s.str.strip())
    rc["issues"] = [  # type: ignore[assignment]
        [c for c in ISSUE_CODES if row[c] == "1"]
        if all(row[c] != "" for c in ISSUE_CODES)
        else None
        for row in flags.to_dict("records")
    ]
    rc["year"] = pd.to_datetime(rc["date"]).dt.year.fillna(1945 + rc["session"]).astype(int)
    for col in ("title", "description"):
        rc[col] = None
    rc["is_amendment"] = None
    rc["is_paragraph"] = None
    rc["source"] = "voeten"
    return _finish(rc, votes)


# ---------------------------------------------------------------------------------------
# R unvotes data files
# ---------------------------------------------------------------------------------------
def _read_rda(path: Path, name: str) -> pd.DataFrame:
    import pyreadr

    if not path.exists():
        raise DataFormatError(
            path,
            "file not found",
            hint="The unvotes layout needs un_votes.rda, un_roll_calls.rda "
            "and un_roll_call_issues.rda in one folder.",
        )
    try:
        frames = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError / PyreadrError
        raise DataFormatError(path, f"not a readable R data file ({exc})") from exc
    if name not in frames:
        raise DataFormatError(path, f"holds {list(frames)} but not the object {name!r}")
    return frames[name]


def read_unvotes(folder: str | Path) -> VoteRecord:
    """Read the R ``unvotes`` data files from a folder (or the path of any one of them).

    ``un_votes``: ``rcid, country, country_code (ISO2), vote`` (yes/no/abstain; absences and
    non-members are not in this source). ``un_roll_calls``: ``rcid, session, importantvote,
    date, unres, amend, para, short, descr``. ``un_roll_call_issues``: ``rcid, short_name,
    issue``. Three states have no ISO2 code in the data (Yemen Arab Republic, Federal
    Republic of Germany, Zanzibar) and are resolved by name.

    References
    ----------
    Robinson, D. (2021). unvotes: United Nations General Assembly Voting Data. R package,
    after Voeten, Strezhnev & Bailey (2009).
    """
    folder = Path(folder)
    if folder.is_file():
        folder = folder.parent
    v = _read_rda(folder / "un_votes.rda", "un_votes")
    r = _read_rda(folder / "un_roll_calls.rda", "un_roll_calls")
    i = _read_rda(folder / "un_roll_call_issues.rda", "un_roll_call_issues")
    vpath = folder / "un_votes.rda"
    require_columns(vpath, v, ["rcid", "country", "country_code", "vote"], "unvotes un_votes")
    require_columns(
        folder / "un_roll_calls.rda",
        r,
        ["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"],
        "unvotes un_roll_calls",
    )
    require_columns(
        folder / "un_roll_call_issues.rda", i, ["rcid", "short_name"], "unvotes un_roll_call_issues"
    )

    require_rows(vpath, v, "votes")
    require_rows(folder / "un_roll_calls.rda", r, "roll calls")
    bad = ProblemCollector(vpath, line_offset=1)
    vote = v["vote"].astype(str)
    bad.add_mask(
        v, ~vote.isin(["yes", "no", "abstain"]), "vote", "unknown vote (expected yes/no/abstain)"
    )
    rcid = pd.to_numeric(v["rcid"], errors="coerce")
    bad.add_mask(v, rcid.isna(), "rcid", "rcid is not a number")
    dup = v.assign(r=rcid).duplicated(["r", "country"])
    bad.add_mask(v, dup, "country", "duplicate (rcid, country) row")
    bad.raise_if_any("Fix these rows; nothing was imported.")
    try:
        iso3 = countries.iso2_to_iso3(
            v["country_code"], v["country"].astype(str), where=f"{vpath}: "
        )
    except UnknownCountryError as exc:
        raise DataFormatError(vpath, str(exc)) from exc

    rbad = ProblemCollector(folder / "un_roll_calls.rda", line_offset=1)
    rdates = pd.to_datetime(r["date"], errors="coerce")
    rbad.add_mask(r, rdates.isna(), "date", "not a date")
    rbad.raise_if_any("Fix these rows; nothing was imported.")

    tags = (
        i.assign(rcid=i["rcid"].astype("int64"), short_name=i["short_name"].astype(str))
        .groupby("rcid")["short_name"]
        .agg(lambda s: sorted(set(s), key=ISSUE_CODES.index))
    )
    rc = pd.DataFrame(
        {
            "rcid": r["rcid"].astype("int64"),
            "session": r["session"].astype("int64"),
            "date": rdates,
            "resolution": repair_symbols(
                r["unres"].astype(object).where(r["unres"].notna(), None),  # type: ignore[call-overload]
                r["session"],
            ),
            "title": repair_text(r["short"].astype(object)).str.strip(),
            "description": repair_text(r["descr"].astype(object)).str.strip(),
            "is_amendment": r["amend"].map({"1": True, "0": False, 1: True, 0: False}),
            "is_paragraph": r["para"].map({"1": True, "0": False, 1: True, 0: False}),
            "important": r["importantvote"].map({"1": True, "0": False, 1: True, 0: False}),
        }
    )
    rc["year"] = rc["date"].dt.year
    rc["issues"] = rc["rcid"].map(tags)
    rc["issues"] = [x if isinstance(x, list) else [] for x in rc["issues"]]
    rc["source"] = "unvotes"

    iso3 = countries.apply_successors(iso3)
    votes = pd.DataFrame(
        {"rcid": rcid.astype("int64"), "country": iso3.to_numpy(), "vote": vote.to_numpy()}
    )
    votes = votes.merge(rc[["rcid", "date"]], on="rcid", how="left")
    votes["state"] = _states(votes["country"], votes["date"]).to_numpy()
    return _finish(rc, votes)


# Text damage in the unvotes release (un_roll_calls.rda, 2020). The descriptions were
# converted from a Mac-encoded source by R, which wrote the bytes it could not convert as the
# text "<d3>" (a closing double quote, MacRoman 0xD3) or "<90>" (an apostrophe), and turned
# the opening quote, dashes and the accented letters of two names into "_": "entitled
# _Transparency in armaments<d3>." (208 descriptions). Five titles and descriptions carry
# double-encoded UTF-8 after a lost byte ("People?Ã†s").
# No general mojibake fixer can restore bytes written out as text or lost, so the repairs are
# this explicit table, checked against the staged file in tests/sources.
_R_ESCAPES = {"d2": "\u201c", "d3": "\u201d", "d4": "\u2018", "d5": "\u2019", "90": "\u2019"}
_R_ESCAPE = re.compile(r"<(" + "|".join(_R_ESCAPES) + r")>")
_OPEN_QUOTE = re.compile(r"(^|[\s(\[])_(?=\w)")  # its closing quote is "<d3>" or was lost
_GLUED_QUOTE = re.compile(r"\bentitled_(?=\w)")  # "entitled_Towards": the space went too
_DASH = re.compile(r"(?<=\s)_(?=\s)")  # " _ " was a dash
_LOST_BYTE = {
    "Brice_o": "Brice\u00f1o",  # two speakers' names, whose accented letters became "_"
    "Gonz_lez S_nchez": "Gonz\u00e1lez S\u00e1nchez",
    "?\u00c3\u0192\u00e2\u20ac\u00a0": "\u2019",  # People?Ãƒâ€ s -> People's
    "?\u00c3\u2020": "\u2019",  # People?Ã†s -> People's
    "D?\u00c3\u0192\u00c2\u00abTENTE": "D\u00c9TENTE",  # D?ÃƒÂ«TENTE -> DÉTENTE
    "?\u00c3\u0192\u00c2\u00a1": "",  # a stray leading byte before INTERNATIONAL TRADE
    "\u00c2\u00a0": " ",  # Â + no-break space -> space
}


def repair_text(s: pd.Series) -> pd.Series:
    """Undo the text damage of the unvotes roll-call file (see the table above): R's byte
    escapes become the quotes they stood for, double-encoded characters their originals."""
    out = s.astype(object)
    text = out.dropna().astype(str)
    for bad, good in _LOST_BYTE.items():
        text = text.str.replace(bad, good, regex=False)
    text = text.str.replace(_GLUED_QUOTE, "entitled \u201c", regex=True)
    text = text.str.replace(_OPEN_QUOTE, lambda m: m.group(1) + "\u201c", regex=True)
    text = text.str.replace(_DASH, "\u2014", regex=True)
    text = text.str.replace(_R_ESCAPE, lambda m: _R_ESCAPES[m.group(1)], regex=True)
    out.loc[text.index] = text
    return out


def repair_symbols(symbols: pd.Series, sessions: pd.Series) -> pd.Series:
    """Resolution symbols whose session part is impossible (above 200) and reads as the roll
    call's session with one digit doubled are corrected: ``R/677/46`` of session 67 is
    ``R/67/46`` (rcid 5924, "Decreasing the operational readiness of nuclear weapons
    systems", A/RES/67/46)."""
    out = symbols.astype(object).copy()
    for i, (sym, sess) in enumerate(zip(symbols, sessions, strict=True)):
        m = re.match(r"^(R/|A/RES/)(\d+)(/.*)$", str(sym)) if sym is not None else None
        if m is None or pd.isna(sess) or int(m.group(2)) <= 200:
            continue
        digits, want = m.group(2), str(int(sess))
        undoubled = {
            digits[:k] + digits[k + 1 :]
            for k in range(1, len(digits))
            if digits[k] == digits[k - 1]
        }
        if want in undoubled:
            out.iloc[i] = f"{m.group(1)}{want}{m.group(3)}"
    return out


# ---------------------------------------------------------------------------------------
# UN Digital Library "General Assembly Voting Data" CSV
# ---------------------------------------------------------------------------------------
#: The documented header (file of 6 February 2026); the 31 March 2025 file lacks vote_note.
UNDL_COLUMNS = [
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "session",
    "resolution",
    "draft",
    "committee_report",
    "meeting",
    "title",
    "agenda_title",
    "subjects",
    "vote_note",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "undl_link",
]
#: The one place the UNDL layout maps to hedgewatch's columns.
UNDL_MAPPING = {
    "undl_id": "rcid",
    "ms_code": "state",
    "ms_vote": "vote",
    "date": "date",
    "session": "session",
    "resolution": "resolution",
    "title": "title",
    "agenda_title": "description",
}


def _session_number(text: pd.Series, dates: pd.Series) -> pd.Series:
    """Regular session numbers; an emergency session ('ES-10') gets the regular session
    running on its date (sessions open in September: year - 1945, else year - 1946)."""
    num = pd.to_numeric(text, errors="coerce")
    by_date = np.where(dates.dt.month >= 9, dates.dt.year - 1945, dates.dt.year - 1946)
    return num.fillna(pd.Series(by_date, index=text.index)).astype("int64")


def read_undl(path: str | Path) -> VoteRecord:
    """Read the UN Digital Library "General Assembly Voting Data" CSV.

    One row per member state per adopted resolution. ``ms_vote`` Y/N/A, and X or empty for
    non-voting (kept as ``absent``). Only adopted resolutions appear, so there are no
    amendment or paragraph votes. Roll-call ids, member codes and titles follow the rules
    shared by every Library layout (:mod:`hedgewatch.sources._library`): ``rcid`` is
    ``10^9 + undl_id``; issue tags are derived from titles and subjects by
    :func:`~hedgewatch.sources.issues.tag_issues`. An unknown header is refused, printing the
    header found.
    """
    from hedgewatch.sources._library import (
        VOTE_LETTERS,
        clean_titles,
        known_codes,
        library_rcid,
        member_states,
    )

    df = read_csv_strings(path)
    required = [c for c in UNDL_COLUMNS if c != "vote_note"]
    if list(df.columns) not in (UNDL_COLUMNS, required):
        require_columns(path, df, required, "UN Digital Library GA voting")
    require_rows(path, df, "votes")
    bad = ProblemCollector(path)
    rcid, m = to_int(df["undl_id"])
    bad.add_mask(df, m, "undl_id", "undl_id is not an integer")
    vote = df["ms_vote"].str.strip().str.upper()
    bad.add_mask(
        df, ~vote.isin(list(VOTE_LETTERS)), "ms_vote", "unknown vote (expected Y, N, A, X or empty)"
    )
    dates = pd.to_datetime(df["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad.add_mask(df, dates.isna(), "date", "not an ISO date (YYYY-MM-DD)")
    _check_range(df, dates, bad)
    code = df["ms_code"].str.strip().str.upper()
    bad.add_mask(df, ~code.isin(known_codes()), "ms_code", "unknown ISO3 member-state code")
    dup = pd.DataFrame({"r": rcid, "c": code}).duplicated()
    bad.add_mask(df, dup, "ms_code", "duplicate (undl_id, ms_code) row")
    bad.raise_if_any("Fix these rows (or re-download the file); nothing was imported.")

    rcid = library_rcid(rcid)
    votes = pd.DataFrame(
        {"rcid": rcid, "state": member_states(code, dates), "vote": vote.map(VOTE_LETTERS)}
    )
    votes["country"] = countries.apply_successors(votes["state"]).to_numpy()
    first = ~rcid.duplicated()
    d = df[first]
    rc = pd.DataFrame(
        {
            "rcid": rcid[first].to_numpy(),
            "session": _session_number(d["session"], dates[first]).to_numpy(),
            "date": dates[first].to_numpy(),
            "resolution": d["resolution"].str.strip().to_numpy(),
            "title": clean_titles(d["title"]).to_numpy(),
            "description": d["agenda_title"].str.strip().to_numpy(),
        }
    )
    rc["year"] = rc["date"].dt.year
    rc["is_amendment"] = False
    rc["is_paragraph"] = False
    rc["important"] = None
    text = (d["title"] + " " + d["agenda_title"]).to_numpy()
    rc["issues"] = tag_issues(pd.Series(text), pd.Series(d["subjects"].to_numpy()))
    rc["source"] = "undl"
    return _finish(rc, votes)


# ---------------------------------------------------------------------------------------
# Merging the two staged sources
# ---------------------------------------------------------------------------------------
def merge_records(voeten: VoteRecord, unvotes: VoteRecord) -> VoteRecord:
    """Merge Voeten's CSV and the ``unvotes`` files into one record without duplicates.

    Roll calls are matched on ``rcid`` only after checking that date and resolution symbol
    agree; a roll call whose date or symbol disagree is reported in ``conflicts`` and kept
    with the ``unvotes`` metadata (the newer release). Titles, descriptions and amendment /
    paragraph flags come from ``unvotes``; issue flags and the important-vote flag from
    Voeten where coded, else from ``unvotes``. Votes: the ``unvotes`` yes/no/abstain rows,
    plus Voeten's rows that ``unvotes`` lacks (absences, and any vote missing there); where
    both give a different vote for one country on one roll call, ``unvotes`` is kept and the
    disagreement is reported.
    """
    a, b = voeten.roll_calls, unvotes.roll_calls
    both = a.merge(b, on="rcid", suffixes=("_v", "_u"))
    conflicts: list[tuple[Any, ...]] = []
    dd = both["date_v"].notna() & (both["date_v"] != both["date_u"])
    for r in both[dd].itertuples():
        conflicts.append((r.rcid, "date", str(r.date_v.date()), str(r.date_u.date())))  # type: ignore[union-attr]
    res_v = both["resolution_v"].fillna("").str.replace(" ", "")
    res_u = both["resolution_u"].fillna("").str.replace(" ", "")
    rd = res_v != res_u
    for r in both[rd].itertuples():
        conflicts.append((r.rcid, "resolution", r.resolution_v, r.resolution_u))

    rc = b.set_index("rcid").copy()
    av = a.set_index("rcid")
    common = rc.index.intersection(av.index)
    coded = av.loc[common, "issues"].map(lambda x: x is not None)
    take = coded[coded].index
    rc.loc[take, "issues"] = av.loc[take, "issues"]
    imp = av.loc[common, "important"].dropna().index
    rc.loc[imp, "important"] = av.loc[imp, "important"]
    only_v = av.index.difference(rc.index)
    extra = av.loc[only_v].copy()
    extra["issues"] = [x if x is not None else [] for x in extra["issues"]]
    rc = pd.concat([rc, extra]).reset_index()
    rc["source"] = np.where(rc["rcid"].isin(common), "voeten+unvotes", rc["source"])
    rc["important"] = rc["important"].map(lambda x: bool(x) if pd.notna(x) else False)

    va, vb = voeten.votes, unvotes.votes
    key = ["rcid", "country"]
    j = va.merge(vb, on=key, how="left", suffixes=("", "_u"), indicator=True)
    diff = (j["_merge"] == "both") & (j["vote"] != j["vote_u"]) & (j["vote"] != "absent")
    for r in j[diff].head(1000).itertuples():
        conflicts.append((r.rcid, f"vote:{r.country}", r.vote, r.vote_u))
    if diff.sum() > 1000:
        conflicts.append((-1, "vote", f"{int(diff.sum()) - 1000} more", ""))
    add = j.loc[j["_merge"] == "left_only", VOTE_COLUMNS]
    votes = pd.concat([vb[VOTE_COLUMNS], add], ignore_index=True)
    record = _finish(rc, votes)
    return VoteRecord(
        record.roll_calls,
        record.votes,
        pd.DataFrame(conflicts, columns=["rcid", "field", "a", "b"]),
    )


#: Every layout :func:`detect_format` tells apart (the ``--format`` names of ``data import``).
FORMATS = ("voeten", "unvotes", "undl", "undl-long", "undl-wide", "vetoes", "bridges")


def _header(path: Path) -> list[str]:
    """The column names of a CSV (gzip or not) or Parquet file, read from its first bytes."""
    from hedgewatch.sources.undl_long import is_parquet

    if not path.exists():
        raise DataFormatError(path, "file not found", hint="Check the path.")
    if is_parquet(path):
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow's ArrowInvalid on a damaged file
            raise DataFormatError(
                path,
                f"not a readable Parquet file ({exc})",
                hint="Download the file again; nothing was imported.",
            ) from exc
    import gzip

    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as fh:
            first = fh.readline(1 << 20)
    except (OSError, EOFError) as exc:
        raise DataFormatError(path, f"the gzip stream is truncated or corrupt ({exc})") from exc
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            path,
            [Problem(f"bytes that are not UTF-8 at column {exc.start + 1}", line=1)],
            hint="Re-save the file as UTF-8, or pass --format if it is Parquet.",
        ) from exc
    import csv

    return [c.strip() for c in next(csv.reader([line.strip()]), [])]


def detect_format(path: str | Path) -> str:
    """Guess the layout of an input from its header (one of :data:`FORMATS`; raises if
    unsure). Parquet files are recognised by their magic bytes."""
    p = Path(path)
    if p.is_dir() or p.suffix == ".rda":
        return "unvotes"
    cols = _header(p)
    low = {c.lower() for c in cols}
    if {"rcid1", "rcid2"} <= low:
        return "bridges"
    if "ms_vote" in low or cols[:1] == ["undl_id"]:
        official = [c for c in UNDL_COLUMNS if c != "vote_note"]
        return "undl" if cols in (UNDL_COLUMNS, official) else "undl-long"
    if {"Resolution", "Link"} <= set(cols) or "YES COUNT" in cols:
        return "undl-wide"
    if {"draft", "member_veto1"} <= low:
        return "vetoes"
    if {"rcid", "ccode", "vote"} <= low:
        return "voeten"
    head = ",".join(cols)
    raise DataFormatError(
        p,
        [Problem(f"unrecognised header {head[:200]!r}", line=1)],
        hint="Pass --format " + "|".join(FORMATS) + ".",
    )


READERS = {"voeten": read_voeten, "unvotes": read_unvotes, "undl": read_undl}
