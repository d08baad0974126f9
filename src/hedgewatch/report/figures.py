"""Figures for the report: matplotlib (Agg) drawn to sanitised inline SVG.

The SVG is stripped of everything that could load or run something: the XML prolog and
DOCTYPE, the RDF metadata (which names URLs), comments (matplotlib writes tick labels in
comments), and namespace URLs. Element ids are prefixed with the figure key so several
figures can share one HTML page. Text is drawn as paths (``svg.fonttype = 'path'``), so no
string from the data reaches the markup as text.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from hedgewatch._periods import missing, with_gaps  # noqa: E402
from hedgewatch.errors import HedgewatchError  # noqa: E402

#: One colour per role: the state, first power, second power, further powers.
PALETTE = ("#1b1b1b", "#c0392b", "#2264a8", "#7d8c2a", "#8e44ad", "#d68910")

_STRIP = [
    re.compile(r"<\?xml.*?\?>", re.S),
    re.compile(r"<!DOCTYPE.*?>", re.S),
    re.compile(r"<metadata>.*?</metadata>", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r'\s+xmlns(:\w+)?="[^"]*"'),
]
_FORBIDDEN = re.compile(r"<script|<foreignObject|\son\w+\s*=|https?:|javascript:", re.I)


class FigureError(HedgewatchError):
    """A figure's SVG contained something other than drawing (a bug, never expected)."""


def to_svg(fig: matplotlib.figure.Figure, key: str) -> str:
    """Render ``fig`` to a sanitised SVG string and close it."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": key}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    for pat in _STRIP:
        svg = pat.sub("", svg)
    svg = _prefix_ids(svg, re.sub(r"[^A-Za-z0-9_-]", "-", key))
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    bad = _FORBIDDEN.search(svg)
    if bad:
        raise FigureError(f"figure {key!r}: unexpected markup {bad.group(0)!r} in the SVG.")
    return svg.strip()


def _prefix_ids(svg: str, prefix: str) -> str:
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)


def new_axes(width: float = 7.5, height: float = 3.2):
    """A figure and axes in the report's style."""
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    return fig, ax


def band_lines(
    frame: pd.DataFrame,
    series: Sequence[tuple[str, str]],
    *,
    x: str = "period",
    ylabel: str = "",
    ylim: tuple[float, float] | None = None,
    marks: Mapping[str, Sequence[Any]] | None = None,
    hline: float | None = None,
    key: str,
) -> str:
    """Lines (``column``, ``label``) over ``x`` with ``<column>_lo/_hi`` bands where present,
    and vertical marks (``label -> periods``) for pivots.

    Years (whole-number ``x``) missing from the frame break the lines and bands (a NaN row
    each, :func:`hedgewatch._periods.with_gaps`) and are shaded grey: nothing is drawn
    across a hole in the record.
    """
    fig, ax = new_axes()
    holes = missing(frame[x]) if len(frame) else []
    frame = with_gaps(frame, x)
    xs = pd.to_numeric(frame[x], errors="coerce").to_numpy(dtype=float)
    _shade(ax, holes)
    colours = {}
    for i, (col, label) in enumerate(series):
        colour = PALETTE[(i + 1) % len(PALETTE)]
        colours[label] = colour
        ys = frame[col].to_numpy(dtype=float)
        ax.plot(xs, ys, color=colour, lw=1.6, label=label, marker="o", ms=2.2)
        if f"{col}_lo" in frame and f"{col}_hi" in frame:
            lo = frame[f"{col}_lo"].to_numpy(dtype=float)
            hi = frame[f"{col}_hi"].to_numpy(dtype=float)
            ax.fill_between(xs, lo, hi, color=colour, alpha=0.15, lw=0)
            # A year with no neighbour (next to a hole) has no band to fill: a bar instead.
            alone = _isolated(ys)
            if alone.any():
                ax.vlines(xs[alone], lo[alone], hi[alone], color=colour, alpha=0.5, lw=3)
    for label, periods in (marks or {}).items():
        for p in periods:
            ax.axvline(float(p), color=colours.get(label, "#555555"), ls="--", lw=1.0)
            ax.annotate(
                str(p),
                (float(p), 1.0),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                color=colours.get(label, "#555555"),
                ha="left",
                va="top",
            )
    if hline is not None:
        ax.axhline(hline, color="#888888", lw=0.8)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="best")
    return to_svg(fig, key)


def _isolated(ys: np.ndarray) -> np.ndarray:
    """Points whose neighbours on both sides are missing (or absent)."""
    ok = np.isfinite(ys)
    left = np.concatenate([[False], ok[:-1]])
    right = np.concatenate([ok[1:], [False]])
    return ok & ~left & ~right


def _shade(ax, holes: Sequence[int]) -> None:
    """Grey spans over runs of missing years, labelled once."""
    if not holes:
        return
    runs: list[list[int]] = []
    for h in holes:
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    for i, run in enumerate(runs):
        ax.axvspan(
            run[0] - 0.5,
            run[-1] + 0.5,
            color="#eeeeee",
            lw=0,
            zorder=0,
            label="no data" if i == 0 else None,
        )


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    key: str,
    ylabel: str = "",
    highlight: str | None = None,
    ylim: tuple[float, float] | None = None,
    errors: tuple[Sequence[float], Sequence[float]] | None = None,
) -> str:
    """A bar chart with one bar highlighted (the state)."""
    fig, ax = new_axes(height=3.0)
    colours = [PALETTE[1] if lab == highlight else "#9aa5b1" for lab in labels]
    pos = np.arange(len(labels))
    yerr = None
    if errors is not None:
        v = np.asarray(values, dtype=float)
        yerr = np.vstack([v - np.asarray(errors[0], float), np.asarray(errors[1], float) - v])
    ax.bar(pos, values, color=colours, yerr=yerr, ecolor="#444444", capsize=2)
    # Long labels (issue names) or many bars would overlap: wrap and tilt them.
    longest = max((len(str(lab)) for lab in labels), default=0)
    tilt = len(labels) > 8 or longest * len(labels) > 60
    shown = [textwrap.fill(str(lab), 18) for lab in labels] if longest > 18 else labels
    ax.set_xticks(
        pos, shown, rotation=30 if tilt else 0, ha="right" if tilt else "center", fontsize=8
    )
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    return to_svg(fig, key)


def timeline(
    rows: Sequence[tuple[str, pd.DataFrame]],
    *,
    colours: Mapping[str, str],
    key: str,
) -> str:
    """One row of markers per label: each event (``date``, ``action``) at its date, coloured
    by its action; a legend of the actions shown."""
    fig, ax = new_axes(height=0.7 + 0.55 * max(len(rows), 1))
    seen: dict[str, object] = {}
    for i, (_label, frame) in enumerate(rows):
        y = len(rows) - 1 - i
        for action, group in frame.groupby("action"):
            handle = ax.scatter(
                pd.to_datetime(group["date"]),
                np.full(len(group), y),
                s=42,
                color=colours.get(str(action), "#555555"),
                edgecolor="#333333",
                linewidth=0.4,
                zorder=3,
            )
            seen.setdefault(str(action), handle)
    ax.set_yticks(range(len(rows)), [label for label, _ in reversed(rows)])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    order = [a for a in colours if a in seen]
    ax.legend([seen[a] for a in order], order, frameon=False, fontsize=8, loc="upper left", ncol=3)
    return to_svg(fig, key)
