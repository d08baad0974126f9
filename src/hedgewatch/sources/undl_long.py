"""Reader for UN Digital Library vote records in the long layout, scraped (Parquet or CSV).

One row per member state per adopted resolution, General Assembly and Security Council
together: ``body, undl_id, resolution, date, date_raw, title, subjects, ms_code, ms_name,
ms_name_raw, ms_vote, total_yes, total_no, total_abstentions, total_absent,
total_non_voting, total_ms, undl_link, source`` (the staged
``undl_votes_scraped_1946_2021_2025.parquet``). Only ``undl_id, resolution, date, ms_code,
ms_vote`` are required; ``body`` is required when the file mixes GA and SC symbols.

Rules (the shared ones - ids, sessions, codes, titles - are in
:mod:`hedgewatch.sources._library`):

* ``ms_vote`` is ``Y``, ``N``, ``A``, ``X`` or empty (non-voting, kept as ``absent``); any
  other value is refused, as is an unknown member code.
* A row with an empty ``ms_code`` is resolved by its member name; a row whose member cannot be
  identified at all (the scrape has one, named "DONOTKNOW") is set aside with a note - its
  vote cannot be anyone's.
* ``date`` empty but ``date_raw`` a year (the scrape has two such resolutions): the roll call
  keeps an empty date and that year; it is matched to the held record by its symbol.
* Stated totals: where ``total_abstentions`` is empty, ``total_absent`` is taken as the
  abstentions - the scrape of 1946-2021 stores them there (equal on all 7,855 records).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch.errors import DataFormatError, Problem, UnknownCountryError
from hedgewatch.sources._io import ProblemCollector, read_csv_strings, require_columns
from hedgewatch.sources._library import (
    VOTE_LETTERS,
    body_of,
    clean_titles,
    known_codes,
    member_states,
)
from hedgewatch.sources.records import LibraryRecord, assemble

#: Columns the long layout must have.
REQUIRED = ["undl_id", "resolution", "date", "ms_code", "ms_vote"]
_BODIES = {"GA": "GA", "SC": "SC", "GENERAL ASSEMBLY": "GA", "SECURITY COUNCIL": "SC"}
PARQUET_MAGIC = b"PAR1"


def is_parquet(path: str | Path) -> bool:
    """True if the file starts with Parquet's magic bytes."""
    with open(path, "rb") as fh:
        return fh.read(4) == PARQUET_MAGIC


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text, missing as '' (what the CSV reader gives), dates as ISO."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
    return pd.DataFrame(out, index=frame.index)


def factor(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, values)``: each row's position among the distinct values, and those values
    as stripped text ('' for missing). String work then runs once per distinct value."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    values = pd.Series(np.asarray(uniques, dtype=object))
    values = values.where(values.notna(), "").astype(str).str.strip()
    return codes, values.to_numpy(dtype=object)


def read_table(path: str | Path, columns: list[str] | None = None) -> tuple[pd.DataFrame, int]:
    """The file as a frame (Parquet: its own types; CSV: text), and the line of its first row
    (2 for CSV, whose header is line 1; 1 for Parquet, whose rows are numbered from 1)."""
    path = Path(path)
    if not path.exists():
        raise DataFormatError(path, "file not found", hint="Check the path.")
    if is_parquet(path):
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
            use = [c for c in names if columns is None or c in columns]
            frame = pd.read_parquet(path, columns=use)
        except Exception as exc:  # pyarrow raises ArrowInvalid / OSError on a bad file
            raise DataFormatError(
                path, f"not a readable Parquet file ({exc})", hint="Download it again."
            ) from exc
        if not use:
            frame = pd.DataFrame(columns=names)
        return frame, 1
    frame = read_csv_strings(path)
    return frame, 2


_RECORD_COLUMNS = [
    "body",
    "resolution",
    "date",
    "date_raw",
    "title",
    "subjects",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_absent",
    "total_non_voting",
    "total_ms",
    "undl_link",
    "source",
]
_ROW_COLUMNS = ["undl_id", "ms_code", "ms_name", "ms_name_raw", "ms_vote"]


