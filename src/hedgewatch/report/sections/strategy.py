"""Section: what the outbidding model implies for the state, calibrated on its votes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgewatch.errors import InsufficientDataError
from hedgewatch.report import figures
from hedgewatch.report.model import Figure, Section, Table
from hedgewatch.report.sections._context import Context
from hedgewatch.report.sections.alignment import yearly

REFS = (
    "Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in "
    "extensive games. International Journal of Game Theory 4(1): 25-55.",
    "Knight, V. and Campbell, J. (2018). Nashpy: a Python library for the computation of Nash "
    "equilibria. Journal of Open Source Software 3(30): 904.",
)
GUARANTEES = np.linspace(0.0, 1.0, 11)


def strategy_section(ctx: Context) -> Section:
    """Calibrate the outbidding model on the latest hedging position and vary the guarantee."""
    from hedgewatch.strategy import calibrate_outbidding, comparative_statics
    from hedgewatch.strategy.plots import plot_comparative_statics

    a, b = ctx.powers[:2]
    h = yearly(ctx, (a, b)).dropna(subset=["position"])
    if h.empty:
        raise InsufficientDataError("no year with a defined hedging position to calibrate on.")
    year = int(h["period"].iloc[-1])
    model = calibrate_outbidding(
        h.rename(columns={"period": "year"}), year, state=ctx.state, powers=(a, b)
    )
    eq = model.solve()
    statics = comparative_statics(model, "guarantee", GUARANTEES)
    svg = figures.to_svg(plot_comparative_statics(statics), "strategy")
    lo, hi = statics.iloc[0], statics.iloc[-1]
    text = (
        f"Calibrated on {year}: the state's own alignment a0 = {model.ideal_alignment:.2f} "
        f"(0 = {ctx.name(a)}, 1 = {ctx.name(b)}), from its hedging position that year. With "
        f"default costs and values, the subgame-perfect equilibrium has alignment "
        f"{eq.alignment:.2f}, provocation {eq.provocation:.2f}, support {eq.support_a:.2f} "
        f"from {ctx.name(a)} and {eq.support_b:.2f} from {ctx.name(b)}"
        f"{' (hedging: interior alignment)' if eq.hedging else ''}."
    )
    hazard = (
        f"Moral hazard in the model: as {ctx.name(a)}'s guarantee against collapse rises from 0 "
        f"to 1, equilibrium provocation goes from {lo['provocation']:.2f} to "
        f"{hi['provocation']:.2f}. This is what the model implies under assumed payoffs, not a "
        "measurement: nothing in the loaded data observes the guarantee."
    )
    table = statics[
        ["value", "provocation", "alignment", "support_a", "support_b", "hedging"]
    ].rename(columns={"value": "guarantee"})
    return Section(
        "strategy",
        "Strategic-model reading",
        paragraphs=(
            f"Outbidding model: {ctx.name(ctx.state)} chooses how much to provoke; "
            f"{ctx.name(a)} (the guarantor, who bears part of the cost of a collapse) and "
            f"{ctx.name(b)} then pledge support, and the state aligns between them, trading "
            "support against distance from its own preferred alignment.",
            text,
            hazard,
        ),
        figures=(
            Figure(
                "strategy",
                "Outbidding equilibrium against the guarantee",
                svg,
                "Equilibrium provocation, alignment and pledges as the guarantor's "
                "share of collapse costs varies (other parameters at defaults).",
            ),
        ),
        tables=(Table("Comparative statics (guarantee)", _round(table)),),
        references=REFS,
    )


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.round(3)
