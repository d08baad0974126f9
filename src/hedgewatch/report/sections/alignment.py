"""Sections on UN votes: alignment with each power, the hedging index, issue alignment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch.alignment import side_taking
from hedgewatch.alignment._pivots import pivots
from hedgewatch.alignment.hedging import hedging_index
from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context
from hedgewatch.store import ISSUES

REFS_ALIGN = (
    "Voeten, E. (2000). Clashes in the Assembly. International Organization 54(2): 185-215.",
    "Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints "
    "with a linear computational cost. Journal of the American Statistical Association "
    "107(500): 1590-1598.",
    "Truong, C., Oudre, L. and Vayatis, N. (2020). Selective review of offline change point "
    "detection methods. Signal Processing 167: 107299.",
)
REFS_HEDGE = (
    "Kuik, C.-C. (2008). The essence of hedging: Malaysia and Singapore's response to a rising "
    "China. Contemporary Southeast Asia 30(2): 159-185.",
    "Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.",
    REFS_ALIGN[0],
)


def yearly(ctx: Context, powers: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The yearly hedging-index frame of the state against ``powers`` (cached)."""
    powers = powers or ctx.powers
    n_boot = int(ctx.setting("n_boot"))

    def compute() -> pd.DataFrame:
        h = hedging_index(ctx.votes, ctx.state, list(powers), by="year", n_boot=n_boot)
        return h[h["n_votes"] >= 10].reset_index(drop=True)

    parts = (ctx.state, powers, ctx.start, n_boot)
    return ctx.cached("report:hedging-yearly", parts, compute)


def window(ctx: Context) -> pd.DataFrame:
    """The hedging index over the recent window (one row)."""
    since = int(ctx.setting("recent_from"))
    recent = ctx.votes[ctx.votes["year"] >= since]
    return hedging_index(
        recent, ctx.state, list(ctx.powers[:2]), by=None, n_boot=int(ctx.setting("n_boot"))
    )


def alignment_section(ctx: Context) -> Section:
    """Agreement of the state with each power by year, with change points marked."""
    h = yearly(ctx)
    marks, rows, measures = {}, [], []
    for p in ctx.powers:
        found = _cached_pivots(ctx, h, f"agree_{p}")
        marks[f"with {ctx.name(p)}"] = list(found["period"])
        found = found.assign(period=_dated(found))
        rows.append(found.assign(series=f"agreement with {ctx.name(p)}"))
        measures += _pivot_measures(ctx, h, found, p)
    series = [(f"agree_{p}", f"with {ctx.name(p)}") for p in ctx.powers]
    a, b = ctx.powers[:2]
    if f"agree_{a}_{b}" in h:
        series.append((f"agree_{a}_{b}", f"{ctx.name(a)} with {ctx.name(b)}"))
    svg = figures.band_lines(
        h, series, ylabel="agreement (Voeten)", ylim=(0, 1.02), marks=marks, key="alignment"
    )
    fig = Figure(
        "alignment",
        f"Agreement of {ctx.name(ctx.state)} with each power",
        svg,
        "Yearly dyadic agreement (yes = 1, abstain = 0.5, no = 0; agreement = 1 - "
        "|difference|), 95% bootstrap bands over roll calls; dashed lines mark change "
        "points (PELT, BIC penalty). Grey spans: years with no votes in the loaded data (no "
        "line is drawn across them).",
    )
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    table = (
        table[["series", "period", "before", "after", "size", "stability"]] if len(table) else table
    )
    paragraphs = (_lead(ctx, h), *_after_hole_note(h))
    return Section(
        "alignment",
        "Alignment with each power over time",
        paragraphs=paragraphs,
        figures=(fig,),
        tables=(Table("Change points (pivots)", table.round(3)),),
        measurements=tuple(measures),
        references=REFS_ALIGN,
    )


def _cached_pivots(ctx: Context, h: pd.DataFrame, column: str) -> pd.DataFrame:
    """Change points of one series, cached by the series' values (the bootstrap is slow)."""
    values = tuple(zip(h["period"].tolist(), h[column].round(12).tolist(), strict=True))
    found = ctx.cached("report:pivots", ("v2", column, values), lambda: _pivots(h, column))
    found["period"] = pd.to_numeric(found["period"])
    found["earliest"] = pd.to_numeric(found["earliest"])
    return found


