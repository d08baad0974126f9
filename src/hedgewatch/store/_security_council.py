"""The Security Council table family: resolutions, votes on them, and vetoed drafts.

Tables (built by :mod:`hedgewatch.sources.undl_long`, :mod:`hedgewatch.sources.undl_wide`
and :mod:`hedgewatch.sources.vetoes`; bundled for 1946-2021, 2025 and vetoes to September
2022):

``council_resolutions``
    One row per *adopted* resolution: ``undl_id, resolution, date, year, title, subjects,
    total_yes, total_no, total_abstentions, total_non_voting, total_ms, link, source``.
``council_votes``
    ``undl_id, state, country, vote`` (yes, no, abstain, absent) of the Council's members on
    each adopted resolution. A permanent member's "no" defeats a draft, so adopted resolutions
    almost never carry one: the vetoes live in the next table.
``council_vetoes``
    One row per vetoed draft and vetoing member: ``item`` (the draft's number in the list),
    ``draft, date, year, meeting_record, agenda_item, crisis_topic, region, state, country``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import validated
from hedgewatch.store._database import Store, get_store
from hedgewatch.store._votes import _year_bounds

RESOLUTIONS = "council_resolutions"
VOTES = "council_votes"
VETOES = "council_vetoes"
TABLES = (RESOLUTIONS, VOTES, VETOES)
COUNCIL_VOTE_VALUES = ("yes", "abstain", "no", "absent")


def _window(column: str, start: object, end: object) -> tuple[list[str], list[object]]:
    lo, hi = _year_bounds(start, end)
    where: list[str] = []
    params: list[object] = []
    if lo is not None:
        where.append(f"{column} >= ?")
        params.append(lo)
    if hi is not None:
        where.append(f"{column} <= ?")
        params.append(hi)
    return where, params


def _codes(countries: Sequence[str] | str | None) -> list[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    return [_countries.resolve(c) for c in countries]


@validated
def council_resolutions(
    *, start: object = None, end: object = None, store: Store | str | None = None
) -> pd.DataFrame:
    """Resolutions the Security Council adopted, one row each, by date.

    Parameters
    ----------
    start, end
        Years (``2006``) or dates (``"2017-09-11"``), inclusive.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame ``undl_id, resolution, date, year, title, subjects, total_yes, total_no,
    total_abstentions, total_non_voting, total_ms, link, source``.
    """
    st = get_store(store)
    where, params = _window("date", start, end)
    sql = f"select * from {RESOLUTIONS}"
    if where:
        sql += " where " + " and ".join(where)
    df = st.query(sql + " order by date, undl_id", params, tables=TABLES)
    df["date"] = pd.to_datetime(df["date"])
    return df


@validated
def council_votes(
    countries: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    include_absent: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Votes of Council members on adopted resolutions, one row per member per resolution.

    Parameters
    ----------
    countries
        Codes or names of members to keep; default all.
    start, end
        As in :func:`council_resolutions`.
    include_absent
        Keep the rows of members that did not vote.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame ``undl_id, resolution, date, year, title, country, state, vote`` with vote a
    categorical of ``yes, abstain, no`` (and ``absent`` when asked for).
    """
    st = get_store(store)
    where, params = _window("r.date", start, end)
    if not include_absent:
        where.append("v.vote <> 'absent'")
    codes = _codes(countries)
    if codes is not None:
        where.append(f"v.country in ({','.join('?' * len(codes))})" if codes else "false")
        params.extend(codes)
    sql = (
        "select v.undl_id, r.resolution, r.date, r.year, r.title, v.country, v.state, v.vote "
        f"from {VOTES} v join {RESOLUTIONS} r using (undl_id)"
    )
    if where:
        sql += " where " + " and ".join(where)
    df = st.query(sql + " order by r.date, v.undl_id, v.country", params, tables=TABLES)
    df["date"] = pd.to_datetime(df["date"])
    cats = list(COUNCIL_VOTE_VALUES if include_absent else COUNCIL_VOTE_VALUES[:3])
    df["vote"] = pd.Categorical(df["vote"], categories=cats)
    return df


