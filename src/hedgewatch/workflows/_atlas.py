"""The atlas in one call: fetch the whole world's record, place every state, cache the result.

:func:`atlas` fetches the table its measure reads (the votes, for the vote-based measures)
and runs :func:`hedgewatch.alignment.atlas`; the frame is cached in the store, keyed by
the data version and every argument, so the web app and a second call get it at once.
:func:`register_source` is the hook for a measure on another table (events): it says how to
fetch that table for a window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import caller, check_choice, check_param, fail, validated
from hedgewatch.alignment._atlas import MEASURES
from hedgewatch.alignment._atlas import atlas as _atlas
from hedgewatch.errors import InsufficientDataError
from hedgewatch.store import Store, get_store, votes

#: Bump when the atlas frame's layout or numbers change (invalidates cached atlases).
_VERSION = "atlas-v1"

#: How to fetch each table a measure may read: ``fetch(store, start=, end=, **filters)``.
Fetch = Callable[..., pd.DataFrame]
SOURCES: dict[str, Fetch] = {}


def register_source(table: str, fetch: Fetch) -> None:
    """Say how :func:`atlas` fetches ``table`` for a measure that reads it (e.g. events)."""
    SOURCES[table] = fetch


def _fetch_votes(store: Store, *, start, end, issues, important_only) -> pd.DataFrame:
    v = votes(start=start, end=end, issues=issues, important_only=important_only, store=store)
    if v.empty:
        raise InsufficientDataError(
            f"{caller()}(): no votes in the window selected (start={start!r}, end={end!r}, "
            f"issues={issues!r}). Widen the window or drop a filter."
        )
    return v


register_source("votes", _fetch_votes)


@validated
def atlas(
    powers: Sequence[str],
    *,
    by: str | None = "year",
    measure: str = "agreement",
    start: object = None,
    end: object = None,
    issues: Iterable[str] | str | None = None,
    important_only: bool = False,
    level: float = 0.95,
    n_boot: int = 200,
    seed: int | None = 0,
    drop_unanimous: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Every state's position between two powers, per period, from the stored record.

    Parameters
    ----------
    powers
        The two powers ``(A, B)``: position -1 is A, +1 is B.
    by, measure, level, n_boot, seed, drop_unanimous
        As in :func:`hedgewatch.alignment.atlas`.
    start, end, issues, important_only
        Window and filters, as in :func:`hedgewatch.votes`.
    store
        A :class:`~hedgewatch.store.Store` or path; default the user store.

    Returns
    -------
    The atlas frame (see :func:`hedgewatch.alignment.atlas`), cached in the store.

    Examples
    --------
    >>> import hedgewatch as hw                               # doctest: +SKIP
    >>> world = hw.atlas(("CHN", "USA"))                      # doctest: +SKIP
    >>> hw.movers(world, period=(2010, 2025), toward="CHN")   # doctest: +SKIP
    """
    check_param(
        not isinstance(powers, str) and len(powers) == 2,
        "powers",
        "a pair of two countries, e.g. ('CHN', 'USA')",
        powers,
    )
    a, b = (_countries.resolve(p, where=f"{caller()}() powers") for p in powers)
    spec = MEASURES[check_choice(measure, "measure", MEASURES)]
    fetch = SOURCES.get(spec.table)
    if fetch is None:
        raise fail(
            "measure",
            f"a measure whose table has a source (registered: {sorted(SOURCES)})",
            measure,
        )
    st = get_store(store)
    issue_key = None if issues is None else tuple([issues] if isinstance(issues, str) else issues)
    parts = (
        _VERSION,
        a,
        b,
        by,
        measure,
        str(start),
        str(end),
        issue_key,
        important_only,
        float(level),
        n_boot,
        seed,
        drop_unanimous,
    )

    def compute() -> pd.DataFrame:
        data = fetch(st, start=start, end=end, issues=issues, important_only=important_only)
        return _atlas(
            data,
            powers=(a, b),
            by=by,
            measure=measure,
            level=level,
            n_boot=n_boot,
            seed=seed,
            drop_unanimous=drop_unanimous,
        )

    return st.cached("atlas", parts, compute)
