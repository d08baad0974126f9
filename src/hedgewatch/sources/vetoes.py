"""Reader for the list of vetoed Security Council drafts.

Layout of world-politics-datalab/vetoes-un-security-council (compiled from the Dag
Hammarskjöld Library's veto list): ``year, date (m/d/Y), month, draft, meeting_record,
agenda_item, crisis_topic, region, member_veto1, member_veto2, member_veto3``, then 0/1
columns per member and pair. The vetoing members are read from ``member_veto1..3`` (names:
``USSR``, ``Russia``, ``China``, ``USA``, ``UK``, ``France``); the 0/1 columns repeat them.
A veto by "China" before 25 October 1971 is the Republic of China's (``TWN``).

The file is the whole list, so importing it replaces the stored one. Two rows may share a
draft symbol (in 1946-47 several vetoes were cast at one meeting and the list names the
meeting record as the draft); both are kept.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hedgewatch import countries
from hedgewatch.sources._io import ProblemCollector, read_csv_strings, require_columns
from hedgewatch.sources._library import member_states
from hedgewatch.sources.records import VETO_COLUMNS, CouncilRecord

REQUIRED = ["date", "draft", "agenda_item", "member_veto1"]
#: Names the list uses for the vetoing members.
MEMBER_NAMES = {
    "USSR": "SUN",
    "RUSSIA": "RUS",
    "CHINA": "CHN",
    "USA": "USA",
    "UK": "GBR",
    "FRANCE": "FRA",
}
_MEMBER_COLUMNS = ("member_veto1", "member_veto2", "member_veto3")


def read_vetoes(path: str | Path) -> CouncilRecord:
    """Read the vetoed-drafts list into a :class:`~hedgewatch.sources.records.CouncilRecord`
    whose ``vetoes`` hold one row per draft and vetoing member.

    Raises
    ------
    DataFormatError
        Missing columns (the header found is printed), dates that are not m/d/Y, empty draft
        symbols, rows naming no vetoing member, member names not in :data:`MEMBER_NAMES`.
    """
    df = read_csv_strings(path)
    require_columns(path, df, REQUIRED, "Security Council vetoes")
    bad = ProblemCollector(path)
    dates = pd.to_datetime(df["date"].str.strip(), format="%m/%d/%Y", errors="coerce")
    bad.add_mask(df, dates.isna(), "date", "not a m/d/Y date")
    bad.add_mask(df, df["draft"].str.strip() == "", "draft", "no draft symbol")
    cols = [c for c in _MEMBER_COLUMNS if c in df.columns]
    names = df[cols].apply(lambda s: s.str.strip().str.upper())
    bad.add_mask(df, (names == "").all(axis=1), cols[0], "no vetoing member named")
    for col in cols:
        unknown = (names[col] != "") & ~names[col].isin(list(MEMBER_NAMES))
        bad.add_mask(
            df, unknown, col, f"unknown member name (expected one of {', '.join(MEMBER_NAMES)})"
        )
    bad.raise_if_any("Fix these rows; nothing was imported.")

    long = names.assign(_row=np.arange(len(df))).melt(id_vars="_row", value_name="name")
    long = long[long["name"] != ""].sort_values(["_row", "variable"])
    rows = df.iloc[long["_row"].to_numpy()].reset_index(drop=True)
    when = dates.iloc[long["_row"].to_numpy()].reset_index(drop=True)
    state = member_states(long["name"].map(MEMBER_NAMES).reset_index(drop=True), when)

    def text(col: str) -> pd.Series:
        if col not in rows:
            return pd.Series(None, index=rows.index, dtype=object)
        return rows[col].str.strip().replace("", None)

    vetoes = pd.DataFrame(
        {
            "item": (long["_row"].to_numpy() + 1).astype("int64"),
            "draft": text("draft"),
            "date": when,
            "year": when.dt.year.astype("int64"),
            "meeting_record": text("meeting_record"),
            "agenda_item": text("agenda_item"),
            "crisis_topic": text("crisis_topic"),
            "region": text("region"),
            "state": state,
            "country": countries.apply_successors(state),
        }
    )[VETO_COLUMNS]
    return CouncilRecord(vetoes=vetoes.sort_values(["item", "country"], ignore_index=True))