@validated
def vetoes(
    countries: Sequence[str] | str | None = None,
    *,
    start: object = None,
    end: object = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Vetoed Security Council drafts, one row per draft and vetoing member.

    Parameters
    ----------
    countries
        Vetoing members to keep (``"RUS"`` also finds the USSR's vetoes, whose ``country``
        is ``RUS``); default all.
    start, end
        As in :func:`council_resolutions`.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    DataFrame ``item, draft, date, year, meeting_record, agenda_item, crisis_topic, region,
    state, country``.
    """
    st = get_store(store)
    where, params = _window("date", start, end)
    codes = _codes(countries)
    if codes is not None:
        where.append(f"country in ({','.join('?' * len(codes))})" if codes else "false")
        params.extend(codes)
    sql = f"select * from {VETOES}"
    if where:
        sql += " where " + " and ".join(where)
    df = st.query(sql + " order by date, item, country", params, tables=TABLES)
    df["date"] = pd.to_datetime(df["date"])
    return df


def write_council(con: Any, record: Any) -> dict[str, int]:
    """Write a :class:`~hedgewatch.sources.records.CouncilRecord` inside an open transaction:
    resolutions and their votes upserted by ``undl_id``; vetoes, when the record has any,
    replace the stored list (a veto file is the whole list)."""
    present = {r[0] for r in con.execute("show tables").fetchall()}
    counts = {"council_resolutions": 0, "council_votes": 0, "council_vetoes": 0}
    parts = (
        (RESOLUTIONS, record.resolutions, ["undl_id"]),
        (VOTES, record.votes, ["undl_id"]),
        (VETOES, record.vetoes, None),
    )
    for table, frame, key in parts:  # key None: the frame replaces the table
        if frame is None or frame.empty:
            continue
        con.register("_in", frame)
        if key is None:
            con.execute(f"create or replace table {table} as select * from _in")
        elif table in present:
            on = " and ".join(f"t.{k} = _in.{k}" for k in key)
            con.execute(f"delete from {table} t using _in where {on}")
            con.execute(f"insert into {table} by name select * from _in")
        else:
            con.execute(f"create table {table} as select * from _in")
        con.unregister("_in")
        counts[table] = len(frame)
    return counts


@validated
def import_council(
    record: Any, *, store: Store | str | None = None, provenance: str = ""
) -> dict[str, int]:
    """Add Security Council resolutions, votes and vetoes to the store, atomically.

    A resolution already held (same ``undl_id``) is replaced with its votes; vetoes replace
    the stored list.
    """
    from hedgewatch.store._votes import note_import

    st = get_store(store)
    with st.transaction(tables=TABLES) as con:
        load_council_bundle(con)  # inside the write: waiting for the lock loses nothing
        counts = write_council(con, record)
        note_import(con, provenance)
    return counts


def load_council_bundle(con: Any) -> None:
    """Inside an import's transaction: an import adds to the bundled tables, so load those
    the store lacks first (on a fresh store)."""
    from hedgewatch.store._database import load_bundled

    load_bundled(con, TABLES)


@validated
def council_info(store: Store | str | None = None) -> dict[str, object]:
    """Figures of the Security Council tables: resolutions, votes, vetoes, years covered."""
    st = get_store(store)
    st.ensure(*TABLES)
    r = st.query(
        f"select count(*) as n, list(distinct year order by year) as years from {RESOLUTIONS}"
    ).iloc[0]
    n_votes = int(st.query(f"select count(*) as n from {VOTES}").iloc[0]["n"])
    vt = st.query(
        f"select count(distinct item) as drafts, count(*) as vetoes, min(date) as first, "
        "max(date) as last "
        f"from {VETOES}"
    ).iloc[0]
    from hedgewatch.store._votes import _ranges

    return {
        "resolutions": int(r["n"]),
        "resolution_years": _ranges([int(y) for y in r["years"]]),
        "votes": n_votes,
        "vetoed_drafts": int(vt["drafts"]),
        "vetoes": int(vt["vetoes"]),
        "vetoes_from": pd.Timestamp(vt["first"]).date() if pd.notna(vt["first"]) else None,
        "vetoes_to": pd.Timestamp(vt["last"]).date() if pd.notna(vt["last"]) else None,
    }
