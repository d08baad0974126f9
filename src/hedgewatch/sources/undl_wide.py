"""Reader for UN Digital Library vote records in the wide layout public scrapers publish.

One row per resolution, General Assembly and Security Council together (e.g.
data-driven-decision-lab/un-digital-library-scraper,
``pipeline_output/UN_VOTING_DATA_RAW_WITH_TAGS_2025-06-01.csv``)::

    id, Council, Date, Title, Resolution, country, subregion, continent, tags,
    TOTAL VOTES, NO-VOTE COUNT, ABSTAIN COUNT, NO COUNT, YES COUNT, Link, token,
    Scrape_Year, AFG, AGO, ..., ZWE

then one column per member state (ISO3 header) with ``YES``, ``NO``, ``ABSTAIN`` or empty.

Rules:

* The record number (and so the roll-call id, see :mod:`hedgewatch.sources._library`) is the
  number in ``Link`` (``.../record/4025240``); a row without one is refused.
* Member columns are the columns whose header is a member code; a three-letter upper-case
  header that is not a known code is refused, and so is a header with no member column.
* A cell other than YES / NO / ABSTAIN / empty is refused. An empty cell is not a vote: the
  layout does not tell absence from non-membership, so only cast votes are read.
* Only today's members have a column: the USSR, Yugoslavia, Czechoslovakia, the two
  Germanys' and Yemens' former states vote in no cell. Their votes are in the held record
  (Voeten's), which these rows are matched to on import.
* ``Council`` (``General Assembly`` / ``Security Council``) gives the body; ``tags`` are the
  Library's subject terms. Stated totals (``YES COUNT``, ``NO COUNT``, ``ABSTAIN COUNT``) are
  checked against the cells; rows that disagree are reported (file, line, resolution), not
  refused - every row before 1992 that counts a Soviet vote disagrees by construction.
* Two rows with one record number are refused (a duplicated resolution).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch.errors import DataFormatError, Problem
from hedgewatch.sources._io import ProblemCollector, read_csv_strings, require_columns
from hedgewatch.sources._library import (
    body_of,
    clean_titles,
    known_codes,
    member_states,
    record_number,
)
from hedgewatch.sources.records import LibraryRecord, assemble

#: The columns before the member columns (those a reader needs are in :data:`REQUIRED`).
META_COLUMNS = [
    "id",
    "Council",
    "Date",
    "Title",
    "Resolution",
    "country",
    "subregion",
    "continent",
    "tags",
    "TOTAL VOTES",
    "NO-VOTE COUNT",
    "ABSTAIN COUNT",
    "NO COUNT",
    "YES COUNT",
    "Link",
    "token",
    "Scrape_Year",
]
REQUIRED = ["Date", "Resolution", "Link"]
_CELLS = {"YES": "yes", "NO": "no", "ABSTAIN": "abstain", "": None}
_BODIES = {"GENERAL ASSEMBLY": "GA", "SECURITY COUNCIL": "SC", "GA": "GA", "SC": "SC"}
_CODE_HEADER = re.compile(r"^[A-Z]{3}$")


def member_columns(path: str | Path, columns: list[str]) -> list[str]:
    """The member-state columns of a wide header; raises if none, or if one is unknown."""
    codes = [c for c in columns if c not in META_COLUMNS and _CODE_HEADER.match(c.strip())]
    known = known_codes()
    unknown = [c for c in codes if c.strip() not in known]
    if unknown:
        raise DataFormatError(
            path,
            [Problem("unknown member-state code in the header", 1, c, c) for c in unknown[:20]],
            total=len(unknown),
            hint="Member columns must be ISO3 codes (or historical codes such as SUN); "
            "rename or remove them. Nothing was imported.",
        )
    if not codes:
        raise DataFormatError(
            path,
            [Problem("the header has no member-state columns (ISO3 codes such as AFG ... ZWE)", 1)],
            hint="The wide layout needs one column per member after the resolution columns; "
            f"the header found is: {','.join(columns)}. Pass --format to choose another "
            "layout.",
        )
    return codes


def read_undl_wide(path: str | Path) -> LibraryRecord:
    """Read Library vote records in the wide layout (one row per resolution).

    Returns
    -------
    LibraryRecord
        Assembly and Council records; ``checks`` lists every row whose YES / NO / ABSTAIN
        cells disagree with its stated counts (file, line, resolution, column, counted,
        stated).

    Raises
    ------
    DataFormatError
        Missing columns, no (or unknown) member columns, unknown cell values, rows without a
        record number in ``Link``, bad dates, an unknown ``Council``, GA and SC rows mixed
        without ``Council``, two rows for one record. Nothing is imported.
    """
    df = read_csv_strings(path)
    require_columns(path, df, REQUIRED, "UN Digital Library wide")
    members = member_columns(path, list(df.columns))
    bad = ProblemCollector(path)
    lines = np.arange(len(df)) + 2

    undl_id = record_number(df["Link"])
    bad.add_mask(df, undl_id.isna(), "Link", "no record number in the link (…/record/NNN)")
    dates = pd.to_datetime(
        df["Date"].str.strip().str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
    )
    bad.add_mask(df, dates.isna(), "Date", "not an ISO date (YYYY-MM-DD)")
    body = _body(path, df, bad)
    dup = undl_id.notna() & undl_id.duplicated(keep="first")
    bad.add_mask(df, dup, "Link", "a second row for this record (duplicated resolution)")

    cells = df[members].to_numpy(dtype=object)
    codes, values = pd.factorize(cells.ravel(), use_na_sentinel=False)
    norm = np.array([str(v).strip().upper() for v in values], dtype=object)
    unknown_value = ~np.isin(norm, list(_CELLS))
    if unknown_value.any():
        bad_cells = unknown_value[codes].reshape(cells.shape)
        for j, code in enumerate(members):
            bad.add_mask(
                df, bad_cells[:, j], code, "unknown vote (expected YES, NO, ABSTAIN or empty)"
            )
    bad.raise_if_any("Fix these rows (or re-download the file); nothing was imported.")

    vote = np.array([_CELLS[v] for v in norm], dtype=object)[codes].reshape(cells.shape)
    row, col = np.nonzero(vote != None)  # noqa: E711 - elementwise on an object array
    ids = undl_id.astype("int64").to_numpy()
    states = member_states(
        pd.Series(np.asarray(members, dtype=object)[col]), pd.Series(dates.to_numpy()[row])
    )
    votes = pd.DataFrame(
        {
            "line": lines[row],
            "undl_id": ids[row],
            "state": states.to_numpy(),
            "vote": vote[row, col],
        }
    )

    def text(column: str) -> pd.Series | None:
        return df[column].str.strip().replace("", None) if column in df else None

    def number(column: str) -> pd.Series:
        if column not in df:
            return pd.Series(np.nan, index=df.index)
        return pd.to_numeric(df[column].str.strip(), errors="coerce")

    records = pd.DataFrame(
        {
            "line": lines,
            "body": body.to_numpy(),
            "undl_id": ids,
            "resolution": df["Resolution"].str.strip().replace("", None).to_numpy(),
            "date": dates.to_numpy(),
            "year": dates.dt.year.astype("int64").to_numpy(),
            "title": clean_titles(df["Title"]).to_numpy() if "Title" in df else None,
            "subjects": text("tags"),
            "total_yes": number("YES COUNT"),
            "total_no": number("NO COUNT"),
            "total_abstentions": number("ABSTAIN COUNT"),
            "total_non_voting": number("NO-VOTE COUNT"),
            "total_ms": number("TOTAL VOTES"),
            "link": text("Link"),
            "source": str(Path(path).name),
        }
    )
    return assemble(path, records, votes, [])


def _body(path: str | Path, df: pd.DataFrame, bad: ProblemCollector) -> pd.Series:
    if "Council" in df.columns:
        body = df["Council"].str.strip().str.upper().map(_BODIES)
        bad.add_mask(
            df, body.isna(), "Council", "Council must be General Assembly or Security Council"
        )
        return body.fillna("GA")
    body = body_of(df["Resolution"])
    if (body == "GA").any() and (body == "SC").any():
        raise DataFormatError(
            path,
            [
                Problem(
                    "General Assembly (A/...) and Security Council (S/...) rows are mixed "
                    "and the file has no 'Council' column",
                    column="Council",
                )
            ],
            hint="Add the 'Council' column or split the file by body; nothing was imported.",
        )
    return body.replace("", "GA")
