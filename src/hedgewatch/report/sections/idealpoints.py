"""Sections on dynamic ideal points: trajectories, predictability, the most surprising votes."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Section, Table
from hedgewatch.report.sections._context import Context

REFS = (
    "Bailey, M. A., Strezhnev, A. and Voeten, E. (2017). Estimating dynamic state preferences "
    "from United Nations voting data. Journal of Conflict Resolution 61(2): 430-456.",
    "Imai, K., Lo, J. and Olmsted, J. (2016). Fast estimation of ideal points with massive "
    "data. American Political Science Review 110(4): 631-656.",
)
N_SURPRISING = 12


def fitted(ctx: Context):
    """The ideal-point fit over the sessions analysed (cached in the store by fit_unga)."""
    from hedgewatch.workflows import fit_unga

    def tick(cycle: int, _log_posterior: float) -> None:
        ctx.say(f"fitting, cycle {cycle}; cached for the next report")

    return fit_unga(
        sessions=_sessions(ctx), store=ctx.store, callback=tick, successors=ctx.successors
    )


def _sessions(ctx: Context) -> list[int] | None:
    first = ctx.setting("ideal_from")
    if first is None and ctx.start is None:
        return None
    year = max(int(first or 0), int(ctx.start or 0))
    return sorted(ctx.votes.loc[ctx.votes["year"] >= year, "session"].unique().tolist())


def idealpoints_section(ctx: Context) -> Section:
    """Trajectories of the state and the powers with their intervals."""
    from hedgewatch.idealpoints import plot_ideal_points

    res = fitted(ctx)
    codes = [ctx.state, *ctx.powers]
    fig = plot_ideal_points(res, codes, title="")
    svg = figures.to_svg(fig, "idealpoints")
    pts = res.to_frame()
    pts = pts[pts["country"].isin(codes)]
    own = sorted(pts.loc[pts["country"] == ctx.state, "session"].unique())
    # the state's last five sessions (a historical state ends before the record does)
    sessions = own[-5:] if own else sorted(pts["session"].unique())[-5:]
    last = pts[pts["session"].isin(sessions)]
    wide = last.pivot_table(index="year", columns="country", values="ideal_point")
    voted = _vote_years(ctx)
    table = last.assign(votes_in=last["session"].map(voted))[
        ["country", "session", "year", "votes_in", "ideal_point", "lower", "upper", "n_votes"]
    ].sort_values(["session", "country"])
    text = _gaps(ctx, wide)
    return Section(
        "idealpoints",
        "Ideal-point trajectories",
        paragraphs=(
            "Dynamic ordered-probit ideal points (one dimension, a random walk from session to "
            "session, roll calls repeated across sessions bridged), fitted by maximum a "
            "posteriori; bands are " + f"{res.info.get('level', 0.95):.0%} intervals "
            f"({res.info.get('uncertainty', 'laplace')}). Higher = closer to the US-led "
            "order.",
            text,
        ),
        figures=(
            Figure(
                "idealpoints",
                "Ideal points of the state and the powers",
                svg,
                "One line per country; bands: intervals of the fitted positions.",
            ),
        ),
        tables=(
            Table(
                f"Last five sessions of {ctx.state} with votes",
                table.round(3).rename(columns={"votes_in": "votes loaded from"}),
                "year = the year the session opened (September); 'votes loaded from' = the "
                "years of the roll calls loaded for it. Sessions without votes (a gap in the "
                "loaded data) have no position: the random walk spans them, its variance "
                "growing with the number of sessions skipped.",
            ),
        ),
        references=REFS,
    )


def _vote_years(ctx: Context) -> dict[int, str]:
    """Session -> the years of its loaded roll calls (``"2025"``, ``"2019-2020"``)."""
    from hedgewatch._periods import ranges

    by = ctx.votes.groupby("session")["year"].unique()
    return {int(cast(Any, s)): ranges(int(y) for y in ys) for s, ys in by.items()}


def _gaps(ctx: Context, wide: pd.DataFrame) -> str:
    if wide.empty or ctx.state not in wide:
        raise InsufficientDataError(f"the ideal-point fit has no position for {ctx.state}.")
    row = wide.dropna(subset=[ctx.state]).iloc[-1]
    parts = [
        f"{ctx.name(p)} {abs(row[ctx.state] - row[p]):.2f}"
        for p in ctx.powers
        if p in row and pd.notna(row[p])
    ]
    return (
        f"In {row.name}, distance of {ctx.name(ctx.state)}'s ideal point from "
        + ", ".join(parts)
        + "."
    )