#: Shortest regime the report's change-point detection accepts (``pivots(min_size=...)``).
MIN_REGIME = 3


def _after_hole_note(h: pd.DataFrame) -> tuple[str, ...]:
    """A sentence when the years after the last hole are too few to form a regime: no change
    point can be found there yet, which is not evidence of no change."""
    from hedgewatch._periods import missing, ranges

    years = sorted(int(y) for y in pd.to_numeric(h["period"]).dropna())
    holes = missing(years)
    if not holes:
        return ()
    after = [y for y in years if y > holes[-1]]
    if not 0 < len(after) < MIN_REGIME:
        return ()
    return (
        f"The {len(after)} year(s) after the gap in the loaded votes ({ranges(after)}) are too "
        f"few to form a regime of their own ({MIN_REGIME} needed): a change point there cannot "
        "be detected until more years are loaded, which is not evidence that nothing changed.",
    )


def _dated(found: pd.DataFrame) -> list[str]:
    """A change's period as shown: ``"2022-2025"`` when it follows a hole in the record
    (it happened somewhere in the hole), else the period itself."""
    return [
        f"{int(e)}-{int(p)}" if e != p else str(int(p))
        for p, e in zip(found["period"], found["earliest"], strict=True)
    ]


def _pivots(h: pd.DataFrame, column: str) -> pd.DataFrame:
    try:
        return pivots(h, column=column, n_boot=100)
    except InsufficientDataError:
        return pd.DataFrame(
            columns=["period", "earliest", "before", "after", "size", "direction", "stability"]
        )


def _pivot_measures(
    ctx: Context, h: pd.DataFrame, found: pd.DataFrame, power: str
) -> list[Measurement]:
    role, name = ctx.role(power), ctx.name(power)
    if role not in ("A", "B"):
        return []
    since = int(ctx.setting("pivot_from"))
    up = found[(found["size"] > 0) & (pd.to_numeric(found["period"]) >= since)]
    label = f"largest rise in agreement with {name} from {since} on"
    empty = _empty_window(ctx, h, since)
    if empty:  # no vote from pivot_from on: "no pivot" would be a verdict on no data
        nan = float("nan")
        return [
            Measurement(f"pivot_{role}_size", nan, label, "alignment", note=empty),
            Measurement(
                f"pivot_{role}_gap_change",
                nan,
                f"gap change across a pivot toward {name}",
                "alignment",
                note=empty,
            ),
        ]
    if up.empty:
        return [Measurement(f"pivot_{role}_size", 0.0, label, "alignment")]
    top = up.loc[up["size"].idxmax()]
    year = int(top["period"])
    other = ctx.powers[1] if role == "A" else ctx.powers[0]
    gap = h[f"agree_{other}"] - h[f"agree_{power}"]
    years = pd.to_numeric(h["period"])
    # Means over the years *with votes* in each five-year window: a missing year is not a
    # value. A window left with fewer than two such years gives no measurement.
    start = int(top["earliest"])
    before_w = gap[(years < start) & (years >= start - 5)].dropna()
    after_w = gap[(years >= year) & (years < year + 5)].dropna()
    change = (
        float(after_w.mean() - before_w.mean())
        if len(before_w) >= 2 and len(after_w) >= 2
        else float("nan")
    )
    when = f"{start}-{year}" if start != year else str(year)
    return [
        Measurement(f"pivot_{role}_size", float(top["size"]), label, "alignment"),
        Measurement(
            f"pivot_{role}_year",
            float(year),
            f"year of the rise toward {name} (first year observed after it: {when})",
            "alignment",
        ),
        Measurement(
            f"pivot_{role}_stability",
            float(top["stability"]),
            f"bootstrap stability of the rise toward {name}",
            "alignment",
        ),
        Measurement(
            f"pivot_{role}_gap_change",
            change,
            f"change in (agreement with {ctx.name(other)} - agreement with {name}), mean of "
            f"the years with votes in the 5 from {year} minus the 5 before {start} "
            f"({len(after_w)} and {len(before_w)} years)",
            "alignment",
        ),
    ]


