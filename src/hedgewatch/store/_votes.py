"""The General Assembly table family: ``roll_calls`` and ``votes`` (queries and imports).

Tables (see ``hedgewatch.sources.unga`` for how they are built):

``roll_calls``
    ``rcid, session, date, year, resolution, title, description, is_amendment, is_paragraph,
    important, issues`` (list of Voeten's issue codes ``me nu di hr co ec``), ``source``.
``votes``
    ``rcid, state, country, vote`` with vote in {yes, no, abstain, absent}. ``state`` is the
    state that voted (``SUN`` for the USSR), ``country`` the continuing identity (``RUS``); see
    :mod:`hedgewatch.countries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import validated
from hedgewatch.errors import ParameterError
from hedgewatch.store._database import Store, get_store, load_bundled

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

#: Voeten's six issue codes and their names.
ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
_ISSUE_ALIASES = {
    "palestine": "me",
    "middle east": "me",
    "palestinian conflict": "me",
    "nuclear": "nu",
    "nuclear weapons": "nu",
    "arms control": "di",
    "disarmament": "di",
    "arms": "di",
    "human rights": "hr",
    "human-rights": "hr",
    "rights": "hr",
    "colonialism": "co",
    "economic development": "ec",
    "development": "ec",
    "economic": "ec",
}

VOTE_VALUES = ("yes", "abstain", "no", "absent")


def issue_code(value: str) -> str:
    """Normalise an issue name or code (``'nuclear'`` -> ``'nu'``)."""
    key = value.strip().lower()
    if key in ISSUES:
        return key
    if key in _ISSUE_ALIASES:
        return _ISSUE_ALIASES[key]
    raise ParameterError(
        f"Unknown issue {value!r}; use one of "
        + ", ".join(f"{k} ({v})" for k, v in ISSUES.items())
        + "."
    )


def _year_bounds(start: object, end: object) -> tuple[dt.date | None, dt.date | None]:
    def conv(x: object, is_end: bool) -> dt.date | None:
        if x is None:
            return None
        if isinstance(x, int) or (isinstance(x, str) and x.isdigit() and len(x) == 4):
            y = int(x)
            return dt.date(y, 12, 31) if is_end else dt.date(y, 1, 1)
        return pd.Timestamp(cast(Any, x)).date()

    return conv(start, False), conv(end, True)


def _filters(
    countries: Iterable[str] | None,
    start: object,
    end: object,
    sessions: Iterable[int] | None,
    issues: Iterable[str] | str | None,
    important_only: bool,
) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    lo, hi = _year_bounds(start, end)
    if lo is not None:
        where.append("r.date >= ?")
        params.append(lo)
    if hi is not None:
        where.append("r.date <= ?")
        params.append(hi)
    if sessions is not None:
        ss = sorted({int(s) for s in sessions})
        where.append(f"r.session in ({','.join('?' * len(ss))})" if ss else "false")
        params.extend(ss)
    if issues is not None:
        codes = [issue_code(i) for i in ([issues] if isinstance(issues, str) else issues)]
        where.append("list_has_any(r.issues, ?)")
        params.append(codes)
    if important_only:
        where.append("r.important")
    if countries is not None:
        cs = [_countries.resolve(c) for c in countries]
        where.append(f"v.country in ({','.join('?' * len(cs))})" if cs else "false")
        params.extend(cs)
    return where, params


@validated
def roll_calls(
    *,
    start: object = None,
    end: object = None,
    sessions: Iterable[int] | None = None,
    issues: Iterable[str] | str | None = None,
    important_only: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Roll calls of the General Assembly, one row each.

    Parameters
    ----------
    start, end
        Years (``1991``) or dates (``"2015-06-01"``), inclusive.
    sessions
        Session numbers to keep.
    issues
        Voeten issue codes or names (``"nuclear"``, ``"hr"``); a roll call is kept when it
        carries any of them.
    important_only
        Keep only votes the US State Department classified as important.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame with ``rcid, session, date, year, resolution, title, description,
    is_amendment, is_paragraph, important, issues, source``, ordered by date and rcid.
    """
    st = get_store(store)
    where, params = _filters(None, start, end, sessions, issues, important_only)
    sql = "select r.* from roll_calls r"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by r.date, r.rcid"
    df = st.query(sql, params, tables=("roll_calls",))
    df["date"] = pd.to_datetime(df["date"])
    return df


