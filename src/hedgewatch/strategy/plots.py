"""Figures for the strategic models (matplotlib, returned, never shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

    from hedgewatch.strategy.bargaining import ForecastResult


def plot_forecast(result: ForecastResult) -> Figure:
    """Each actor's position by round, with the weighted median (the forecast) and mean."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    pos = result.positions()
    for name in pos.columns:
        ax.plot(pos.index, pos[name], marker="o", ms=3, lw=1, alpha=0.6, label=str(name))
    out = result.outcomes
    ax.plot(out["round"], out["median"], color="black", lw=2.5, label="forecast (median)")
    ax.plot(out["round"], out["mean"], color="black", lw=1.5, ls="--", label="mean")
    lo, hi = result.scenario.scale
    ax.set_ylim(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo))
    ax.set_xlabel("round")
    ax.set_ylabel("position")
    ax.set_title(result.scenario.name)
    ax.legend(fontsize=7, ncol=2, loc="best", frameon=False)
    fig.tight_layout()
    return fig


def plot_comparative_statics(frame: pd.DataFrame) -> Figure:
    """Equilibrium support, alignment and provocation against the varied parameter.

    ``frame`` is the output of :func:`comparative_statics`.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    x = frame["value"]
    first = frame.iloc[0]
    ax.plot(x, frame["provocation"], lw=2.5, color="firebrick", label="provocation")
    ax.plot(
        x, frame["alignment"], lw=2, color="black", label=f"alignment (1 = {first['patron_b']})"
    )
    ax.plot(x, frame["support_a"], lw=1.5, ls="--", label=f"support from {first['patron_a']}")
    ax.plot(x, frame["support_b"], lw=1.5, ls=":", label=f"support from {first['patron_b']}")
    ax.set_xlabel(str(first["parameter"]).replace("_", " "))
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(
        f"Outbidding equilibrium: {first['client']} between "
        f"{first['patron_a']} and {first['patron_b']}"
    )
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