def read_undl_long(path: str | Path) -> LibraryRecord:
    """Read Library vote records in the long layout (Parquet or CSV; GA and SC).

    Returns
    -------
    LibraryRecord
        The Assembly roll calls and votes, the Council resolutions and votes, the checks of
        the stated totals, and notes on rows set aside.

    Raises
    ------
    DataFormatError
        Listing every bad row (up to 20): missing columns (the header found is printed),
        unknown vote strings, unknown member codes, bad dates or ids, a ``body`` that is
        neither GA nor SC, GA and SC rows mixed without ``body``, a record naming two
        resolutions, duplicated resolution rows. Nothing is imported.
    """
    df, first_line = read_table(path, _RECORD_COLUMNS + _ROW_COLUMNS)
    require_columns(path, df, REQUIRED, "UN Digital Library long (scraped)")
    bad = ProblemCollector(path, line_offset=first_line)
    lines = np.arange(len(df)) + first_line

    undl_id, id_bad = _ids(df["undl_id"])
    bad.add_mask(df, id_bad, "undl_id", "undl_id is not an integer record number")
    vcodes, vvalues = factor(df["ms_vote"])
    vvalues = np.array([v.upper() for v in vvalues], dtype=object)
    bad.add_mask(
        df,
        ~np.isin(vvalues, list(VOTE_LETTERS))[vcodes],
        "ms_vote",
        "unknown vote (expected Y, N, A, X or empty)",
    )
    ccodes, cvalues = factor(df["ms_code"])
    cvalues = np.array([c.upper() for c in cvalues], dtype=object)
    known = known_codes()
    unknown = np.array([c != "" and c not in known for c in cvalues], dtype=bool)
    bad.add_mask(
        df,
        unknown[ccodes],
        "ms_code",
        "unknown member-state code (expected ISO3, or a historical code such as SUN or YUG)",
    )
    first = ~pd.Series(undl_id).duplicated().to_numpy()
    rec = _strings(df.loc[first, [c for c in _RECORD_COLUMNS if c in df.columns]])
    rec_lines = lines[first]
    body = _body(path, rec, rec_lines, bad)
    dates, year = _dates(rec, rec_lines, bad)
    _same_record(df, undl_id, first, lines, bad)
    bad.raise_if_any("Fix these rows (or re-download the file); nothing was imported.")

    notes: list[str] = []
    code = pd.Series(cvalues[ccodes], index=df.index)
    code = _fill_codes(df, code, lines, notes)
    keep = (code != "").to_numpy()
    record_of = pd.Series(np.flatnonzero(first), index=undl_id[first]).reindex(undl_id).to_numpy()
    row_dates = pd.Series(dates.to_numpy(), index=df.index[first]).reindex(df.index[record_of])
    votes = pd.DataFrame(
        {
            "line": lines,
            "undl_id": undl_id,
            "state": member_states(code, row_dates.reset_index(drop=True)).to_numpy(),
            "vote": pd.Series(vvalues[vcodes]).map(VOTE_LETTERS).to_numpy(),
        }
    )[keep]
    records = pd.DataFrame(
        {
            "line": rec_lines,
            "body": body.to_numpy(),
            "undl_id": undl_id[first],
            "resolution": rec["resolution"].replace("", None).to_numpy(),
            "date": dates.to_numpy(),
            "year": year.to_numpy(),
            "title": clean_titles(rec["title"]).to_numpy() if "title" in rec else None,
            "subjects": rec["subjects"].replace("", None).to_numpy() if "subjects" in rec else None,
            **{k: v.to_numpy() for k, v in _totals(rec).items()},
            "link": rec["undl_link"].replace("", None).to_numpy() if "undl_link" in rec else None,
            "source": rec["source"].replace("", None).to_numpy() if "source" in rec else None,
        }
    )
    return assemble(path, records, votes, notes)


