"""The hedgewatch report: one self-contained HTML file on where a state stands between powers.

:func:`build_report` computes every section (alignment, hedging index, issue alignment, ideal
points, predictability, rhetoric, synchronisation, strategic models) on the data in the store,
judges the claims of a YAML file against the measurements, and renders an HTML document with
inline SVG figures, no scripts and no external resource.
"""

from __future__ import annotations

from hedgewatch.report.builder import build_report
from hedgewatch.report.claims import MEASURES, Claim, ClaimSet, Condition, evaluate, load_claims
from hedgewatch.report.model import Figure, Measurement, Report, Section, Table

__all__ = [
    "MEASURES",
    "Claim",
    "ClaimSet",
    "Condition",
    "Figure",
    "Measurement",
    "Report",
    "Section",
    "Table",
    "build_report",
    "evaluate",
    "load_claims",
]
