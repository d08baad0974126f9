"""Section: where the state stands between the powers in dyadic event data (when loaded).

Shown only when the store holds event data; without it the section is left out (not an
error) and the claims that need it say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch.errors import HedgewatchError, InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context

REFS = (
    "Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. Journal of "
    "Conflict Resolution 36(2): 369-385.",
    "Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global data on events, location and tone, "
    "1979-2012. ISA Annual Convention, San Francisco.",
    "Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations: Event and Actor "
    "Codebook, version 1.1b3. Pennsylvania State University.",
    "Carlstein, E. (1986). The use of subseries values for estimating the variance of a general "
    "statistic from a stationary sequence. Annals of Statistics 14(3): 1171-1179.",
    "Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints "
    "with a linear computational cost. Journal of the American Statistical Association "
    "107(500): 1590-1598.",
)
TITLE = "Event data: position between the powers"
_EMPTY_PIVOTS = ["period", "before", "after", "size", "direction", "stability"]


def events_section(ctx: Context) -> Section | None:
    """The state's event position between the first two powers by quarter, its change points,
    and how it relates to the vote-based position; None when no events are loaded."""
    from hedgewatch.store import event_datasets, has_events

    if not has_events(ctx.store):
        return None
    a, b = ctx.powers[:2]
    daily, dataset = _daily(ctx, list(event_datasets(ctx.store)["dataset"]))
    quarterly = _quarterly(ctx, daily, dataset)
    found = _pivots(ctx, quarterly, dataset)
    since = int(ctx.setting("recent_from"))
    window = _window(ctx, daily, since)
    measures = _window_measures(ctx, window) + _pivot_measures(ctx, found)
    overlap, overlap_note = _overlap(ctx, dataset)
    paragraphs = [
        "Each news report of one state acting toward another is an event, scored from -10 "
        "(conflict) to +10 (cooperation) on the Goldstein scale. The event position is "
        f"(n_B - n_A) / (|n_A| + |n_B|), where n_P is the state's net event weight with power "
        f"P (both directions): -1 = all of it with {ctx.name(a)}, +1 with {ctx.name(b)}. "
        "It is a ratio of two amounts of the same state in the same period, so the volume of "
        "news about the state cancels; the levels are divided by the state's total event "
        "volume (every partner), so a summit's coverage does not read as warmth. Bands: "
        "block bootstrap over days (blocks of 7 days).",
        _lead(ctx, window, dataset, since, daily),
        overlap_note,
    ]
    return Section(
        "events",
        TITLE,
        paragraphs=tuple(p for p in paragraphs if p),
        figures=(_figure(ctx, quarterly, found),),
        tables=(
            Table("Event position by quarter", _shown(quarterly, a, b)),
            Table("Change points of the event position", found[_EMPTY_PIVOTS].round(3)),
            Table("Vote-based and event-based positions, shared years", overlap),
        ),
        measurements=tuple(measures),
        references=REFS,
    )


def _daily(ctx: Context, datasets: list[str]) -> tuple[pd.DataFrame, str]:
    """The daily rows of the state in the dataset that covers it on most days."""
    from hedgewatch.store import event_days

    wanted = ctx.settings.get("events_dataset")
    best, best_days = None, -1
    for ds in [wanted] if wanted else datasets:
        d = event_days([ctx.state], dataset=ds, store=ctx.store)
        if d["date"].nunique() > best_days:
            best, best_days = (d, ds), d["date"].nunique()
    if best is None or best_days == 0:
        raise InsufficientDataError(
            f"event data are loaded ({', '.join(datasets)}) but hold no event of {ctx.state}."
        )
    return best


def _quarterly(ctx: Context, daily: pd.DataFrame, dataset: str) -> pd.DataFrame:
    from hedgewatch.events import event_position

    n_boot = int(ctx.setting("n_boot"))
    a, b = ctx.powers[:2]

    def compute() -> pd.DataFrame:
        return event_position(daily, ctx.state, (a, b), by="quarter", n_boot=n_boot)

    return ctx.cached("report:events-quarterly", (dataset, ctx.state, a, b, n_boot), compute)


def _pivots(ctx: Context, q: pd.DataFrame, dataset: str) -> pd.DataFrame:
    from hedgewatch.alignment import pivots

    def compute() -> pd.DataFrame:
        try:
            return pivots(q, column="position", n_boot=100)
        except InsufficientDataError:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _EMPTY_PIVOTS})

    values = tuple(zip(q["period"], q["position"].round(12), strict=True))
    found = ctx.cached("report:events-pivots", (dataset, values), compute)
    return found.reset_index(drop=True)


def _window(ctx: Context, daily: pd.DataFrame, since: int) -> pd.Series:
    from hedgewatch.events import event_position

    recent = daily[daily["date"].dt.year >= since]
    if recent.empty:
        raise InsufficientDataError(f"no event of {ctx.state} from {since} on.")
    w = event_position(
        recent, ctx.state, ctx.powers[:2], by=None, n_boot=int(ctx.setting("n_boot"))
    )
    row = w.iloc[0].copy()
    row["first"], row["last"] = recent["date"].min(), recent["date"].max()
    return row


def _window_measures(ctx: Context, row: pd.Series) -> list[Measurement]:
    span = f"{row['first']:%Y-%m} to {row['last']:%Y-%m}"
    label = (
        f"event position, {span} (-1 = {ctx.name(ctx.powers[0])}, +1 = {ctx.name(ctx.powers[1])})"
    )
    return [
        Measurement(
            "events_position",
            float(row["position"]),
            label,
            "events",
            float(row["position_lo"]),
            float(row["position_hi"]),
        ),  # fmt: skip
        Measurement(
            "events_position_lo",
            float(row["position_lo"]),
            f"lower end of the 95% interval of the {label}",
            "events",
        ),  # fmt: skip
        Measurement(
            "events_position_hi",
            float(row["position_hi"]),
            f"upper end of the 95% interval of the {label}",
            "events",
        ),  # fmt: skip
    ]


def quarter_time(period: object) -> float:
    """``2023Q3`` -> 2023.5 (the quarter's start as a fractional year)."""
    text = str(period)
    return int(text[:4]) + (int(text[-1]) - 1) / 4


def _pivot_measures(ctx: Context, found: pd.DataFrame) -> list[Measurement]:
    since = int(ctx.setting("pivot_from"))
    out = []
    for role, sign in (("A", -1), ("B", 1)):
        name = ctx.name(ctx.powers["AB".index(role)])
        moves = found[(np.sign(found["size"].astype(float)) == sign)]
        moves = moves[[quarter_time(p) >= since for p in moves["period"]]]
        label = f"largest change point of the quarterly event position toward {name}"
        if moves.empty:
            out.append(Measurement(f"events_pivot_{role}_size", 0.0, label, "events"))
            continue
        top = moves.loc[moves["size"].abs().idxmax()]
        out += [
            Measurement(f"events_pivot_{role}_size", float(abs(top["size"])), label, "events"),
            Measurement(
                f"events_pivot_{role}_period",
                quarter_time(top["period"]),
                f"quarter of that change ({top['period']})",
                "events",
            ),  # fmt: skip
            Measurement(
                f"events_pivot_{role}_stability",
                float(top["stability"]),
                f"bootstrap stability of the move toward {name}",
                "events",
            ),  # fmt: skip
        ]
    return out


def _overlap(ctx: Context, dataset: str) -> tuple[pd.DataFrame, str]:
    """Correlation of vote and event positions over shared (state, year) cells."""
    a, b = ctx.powers[:2]

    def compute() -> pd.DataFrame:
        return _overlap_pairs(ctx, dataset)

    pairs = ctx.cached("report:events-overlap", (dataset, a, b, ctx.start), compute)
    if pairs.empty:
        return pairs, "No year has both votes and events loaded: no comparison."
    from hedgewatch.events import position_correlation

    try:
        res = position_correlation(
            pairs[["state", "period", "vote_position"]].rename(columns={"vote_position": "position"}),
            pairs[["state", "period", "event_position"]].rename(columns={"event_position": "position"}),
        )  # fmt: skip
    except InsufficientDataError as exc:
        return pairs, str(exc)
    years = sorted(pairs["period"].astype(str).unique())
    own = pairs[pairs["state"] == ctx.state].copy()
    note = (
        f"Where votes and events overlap ({', '.join(years)}), the two positions of "
        f"{res.n} state-years correlate at r = {res.r:.2f} (95% interval {res.r_lo:.2f} to "
        f"{res.r_hi:.2f}; Spearman rho = {res.rho:.2f}). They measure different things - how "
        "a state votes against how it is reported to act - so agreement in rank matters more "
        "than in level."
    )
    table = own.rename(columns={"period": "year"}).round(3)
    return table[["state", "year", "vote_position", "event_position"]], note


def _overlap_pairs(ctx: Context, dataset: str) -> pd.DataFrame:
    from hedgewatch.alignment import hedging_index
    from hedgewatch.events import event_positions
    from hedgewatch.store import event_days

    a, b = ctx.powers[:2]
    daily = event_days([a, b], dataset=dataset, store=ctx.store)
    years = sorted(set(daily["date"].dt.year) & set(ctx.votes["year"]))
    cols = ["state", "period", "vote_position", "event_position"]
    if not years:
        return pd.DataFrame(columns=cols)
    ev = event_positions(daily[daily["date"].dt.year.isin(years)], (a, b), by="year")
    v = ctx.votes[ctx.votes["year"].isin(years)]
    rows = []
    for s in sorted(set(ev["state"]) & set(v["country"])):
        try:
            h = hedging_index(v, s, [a, b], by="year", n_boot=0)
        except HedgewatchError:
            continue
        h = h[h["n_votes"] >= 10]
        rows += [(s, str(p), float(x)) for p, x in zip(h["period"], h["position"], strict=True)]
    vp = pd.DataFrame(rows, columns=["state", "period", "vote_position"])
    ev = ev.assign(period=ev["period"].astype(str)).rename(columns={"position": "event_position"})
    out = vp.merge(ev[["state", "period", "event_position"]], on=["state", "period"])
    return out.dropna()[cols].reset_index(drop=True)


def _lead(ctx: Context, row: pd.Series, dataset: str, since: int, daily: pd.DataFrame) -> str:
    a, b = ctx.powers[:2]
    return (
        f"From {row['first']:%B %Y} to {row['last']:%B %Y} (event dataset {dataset!r}, "
        f"{daily['date'].nunique():,} days with events of {ctx.name(ctx.state)}), its event "
        f"position between {ctx.name(a)} (-1) and {ctx.name(b)} (+1) is "
        f"{row['position']:.2f} (95% interval {row['position_lo']:.2f} to "
        f"{row['position_hi']:.2f}); {row['other_share']:.0%} of its event volume involves "
        "neither power."
    )


def _figure(ctx: Context, q: pd.DataFrame, found: pd.DataFrame) -> Figure:
    a, b = ctx.powers[:2]
    t = np.array([quarter_time(p) for p in q["period"]])
    fig, ax = figures.new_axes()
    colour = figures.PALETTE[1]
    ax.plot(t, q["position"], color=colour, lw=1.6,
            label=f"event position (-1 = {ctx.name(a)}, +1 = {ctx.name(b)})")  # fmt: skip
    if "position_lo" in q:
        ax.fill_between(t, q["position_lo"], q["position_hi"], color=colour, alpha=0.15, lw=0)
    for period in found["period"]:
        x = quarter_time(period)
        ax.axvline(x, color="#555555", ls="--", lw=1.0)
        ax.annotate(str(period), (x, 1.0), xycoords=("data", "axes fraction"), fontsize=7,
                    color="#555555", ha="left", va="top")  # fmt: skip
    ax.axhline(0.0, color="#888888", lw=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("position")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    return Figure(
        "events-position",
        "Event position by quarter",
        figures.to_svg(fig, "events-position"),
        "Quarterly event position with its 95% block-bootstrap band; dashed lines: change "
        "points (PELT, BIC penalty), at the start of the first quarter of the new regime.",
    )


def _shown(q: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    cols = ["period", "days", f"value_{a}", f"value_{b}", "position", "position_lo",
            "position_hi", "other_share", "note"]  # fmt: skip
    return q[[c for c in cols if c in q]].round(3)
