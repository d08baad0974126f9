"""Render a computed report to one self-contained HTML document.

Jinja2 with autoescape on: every string from data (speech excerpts, statement titles,
claim text, country names, table cells) is escaped. The only markup inserted unescaped is
figure SVG produced by matplotlib and sanitised in :mod:`hedgewatch.report.figures`. A
Content-Security-Policy meta tag forbids every network fetch and every script, so even a
mistake elsewhere could not make the page load or run anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from hedgewatch.report.model import Section

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("hedgewatch.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def cell(value: Any) -> str:
    """Plain-text form of a table cell (numbers rounded, NaN shown as 'n/a')."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return "n/a"
        x = float(value)
        return f"{x:.0f}" if x.is_integer() and abs(x) >= 1000 else f"{x:.3g}"
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def rows(frame: pd.DataFrame, limit: int = 200) -> list[list[str]]:
    return [[cell(v) for v in r] for r in frame.head(limit).itertuples(index=False)]


def svg(section_svg: str) -> Markup:
    """Mark a sanitised figure SVG as safe (figures.to_svg already refused scripts, links)."""
    return Markup(section_svg)  # noqa: S704 - sanitised by figures.to_svg


_env.globals.update(rows=rows, svg=svg, cell=cell)


def render(
    *,
    state: str,
    state_name: str,
    powers: Sequence[tuple[str, str]],
    sections: Sequence[Section],
    claims: pd.DataFrame,
    claims_source: str,
    provenance: Mapping[str, str],
    references: Sequence[str],
    coverage: Sequence[str] = (),
    generated: str,
    version: str,
) -> str:
    """The HTML document of a report."""
    return _env.get_template("report.html.j2").render(
        state=state,
        state_name=state_name,
        powers=powers,
        sections=sections,
        claims=claims,
        claims_source=claims_source,
        provenance=provenance,
        references=references,
        coverage=list(coverage),
        generated=generated,
        version=version,
        csp=CSP,
    )