@validated
def votes(
    countries: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    sessions: Iterable[int] | None = None,
    issues: Iterable[str] | str | None = None,
    important_only: bool = False,
    include_absent: bool = False,
    successors: Mapping[str, str | None] | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Votes cast in the General Assembly, one row per country per roll call (tidy).

    Parameters
    ----------
    countries
        ISO3 codes (or names, ISO2, COW numbers) to keep; default all.
    start, end, sessions, issues, important_only
        As in :func:`roll_calls`.
    include_absent
        Keep the rows of members that were absent (only the Voeten source records them).
    successors
        Mapping from historical state to continuing country, replacing
        :data:`hedgewatch.countries.DEFAULT_SUCCESSORS` (e.g. ``{}`` keeps the USSR as
        ``SUN``).
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame with ``rcid, session, year, date, country, state, vote`` where vote is a
    categorical of ``yes, abstain, no`` (and ``absent`` when asked for).

    Examples
    --------
    >>> import hedgewatch as hw
    >>> prk = hw.votes(["PRK", "CHN", "RUS"], start=1991)
    >>> sorted(prk["country"].unique()), int(prk["year"].min())
    (['CHN', 'PRK', 'RUS'], 1991)
    """
    if isinstance(countries, str):
        countries = [countries]
    st = get_store(store)
    # The stored ``country`` is the state under the default successor rules: with those,
    # the countries are filtered in the query; other rules re-derive it from ``state`` first.
    in_query = countries if successors is None else None
    where, params = _filters(in_query, start, end, sessions, issues, important_only)
    if not include_absent:
        where.append("v.vote <> 'absent'")
    sql = (
        "select v.rcid, r.session, r.year, r.date, v.country, v.state, v.vote "
        "from votes v join roll_calls r using (rcid)"
    )
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by r.date, v.rcid, v.country"
    # Read as Arrow and convert column by column: the country, state and vote strings come
    # back dictionary-encoded (one Python string per distinct value, not per row: about
    # twice as fast as DuckDB's own DataFrame conversion on the whole record).
    table = st.arrow(sql, params, tables=("votes", "roll_calls"))
    cats = list(VOTE_VALUES if include_absent else VOTE_VALUES[:3])
    df = pd.DataFrame(
        {
            "rcid": _ints(table.column("rcid")),
            "session": _ints(table.column("session")),
            "year": _ints(table.column("year")),
            "date": pd.to_datetime(table.column("date").to_numpy().astype("datetime64[us]")),
            "country": _shared_strings(table.column("country")),
            "state": _shared_strings(table.column("state")),
            "vote": _categorical(table.column("vote"), cats),
        }
    )
    if successors is not None:
        df["country"] = _shared_strings(
            _countries.apply_successors(df["state"], successors).to_numpy()
        )
    if countries is not None and in_query is None:
        keep = {_countries.resolve(c) for c in countries}
        df = df[df["country"].isin(keep)].reset_index(drop=True)
    return df


def _ints(col: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(col.to_numpy(), dtype="int64")


def _codes(col: pa.ChunkedArray | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Dictionary codes (-1 for missing) and the distinct values of a string column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col, np.ndarray):
        col = pa.chunked_array([pa.array(col, type=pa.string(), from_pandas=True)])
    enc = pc.dictionary_encode(col.cast(pa.string())).combine_chunks()
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, enc.dictionary.to_pylist()


def _categorical(col: pa.ChunkedArray, categories: list[str]) -> pd.Categorical:
    """A string column as a categorical of ``categories`` (other values become missing)."""
    codes, values = _codes(col)
    remap = np.array([categories.index(v) if v in categories else -1 for v in values] + [-1])
    return pd.Categorical.from_codes(remap[codes], categories=pd.Index(categories))


def _shared_strings(col: pa.ChunkedArray | np.ndarray) -> np.ndarray:
    """The values as an object array (missing as NaN), equal strings sharing one object."""
    codes, values = _codes(col)
    out = np.asarray([*values, np.nan], dtype=object)
    return out.take(codes)  # code -1 (missing) takes the NaN at the end


# ---------------------------------------------------------------------------------------
# Import into the store
# ---------------------------------------------------------------------------------------
# An import upserts by rcid. What the incoming source lacks (titles in Voeten's file, issue
# codes where it has none, absences in the unvotes files) is kept from the stored record, so
# importing one source never erases what another contributed.
_CONFLICTS_SQL = """
select count(*) from _rc i join roll_calls o using (rcid)
where (i.date is not null and o.date is not null and i.date::date <> o.date::date)
   or (i.resolution is not null and o.resolution is not null
       and replace(i.resolution, ' ', '') <> replace(o.resolution, ' ', ''))
"""
_MERGED_ROLL_CALLS_SQL = """
create temp table _merged as
select i.rcid,
       coalesce(i.session, o.session) as session,
       coalesce(i.date::date, o.date::date) as date,
       coalesce(i.year, o.year) as year,
       coalesce(i.resolution, o.resolution) as resolution,
       coalesce(i.title, o.title) as title,
       coalesce(i.description, o.description) as description,
       coalesce(i.is_amendment, o.is_amendment) as is_amendment,
       coalesce(i.is_paragraph, o.is_paragraph) as is_paragraph,
       coalesce(i.important, o.important) as important,
       case when i.issues is null or (len(i.issues) = 0 and o.issues is not null)
            then o.issues else i.issues end as issues,
       case when o.source is null or o.source = i.source then i.source
            when contains(o.source, i.source) then o.source
            else o.source || '+' || i.source end as source
from _rc i left join roll_calls o using (rcid)
"""
#: Roll calls from the UN Digital Library (their rcids follow the Library rule).
LIBRARY_SOURCE = "undl"


@dataclass(frozen=True)
class AssemblyPlan:
    """What an import of General Assembly roll calls will write (see :func:`plan_assembly`)."""

    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    drop: tuple[int, ...]
    counts: dict[str, int]


def plan_assembly(record: object, con: duckdb.DuckDBPyConnection) -> AssemblyPlan:
    """Decide what an import writes: new roll calls, replaced ones, and matched ones left out.

    Roll calls whose ``rcid`` is held are upserted. Library roll calls with a new rcid are
    matched against the held record (:mod:`hedgewatch.store._matching`) and left out when
    held; roll calls of the researchers' files (Voeten, ``unvotes``) with a new rcid that
    match a held Library roll call replace it (theirs carry absences, amendment and
    paragraph votes). Reads the store through ``con``, the connection of the import's own
    transaction: what it reads is what the write changes, even when another import finished
    while this one waited for the lock. On first use the bundled record is loaded there too.
    Writes nothing else.
    """
    from hedgewatch.sources.unga import VoteRecord
    from hedgewatch.store._matching import MATCH_COLUMNS, Matches, candidates, match_roll_calls

    if not isinstance(record, VoteRecord):
        raise TypeError("import_record() takes a VoteRecord from hedgewatch.sources.unga")
    rc, v = record.roll_calls, record.votes
    # An import adds to the current record; on first use that is the bundled snapshot.
    load_bundled(con, ("roll_calls", "votes"))
    empty = Matches(pd.DataFrame(columns=list(MATCH_COLUMNS)))
    if "roll_calls" not in {r[0] for r in con.execute("show tables").fetchall()} or rc.empty:
        counts = {"roll_calls_added": len(rc), "roll_calls_replaced": 0, **empty.counts()}
        return AssemblyPlan(rc, v, (), counts)
    held = con.execute(
        "select rcid, session, date, resolution, is_amendment, is_paragraph, source from roll_calls"
    ).df()
    new = rc[~rc["rcid"].isin(held["rcid"])]
    library = new["source"] == LIBRARY_SOURCE
    drop: tuple[int, ...] = ()
    matches = empty
    if library.any():
        inc = new[library]
        ids = candidates(held, inc)
        matches = match_roll_calls(held, _held_votes(con, ids), inc, v[v["rcid"].isin(inc["rcid"])])
        rc = rc[~rc["rcid"].isin(matches.rcids)]
        v = v[v["rcid"].isin(rc["rcid"])]
    if (~library).any():
        lib_held = held[held["source"] == LIBRARY_SOURCE]
        inc = new[~library]
        if len(lib_held):
            ids = candidates(lib_held, inc)
            matches = match_roll_calls(
                lib_held, _held_votes(con, ids), inc, v[v["rcid"].isin(inc["rcid"])]
            )
            drop = tuple(int(x) for x in matches.pairs["held_rcid"])
    upserted = int(rc["rcid"].isin(held["rcid"]).sum())
    counts = {
        "roll_calls_added": len(rc) - upserted - len(drop),
        "roll_calls_replaced": upserted + len(drop),
        **matches.counts(),
    }
    return AssemblyPlan(rc, v, drop, counts)


def _held_votes(con: duckdb.DuckDBPyConnection, rcids: np.ndarray) -> pd.DataFrame:
    if len(rcids) == 0:
        return pd.DataFrame(columns=["rcid", "country", "vote"])
    con.register("_ids", pd.DataFrame({"rcid": np.asarray(rcids, dtype="int64")}))
    try:
        return con.execute(
            "select v.rcid, v.country, v.vote from votes v semi join _ids using (rcid)"
        ).df()
    finally:
        con.unregister("_ids")


def write_assembly(con: Any, plan: AssemblyPlan) -> int:
    """Write a plan inside an open transaction; returns the number of conflicting roll calls
    (same rcid, different date or symbol)."""
    rc, v = plan.roll_calls, plan.votes
    con.register("_rc", rc)
    con.register("_v", v)
    if plan.drop:
        con.register("_drop", pd.DataFrame({"rcid": list(plan.drop)}))
        con.execute("delete from votes where rcid in (select rcid from _drop)")
        con.execute("delete from roll_calls where rcid in (select rcid from _drop)")
    if "roll_calls" not in {r[0] for r in con.execute("show tables").fetchall()}:
        con.execute("create table roll_calls as select * from _rc")
        con.execute("create table votes as select * from _v")
        return 0
    conflicts = (con.execute(_CONFLICTS_SQL).fetchone() or (0,))[0]
    con.execute(_MERGED_ROLL_CALLS_SQL)
    con.execute("delete from roll_calls where rcid in (select rcid from _rc)")
    con.execute("insert into roll_calls by name select * from _merged")
    con.execute("drop table _merged")
    con.execute(
        "delete from votes using _v where votes.rcid = _v.rcid and votes.country = _v.country"
    )
    con.execute("insert into votes by name select * from _v")
    return int(conflicts)


def note_import(con: Any, provenance: str) -> None:
    """Record an import's provenance in the store's metadata."""
    if provenance:
        con.execute(
            "insert or replace into meta values (?, ?)",
            [f"import:{pd.Timestamp.now().isoformat()}", provenance],
        )


@validated
def import_record(
    record: object, *, store: Store | str | None = None, provenance: str = ""
) -> dict[str, int]:
    """Add a normalised :class:`~hedgewatch.sources.unga.VoteRecord` to the store, atomically.

    Roll calls whose ``rcid`` is already stored are updated: fields the incoming source
    provides replace the stored ones, fields it lacks (e.g. titles in Voeten's file) are kept,
    and each incoming vote replaces the stored vote of that country on that roll call.
    ``conflicts`` counts roll calls whose date or resolution symbol disagree. A UN Digital
    Library roll call that the store already holds under another id (same resolution in the
    same session, or the same vote on the same days; see :mod:`hedgewatch.store._matching`)
    is matched and not added; the held votes stay, and the votes that differ are counted.

    Returns
    -------
    dict
        ``roll_calls_added``, ``roll_calls_replaced``, ``roll_calls_matched`` (held already:
        not added), ``matched_by_symbol``, ``matched_by_same_vote``, ``vote_disagreements``
        (votes on matched roll calls that differ from the held ones), ``conflicts``,
        ``votes`` (rows written).
    """
    st = get_store(store)
    with st.transaction(tables=("votes", "roll_calls")) as con:
        plan = plan_assembly(record, con)  # reads inside the write: no import is lost
        conflicts = write_assembly(con, plan)
        note_import(con, provenance)
    return {**plan.counts, "conflicts": conflicts, "votes": len(plan.votes)}


#: Years in which the General Assembly took no recorded vote at all (not a gap in the data).
NO_RECORDED_VOTES: dict[int, str] = {
    1964: "the 19th session took no recorded vote (the Article 19 dispute over arrears)",
}


@dataclass(frozen=True)
class Coverage:
    """Which sessions and years the stored General Assembly record covers.

    Attributes
    ----------
    sessions
        One row per session held: ``session, first_date, last_date, years, roll_calls``.
    missing_sessions
        Sessions between the first and last held with no roll call at all.
    missing_years
        Years between the first and last held with no roll call, except those in
        :data:`NO_RECORDED_VOTES` (a pause of the Assembly, not of the data).
    """

    sessions: pd.DataFrame
    missing_sessions: tuple[int, ...]
    missing_years: tuple[int, ...]

    @property
    def first_year(self) -> int:
        return int(self.sessions["first_date"].min().year)

    @property
    def last_year(self) -> int:
        return int(self.sessions["last_date"].max().year)

    def years(self) -> list[int]:
        """Years with at least one roll call."""
        return [
            y
            for y in range(self.first_year, self.last_year + 1)
            if y not in self.missing_years and y not in NO_RECORDED_VOTES
        ]

    def describe(self) -> str:
        """``"1946-2021, 2025; missing 2022-2024 (sessions 77-78 and parts of 76, 79)"``."""
        text = _ranges(self.years())
        if not self.missing_years:
            return text
        partial = _partial_sessions(self)
        gap = f"missing {_ranges(list(self.missing_years))}"
        detail = []
        if self.missing_sessions:
            detail.append(f"sessions {_ranges(list(self.missing_sessions))}")
        if partial:
            detail.append(f"parts of {', '.join(map(str, partial))}")
        return f"{text}; {gap}" + (f" ({' and '.join(detail)})" if detail else "")

    def to_frame(self) -> pd.DataFrame:
        """The per-session table."""
        return self.sessions.copy()


def _ranges(values: list[int]) -> str:
    """``[1946, 1947, 1948, 2025]`` -> ``"1946-1948, 2025"``."""
    from hedgewatch._periods import ranges

    return ranges(values)


def _partial_sessions(cov: Coverage) -> list[int]:
    """Held sessions that run into a missing year (a session spans two calendar years)."""
    missing = set(cov.missing_years)
    out = []
    for session in cov.sessions["session"].astype(int).tolist():
        opening = 1945 + session
        if {opening, opening + 1} & missing:
            out.append(session)
    return out


@validated
def coverage(store: Store | str | None = None) -> Coverage:
    """Coverage of the stored General Assembly record by session and year, with its gaps."""
    st = get_store(store)
    df = st.query(
        "select session, min(date) as first_date, max(date) as last_date, "
        "list(distinct year order by year) as years, count(*) as roll_calls "
        "from roll_calls group by session order by session",
        tables=("roll_calls", "votes"),
    )
    df["first_date"] = pd.to_datetime(df["first_date"])
    df["last_date"] = pd.to_datetime(df["last_date"])
    held_years = {int(y) for ys in df["years"] for y in ys}
    lo, hi = min(held_years), max(held_years)
    missing_years = tuple(
        y for y in range(lo, hi + 1) if y not in held_years and y not in NO_RECORDED_VOTES
    )
    sessions = set(df["session"].astype(int))
    missing_sessions = tuple(
        s for s in range(min(sessions), max(sessions) + 1) if s not in sessions
    )
    return Coverage(df, missing_sessions, missing_years)


@validated
def info(store: Store | str | None = None) -> dict[str, object]:
    """Figures of the UNGA record in the store: sessions, roll calls, votes, countries, dates."""
    st = get_store(store)
    row = st.query(
        "select count(distinct session) as sessions, count(*) as roll_calls, "
        "min(date) as first_date, max(date) as last_date from roll_calls",
        tables=("roll_calls", "votes"),
    ).iloc[0]
    v = st.query(
        "select count(*) filter (where vote <> 'absent') as votes, "
        "count(*) filter (where vote = 'absent') as absences, "
        "count(distinct country) as countries from votes"
    ).iloc[0]
    src = st.query("select source, count(*) as n from roll_calls group by source order by source")
    cov = coverage(st)
    return {
        "store": str(st.path),
        "sessions": int(row["sessions"]),
        "roll_calls": int(row["roll_calls"]),
        "votes": int(v["votes"]),
        "absences": int(v["absences"]),
        "countries": int(v["countries"]),
        "first_date": pd.Timestamp(row["first_date"]).date(),
        "last_date": pd.Timestamp(row["last_date"]).date(),
        "sources": dict(zip(src["source"], src["n"].astype(int), strict=True)),
        "coverage": cov.describe(),
        "missing_years": list(cov.missing_years),
        "missing_sessions": list(cov.missing_sessions),
    }
