"""The normalised tables the UN Digital Library readers return.

A Library file can hold General Assembly and Security Council votes together (the ``body``
column of the scraped layouts). Its reader returns a :class:`LibraryRecord`: the Assembly part
as a :class:`~hedgewatch.sources.unga.VoteRecord` (the same tables Voeten's and the
``unvotes`` files give), the Council part as a :class:`CouncilRecord`, the row checks of the
file's stated totals, and notes on what the reader set aside and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from hedgewatch.sources._library import RowCheck
from hedgewatch.sources.unga import VoteRecord

#: Columns of the Council's resolutions table.
COUNCIL_RESOLUTION_COLUMNS = [
    "undl_id",
    "resolution",
    "date",
    "year",
    "title",
    "subjects",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "link",
    "source",
]
#: Columns of the Council's votes table (vote in yes, no, abstain, absent).
COUNCIL_VOTE_COLUMNS = ["undl_id", "state", "country", "vote"]
#: Columns of the vetoed-drafts table: one row per draft and vetoing member; ``item`` numbers
#: the drafts in the list (two vetoes of one meeting may share a draft symbol).
VETO_COLUMNS = [
    "item",
    "draft",
    "date",
    "year",
    "meeting_record",
    "agenda_item",
    "crisis_topic",
    "region",
    "state",
    "country",
]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class CouncilRecord:
    """Security Council votes on adopted resolutions, and vetoed drafts.

    Attributes
    ----------
    resolutions
        One row per adopted resolution (:data:`COUNCIL_RESOLUTION_COLUMNS`).
    votes
        One row per member per resolution (:data:`COUNCIL_VOTE_COLUMNS`).
    vetoes
        One row per vetoed draft and vetoing member (:data:`VETO_COLUMNS`).
    """

    resolutions: pd.DataFrame = field(default_factory=lambda: _empty(COUNCIL_RESOLUTION_COLUMNS))
    votes: pd.DataFrame = field(default_factory=lambda: _empty(COUNCIL_VOTE_COLUMNS))
    vetoes: pd.DataFrame = field(default_factory=lambda: _empty(VETO_COLUMNS))

    def __len__(self) -> int:
        return len(self.resolutions) + len(self.vetoes)


@dataclass(frozen=True)
class LibraryRecord:
    """What a UN Digital Library voting file holds, normalised.

    Attributes
    ----------
    assembly
        General Assembly roll calls and votes.
    council
        Security Council resolutions and votes.
    checks
        Rows whose votes disagree with the totals the file states (reported, not refused:
        scrapes are known to carry such rows, e.g. the wide layout has no column for the
        USSR, so its pre-1992 totals count a vote that no cell holds).
    notes
        What the reader set aside and why (a vote row with no identifiable member, one
        resolution recorded twice with identical votes).
    """

    assembly: VoteRecord
    council: CouncilRecord = field(default_factory=CouncilRecord)
    checks: RowCheck = field(default_factory=RowCheck)
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------
# From a validated long frame (one row per member per record) to the record
# ---------------------------------------------------------------------------------------
#: Columns of the records frame the Library readers hand to :func:`assemble` (one row per
#: record) and of its votes frame (one row per member per record).
RECORD_FRAME_COLUMNS = [
    "line",
    "body",
    "undl_id",
    "resolution",
    "date",
    "year",
    "title",
    "subjects",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "link",
    "source",
]
VOTE_FRAME_COLUMNS = ["line", "undl_id", "state", "vote"]


def assemble(
    path: object, records: pd.DataFrame, votes: pd.DataFrame, notes: list[str]
) -> LibraryRecord:
    """Check records and votes across rows and split them into the Assembly and Council parts.

    ``records`` (:data:`RECORD_FRAME_COLUMNS`) and ``votes`` (:data:`VOTE_FRAME_COLUMNS`)
    have been checked row by row by the reader (vote letters, state codes, dates). Here: a
    member votes once per record; a resolution voted on one date under two record ids is
    kept once when the votes are identical (noted) and refused when they differ.
    """
    from hedgewatch import countries
    from hedgewatch.errors import DataFormatError, Problem
    from hedgewatch.sources._library import library_rcid, sessions
    from hedgewatch.sources.issues import tag_issues
    from hedgewatch.sources.unga import _finish

    dup = votes.duplicated(["undl_id", "state"])
    if dup.any():
        problems = [
            Problem(
                f"second vote of {r.state} on record {r.undl_id} (a duplicated resolution row)",
                int(cast(Any, r.line)),
                "state",
                r.state,
            )
            for r in votes[dup].head(20).itertuples()
        ]
        raise DataFormatError(
            path,
            problems,
            total=int(dup.sum()),
            hint="Each record (undl_id) holds one vote per member. Remove the repeated rows; "
            "nothing was imported.",
        )
    records, votes = _drop_repeated_records(path, records, votes, notes)
    uniq = pd.unique(votes["state"])
    succ = dict(zip(uniq, countries.apply_successors(pd.Series(uniq, dtype=object)), strict=True))
    votes = votes.assign(country=votes["state"].map(succ))

    ga, sc = records[records["body"] == "GA"], records[records["body"] == "SC"]
    rc = pd.DataFrame(
        {
            "rcid": library_rcid(ga["undl_id"]).to_numpy(),
            "session": sessions(ga["resolution"], ga["date"]).to_numpy(),
            "date": pd.to_datetime(ga["date"]).to_numpy(),
            "year": ga["year"].astype("int64").to_numpy(),
            "resolution": ga["resolution"].to_numpy(),
            "title": ga["title"].to_numpy(),
            "description": ga["subjects"].to_numpy(),
        }
    )
    rc["is_amendment"] = False
    rc["is_paragraph"] = False
    rc["important"] = None
    rc["issues"] = tag_issues(
        ga["title"].fillna("").reset_index(drop=True), ga["subjects"].reset_index(drop=True)
    )
    rc["source"] = "undl"
    gv = votes[votes["undl_id"].isin(ga["undl_id"])]
    assembly = _finish(
        rc,
        pd.DataFrame(
            {
                "rcid": library_rcid(gv["undl_id"]).to_numpy(),
                "state": gv["state"].to_numpy(),
                "country": gv["country"].to_numpy(),
                "vote": gv["vote"].to_numpy(),
            }
        ),
    )
    sv = votes[votes["undl_id"].isin(sc["undl_id"])]
    council = CouncilRecord(
        resolutions=pd.DataFrame(
            {
                "undl_id": sc["undl_id"].astype("int64").to_numpy(),
                "resolution": sc["resolution"].to_numpy(),
                "date": pd.to_datetime(sc["date"]).to_numpy(),
                "year": sc["year"].astype("int64").to_numpy(),
                "title": sc["title"].to_numpy(),
                "subjects": sc["subjects"].to_numpy(),
                **{
                    c: pd.array(sc[c].to_numpy(), dtype="Int64")
                    for c in COUNCIL_RESOLUTION_COLUMNS[6:11]
                },
                "link": sc["link"].to_numpy(),
                "source": sc["source"].to_numpy(),
            }
        ).sort_values(["date", "undl_id"], ignore_index=True),
        votes=pd.DataFrame(
            {
                "undl_id": sv["undl_id"].astype("int64").to_numpy(),
                "state": sv["state"].to_numpy(),
                "country": sv["country"].to_numpy(),
                "vote": sv["vote"].to_numpy(),
            }
        ).sort_values(["undl_id", "state"], ignore_index=True),
    )
    return LibraryRecord(assembly, council, check_totals(path, records, votes), tuple(notes))


def _day(value: object) -> str:
    return "undated" if pd.isna(cast(Any, value)) else str(pd.Timestamp(cast(Any, value)).date())


def _drop_repeated_records(
    path: object, records: pd.DataFrame, votes: pd.DataFrame, notes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One resolution voted on one day under two record ids: keep it once if the votes are
    the same; refuse the file if they differ (which vote is the resolution's is unknown)."""
    from hedgewatch.errors import DataFormatError, Problem

    named = records[records["resolution"].fillna("") != ""]
    twice = named[named.duplicated(["body", "resolution", "date"], keep=False)]
    if twice.empty:
        return records, votes
    drop, problems = [], []
    for (_, symbol, _), group in twice.groupby(["body", "resolution", "date"], dropna=False):
        ids = group["undl_id"].tolist()
        base = _vote_vector(votes, ids[0])
        for other in ids[1:]:
            line = int(group.loc[group["undl_id"] == other, "line"].iloc[0])
            if _vote_vector(votes, other).equals(base):
                drop.append(other)
                notes.append(
                    f"line {line}: record {other} repeats record {ids[0]} ({symbol}, "
                    f"{_day(group['date'].iloc[0])}, identical votes): kept once"
                )
            else:
                problems.append(
                    Problem(
                        f"resolution {symbol} of {_day(group['date'].iloc[0])} is recorded "
                        f"twice (records {ids[0]} and {other}) with different votes",
                        line,
                        "resolution",
                        symbol,
                    )
                )
    if problems:
        raise DataFormatError(
            path,
            problems,
            hint="Keep the record that is the resolution's vote and remove the other; "
            "nothing was imported.",
        )
    return records[~records["undl_id"].isin(drop)], votes[~votes["undl_id"].isin(drop)]


