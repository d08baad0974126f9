"""The atlas in one call: fetch the whole world's record, place every state, cache the result.

:func:`atlas` fetches the table its measure reads (the votes, for the vote-based measures)
and runs :func:`hedgewatch.alignment.atlas`; the frame is cached in the store, keyed by
the data version and every argument, so the web app and a second call get it at once.
:func:`register_source` is the hook for a measure on another table: it says how to fetch
that table for a window. The ``events`` measure reads the daily event rows of every country
(:func:`hedgewatch.store.event_days`, one dataset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import caller, check_choice, check_param, fail, validated
from hedgewatch.alignment._atlas import MEASURES
from hedgewatch.alignment._atlas import atlas as _atlas
from hedgewatch.errors import InsufficientDataError
from hedgewatch.store import Store, event_days, get_store, has_events, votes

#: Bump when the atlas frame's layout or numbers change (invalidates cached atlases).
_VERSION = "atlas-v1"

#: How to fetch each table a measure may read:
#: ``fetch(store, start=, end=, issues=, important_only=, dataset=)``.
Fetch = Callable[..., pd.DataFrame]
SOURCES: dict[str, Fetch] = {}


def register_source(table: str, fetch: Fetch) -> None:
    """Say how :func:`atlas` fetches ``table`` for a measure that reads it (e.g. events)."""
    SOURCES[table] = fetch


def _fetch_votes(store: Store, *, start, end, issues, important_only, dataset) -> pd.DataFrame:
    v = votes(start=start, end=end, issues=issues, important_only=important_only, store=store)
    if v.empty:
        raise InsufficientDataError(
            f"{caller()}(): no votes in the window selected (start={start!r}, end={end!r}, "
            f"issues={issues!r}). Widen the window or drop a filter."
        )
    return v


register_source("votes", _fetch_votes)

#: Why an event measure cannot run on a store without event data (after "got 'events'").
NO_EVENTS = (
    "{measure!r}, and {store} holds no event data: import some first with 'hedgewatch "
    "events import FILE' (a GDELT export, the daily dyad file, an event CSV) or 'hedgewatch "
    "events fetch --from DATE --to DATE'"
)


def available(measure: str, store: Store) -> bool:
    """Whether ``store`` holds the data ``measure`` reads (votes are always there)."""
    table = MEASURES[measure].table
    return table in SOURCES and (table != "events" or has_events(store))


def _fetch_events(store: Store, *, start, end, issues, important_only, dataset) -> pd.DataFrame:
    check_param(issues is None, "issues", "None for the events measure", issues)
    check_param(not important_only, "important_only", "False for the events measure", True)
    # the columns the events measure reads; unsorted (the atlas needs no order)
    daily = event_days(
        dataset=dataset,
        start=start,
        end=end,
        columns=["events", "weight"],
        sort=False,
        store=store,
    )
    if daily.empty:
        raise InsufficientDataError(
            f"{caller()}(): no events in the window selected (start={start!r}, end={end!r}). "
            "Widen the window."
        )
    return daily


register_source("events", _fetch_events)


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
    dataset: str | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Every state's position between two powers, per period, from the stored record.

    Parameters
    ----------
    powers
        The two powers ``(A, B)``: position -1 is A, +1 is B.
    by, measure, level, n_boot, seed, drop_unanimous
        As in :func:`hedgewatch.alignment.atlas`. ``measure="events"`` places every state
        by its event data (the store must hold some: ``hedgewatch events import``).
    start, end, issues, important_only
        Window and filters, as in :func:`hedgewatch.votes` (``start``/``end`` only, as
        years or dates, for events).
    dataset
        With ``measure="events"``: the event dataset (default: the only one loaded).
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
    >>> hw.atlas(("CHN", "RUS"), measure="events")            # doctest: +SKIP
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
    check_param(
        dataset is None or spec.table == "events",
        "dataset",
        "None unless measure='events'",
        dataset,
    )
    st = get_store(store)
    if not available(measure, st):
        usable = [m for m in MEASURES if available(m, st)]
        raise fail(
            "measure",
            f"a measure whose data the store holds (one of {', '.join(map(repr, usable))})",
            measure,
            got=NO_EVENTS.format(measure=measure, store=st.path),
        )
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
        dataset,
    )

    def compute() -> pd.DataFrame:
        data = fetch(
            st,
            start=start,
            end=end,
            issues=issues,
            important_only=important_only,
            dataset=dataset,
        )
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
