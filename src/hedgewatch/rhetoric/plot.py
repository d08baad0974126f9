"""Figure of rhetorical convergence over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._validation import check_param, validated

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_NEEDED = {"year", "similarity", "lower", "upper", "country_a", "country_b"}


def _label(text: str) -> str:
    # Matplotlib reads "$...$" as mathtext; corpus-derived labels are data, not markup.
    return text.replace("$", r"\$")


@validated
def plot_convergence(*series: pd.DataFrame, title: str | None = None) -> Figure:
    """Plot one or more :func:`~hedgewatch.rhetoric.convergence` series with intervals.

    Parameters
    ----------
    *series
        Frames from :func:`~hedgewatch.rhetoric.convergence`; each is drawn as a line with
        its bootstrap band, with its PELT segment means and change points where available.
    title
        Figure title (default: the pairs plotted).

    Returns
    -------
    A matplotlib Figure (not shown; save it with ``fig.savefig``).
    """
    check_param(len(series) > 0, "series", "at least one frame", series)
    for s in series:
        check_param(
            isinstance(s, pd.DataFrame) and set(s.columns) >= _NEEDED,
            "series",
            "frames returned by convergence()",
            type(s).__name__ if not isinstance(s, pd.DataFrame) else list(s.columns),
        )
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.2))
    ax = fig.add_subplot()
    for s in series:
        a, b = str(s["country_a"].iloc[0]), str(s["country_b"].iloc[0])
        label = _label(f"{_countries.name(a)} - {_countries.name(b)}")
        (line,) = ax.plot(s["year"], s["similarity"], marker="o", ms=3, label=label)
        ax.fill_between(s["year"], s["lower"], s["upper"], color=line.get_color(), alpha=0.2, lw=0)
        trend = s.attrs.get("trend")
        if trend is not None:
            seg = trend.series
            ax.step(
                seg["year"],
                seg["segment_mean"],
                where="mid",
                color=line.get_color(),
                lw=1,
                ls="--",
                alpha=0.8,
            )
            for year in trend.change_points:
                ax.axvline(year - 0.5, color=line.get_color(), lw=0.6, ls=":")
    ax.set_xlabel("Year of the General Debate")
    ax.set_ylabel("Speech similarity (cosine)")
    pairs = ", ".join(f"{s['country_a'].iloc[0]}-{s['country_b'].iloc[0]}" for s in series)
    ax.set_title(_label(title or f"Rhetorical convergence: {pairs}"))
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
