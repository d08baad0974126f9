"""Section: synchronised take-up of narratives in dated statements (when any are loaded)."""

from __future__ import annotations

import pandas as pd

from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Measurement, Section, Table
from hedgewatch.report.sections._context import Context

REFS = (
    "Quian Quiroga, R., Kreuz, T. and Grassberger, P. (2002). Event synchronization: a simple "
    "and fast method to measure synchronicity and time delay patterns. Physical Review E 66: "
    "041908.",
    "Amarasingham, A., Harrison, M. T., Hatsopoulos, N. G. and Geman, S. (2012). Conditional "
    "modeling and the jitter method of spike resampling. Journal of Neurophysiology 107(2): "
    "517-531.",
)
MAX_Q = 0.05


def synchronisation_section(ctx: Context) -> Section:
    """Narratives the state and each power take up within days of each other, beyond chance."""
    from hedgewatch.store import statements

    actors = [ctx.state, *ctx.powers]
    st = statements(actors, store=ctx.store)
    loaded = _loaded(ctx, st)
    have = [p for p in ctx.powers if (st["actor"] == p).any()]
    if not (st["actor"] == ctx.state).any() or not have:
        missing = [a for a in actors if not (st["actor"] == a).any()]
        raise InsufficientDataError(
            f"statements are loaded for {', '.join(sorted(set(st['actor'])))} but not for "
            f"{', '.join(missing)}; synchronisation needs the state and at least one power. "
            "Import them with 'hedgewatch statements import'."
        )
    # imported only when there is something to measure (it loads scikit-learn, ~1.5 s)
    from hedgewatch.statements import synchronisation

    overall, events, measures = [], [], []
    for p in have:
        res = _sync(ctx, st, p, synchronisation)
        if "note" in res["overall"]:
            overall.append(res["overall"])
            continue
        sig = res["events"][res["events"]["q_value"] <= MAX_Q]
        overall.append(res["overall"])
        events.append(sig)
        if ctx.role(p) in ("A", "B"):
            measures.append(
                Measurement(
                    f"sync_events_{ctx.role(p)}",
                    float(len(sig)),
                    f"synchronised onsets with {ctx.name(p)} (q <= {MAX_Q})",
                    "synchronisation",
                )
            )
    ev = pd.concat(events, ignore_index=True) if events else pd.DataFrame()
    shown = (
        ev[
            [
                c
                for c in (
                    "label",
                    "country_a",
                    "date_a",
                    "country_b",
                    "date_b",
                    "lag_days",
                    "title_a",
                    "title_b",
                    "q_value",
                )
                if c in ev
            ]
        ]
        if len(ev)
        else ev
    )
    figs = (_timeline(ev),) if len(ev) else ()
    return Section(
        "synchronisation",
        "Synchronisation of statements",
        paragraphs=(
            "An actor takes up a narrative on the first day it mentions it after two "
            "quiet weeks; two actors are synchronised when they take it up within "
            "three days of each other, tested against circular shifts of one actor's "
            "timeline by whole weeks (Benjamini-Hochberg q-values).",
        ),
        figures=figs,
        tables=(
            Table("Statements loaded", loaded),
            Table("Pairs tested", pd.concat(overall, ignore_index=True).round(4)),
            Table(f"Synchronised take-ups (q <= {MAX_Q})", shown.head(30)),
        ),
        measurements=tuple(measures),
        references=REFS,
    )


def _sync(ctx: Context, st: pd.DataFrame, power: str, synchronisation) -> dict[str, pd.DataFrame]:
    """Events and overall test of the state with one power (cached by corpus fingerprint)."""

    def compute() -> dict[str, pd.DataFrame]:
        try:
            res = synchronisation(st, [ctx.state, power])
        except InsufficientDataError as exc:
            note = pd.DataFrame([{"country_a": ctx.state, "country_b": power, "note": str(exc)}])
            return {"events": pd.DataFrame(), "overall": note}
        return {"events": res.events, "overall": res.overall}

    stamp = ("v2", len(st), str(st["date"].max()), ctx.state, power)
    return ctx.cached_many("report:sync", stamp, ("events", "overall"), compute)


def _loaded(ctx: Context, st: pd.DataFrame) -> pd.DataFrame:
    st = st.sort_values("date")
    g = st.groupby("actor")
    return pd.DataFrame(
        {
            "statements": g.size(),
            "first": g["date"].min().dt.strftime("%Y-%m-%d"),
            "last": g["date"].max().dt.strftime("%Y-%m-%d"),
            "latest title": g["title"].last().astype(str).str.slice(0, 160),
        }
    ).reset_index()


def _timeline(ev: pd.DataFrame) -> Figure:
    fig, ax = figures.new_axes(height=2.6)
    pairs = ev["country_a"].astype(str) + "-" + ev["country_b"].astype(str)
    names = sorted(pairs.unique())
    for i, name in enumerate(names):
        days = pd.to_datetime(ev.loc[pairs == name, "date_a"])
        ax.scatter(days, [i] * len(days), s=12, color=figures.PALETTE[(i + 1) % 6])
    ax.set_yticks(range(len(names)), names)
    svg = figures.to_svg(fig, "synchronisation")
    return Figure(
        "synchronisation",
        "Synchronised take-ups over time",
        svg,
        "Each dot: a narrative both actors took up within the window (q <= 0.05).",
    )