def _lead(ctx: Context, h: pd.DataFrame) -> str:
    last = h.iloc[-1]
    parts = [f"{ctx.name(p)} {last[f'agree_{p}']:.2f}" for p in ctx.powers]
    return (
        f"In {last['period']}, {ctx.name(ctx.state)}'s agreement with "
        + ", ".join(parts)
        + f" ({int(last['n_votes'])} roll calls common to all)."
    )


def hedging_section(ctx: Context) -> Section:
    """Position between the first two powers and free agency, by year and recent window."""
    a, b = ctx.powers[:2]
    h = yearly(ctx, (a, b))
    since = int(ctx.setting("recent_from"))
    empty = ctx.window_note("recent_from")
    w = None if empty else window(ctx)
    found = _cached_pivots(ctx, h, "position")
    window_years = ctx.years_since(int(ctx.setting("recent_from")))
    svg_pos = figures.band_lines(
        h,
        [("position", f"position (-1 = {ctx.name(a)}, +1 = {ctx.name(b)})")],
        ylim=(-1.05, 1.05),
        hline=0.0,
        marks={"": list(found["period"])},
        ylabel="position",
        key="hedging-position",
    )
    svg_free = figures.band_lines(
        h, [("free_agency", "free agency")], ylabel="free agency", key="hedging-free"
    )
    sides_text, sides_measures = _sides(ctx, since, empty)
    measures = _window_measures(ctx, None if w is None else w.iloc[0], since, empty)
    measures += _position_pivot_measures(ctx, found, h) + sides_measures
    if w is None:
        summary = pd.DataFrame(columns=["measure", "value", "95% interval"])
        text = f"Recent window: {empty}."
    else:
        row = w.iloc[0]
        summary = _window_table(ctx, w, since)
        text = (
            f"Since {since}, {ctx.name(ctx.state)}'s position between {ctx.name(a)} (-1) and "
            f"{ctx.name(b)} (+1) is {row['position']:.2f} (95% interval "
            f"{row['position_lo']:.2f} to {row['position_hi']:.2f}); free agency "
            f"{row['free_agency']:.3f} ({int(row['n_votes'])} common roll calls of "
            f"{window_years}: the window pools the roll calls of the years present)."
        )
    return Section(
        "hedging",
        "Hedging index",
        paragraphs=(
            "Position = (d(X,A) - d(X,B)) / d(A,B) with d = 1 - agreement: where the state "
            "projects on the axis between the two powers. Free agency = (d(X,A) + d(X,B) - "
            "d(A,B)) / 2: how far it stands off that axis, taking positions neither takes.",
            text,
            *_after_hole_note(h),
            sides_text,
        ),
        figures=(
            Figure(
                "hedging-position",
                "Hedging position by year",
                svg_pos,
                "Position with 95% bootstrap band; dashed lines: change points.",
            ),
            Figure(
                "hedging-free",
                "Free agency by year",
                svg_free,
                "Distance from the segment between the two powers, 95% band.",
            ),
        ),
        tables=(
            Table(f"Recent window ({since} on)", summary, f"Years with votes: {window_years}."),
            Table(
                "Change points of the position",
                found.assign(period=_dated(found))[
                    ["period", "before", "after", "size", "stability"]
                ].round(3),
                "A change first seen just after years without votes is dated to the whole "
                "gap (it happened somewhere in it).",
            ),
        ),
        measurements=tuple(measures),
        references=REFS_HEDGE,
    )


def _empty_window(ctx: Context, h: pd.DataFrame, since: int) -> str:
    """Why the yearly series ``h`` has no year from ``since`` on ("" when it has some)."""
    if (pd.to_numeric(h["period"]) >= since).any():
        return ""
    return ctx.window_note("pivot_from") or (
        f"no year from {since} on with enough common roll calls; set 'pivot_from' to an "
        "earlier year in a claims file's settings (--claims) to measure it"
    )


