"""Queries over the UN General Assembly roll-call record in the store.

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

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch.errors import ParameterError
from hedgewatch.store import Store, get_store

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
    "palestine": "me", "middle east": "me", "palestinian conflict": "me",
    "nuclear": "nu", "nuclear weapons": "nu",
    "arms control": "di", "disarmament": "di", "arms": "di",
    "human rights": "hr", "human-rights": "hr", "rights": "hr",
    "colonialism": "co",
    "economic development": "ec", "development": "ec", "economic": "ec",
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
        return pd.Timestamp(x).date()

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
    >>> prk = hw.votes(["PRK", "CHN", "RUS"], start=1991)   # doctest: +SKIP
    """
    if isinstance(countries, str):
        countries = [countries]
    st = get_store(store)
    where, params = _filters(None, start, end, sessions, issues, important_only)
    if not include_absent:
        where.append("v.vote <> 'absent'")
    sql = (
        "select v.rcid, r.session, r.year, r.date, v.country, v.state, v.vote "
        "from votes v join roll_calls r using (rcid)"
    )
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by r.date, v.rcid, v.country"
    df = st.query(sql, params, tables=("votes", "roll_calls"))
    if successors is not None:
        df["country"] = _countries.apply_successors(df["state"], successors).to_numpy()
    if countries is not None:
        keep = {_countries.resolve(c) for c in countries}
        df = df[df["country"].isin(keep)].reset_index(drop=True)
    df["date"] = pd.to_datetime(df["date"])
    cats = list(VOTE_VALUES if include_absent else VOTE_VALUES[:3])
    df["vote"] = pd.Categorical(df["vote"], categories=cats)
    df["session"] = df["session"].astype("int64")
    df["year"] = df["year"].astype("int64")
    return df
