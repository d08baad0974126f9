"""Section: how predictable the state's votes are, out of sample and in sample, 1-D and 2-D.

The claim a state is a "rational" (predictable) actor is judged out of sample: each session
since ``recent_from`` is forecast from the sessions before it (a rolling origin, see
:mod:`hedgewatch.idealpoints.outofsample`), and the state is ranked among its peers by the
skill of the ideal-point model over the best of three rules that use the same earlier
sessions (its own last vote on the resolution, the last majority, its bloc's majority). The
in-sample fit (the model's fit to the very votes it was estimated on) is shown beside it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context
from hedgewatch.report.sections.idealpoints import N_SURPRISING, REFS, _sessions, fitted

#: Tables the state-independent results here are computed from (shipped precomputed for
#: the bundled snapshot).
INPUTS = ("votes", "bridges", "roll_calls")
DIMS = (1, 2)
FORECAST_REFS = (
    "Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and "
    "review. International Journal of Forecasting 16(4): 437-450.",
    "Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and "
    "estimation. Journal of the American Statistical Association 102(477): 359-378.",
)


def forecasts(ctx: Context, n_dims: int) -> Any:
    """Rolling-origin forecast summary of the sessions since ``recent_from`` (cached; shipped
    precomputed for the bundled snapshot)."""
    from hedgewatch.workflows import forecast_unga

    sessions = _sessions(ctx)
    first = int(ctx.setting("forecast_from") or ctx.setting("recent_from"))
    years = ctx.votes.groupby("session")["year"].min()
    held = [int(s) for s in years.index if sessions is None or s in sessions]
    origins = [s for s in held if years[s] >= first and s > min(held)]
    if not origins:
        raise InsufficientDataError(f"no session since {first} to forecast.")

    def tick(done: int, total: int, origin: int) -> None:
        ctx.say(f"{n_dims}-D forecasts, session {origin} ({done}/{total}); cached")

    return forecast_unga(
        origins=origins, sessions=sessions, n_dims=n_dims, store=ctx.store, callback=tick
    )


def in_sample(ctx: Context, n_dims: int) -> pd.DataFrame:
    """Per state-session in-sample fit of the ``n_dims`` model (cached; precomputed)."""
    from hedgewatch.idealpoints import predictability
    from hedgewatch.workflows import fit_unga

    sessions = _sessions(ctx)
    votes = ctx.votes if sessions is None else ctx.votes[ctx.votes["session"].isin(sessions)]

    def compute() -> pd.DataFrame:
        if n_dims == 1:
            res = fitted(ctx)
        else:
            ctx.say("2-D fit; cached for the next report")
            res = fit_unga(sessions=sessions, store=ctx.store, n_dims=n_dims)
        return predictability(res, votes)

    return ctx.cached("report:predictability", ("v2", sessions, n_dims), compute, inputs=INPUTS)


def predictability_section(ctx: Context) -> Section:
    """Out-of-sample skill and log-loss of the state against its peers, in-sample beside."""
    from hedgewatch.idealpoints import calibration_table, plot_calibration, rank_predictability

    since = int(ctx.setting("recent_from"))
    peers = _peers(ctx)
    among_peers = bool(ctx.setting("peers"))
    summ = {d: forecasts(ctx, d) for d in DIMS}
    window = sorted(
        int(s) for s in summ[1].scores.loc[summ[1].scores["year"] >= since, "session"].unique()
    )
    if not window:
        raise InsufficientDataError(f"no forecast session since {since}.")
    oos = {d: summ[d].rank(ctx.state, peers=peers, sessions=window) for d in DIMS}
    for d in DIMS:
        if not oos[d]["is_target"].any() or oos[d].loc[oos[d]["is_target"], "n_votes"].iloc[0] == 0:
            raise InsufficientDataError(f"{ctx.state} has no forecast vote since {since}.")
    chosen = _chosen_dims(summ, window)
    years = _span(summ[1].scores, window)
    ins = {}
    for d in DIMS:  # in sample over the same sessions
        table = in_sample(ctx, d)
        ins[d] = rank_predictability(table, ctx.state, peers=peers, sessions=window)
    measures = _measures(ctx, oos, ins, chosen, among_peers, since)
    reliability = {
        f"{d}-D": calibration_table(summ[d].calibration, countries=[ctx.state], sessions=window)
        for d in DIMS
    }
    fig = plot_calibration(reliability)
    calib_svg = figures.to_svg(fig, "calibration")
    skill_svg = _skill_bars(ctx, oos, chosen)
    surprising = _surprising_votes(ctx)
    return Section(
        "predictability",
        "Predictability: out of sample, against simple rules, and in sample",
        paragraphs=(
            f"Out of sample: each General Assembly session opened in {years} is forecast "
            "from the sessions before it only. The ideal-point model is "
            "refitted on those sessions, every state's position is projected one step of its "
            "random walk ahead (wider after a gap in the record), and its votes are predicted "
            "on the resolutions voted before. Three rules forecast exactly the same votes "
            "from the same sessions: the state's own last vote on the resolution, the "
            "majority at its last vote, and the majority of the ten states that voted most "
            "like it the session before. Skill = 1 - log-loss of the model / log-loss of the "
            "best rule for that state (> 0: the model beats every rule).",
            _lead(ctx, oos, ins, chosen, among_peers, years),
            _difference(ctx, oos, ins, chosen),
        ),
        figures=(
            Figure(
                "predictability",
                "Out-of-sample skill of the state and its peers",
                skill_svg,
                f"Sessions forecast {years}, {chosen}-D model; the state highlighted.",
            ),
            Figure(
                "calibration",
                f"Calibration of the forecasts of {ctx.name(ctx.state)}'s votes",
                calib_svg,
                "Votes binned by the forecast probability of the most likely vote; a "
                "calibrated forecast lies on the diagonal. Marker size: votes in the bin.",
            ),
        ),
        tables=(
            Table(
                "Ranking (1 = least predictable)",
                _ranking_table(oos, ins, peers + [ctx.state]),
                "oos: out of sample; ll: mean log-loss; skill: against the best rule "
                "(named); ins: in sample (the model's fit to the votes it was fitted on).",
            ),
            Table(
                "Most surprising votes of the state",
                _surprising(surprising),
                "Votes over the whole period fitted that the one-dimensional model found "
                "least likely given the state's position that session (in sample).",
            ),
        ),
        measurements=tuple(measures),
        references=REFS + FORECAST_REFS,
    )


def _chosen_dims(summ: dict[int, Any], window: list[int]) -> int:
    """The dimensionality with the lower out-of-sample log-loss over all states' votes in
    the window (model choice out of sample, not for the state)."""
    pooled = {}
    for d, s in summ.items():
        sc = s.scores[s.scores["session"].isin(window)]
        pooled[d] = float((sc["log_loss"] * sc["n_votes"]).sum() / sc["n_votes"].sum())
    return min(pooled, key=lambda d: (pooled[d], d))


def _percentile(rank: pd.DataFrame, among_peers: bool) -> float:
    """Share of the comparison set ranked less predictable than the state (rank 1 = least)."""
    target = rank[rank["is_target"]].iloc[0]
    if among_peers:
        n, pos = int(rank["rank_peers"].notna().sum()) - 1, int(target["rank_peers"])
    else:
        n, pos = len(rank) - 1, int(target["rank_all"])
    return (pos - 1) / n if n else float("nan")


def _measures(
    ctx: Context,
    oos: dict[int, pd.DataFrame],
    ins: dict[int, pd.DataFrame],
    chosen: int,
    among_peers: bool,
    since: int,
) -> list[Measurement]:
    who = ctx.name(ctx.state)
    among = "peers" if among_peers else "all states"
    out = []
    for d in DIMS:
        ll = oos[d]
        by_skill = ll.assign(
            rank_all=ll["skill"].rank(method="min").astype("Int64"),
            rank_peers=ll.loc[ll["rank_peers"].notna(), "skill"]
            .rank(method="min")
            .reindex(ll.index)
            .astype("Int64"),
        )
        target = ll[ll["is_target"]].iloc[0]
        values = {
            f"forecast_percentile_{d}d": (
                _percentile(ll, among_peers),
                f"share of {among} whose votes since {since} the {d}-D model forecasts less "
                f"well than {who}'s (out-of-sample log-loss)",
            ),
            f"forecast_skill_{d}d": (
                float(target["skill"]),
                f"out-of-sample skill of the {d}-D model for {who} since {since} (1 - its "
                f"log-loss / the best rule's, {target['best_baseline']})",
            ),
            f"forecast_skill_percentile_{d}d": (
                _percentile(by_skill, among_peers),
                f"share of {among} for whom the {d}-D model's skill over the best rule is "
                f"lower than for {who} (since {since})",
            ),
            f"predictability_percentile_{d}d": (
                _percentile(ins[d], among_peers),
                f"share of {among} less predictable than {who} since {since} in sample "
                f"({d}-D model, log-loss)",
            ),
        }
        for key, (value, label) in values.items():
            out.append(Measurement(key, value, label, "predictability"))
    for m in list(out):
        if m.key.endswith(f"_{chosen}d"):
            base = m.key.removesuffix(f"_{chosen}d")
            if base.startswith("predictability"):
                continue
            out.append(
                Measurement(
                    base,
                    m.value,
                    m.label + f"; {chosen}-D is the dimensionality that forecasts all states "
                    "better",
                    "predictability",
                )
            )
    one = next(m for m in out if m.key == "predictability_percentile_1d")
    out.append(Measurement("predictability_percentile", one.value, one.label, "predictability"))
    return out


def _span(scores: pd.DataFrame, window: list[int]) -> str:
    from hedgewatch._periods import ranges

    years = scores.loc[scores["session"].isin(window), "year"].unique()
    return ranges(int(y) for y in sorted(years))


def _lead(
    ctx: Context,
    oos: dict[int, pd.DataFrame],
    ins: dict[int, pd.DataFrame],
    chosen: int,
    among_peers: bool,
    years: str,
) -> str:
    who = ctx.name(ctx.state)
    parts = []
    for d in DIMS:
        r = oos[d]
        t = r[r["is_target"]].iloc[0]
        n_peers = int(r["rank_peers"].notna().sum())
        by_skill = r.loc[r["rank_peers"].notna(), "skill"].rank(method="min")
        skill_rank = int(by_skill[r["is_target"]].iloc[0])
        parts.append(
            f"{d}-D model: log-loss {t['log_loss']:.3f} (rank {int(t['rank_peers'])} of "
            f"{n_peers} peers and {int(t['rank_all'])} of {len(r)} states from least "
            f"predictable), best rule {t['best_baseline']} {t[f'log_loss_{t.best_baseline}']:.3f}, "
            f"skill {t['skill']:+.3f} (rank {skill_rank} of {n_peers} peers from least)"
        )
    return (
        f"{who}, votes of the sessions opened in {years} forecast out of sample: "
        + "; ".join(parts)
        + f". The {chosen}-D model forecasts all states' votes better, so the claims read it."
    )


def _difference(
    ctx: Context, oos: dict[int, pd.DataFrame], ins: dict[int, pd.DataFrame], chosen: int
) -> str:
    """A sentence on how the in-sample ranking differs from the out-of-sample one."""
    who = ctx.name(ctx.state)
    bits = []
    for d in DIMS:
        t_in = ins[d][ins[d]["is_target"]].iloc[0]
        t_out = oos[d][oos[d]["is_target"]].iloc[0]
        n_in = int(ins[d]["rank_peers"].notna().sum())
        bits.append(
            f"{d}-D: rank {int(t_in['rank_peers'])} of {n_in} peers in sample (log-loss "
            f"{t_in['log_loss']:.3f}) against {int(t_out['rank_peers'])} out of sample "
            f"({t_out['log_loss']:.3f})"
        )
    lower = [
        d
        for d in DIMS
        if ins[d].loc[ins[d]["is_target"], "log_loss"].iloc[0]
        < oos[d].loc[oos[d]["is_target"], "log_loss"].iloc[0]
    ]
    why = (
        "In sample a state's own votes pull its position toward them, so its log-loss is "
        f"lower there ({', '.join(f'{d}-D' for d in lower)} here)"
        if lower
        else "Here the in-sample log-loss is not lower than the out-of-sample one"
    )
    return (
        f"In sample, where each position is fitted to the votes it predicts, {who} ranks "
        + "; ".join(bits)
        + f". {why}; the two are not on the same votes (in sample: every vote cast; out of "
        "sample: votes on resolutions voted before), and out of sample a change of course "
        "costs the forecast in full, while the rules show how much of a state's voting is "
        "habit."
    )


def _ranking_table(
    oos: dict[int, pd.DataFrame], ins: dict[int, pd.DataFrame], codes: list[str]
) -> pd.DataFrame:
    cols = {}
    for d in DIMS:
        r = oos[d].set_index("country")
        cols[f"oos ll {d}-D"] = r["log_loss"]
        cols[f"skill {d}-D"] = r["skill"]
        cols[f"best rule {d}-D"] = r["best_baseline"]
        cols[f"rank oos {d}-D"] = r["rank_peers"]
    for d in DIMS:
        r = ins[d].set_index("country")
        cols[f"ins ll {d}-D"] = r["log_loss"]
        cols[f"rank ins {d}-D"] = r["rank_peers"]
    n = oos[1].set_index("country")["n_votes"].rename("votes forecast")
    table = pd.concat([n, pd.DataFrame(cols)], axis=1).loc[lambda t: t.index.isin(codes)]
    table = table.sort_values("rank oos 1-D").reset_index(names="country")
    return table.round(3)


def _skill_bars(ctx: Context, oos: dict[int, pd.DataFrame], chosen: int) -> str:
    r = oos[chosen]
    ranked = r[r["rank_peers"].notna()].sort_values("skill")
    return figures.bars(
        list(ranked["country"]),
        list(ranked["skill"]),
        key="predictability",
        ylabel=f"out-of-sample skill, {chosen}-D (higher = better than the rules)",
        highlight=ctx.state,
    )


def _surprising_votes(ctx: Context) -> pd.DataFrame:
    from hedgewatch.idealpoints import surprising_votes
    from hedgewatch.store import roll_calls

    sessions = _sessions(ctx)

    def compute() -> pd.DataFrame:
        res = fitted(ctx)
        mine = ctx.state_votes  # the state's rows, filtered once per report
        if sessions is not None:
            mine = mine[mine["session"].isin(sessions)]
        rc = roll_calls(store=ctx.store)
        return surprising_votes(res, mine, ctx.state, n=N_SURPRISING, roll_calls=rc)

    return ctx.cached("report:surprising", ("v2", ctx.state, sessions, N_SURPRISING), compute)


def _peers(ctx: Context) -> list[str]:
    from hedgewatch import countries

    peers = ctx.setting("peers") or [*ctx.powers, ctx.setting("reference")]
    return [countries.resolve(p) for p in peers if countries.resolve(p) != ctx.state]


def _surprising(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    out["title"] = out["title"].astype("string").str.slice(0, 140)
    out["probability"] = np.round(out["probability"].astype(float), 4)
    return out[["date", "resolution", "title", "vote", "expected_vote", "probability"]]