def _sides(ctx: Context, since: int, empty: str = "") -> tuple[str, list[Measurement]]:
    """Side-taking since ``since``: on the roll calls that divided the first two powers, the
    share on which the state voted with each (and with neither). ``empty``: why the window
    holds no vote (its measures are then NaN with that note: not measurable)."""
    a, b = ctx.powers[:2]
    if empty:
        label = f"share of votes dividing the powers on which it sided with {{}}, since {since}"
        return f"Side-taking since {since}: not measurable ({empty}).", [
            Measurement(key, float("nan"), label.format(who), "hedging-position", note=empty)
            for key, who in (
                ("side_A", ctx.name(a)),
                ("side_B", ctx.name(b)),
                ("side_neither", "neither power"),
            )
        ]
    recent = ctx.votes[ctx.votes["year"] >= since]
    try:
        r = side_taking(recent, (a, b), countries=ctx.state, by=None).iloc[0]
    except InsufficientDataError as exc:
        return f"Side-taking since {since}: not measurable ({exc}).", []
    n = int(r["n_divided"])
    span = f"since {since} ({ctx.years_since(since)})"
    text = (
        f"Since {since} ({ctx.years_since(since)}), on the {n} votes that divided "
        f"{ctx.name(a)} and {ctx.name(b)}, "
        f"{ctx.name(ctx.state)} sided with {ctx.name(a)} on {r[f'side_{a}']:.0%}, with "
        f"{ctx.name(b)} on {r[f'side_{b}']:.0%} and with neither on {r['side_neither']:.0%}."
    )
    out = []
    for key, col, who in (
        ("side_A", f"side_{a}", ctx.name(a)),
        ("side_B", f"side_{b}", ctx.name(b)),
        ("side_neither", "side_neither", "neither power"),
    ):
        label = f"share of votes dividing the powers on which it sided with {who}, {span}"
        lo, hi = float(r[f"{col}_lo"]), float(r[f"{col}_hi"])
        out.append(Measurement(key, float(r[col]), label, "hedging-position", lo, hi))
    out.append(Measurement("n_divided", float(n), f"votes dividing the powers {span}", ""))
    return text, out


def _position_pivot_measures(
    ctx: Context, found: pd.DataFrame, h: pd.DataFrame
) -> list[Measurement]:
    """The largest change point of the position toward each power since ``pivot_from``.

    The position axis runs from A (-1) to B (+1), so a shift toward B is a positive change
    and toward A a negative one: this is a *relative* pivot, which a fall in agreement with
    A alone can produce (agreement with B need not rise).
    """
    since = int(ctx.setting("pivot_from"))
    late = found[pd.to_numeric(found["period"]) >= since]
    empty = _empty_window(ctx, h, since)
    out: list[Measurement] = []
    for role, sign in (("A", -1.0), ("B", 1.0)):
        name = ctx.name(ctx.powers["AB".index(role)])
        toward = late[sign * late["size"] > 0]
        label = f"largest shift of the hedging position toward {name} from {since} on"
        if empty:  # no vote from pivot_from on: no pivot can be seen, none is claimed absent
            key = f"position_pivot_{role}_size"
            out.append(Measurement(key, float("nan"), label, "hedging-position", note=empty))
            continue
        dated = dict(zip(found["period"], _dated(found), strict=True))
        if toward.empty:
            out.append(Measurement(f"position_pivot_{role}_size", 0.0, label, "hedging-position"))
            continue
        top = toward.loc[(sign * toward["size"]).idxmax()]
        out += [
            Measurement(
                f"position_pivot_{role}_size", float(sign * top["size"]), label, "hedging-position"
            ),
            Measurement(
                f"position_pivot_{role}_year",
                float(top["period"]),
                f"year of the shift toward {name} (dated {dated[top['period']]})",
                "hedging-position",
            ),
            Measurement(
                f"position_pivot_{role}_stability",
                float(top["stability"]),
                f"bootstrap stability of the shift toward {name}",
                "hedging-position",
            ),
        ]
    return out