def _ids(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_integer_dtype(s):
        bad = s.isna().to_numpy()
        return s.fillna(-1).to_numpy(dtype="int64"), bad
    codes, values = factor(s)
    num = pd.to_numeric(pd.Series(values), errors="coerce")
    bad = (num.isna() | (num % 1 != 0)).to_numpy()
    return num.fillna(-1).astype("int64").to_numpy()[codes], bad[codes]


def _same_record(
    df: pd.DataFrame,
    undl_id: np.ndarray,
    first: np.ndarray,
    lines: np.ndarray,
    bad: ProblemCollector,
) -> None:
    """Every row of a record names the record's resolution and date."""
    pos_of = pd.Series(np.flatnonzero(first), index=undl_id[first])
    home = pos_of.reindex(undl_id).to_numpy()
    for col in ("resolution", "date"):
        codes, _ = pd.factorize(df[col], use_na_sentinel=False)
        differs = codes != codes[home]
        bad.add_mask(
            df,
            differs,
            col,
            f"this row of record gives another {col} than the record's first row "
            "(one undl_id, two resolutions)",
            lines=lines,
        )


def _body(
    path: str | Path, rec: pd.DataFrame, lines: np.ndarray, bad: ProblemCollector
) -> pd.Series:
    if "body" in rec.columns:
        body = rec["body"].str.upper().map(_BODIES)
        bad.add_mask(rec, body.isna(), "body", "body must be GA or SC", lines=lines)
        return body.fillna("GA")
    body = body_of(rec["resolution"])
    if (body == "GA").any() and (body == "SC").any():
        first_ga = int(lines[np.flatnonzero(body == "GA")[0]])
        first_sc = int(lines[np.flatnonzero(body == "SC")[0]])
        raise DataFormatError(
            path,
            [
                Problem(
                    "General Assembly (A/...) and Security Council (S/...) rows are mixed "
                    f"and the file has no 'body' column (first GA row line {first_ga}, first "
                    f"SC row line {first_sc})",
                    column="body",
                )
            ],
            hint="Add a 'body' column (GA or SC) or split the file by body; nothing was imported.",
        )
    return body.replace("", "GA")


def _dates(
    rec: pd.DataFrame, lines: np.ndarray, bad: ProblemCollector
) -> tuple[pd.Series, pd.Series]:
    text = rec["date"].str.slice(0, 10)
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    raw = rec["date_raw"] if "date_raw" in rec else pd.Series("", index=rec.index)
    year_only = dates.isna() & raw.str.fullmatch(r"\d{4}")
    bad.add_mask(
        rec,
        dates.isna() & ~year_only,
        "date",
        "not an ISO date (YYYY-MM-DD), and date_raw gives no year",
        lines=lines,
    )
    year = dates.dt.year.fillna(pd.to_numeric(raw.where(year_only), errors="coerce"))
    return dates, year.fillna(0).astype("int64")


def _fill_codes(
    df: pd.DataFrame, code: pd.Series, lines: np.ndarray, notes: list[str]
) -> pd.Series:
    """Empty codes resolved by the member's name; rows with no identifiable member noted."""
    empty = (code == "").to_numpy()
    if not empty.any():
        return code
    code = code.copy()
    names = next((df[c] for c in ("ms_name", "ms_name_raw") if c in df), None)
    for i in np.flatnonzero(empty).tolist():
        raw = names.iloc[i] if names is not None else None
        name = "" if raw is None or pd.isna(raw) else str(raw).strip()
        try:
            code.iloc[i] = countries.resolve(name) if name else ""
        except UnknownCountryError:
            code.iloc[i] = ""
        if code.iloc[i] == "":
            notes.append(
                f"line {lines[i]}: a vote ({df['ms_vote'].iloc[i]!r}) on record "
                f"{df['undl_id'].iloc[i]} whose member has no code and no known name "
                f"({name!r}) was set aside"
            )
    return code


def _totals(rec: pd.DataFrame) -> dict[str, pd.Series]:
    def num(col: str) -> pd.Series:
        if col not in rec:
            return pd.Series(np.nan, index=rec.index)
        return pd.to_numeric(rec[col], errors="coerce")

    abstentions = num("total_abstentions").fillna(num("total_absent"))
    return {
        "total_yes": num("total_yes"),
        "total_no": num("total_no"),
        "total_abstentions": abstentions,
        "total_non_voting": num("total_non_voting"),
        "total_ms": num("total_ms"),
    }