def _vote_vector(votes: pd.DataFrame, undl_id: object) -> pd.Series:
    rows = votes[votes["undl_id"] == undl_id]
    return rows.set_index("state")["vote"].sort_index()


def check_totals(path: object, records: pd.DataFrame, votes: pd.DataFrame) -> RowCheck:
    """Each record's yes / no / abstain votes counted against the totals the file states.

    A record whose stated total is empty is not checked on that total.
    """
    counted = (
        votes[votes["vote"].isin(["yes", "no", "abstain"])]
        .groupby(["undl_id", "vote"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["yes", "no", "abstain"], fill_value=0)
    )
    first = records.set_index("undl_id")
    rows = []
    for vote, col in (("yes", "total_yes"), ("no", "total_no"), ("abstain", "total_abstentions")):
        stated = pd.to_numeric(first[col], errors="coerce")
        got = counted[vote].reindex(first.index, fill_value=0)
        bad = stated.notna() & (stated != got)
        for uid in first.index[bad]:
            rows.append(
                (
                    str(path),
                    int(cast(Any, first.at[uid, "line"])),
                    first.at[uid, "resolution"],
                    col,
                    int(got[uid]),
                    int(stated[uid]),
                )
            )
    frame = pd.DataFrame(
        rows, columns=["path", "line", "resolution", "column", "counted", "stated"]
    )
    return RowCheck(frame.sort_values(["line", "column"], ignore_index=True))
