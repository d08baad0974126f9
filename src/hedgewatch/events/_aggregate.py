"""Event aggregation: per file into summable partials, then per period with normalised intensity.

Partials (:func:`partial_aggregate`)
    One file's events summed per day and directed pair ``(date, country_a, country_b)``:
    ``events``, the four quad-class counts, the Goldstein sum, mentions, sources, articles,
    the tone sum and the event *weight* sum. Every sum is kept as an exact integer (Goldstein
    scores in tenths, tone and weight in millionths), so partials of different files add up
    to the same totals in any order: the embedded (DuckDB) and the distributed (Dask) engines
    give identical tables by construction. :func:`sum_partials` adds partials.

Event weight
    Each event's ``weight = g + sign(g) * (0.025 * sources + 0.01 * articles + 0.01 * |tone|)``,
    with ``g`` its Goldstein score: the per-event score of the daily dyad layout
    (``edge_weight``), whose day value is the sum over events, so that event-level and
    dyad-level data can be read with the same measure. It mixes *how much* happens (it is a
    sum) with *how cooperative* it is (its sign).

Periods (:func:`aggregate`)
    Daily rows summed to ``day``, ``week`` (ISO), ``month``, ``quarter`` or ``year``, with
    each pair's share of the state's total: ``intensity = events(a, b) / events(a, .)`` and
    ``weight_share = weight(a, b) / sum over days and partners of |weight(a, .)|``, the
    state's total event volume. Normalising by the state's own volume keeps news coverage
    from reading as warmth: a month in which everything about the state is reported twice as
    much doubles the numerator and the denominator alike (the known trap of event data;
    Schrodt 2012, Ward et al. 2013).

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution* 36(2): 369-385.
Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone,
1979-2012. ISA Annual Convention, San Francisco.
Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations: Event and Actor
Codebook, version 1.1b3. Pennsylvania State University.
Ward, M. D., Beger, A., Cutler, J., Dickenson, M., Dorff, C. and Radford, B. (2013).
Comparing GDELT and ICEWS event data. *Analysis* 21(1): 267-297.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hedgewatch._validation import check_choice, validated
from hedgewatch.sources._events import QUAD_CLASSES

KEYS = ("date", "country_a", "country_b")
#: Summed columns of a partial, in order. ``*_x10`` are tenths, ``*_e6`` millionths.
SUMS = (
    "events",
    *QUAD_CLASSES,
    "goldstein_x10",
    "mentions",
    "sources",
    "articles",
    "tone_e6",
    "weight_e6",
)
PARTIAL_SCHEMA = pa.schema(
    [("date", pa.date32()), ("country_a", pa.string()), ("country_b", pa.string())]
    + [(c, pa.int64()) for c in SUMS]
)
#: Count columns of the daily table; NaN for the dyad layout, which has weights only.
COUNTS = ("events", *QUAD_CLASSES)
PERIODS = ("day", "week", "month", "quarter", "year")


def partial_aggregate(events: pa.Table) -> pa.Table:
    """Sum one file's events per day and directed pair (exact integer sums, see above).

    Parameters
    ----------
    events
        Normalised events (:data:`~hedgewatch.sources._events.EVENT_SCHEMA`). Events with an
        actor that is not a state (null country) are left out.

    Returns
    -------
    Arrow table :data:`PARTIAL_SCHEMA`, one row per ``(date, country_a, country_b)``.
    """
    keep = pc.and_(pc.is_valid(events["country_a"]), pc.is_valid(events["country_b"]))
    ev = events.filter(keep)
    quad = _np(ev["quad_class"], np.int8, 0)
    gold = _np(ev["goldstein"], np.float64, 0.0)
    g10 = np.rint(gold * 10).astype(np.int64)
    cols: dict[str, object] = {k: ev[k] for k in KEYS}
    cols["events"] = np.ones(len(quad), dtype=np.int64)
    for i, name in enumerate(QUAD_CLASSES, start=1):
        cols[name] = (quad == i).astype(np.int64)
    cols["goldstein_x10"] = g10
    for name in ("mentions", "sources", "articles"):
        cols[name] = ev[name]
    tone = _np(ev["tone"], np.float64, 0.0)
    cols["tone_e6"] = pa.array(np.rint(tone * 1e6).astype(np.int64), mask=_nulls(ev["tone"]))
    cols["weight_e6"] = _weight_e6(g10, ev)
    return _sum_by_key(pa.table(cols))


def _sum_by_key(table: pa.Table) -> pa.Table:
    out = table.group_by(list(KEYS), use_threads=False).aggregate([(c, "sum") for c in SUMS])
    # only the key columns may need a cast (dictionary-encoded countries); the sums are int64
    cols = [out[f"{c}_sum" if c in SUMS else c] for c in PARTIAL_SCHEMA.names]
    cols = [
        c if c.type == f.type else c.cast(f.type) for c, f in zip(cols, PARTIAL_SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(cols, schema=PARTIAL_SCHEMA)


def _np(column: pa.ChunkedArray, dtype: type, fill: object) -> np.ndarray:
    """The column as numpy, nulls replaced by ``fill``."""
    if column.null_count:
        column = column.fill_null(fill)
    return np.asarray(column.to_numpy(), dtype=dtype)


def _nulls(column: pa.ChunkedArray) -> np.ndarray | None:
    n = column.null_count
    return column.is_null().to_numpy(zero_copy_only=False) if n else None


def _weight_e6(g10: np.ndarray, ev: pa.Table) -> np.ndarray:
    """Per-event weight in millionths (see the module docs); missing terms count as 0."""

    def term(name: str) -> np.ndarray:
        return _np(ev[name], np.int64, 0)

    tone = np.abs(_np(ev["tone"], np.float64, 0.0))
    extra = 25_000 * term("sources") + 10_000 * term("articles") + np.rint(tone * 10_000)
    return g10 * 100_000 + np.sign(g10) * extra.astype(np.int64)


def sum_partials(parts: Iterable[pa.Table]) -> pa.Table:
    """Add partials (of several files) per day and pair; exact, so any order gives the same."""
    tables = [p for p in parts if p.num_rows]
    if not tables:
        return PARTIAL_SCHEMA.empty_table()
    return _sum_by_key(pa.concat_tables(tables))


def dyad_partial(dyads: pa.Table) -> pa.Table:
    """The daily dyad layout as a partial: the weight only (counts unknown: null)."""
    n = dyads.num_rows
    cols: dict[str, pa.Array] = {k: dyads[k] for k in KEYS}
    for c in SUMS:
        cols[c] = pa.nulls(n, pa.int64())
    w = dyads["weight"].to_numpy()
    cols["weight_e6"] = pa.array(np.rint(w * 1e6).astype(np.int64))
    return pa.table(cols, schema=PARTIAL_SCHEMA)


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------
def period_labels(dates: pd.Series, by: str | None) -> pd.Series:
    """Period of each date: ``2023-09-13``, ``2023-W37`` (ISO week), ``2023-09``, ``2023Q3``,
    the year as an integer, or ``"all"`` (``by=None``: one window). Labels sort in time
    order."""
    d = pd.to_datetime(dates)
    if by is None:
        return pd.Series("all", index=d.index)
    if by == "year":
        return d.dt.year.astype("int64")
    if by == "quarter":
        return d.dt.year.astype(str) + "Q" + d.dt.quarter.astype(str)
    if by == "month":
        return d.dt.strftime("%Y-%m")
    if by == "week":
        iso = d.dt.isocalendar()
        return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    return d.dt.strftime("%Y-%m-%d")


def symmetric(daily: pd.DataFrame, *, domestic: bool = False) -> pd.DataFrame:
    """Each unordered pair in both orientations, both directions summed.

    ``country_a`` is then the state whose volume normalises the row. Works for directed
    data (rows a->b and b->a) and undirected data (one row per pair) alike. Domestic rows
    (``country_a == country_b``) are dropped unless ``domestic``.
    """
    same = daily["country_a"] == daily["country_b"]
    inter = daily[~same]
    swapped = inter.rename(columns={"country_a": "country_b", "country_b": "country_a"})
    parts = [inter, swapped] + ([daily[same]] if domestic else [])
    both = pd.concat(parts, ignore_index=True)
    num = [c for c in both.columns if c not in ("date", "country_a", "country_b", "dataset")]
    return both.groupby(["date", "country_a", "country_b"], as_index=False)[num].sum(min_count=1)


@validated
def aggregate(
    daily: pd.DataFrame,
    *,
    by: str = "year",
    directed: bool = False,
    domestic: bool = False,
) -> pd.DataFrame:
    """Sum daily dyad rows per period and normalise by each state's total event volume.

    Parameters
    ----------
    daily
        Daily rows (:func:`hedgewatch.store.event_days`): ``date, country_a, country_b`` and
        the sums ``events, verbal_coop, material_coop, verbal_conflict, material_conflict,
        goldstein_sum, weight`` (counts may be NaN: the dyad layout has weights only).
    by
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"`` or ``"year"`` (default).
    directed
        Keep directions (``country_a`` acted on ``country_b``). Default: undirected, each pair
        in both orientations, as seen by ``country_a``.
    domestic
        Keep domestic rows (``country_a == country_b``); they never count in the totals.

    Returns
    -------
    DataFrame ``period, country_a, country_b, days, events, <quad classes>, goldstein_sum,
    goldstein_mean, weight, intensity, weight_share`` where ``intensity`` is the pair's share
    of ``country_a``'s events and ``weight_share`` its weight over ``country_a``'s total
    absolute weight (see the module docs).

    References
    ----------
    Goldstein (1992), Journal of Conflict Resolution 36(2); Leetaru and Schrodt (2013).
    """
    check_choice(by, "by", PERIODS)
    rows = daily.copy()
    if not directed:
        rows = symmetric(rows, domestic=domestic)
    inter = rows["country_a"] != rows["country_b"]
    rows["abs_weight"] = rows["weight"].abs().where(inter, 0.0)
    rows["period"] = period_labels(rows["date"], by)
    num = [c for c in (*COUNTS, "goldstein_sum", "weight", "abs_weight") if c in rows]
    g = rows.groupby(["period", "country_a", "country_b"], as_index=False)
    out = g[num].sum(min_count=1)
    out["days"] = rows.groupby(["period", "country_a", "country_b"])["date"].nunique().to_numpy()
    ext = out[out["country_a"] != out["country_b"]]
    totals = ext.groupby(["period", "country_a"])[["events", "abs_weight"]].sum(min_count=1)
    t = totals.reindex(pd.MultiIndex.from_frame(out[["period", "country_a"]]))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["goldstein_mean"] = out["goldstein_sum"] / out["events"]
        out["intensity"] = out["events"].to_numpy() / t["events"].to_numpy()
        out["weight_share"] = out["weight"].to_numpy() / t["abs_weight"].to_numpy()
    cols = ["period", "country_a", "country_b", "days", *COUNTS, "goldstein_sum"]
    cols += ["goldstein_mean", "weight", "intensity", "weight_share"]
    return out[cols].sort_values(["period", "country_a", "country_b"]).reset_index(drop=True)