def _window_measures(
    ctx: Context, row: pd.Series | None, since: int, note: str = ""
) -> list[Measurement]:
    """The recent-window measurements; NaN with ``note`` when the window is empty."""
    a, b = ctx.powers[:2]
    span = f"since {since} ({ctx.years_since(since)})"
    labels = {
        "position": (
            f"hedging position {span} (-1 = {ctx.name(a)}, +1 = {ctx.name(b)})",
            "hedging-position",
        ),
        "free_agency": (f"free agency {span}", "hedging-free"),
        f"agree_{a}": (f"agreement with {ctx.name(a)} {span}", "alignment"),
        f"agree_{b}": (f"agreement with {ctx.name(b)} {span}", "alignment"),
    }
    out = []
    for col, (label, fig) in labels.items():
        key = col.replace(a, "A").replace(b, "B") if col.startswith("agree_") else col
        nan = float("nan")
        value = nan if row is None else float(row[col])
        lo = nan if row is None else float(row[f"{col}_lo"])
        hi = nan if row is None else float(row[f"{col}_hi"])
        out += [
            Measurement(key, value, label, fig, lo, hi, note=note),
            Measurement(f"{key}_lo", lo, f"{label}, lower 95% bound", fig, note=note),
            Measurement(f"{key}_hi", hi, f"{label}, upper 95% bound", fig, note=note),
        ]
    return out


def _window_table(ctx: Context, w: pd.DataFrame, since: int) -> pd.DataFrame:
    row = w.iloc[0]
    names = [
        c
        for c in w.columns
        if c.startswith(("agree_", "position", "free_agency")) and not c.endswith(("_lo", "_hi"))
    ]
    return pd.DataFrame(
        {
            "measure": names,
            "value": [round(float(row[c]), 3) for c in names],
            "95% interval": [
                f"{row.get(c + '_lo', np.nan):.3f} to {row.get(c + '_hi', np.nan):.3f}"
                if c + "_lo" in w
                else ""
                for c in names
            ],
        }
    )


def issues_section(ctx: Context) -> Section:
    """Agreement with the reference power (default USA) on each Voeten issue."""
    ref = str(ctx.setting("reference"))
    from hedgewatch.store import roll_calls

    rc = roll_calls(store=ctx.store)[["rcid", "issues"]]
    tagged = rc.explode("issues").dropna(subset=["issues"])
    rows = []
    for code, label in ISSUES.items():
        ids = tagged.loc[tagged["issues"] == code, "rcid"]
        sub = ctx.votes[ctx.votes["rcid"].isin(ids)]
        other = next(p for p in ctx.powers if p != ref)
        try:
            h = hedging_index(
                sub, ctx.state, [ref, other], by=None, n_boot=int(ctx.setting("n_boot"))
            )
        except InsufficientDataError:
            continue
        r = h.iloc[0]
        rows.append(
            {
                "issue": label,
                "roll calls": int(r["n_votes"]),
                "agreement": float(r[f"agree_{ref}"]),
                "lo": float(r[f"agree_{ref}_lo"]),
                "hi": float(r[f"agree_{ref}_hi"]),
            }
        )
    if not rows:
        raise InsufficientDataError(
            f"no roll call tagged with a Voeten issue has votes of both {ctx.state} and {ref}."
        )
    t = pd.DataFrame(rows)
    svg = figures.bars(
        list(t["issue"]),
        list(t["agreement"]),
        key="issues",
        ylabel=f"agreement with {ctx.name(ref)}",
        ylim=(0, 1),
        errors=(list(t["lo"]), list(t["hi"])),
    )
    spread = float(t["agreement"].max() - t["agreement"].min())
    m = [
        Measurement(
            "issue_spread",
            spread,
            f"spread of agreement with {ctx.name(ref)} across Voeten issues (max - min)",
            "issues",
        ),
        Measurement(
            "issue_min",
            float(t["agreement"].min()),
            f"lowest agreement with {ctx.name(ref)} on any issue",
            "issues",
        ),
    ]
    return Section(
        "issues",
        f"Issue-specific alignment with {ctx.name(ref)}",
        paragraphs=(
            f"Agreement of {ctx.name(ctx.state)} with {ctx.name(ref)} on the "
            "roll calls of each of Voeten's six issue areas, over the whole "
            "window, with 95% bootstrap intervals. A wide spread means the "
            "opposition is issue-specific rather than across the board.",
        ),
        figures=(
            Figure(
                "issues",
                f"Agreement with {ctx.name(ref)} by issue",
                svg,
                "Bars: agreement; whiskers: 95% bootstrap interval.",
            ),
        ),
        tables=(Table("Agreement by issue", t.round(3)),),
        measurements=tuple(m),
        references=(REFS_ALIGN[0],),
    )
